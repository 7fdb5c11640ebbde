"""Fidelity to the source: the built site carries the whole plan, and the errata explain
every place where it departs from the extracted seed text."""

from __future__ import annotations

import html as htmllib
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest

from dgdocs.render.html import render_site

from conftest import SEED

TOC_LINES = range(11, 52)  # the seed's table of contents (generated from the headings on the site)


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def html_text(page: str) -> str:
    """The text a reader gets from a page: tags removed, entities decoded, <ol> numbers kept."""
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    page = re.sub(r'<sup class="fnref">.*?</sup>', "", page)  # footnote marks, like the seed's <sup>

    def number_items(m):
        n = 0

        def item(_):
            nonlocal n
            n += 1
            return f"<li>{n}. "
        return re.sub(r"<li[^>]*>", item, m.group(0))
    page = re.sub(r"<ol[^>]*>.*?</ol>", number_items, page, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", page))


def seed_fragments(doc) -> list[tuple[int, str]]:
    """(seed line, normalised sentence) of the seed, with the errata applied to their lines."""
    lines = SEED.read_text("utf-8").split("\n")
    errata = doc.errata
    for e in errata.entries:
        if "\n" not in e.seed:
            i = e.seed_line - 1
            assert e.seed in lines[i], f"{e.id}: {e.seed!r} is not on seed line {e.seed_line}"
            lines[i] = lines[i].replace(e.seed, e.corrected)
    out = []
    for n, line in enumerate(lines, 1):
        if n in TOC_LINES:
            continue
        text = re.sub(r"<sup>\d+</sup>|\[\^\d+\]:?", "", line)  # footnote marks are markup
        text = re.sub(r"^\s*(#+\s*)?(- )?(・\s*)?", "", text)
        text = text.replace("**", "").replace("*", "")
        if text.strip() in ("", "---"):
            continue
        for sentence in re.split(r"(?<=。)", text):
            if norm(sentence):
                out.append((n, norm(sentence)))
    return out


@pytest.fixture(scope="module")
def site_text(doc):
    """The text of the plan's own pages: the index (cover) and the chapter pages.

    Not the errata page (it quotes the seed) nor the appendices (they quote the chapters).
    """
    pages = render_site(doc)
    plan_pages = ["index.html"] + [f"{ch.id}.html" for ch in doc.chapters]
    return norm("".join(html_text(pages[name].decode("utf-8")) for name in plan_pages))


def test_at_most_half_a_percent_of_the_seed_is_absent(doc, site_text):
    fragments = seed_fragments(doc)
    absent = [(n, s) for n, s in fragments if s not in site_text]
    report = "\n".join(f"  seed:{n}: {s}" for n, s in absent)
    print(f"{len(fragments)} sentences, {len(absent)} absent\n{report}")
    assert len(fragments) > 600
    assert len(absent) <= 0.005 * len(fragments), report


def test_every_erratum_quotes_the_seed_and_our_text(doc, site_text):
    seed = norm(SEED.read_text("utf-8"))
    for e in doc.errata.entries:
        assert norm(e.seed.replace("<sup>", "").replace("</sup>", "")).replace("*", "") in seed.replace("*", "").replace("<sup>", "").replace("</sup>", ""), e.id
        shown = norm(re.sub(r"\[\^(\d+)\]:?", "", e.corrected))
        assert shown in site_text, f"{e.id}: corrected text {e.corrected!r} is not on the site"


def test_errata_rules_name_real_seed_lines(doc):
    count = len(SEED.read_text("utf-8").split("\n"))
    for rule in doc.errata.rules:
        assert rule.seed_lines and all(1 <= n <= count for n in rule.seed_lines), rule.id
    spaces = next(r for r in doc.errata.rules if r.id == "R1")
    lines = SEED.read_text("utf-8").split("\n")
    # every line the spacing rule names had a space next to a Japanese character
    jp = r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]"
    assert all(re.search(rf"{jp} | {jp}", lines[n - 1]) or re.search(r"\d, \d|\d %", lines[n - 1])
               for n in spaces.seed_lines)


def test_extraction_errors_are_gone_from_the_site(site_text):
    for wrong in ["ワンソニー", "й", "д"]:
        assert norm(wrong) not in site_text
    assert "(7)利用者が享受" not in site_text and "(ア)利用者が享受する具体的なベネフィット" in site_text


# ----------------------------------------------------------------- the source text is the project's own

#: what the repository's own files are: those git tracks (a fresh clone's), without installed
#: packages (tests/e2e/node_modules/ comes from `npm ci`, .venv/ from pip; neither is tracked)
_NOT_OURS = ("node_modules", ".venv", "build", ".cache", "__pycache__", ".git")
#: the files that run (tests, the package, build files, the e2e scripts): their relative paths
#: are paths of this machine; in the documents and templates they are links of the site
_CODE = (".py", ".mjs", ".js", ".sh", ".toml", ".cfg")
_DOCS = (".md", ".html", ".css", ".json", ".yaml", ".yml", ".txt")


