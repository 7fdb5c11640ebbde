"""The official PDFs (make pdf): the plan, each 別紙, the KPI一覧 and all in one.

Built once per session from the shipped content and read back with pikepdf/pypdf:
table-of-contents page numbers, fonts, metadata, tags, bookmarks, determinism, and the
URL fetcher's confinement.
"""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from dgdocs.checks.text import text_units
from dgdocs.render.html import toc_entries
from dgdocs.render.common import Addresses
from dgdocs.render.pdf import ALL_PDF, KPI_PDF, PLAN_PDF, PdfError, appendix_pdf, make_fetcher, render_pdfs, STATIC
from weasylogs import NoLogsPool, WeasyPrintLogged, assert_no_logs, capture_logs

pytestmark = pytest.mark.pdf

INTENDED_FONTS = {"BIZ-UDMincho", "BIZ-UDGothic", "BIZ-UDGothic-Bold"}


@pytest.fixture(scope="module")
def pdfs(official_pdfs):
    return official_pdfs


def pdf(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def page_texts(data: bytes) -> list[str]:
    return [re.sub(r"\s+", "", p.extract_text() or "") for p in PdfReader(io.BytesIO(data)).pages]


def names(data: bytes) -> dict[str, int]:
    """Named destination → 0-based page index."""
    p = pdf(data)
    index = {pg.obj.objgen: i for i, pg in enumerate(p.pages)}
    return {name: index[dest[0].objgen] for name, dest in pikepdf.NameTree(p.Root.Names.Dests).items()}


def test_every_pdf_is_made(doc, pdfs):
    expected = {PLAN_PDF, KPI_PDF, ALL_PDF} | {appendix_pdf(a.number) for a in doc.appendices}
    assert expected <= set(pdfs)
    counts = {}
    for name in sorted(expected):
        p = pdf(pdfs[name])
        counts[name] = len(p.pages)
    assert counts[ALL_PDF] == sum(v for k, v in counts.items() if k != ALL_PDF)
    assert counts[PLAN_PDF] > 30


def test_plan_pages_are_a4_portrait_and_appendices_landscape(doc, pdfs):
    p = pdf(pdfs[PLAN_PDF])
    assert all([round(float(x)) for x in page.mediabox[2:]] == [595, 842] for page in p.pages)
    for name in [appendix_pdf(a.number) for a in doc.appendices] + [KPI_PDF]:
        p = pdf(pdfs[name])
        assert all([round(float(x)) for x in page.mediabox[2:]] == [842, 595] for page in p.pages), name


def test_table_of_contents_page_numbers_are_where_the_headings_land(doc, pdfs):
    data = pdfs[PLAN_PDF]
    texts = [unicodedata.normalize("NFKC", t) for t in page_texts(data)]
    dests = names(data)
    first_chapter = dests[doc.chapters[0].id]
    head = unicodedata.normalize("NFKC", doc.plan.title + "目次")
    # the TOC pages, without their running head and page number
    toc = "".join(t.replace(head, "").removesuffix(str(i + 1)) for i, t in enumerate(texts[1:first_chapter], 1))
    entries = toc_entries(doc, Addresses(doc, local={ch.id for ch in doc.chapters}))
    labels = [re.sub(r"\s+", "", unicodedata.normalize("NFKC", e["text"])) for e in entries]
    checked = 0
    for i, e in enumerate(entries):
        after = re.escape(labels[i + 1]) if i + 1 < len(labels) else "決定・改定の経緯"  # then the history and the annex
        m = re.search(re.escape(labels[i]) + r"\.*(\d+)(?=" + after + ")", toc)
        assert m, f"TOC entry {e['text']!r} not found"
        printed = int(m.group(1))
        actual = dests[e["href"].lstrip("#")] + 1  # page numbers count from the cover (page 1)
        assert printed == actual, f"{e['text']}: TOC says {printed}, heading is on page {actual}"
        toc = toc[m.end():]
        checked += 1
    assert checked == len(entries) > 60


def test_only_the_intended_fonts_are_embedded(pdfs):
    for name, data in pdfs.items():
        if not name.endswith(".pdf"):
            continue
        fonts = set()
        p = pdf(data)
        for page in p.pages:
            for font in page.obj.Resources.get("/Font", {}).values():
                fonts.add(str(font.BaseFont).split("+", 1)[-1].lstrip("/"))
        assert fonts and fonts <= INTENDED_FONTS, f"{name}: {fonts - INTENDED_FONTS}"


def _font_file(pattern: str) -> str:
    return subprocess.run(["fc-match", "-f", "%{file}", pattern], check=True, capture_output=True, text=True).stdout


def test_every_character_of_the_content_has_a_glyph(doc):
    chars = set()
    for unit in text_units(doc):
        chars |= set(unit.text)
    for ch in doc.chapters:
        chars |= set(ch.source)
    chars = {c for c in chars if not unicodedata.category(c).startswith(("C", "Z"))}
    assert len(chars) > 800
    for pattern in ("BIZ UDMincho", "BIZ UDGothic", "BIZ UDGothic:bold"):
        path = _font_file(pattern)
        assert "BIZUD" in path, f"{pattern} resolves to {path}: the BIZ UD fonts are not installed"
        cmap = TTFont(path, lazy=True)["cmap"].getBestCmap()
        missing = sorted(c for c in chars if ord(c) not in cmap)
        assert not missing, f"{path} has no glyph for {''.join(missing)}"


def test_metadata_language_title_and_tags(doc, pdfs):
    for name, data in pdfs.items():
        if not name.endswith(".pdf") or name.startswith("."):  # .parts/: the jobs' own PDFs, not published
            continue
        p = pdf(data)
        info = p.docinfo
        assert str(info.Title).startswith(doc.plan.title), name
        assert str(info.Author) == "総務省" and str(info.Subject), name
        assert str(p.Root.Lang) == "ja", name
        assert bool(p.Root.ViewerPreferences.DisplayDocTitle), name  # title shown as the window title
        assert bool(p.Root.MarkInfo.Marked) and "/StructTreeRoot" in p.Root, name
        xmp = p.Root.Metadata.read_bytes().decode("utf-8")
        assert "pdfuaid:part" in xmp and doc.plan.title in xmp, name
        assert "/EmbeddedFiles" not in p.Root.get("/Names", {}), name  # no attachments, ever
        for page in p.pages:
            assert "/StructParents" in page.obj, name
            for annot in page.obj.get("/Annots", []):
                assert annot.Subtype != pikepdf.Name.FileAttachment, name
                action = annot.get("/A")
                if action is not None and "/URI" in action:
                    assert not str(action.URI).startswith("file:"), f"{name}: local path in a link"


def test_combined_pdf_keeps_every_parts_tags(pdfs):
    p = pdf(pdfs[ALL_PDF])
    tree = p.Root.StructTreeRoot
    nums = list(tree.ParentTree.Nums)
    keys = {int(nums[i]) for i in range(0, len(nums), 2)}
    for page in p.pages:
        assert int(page.obj.StructParents) in keys
        for annot in page.obj.get("/Annots", []):
            if "/StructParent" in annot:
                assert int(annot.StructParent) in keys
    assert len(keys) == len(nums) // 2  # no key used twice
    assert str(p.docinfo.Title).endswith("（本文・別紙・KPI一覧）")


def _outline(data: bytes) -> list[tuple[int, str]]:
    out = []
    p = pdf(data)
    with p.open_outline() as outline:
        def walk(items, depth):
            for item in items:
                out.append((depth, str(item.title)))
                walk(item.children, depth + 1)
        walk(outline.root, 1)
    return out


def test_bookmarks_down_to_the_third_level(doc, pdfs):
    got = _outline(pdfs[PLAN_PDF])
    expected = [(s.heading.level, s.heading.text) for s in doc.sections() if s.heading.level <= 3]
    front = ("目次", "決定・改定の経緯")
    assert [t for _, t in got if t not in front] == [t for _, t in expected]
    assert [d for d, t in got if t not in front] == [d for d, _ in expected]


def test_combined_bookmarks_have_one_entry_per_part(doc, pdfs):
    top = [t for d, t in _outline(pdfs[ALL_PDF]) if d == 1]
    assert top[0].startswith("本文") and top[-1] == "KPI一覧"
    assert top[1:-1] == [f"{a.label}　{a.title}" for a in doc.appendices]


def _heading_levels(p: pikepdf.Pdf) -> list[int]:
    levels = []

    def walk(elem):
        if not isinstance(elem, pikepdf.Dictionary):
            return
        s = str(elem.get("/S", ""))
        if re.fullmatch(r"/H[1-6]", s):
            levels.append(int(s[2]))
        kids = elem.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
            walk(kid)

    walk(p.Root.StructTreeRoot)
    return levels


def test_heading_levels_have_no_skips(pdfs):
    for name in (PLAN_PDF, ALL_PDF):
        p = pdf(pdfs[name])
        levels = _heading_levels(p)
        assert levels and levels[0] == 1
        for a, b in zip(levels, levels[1:]):
            assert b <= a + 1, f"{name}: H{a} followed by H{b}"


def test_links_between_the_pdfs_are_relative(pdfs):
    p = pdf(pdfs[PLAN_PDF])
    targets = set()
    for page in p.pages:
        for annot in page.obj.get("/Annots", []):
            action = annot.get("/A")
            if action is not None and action.get("/S") == pikepdf.Name.GoToR:
                targets.add(str(action.F))
    assert targets and all(re.fullmatch(r"beppyo-\d\.pdf|kpi-ichiran\.pdf", t) for t in targets)
    combined = pdf(pdfs[ALL_PDF])
    for page in combined.pages:
        for annot in page.obj.get("/Annots", []):
            action = annot.get("/A")
            assert action is None or action.get("/S") != pikepdf.Name.GoToR  # all inside now


def test_no_pdf_names_a_path_of_the_machine_that_built_it(pdfs):
    """A published PDF reveals nothing of the build machine, and a CI clone builds the same
    bytes as a developer's checkout: no absolute path, no file: URL, anywhere in any object
    (WeasyPrint repeats a link's URI in the annotation's /Contents)."""
    import io

    from conftest import ROOT
    for name, data in pdfs.items():
        if not name.endswith(".pdf"):
            continue
        plain = io.BytesIO()
        with pikepdf.open(io.BytesIO(data)) as p:
            p.save(plain, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
        raw = plain.getvalue()
        for needle in (str(ROOT).encode(), b"file:", str(ROOT).encode("utf-16-be")):
            assert needle not in raw, (name, needle)


def test_the_same_sources_give_byte_identical_pdfs(mini):
    from dgdocs.load import load
    doc = load(mini)
    warnings: list[str] = []
    a = render_pdfs(doc, warnings=warnings)
    b = render_pdfs(doc, warnings=warnings)
    assert a == b
    assert not warnings


def test_an_unchanged_pdf_is_reused(mini, tmp_path):
    from dgdocs.load import load
    from dgdocs.build import publish
    doc = load(mini)
    first = render_pdfs(doc)
    publish({"pdf": first}, tmp_path)
    reused: list[str] = []
    again = render_pdfs(doc, previous=tmp_path / "pdf", reused=reused)
    assert again == first and set(reused) == {n for n in first if n.endswith(".pdf")}


def test_a_draft_says_an_on_every_page(mini):
    from dgdocs.load import load
    out = render_pdfs(load(mini), banner="案")
    for name, data in out.items():
        if name.endswith(".pdf") and not name.startswith("."):
            assert all("案" in t for t in page_texts(data)), name


def test_fetcher_serves_the_project_and_refuses_everything_else(tmp_path):
    fetcher = make_fetcher((STATIC.resolve(), tmp_path.resolve()))
    response = fetcher.fetch(f"file://{STATIC / 'print.css'}")
    assert b"@page" in response.read()
    for url in ("file:///etc/passwd", "https://example.com/x.png", "http://127.0.0.1/", f"file://{STATIC}/../../pyproject.toml"):
        with pytest.raises(PermissionError):
            fetcher.fetch(url)


def test_an_image_outside_the_project_is_a_finding_of_check_and_never_read_by_the_pdf(make_content):
    """A 図 whose path leads out of content/ is reported by `check` at the chapter's line (DG504),
    not by the renderer; a draft PDF still builds, showing the figure's text in a frame, and
    WeasyPrint is never handed the path (the fetcher would refuse it anyway)."""
    from dgdocs.checks import run_checks
    from dgdocs.load import load
    root = make_content("""
    -- chapters/02.md --
    # II. 取組 {#work}

    ## (1) オンライン化 {#online}

    詳細は別紙1を参照。

    ### ア. 手続 {#procedures}

    2021年度から2022年度にかけて改修し、2022年10月に運用を開始する[^1]。

    ![秘密のファイル](../../../../../../../../etc/passwd "外の画像")

    [^1]: 脚注の文。
    """)
    doc = load(root)
    found = [f for f in run_checks(doc).findings if f.code == "DG504"]
    assert [(f.loc.file, f.loc.line) for f in found] == [("chapters/02.md", 11)]
    assert "content/ の外" in found[0].message
    from dgdocs.render.pdf import print_jobs
    plan = next(j for j in print_jobs(doc) if j.name == PLAN_PDF)
    assert "etc/passwd" not in plan.html
    assert 'class="figure-missing"' in plan.html and "<img" not in plan.html.split('class="chapter"', 1)[1]
    pdfs = render_pdfs(doc)
    assert pdfs[PLAN_PDF].startswith(b"%PDF")


# ------------------------------------------------------------ WeasyPrint's logs

def test_the_log_capture_sees_what_weasyprint_says():
    import weasyprint
    with capture_logs() as logs:
        weasyprint.HTML(string="<p style='colour: red; page-break-inside: sideways'>x</p>").render()
    assert logs and all(m.startswith(("warning:", "error:")) for m in logs), logs
    with capture_logs() as quiet:
        weasyprint.HTML(string="<p>x</p>").render()
    assert quiet == []


def test_a_pdf_job_that_makes_weasyprint_warn_fails_in_its_worker(doc):
    from dgdocs.render.pdf import render_one
    from dgdocs.render.pdfwriter import PrintJob
    job = PrintJob("x.pdf", "x", "x", "<p style='colour: red'>x</p>", 0)
    pool = NoLogsPool(1)
    try:
        with pytest.raises(WeasyPrintLogged, match="colour"):
            pool.submit(render_one, (job, doc.root)).result()
    finally:
        pool.shutdown()


@assert_no_logs
def test_a_plain_print_job_renders_without_a_word_from_weasyprint(doc):
    from dgdocs.render.pdf import render_pdf
    from dgdocs.render.pdfwriter import PrintJob
    assert render_pdf(PrintJob("x.pdf", "x", "x", "<html lang=\"ja\"><title>x</title><p>計画</p></html>", 0), doc.root).startswith(b"%PDF")
