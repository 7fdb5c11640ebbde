"""The published site checked by real validators and a real browser (JIS X 8341-3:2016 AA).

* axe-core (WCAG 2.0/2.1 level A and AA rules) in Debian's headless Chromium, over every
  page of the shipped plan, at a desktop and at a phone width;
* the Nu Html Checker (vnu) over every page and the stylesheet, of the shipped plan and
  of a plan made of hostile content;
* an end-to-end walk through the site opened from its folder (file://).

The site is built once per session; axe runs in one Chromium launch and vnu in one Java
process, side by side.  Counts go into the JUnit report (properties) and are printed
with ``-s``.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from browser_tools import run_node, start_vnu, vnu_messages
from conftest import CONTENT, MINI, write_tree
from dgdocs.cli import main

HOSTILE = (Path(__file__).parent / "fixtures" / "site" / "hostile.txt").read_text("utf-8")
# what an editor adds (issue 13): 図 (SVG and PNG), a captioned pipe table, footnotes called twice
EDITOR = (Path(__file__).parent / "fixtures" / "site" / "editor.txt").read_text("utf-8")

# vnu checks files by their file: URL, which is an opaque origin, so it reports every
# stylesheet and script as outside the CSP's 'self'.  Browsers load them (Chromium runs
# every page under its CSP below, over http and over file://, and reports violations
# on the console, which the tests require to be empty); the site is served over http(s).
VNU_FILE_ORIGIN_CSP = "Resource violates Content Security Policy"


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Path:
    """build/ of the shipped plan (html and data) and of the hostile plan, once."""
    root = tmp_path_factory.mktemp("published")
    assert main(["--content", str(CONTENT), "build", "--html", "--data", "--out", str(root / "plan")]) == 0
    hostile = write_tree(root / "hostile-content", HOSTILE)
    assert main(["--content", str(hostile), "build", "--html", "--data", "--draft", "--out", str(root / "hostile")]) == 0
    editor = write_tree(write_tree(root / "editor-content", MINI), EDITOR)
    from PIL import Image
    Image.new("RGB", (1600, 600), "#6aa84f").save(editor / "figures" / "nagare.png")
    assert main(["--content", str(editor), "build", "--html", "--data", "--out", str(root / "editor")]) == 0
    return root


@pytest.fixture(scope="session")
def validated(published):
    """Run vnu (background) and axe (foreground) once; return both results."""
    plan_pages = sorted((published / "plan" / "html").glob("*.html"))
    editor_pages = sorted((published / "editor" / "html").glob("*.html"))
    files = plan_pages + sorted((published / "hostile" / "html").glob("*.html")) + editor_pages
    files.append(published / "plan" / "html" / "assets" / "site.css")
    t0 = time.perf_counter()
    vnu = start_vnu(files)
    rc, axe, err = run_node("axe.mjs", str(published / "plan" / "html"), *[p.name for p in plan_pages])
    assert rc == 0, err[-3000:]
    rc, axe_editor, err = run_node("axe.mjs", str(published / "editor" / "html"), *[p.name for p in editor_pages])
    assert rc == 0, err[-3000:]
    t_axe = time.perf_counter() - t0
    messages = vnu_messages(vnu)
    t_all = time.perf_counter() - t0
    return {"axe": axe, "axe_editor": axe_editor, "vnu": messages, "files": files, "plan_pages": plan_pages,
            "editor_pages": editor_pages,
            "seconds": {"axe": round(t_axe, 1), "axe+vnu": round(t_all, 1)}}


def test_axe_finds_no_wcag_a_or_aa_violation_on_any_page(validated, record_testsuite_property):
    axe = validated["axe"]
    runs = axe["pages"]
    assert len(runs) == 2 * len(validated["plan_pages"])  # desktop and phone
    violations = [(r["page"], r["viewport"], v["id"], v["help"], n["target"], n["html"])
                  for r in runs for v in r["violations"] for n in v["nodes"]]
    record_testsuite_property("axe_version", axe["axe"])
    record_testsuite_property("axe_pages", len(validated["plan_pages"]))
    record_testsuite_property("axe_runs", len(runs))
    record_testsuite_property("axe_violations", len(violations))
    record_testsuite_property("axe_seconds", validated["seconds"]["axe"])
    print(f"\naxe-core {axe['axe']} ({', '.join(axe['tags'])}): {len(validated['plan_pages'])} pages × 2 widths, "
          f"{len(violations)} violations ({validated['seconds']['axe']} s)")
    assert not violations, "\n".join(f"{p} [{vp}] {rule}: {h}\n    {t} {html}" for p, vp, rule, h, t, html in violations[:40])


def test_figures_tables_and_footnotes_an_editor_adds_pass_axe(validated):
    """The editor's plan: 図 (an SVG and a PNG, each with alt text and caption), a captioned pipe
    table and footnotes — no violation, no console error (the images load under the CSP), no
    sideways scroll on a phone (a wide figure shrinks to the text width)."""
    runs = validated["axe_editor"]["pages"]
    assert len(runs) == 2 * len(validated["editor_pages"])
    violations = [(r["page"], r["viewport"], v["id"], n["html"]) for r in runs for v in r["violations"] for n in v["nodes"]]
    assert not violations, violations[:20]
    assert not [(r["page"], m) for r in runs for m in r["console"]]
    assert not [(r["page"], r["overflow"]) for r in runs if r["viewport"] == "phone" and r["overflow"]]


def test_no_page_logs_errors_or_csp_violations_in_chromium(validated):
    logged = [(r["page"], r["viewport"], m) for r in validated["axe"]["pages"] for m in r["console"]]
    assert not logged, logged[:20]


def test_no_page_scrolls_sideways_on_a_phone(validated):
    wide = [(r["page"], r["overflow"]) for r in validated["axe"]["pages"] if r["viewport"] == "phone" and r["overflow"]]
    assert not wide, wide


def test_nu_html_checker_finds_no_error_in_any_page_or_stylesheet(validated, record_testsuite_property):
    msgs = validated["vnu"]
    errors = [m for m in msgs if m["type"] in ("error", "non-document-error")]
    warnings = [m for m in msgs if m["type"] == "info" and m.get("subType") == "warning"]
    file_origin = [m for m in warnings if m["message"].startswith(VNU_FILE_ORIGIN_CSP)]
    other_warnings = [m for m in warnings if m not in file_origin]
    record_testsuite_property("vnu_files", len(validated["files"]))
    record_testsuite_property("vnu_errors", len(errors))
    record_testsuite_property("vnu_warnings", len(other_warnings))
    record_testsuite_property("vnu_file_origin_csp_notes", len(file_origin))
    record_testsuite_property("axe_vnu_seconds", validated["seconds"]["axe+vnu"])
    print(f"\nvnu: {len(validated['files'])} files, {len(errors)} errors, {len(other_warnings)} warnings "
          f"(+{len(file_origin)} notes that file: URLs are outside the CSP's 'self')")
    where = lambda m: f"{Path(m.get('url', '')).name}:{m.get('lastLine', '')}: {m['message']}"  # noqa: E731
    assert not errors, "\n".join(where(m) for m in errors[:40])
    assert not other_warnings, "\n".join(where(m) for m in other_warnings[:40])
    # every page was checked: vnu names each file it could not read as a non-document error
    assert Counter(m["type"] for m in msgs)["non-document-error"] == 0


def test_a_reader_walks_the_site_from_its_folder(published, record_testsuite_property):
    """Index → chapter → search → result → 別紙 → skip link → full text, over file://."""
    t0 = time.perf_counter()
    rc, result, err = run_node("site.mjs", str(published / "plan" / "html"))
    record_testsuite_property("e2e_site_seconds", round(time.perf_counter() - t0, 1))
    assert rc == 0 and not result.get("failed"), (result.get("failed") or err)[-3000:]
    names = [s["name"] for s in result["steps"]]
    assert names == ["open index", "go to a chapter", "search and follow a result", "follow a 別紙 link",
                     "skip link by keyboard", "full text in-page link", "search page with two words"]
    assert not result["console"]