def _our_files(root: Path) -> list[Path]:
    try:
        listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], capture_output=True, check=True).stdout
        files = [root / f for f in listed.decode("utf-8").split("\0") if f]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout (an unpacked archive)
        files = [p for p in root.rglob("*") if p.is_file()]
    return [p for p in files if not set(p.relative_to(root).parts) & set(_NOT_OURS) and p.is_file()
            and (p.suffix in _CODE + _DOCS or p.name in ("Makefile", "run"))]


#: a relative path that starts a literal (not one in the middle of a path: {STATIC}/../x)
_RELATIVE = re.compile(r"(?<![\w.}/])((?:\.\./)+[\w.-][\w./-]*)")
#: the folders beside the repository in the workplace (its copy of the plan, its tools):
#: a fresh clone has neither
_BESIDE = ("shared", ".library")
_WORKPLACE = re.compile(r"\.\./(?:" + "|".join(re.escape(name) for name in _BESIDE) + r")\b")


def _leaves(path: Path, line: str, root: Path) -> list[str]:
    """The relative paths of *line* (in the file *path*) that lead out of *root*: not the
    traversal probes the security tests feed the product (…/etc/passwd, a file of every
    machine, never a neighbour of the repository), nor a line marked ``# outside:`` with why."""
    if "# outside:" in line:
        return []
    return [m.group(1) for m in _RELATIVE.finditer(line) if not m.group(1).endswith("etc/passwd")
            and not (path.parent / m.group(1)).resolve().is_relative_to(root)]


def test_the_source_text_lives_in_the_repository_and_no_test_reads_outside_it():
    """The errata cite lines of the extracted text: it is kept in content/source/, and no file of
    the repository names a folder beside it (the workplace's, _BESIDE), and no file that runs — test,
    package, build file, CI script, e2e script — names a relative path that leads out of the
    repository, resolved from the file's own folder.  Installed packages (node_modules/) are
    not the repository's: npm installs them from the committed lock file."""
    from conftest import ROOT

    root = ROOT.resolve()
    assert SEED.resolve().is_relative_to(root) and SEED.is_file()
    offenders = []
    files = _our_files(root)
    for path in files:
        if path.resolve() == Path(__file__).resolve():
            continue
        runs = path.suffix in _CODE or path.name in ("Makefile", "run")
        for n, line in enumerate(path.read_text("utf-8", errors="replace").split("\n"), 1):
            if _WORKPLACE.search(line) or (runs and _leaves(path, line, root)):
                offenders.append(f"{path.relative_to(root)}:{n}: {line.strip()[:120]}")
    assert offenders == []
    assert any(p.suffix == ".mjs" for p in files) and not any("node_modules" in p.parts for p in files)


def test_the_guard_finds_a_path_that_leads_out_of_the_repository(tmp_path):
    """The check above on files of its own: a path out of the folder is found; one that stays
    inside (as a package's import of its own sibling folder, in node_modules/), a probe of
    /etc/passwd and a marked line are not."""
    (tmp_path / "a" / "b").mkdir(parents=True)
    here = tmp_path / "a" / "b" / "x.mjs"
    lines = {"import {Util} from '../common/util.js';": [],
             "const seed = '../../../beside/seed/000.txt';": ["../../../beside/seed/000.txt"],
             "seed: ../../../../etc/passwd": [],
             "href = '../../../pdf/x.pdf'  # outside: a link of the site": [],
             "f'{STATIC}/../../../x'": []}
    assert {line: _leaves(here, line, tmp_path) for line in lines} == lines
    shared, library = (f"../{name}" for name in _BESIDE)
    assert _WORKPLACE.search(f"設計は `{shared}/DESIGN.md` にあります") and _WORKPLACE.search(f"{library}/search")
    assert not _WORKPLACE.search("tests/shared_views.py")


def test_the_errata_page_links_every_cited_line_of_the_source_text(doc):
    site_outputs = render_site(doc)
    errata = site_outputs["errata.html"].decode()
    source = site_outputs["source.html"].decode()
    assert doc.errata.source_lines == tuple(SEED.read_text("utf-8").split("\n"))
    cited = {e.seed_line for e in doc.errata.entries} | {n for r in doc.errata.rules for n in r.seed_lines}
    for n in cited:
        assert f'href="source.html#L{n}"' in errata
        assert f'<li id="L{n}" value="{n}">' in source
    line = doc.errata.entries[0]
    assert htmllib.escape(SEED.read_text("utf-8").split("\n")[line.seed_line - 1], quote=True) in source
    assert '<a href="source.html">' + doc.errata.seed + "</a>" in errata
