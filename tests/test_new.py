"""dgdocs new: a new plan with the standard structure of a 府省 plan, ready to be written.

Every unwritten part is a 【未記入】 placeholder that `check` reports as DG510 with its file
and line, so the plan builds at once as a draft and cannot be published until it is written.
The new plan's pages — and those of an imported plan — pass axe-core and the Nu Html Checker
like the shipped plan's.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from browser_tools import run_node, start_vnu, vnu_messages
from dgdocs import standard
from dgdocs.checks import run_checks
from dgdocs.cli import main
from dgdocs.load import load
from dgdocs.scaffold import ScaffoldError, scaffold

from conftest import ROOT


@pytest.fixture
def new_plan(tmp_path) -> Path:
    out = tmp_path / "meti"
    assert main(["new", str(out), "--org", "経済産業省", "--from", "2021", "--to", "2025"]) == 0
    return out


def test_the_standard_structure_is_written(new_plan):
    doc = load(new_plan)
    assert (doc.plan.title, doc.plan.organisation, doc.plan.period_from, doc.plan.period_to) == (
        "経済産業省デジタル・ガバメント中長期計画", "経済産業省", 2021, 2025)
    assert [ch.heading.text for ch in doc.chapters] == [f"{c.marker} {c.title}" for c in standard.CHAPTERS]
    sections = {s.id: s.heading.text for s in doc.sections()}
    assert sections["platform-policy"] == "(1) 経済産業省のプラットフォームの概況及び今後の方針"
    assert sections["online-principle"] == "ア. 行政手続のオンライン化実施の原則に係る情報システム整備"
    assert len(sections) == 7 + sum(len(c.sections) + sum(len(s.children) for s in c.sections) for c in standard.CHAPTERS)
    assert doc.kpi_lines == ()
    assert [(a.number, a.title, a.kind, len(a.groups)) for a in doc.appendices] == [
        (a.number, a.title, a.kind, 0) for a in standard.APPENDICES]
    roadmap = next(ch for ch in doc.chapters if ch.id == "roadmap").root.body
    assert "- 別紙5\u3000主な投資事項一覧" in roadmap
    for path in new_plan.rglob("*"):
        if path.is_file():
            assert "総務省" not in path.read_text("utf-8"), path


def test_check_lists_every_placeholder_with_its_file_and_line(new_plan, capsys):
    """Every finding is 未記入 (DG510), one per placeholder, and nothing else is wrong."""
    report = run_checks(load(new_plan))
    placeholders = []
    for path in sorted(new_plan.rglob("*.md")):
        for n, line in enumerate(path.read_text("utf-8").split("\n"), 1):
            if standard.PLACEHOLDER in line:
                placeholders.append((str(path.relative_to(new_plan)), n))
    found = {(f.loc.file, f.loc.line) for f in report.findings}
    assert {f.code for f in report.findings} == {"DG510"}
    assert all(f.severity == "error" and f.loc.line >= 1 for f in report.findings)
    assert set(placeholders) <= found
    assert {f"appendices/beppyo-{a.number}.yaml" for a in standard.APPENDICES} <= {f.loc.file for f in report.findings}
    assert any(f.loc.file == "plan.yaml" and "決定" in f.message for f in report.findings)
    assert len(report.findings) == len(placeholders) + len(standard.APPENDICES) + 1
    print(f"\ndgdocs new: {len(report.findings)} places 未記入 ({len(placeholders)} in the chapters, "
          f"{len(standard.APPENDICES)} appendices, plan.yaml)")
    capsys.readouterr()
    assert main(["--content", str(new_plan), "check"]) == 1
    out = capsys.readouterr().out
    assert "chapters/01-basics.md:5:1: error DG510: 未記入です：「【未記入】本計画の目的" in out


def test_a_new_plan_builds_as_a_draft_at_once_and_only_as_a_draft(new_plan, tmp_path):
    out = tmp_path / "build"
    assert main(["--content", str(new_plan), "build", "--html", "--data", "--out", str(out)]) == 1
    assert not (out / "html").exists()
    assert main(["--content", str(new_plan), "build", "--html", "--data", "--draft", "--out", str(out)]) == 0
    index = (out / "html" / "index.html").read_text("utf-8")
    assert "経済産業省デジタル・ガバメント中長期計画" in index and "案" in index
    assert (out / "html" / "beppyo-6.html").is_file()
    page = (out / "html" / "basics.html").read_text("utf-8")
    assert "【未記入】本計画の目的" in page


@pytest.mark.pdf
def test_a_new_plan_builds_its_pdfs_as_a_draft(new_plan, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "build"
    assert main(["--content", str(new_plan), "build", "--pdf", "--draft", "--out", str(out)]) == 0
    text = "".join(page.extract_text() for page in PdfReader(out / "pdf" / "honbun.pdf").pages)
    assert "経済産業省デジタル・ガバメント中長期計画" in text.replace("\n", "")
    assert (out / "pdf" / "beppyo-1.pdf").is_file() and (out / "pdf" / "ikkatsu.pdf").is_file()


def test_nothing_is_written_into_a_directory_that_is_not_empty(tmp_path, capsys):
    out = tmp_path / "plan"
    out.mkdir()
    (out / "draft.md").write_text("書きかけ", "utf-8")
    assert main(["new", str(out), "--org", "経済産業省"]) == 2
    assert "空ではありません" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["draft.md"]
    assert main(["new", str(out), "--org", "経済産業省", "--force"]) == 0
    assert (out / "plan.yaml").is_file() and not (out / "draft.md").exists()


def test_options_and_their_errors(tmp_path, capsys):
    files = scaffold("デジタル庁", title="デジタル庁の計画", period_from=2022, period_to=2026,
                     decided=datetime.date(2022, 6, 1))
    assert "title: デジタル庁の計画" in files["plan.yaml"] and "date: 2022-06-01" in files["plan.yaml"]
    assert "summary" not in files["plan.yaml"]  # the date was given; only the body is 未記入
    with pytest.raises(ScaffoldError, match="計画期間"):
        scaffold("経済産業省", period_from=2025, period_to=2021)
    with pytest.raises(ScaffoldError, match="--org"):
        scaffold("")
    assert main(["new", str(tmp_path / "x"), "--org", "経済産業省", "--from", "2025", "--to", "2021"]) == 2
    assert "計画期間" in capsys.readouterr().err and not (tmp_path / "x").exists()


def test_no_organisation_is_written_into_the_new_and_import_code():
    """The standard structure, the scaffold and the importer name no ministry."""
    for path in [ROOT / "dgdocs" / "standard.py", ROOT / "dgdocs" / "scaffold.py", ROOT / "dgdocs" / "contentdir.py",
                 *sorted((ROOT / "dgdocs" / "importer").glob("*.py")), ROOT / "dgdocs" / "checks" / "placeholders.py"]:
        text = path.read_text("utf-8")
        for org in ("総務省", "架空省"):  # (経済産業省 appears only as the example of --org)
            assert org not in text, (path, org)


# ------------------------------------------------------------------ validators

@pytest.fixture(scope="module")
def adopted_sites(tmp_path_factory) -> dict[str, Path]:
    """The HTML of a new plan (経済産業省) and of an imported fictional plan (架空省)."""
    root = tmp_path_factory.mktemp("adopted")
    assert main(["new", str(root / "meti"), "--org", "経済産業省", "--from", "2021", "--to", "2025"]) == 0
    with open(root / "meti" / "plan.yaml", "a", encoding="utf-8") as fh:  # the ministry's own colours
        fh.write('theme:\n  accent: "#1d5c2e"\n  accent_bg: "#eaf4ec"\n')
    kakuu = Path(__file__).parent / "fixtures" / "import" / "kakuu-shou.txt"
    assert main(["import", str(kakuu), "--out", str(root / "kakuu")]) == 0
    for name in ("meti", "kakuu"):
        assert main(["--content", str(root / name), "build", "--html", "--draft", "--out", str(root / f"{name}-build")]) == 0
    return {name: root / f"{name}-build" / "html" for name in ("meti", "kakuu")}


def test_the_new_site_carries_the_new_organisations_name_and_colours_and_none_of_ours(adopted_sites):
    html = adopted_sites["meti"]
    assert (html / "assets" / "theme.css").read_text() == ":root { --accent: #1d5c2e; --accent-bg: #eaf4ec; }\n"
    for path in html.rglob("*"):
        if path.is_file():
            assert "総務省".encode() not in path.read_bytes(), path
    assert "経済産業省" in (html / "index.html").read_text("utf-8")


def test_the_adopted_sites_pass_axe_and_the_nu_html_checker(adopted_sites):
    pages = {name: sorted(p.name for p in html.glob("*.html")) for name, html in adopted_sites.items()}
    vnu = start_vnu([html / p for name, html in adopted_sites.items() for p in pages[name]])
    violations = []
    for name, html in adopted_sites.items():
        rc, axe, err = run_node("axe.mjs", str(html), *pages[name])
        assert rc == 0, err[-3000:]
        assert len(axe["pages"]) == 2 * len(pages[name])
        violations += [(name, r["page"], r["viewport"], v["id"], v["help"]) for r in axe["pages"] for v in r["violations"]]
        assert not [m for r in axe["pages"] for m in r["console"]]
    messages = vnu_messages(vnu)
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    print(f"\nadopted sites: {sum(map(len, pages.values()))} pages, axe {len(violations)} violations, vnu {len(errors)} errors")
    assert not violations, violations[:20]
    assert not errors, json.dumps(errors[:10], ensure_ascii=False)
