"""The plan laid out chapter by chapter, in parallel (issue 17), is the plan a single layout
gives: the same pages, TOC numbers, bookmarks, heading pages, footnotes and folios — read
back from both PDFs — and an edit of one chapter lays out that chapter only."""

from __future__ import annotations

import io
import re
import shutil

import pikepdf
import pytest

from dgdocs.render.pdf import ALL_PDF, PLAN_PDF, PdfRun, single_plan_job
from dgdocs.render.pdfwriter import render_job

import pdfread

pytestmark = pytest.mark.pdf

MM = 72 / 25.4


@pytest.fixture(scope="module")
def single(doc):
    """The plan as one WeasyPrint document (print/plan.html: target-counter TOC, counter(page) folios)."""
    warnings: list[str] = []
    laid = render_job(single_plan_job(doc), str(doc.root), warnings)
    assert not warnings
    return laid.data


def _bookmarks(data: bytes) -> list[tuple[int, str, int]]:
    pdf = pikepdf.open(io.BytesIO(data))
    index = {pg.obj.objgen: i for i, pg in enumerate(pdf.pages)}
    out = []
    with pdf.open_outline() as outline:
        def walk(items, depth):
            for item in items:
                dest = item.destination
                out.append((depth, str(item.title), index.get(dest[0].objgen, -1) if isinstance(dest, pikepdf.Array) else -2))
                walk(item.children, depth + 1)
        walk(outline.root, 1)
    return out


def _toc_numbers(data: bytes) -> list[tuple[str, str]]:
    """(entry, printed page number) of every TOC line, as a reader sees them."""
    out = []
    for page in pdfread.pages(data)[1:4]:
        for line in page.lines:
            m = re.match(r"^(.*?)[.…・\s]*?(\d+|別紙\d-1|KPI一覧-1)$", line.text)
            if m and "." in line.text:
                out.append((m.group(1).rstrip("."), m.group(2)))
    return out


def test_the_plan_laid_out_by_chapter_equals_the_single_layout(doc, official_pdfs, single):
    parallel = official_pdfs[PLAN_PDF]
    a, b = pdfread.pages(single), pdfread.pages(parallel)
    assert len(a) == len(b) > 30
    # every TOC page number
    toc = _toc_numbers(single)
    assert len(toc) > 60 and _toc_numbers(parallel) == toc
    # every bookmark (level, title, page)
    assert _bookmarks(parallel) == _bookmarks(single)
    # every heading's page (its named destination)
    heads = {s.id for s in doc.sections()}
    da, db = pdfread.destinations(single), pdfread.destinations(parallel)
    assert heads <= set(da) and {k: da[k] for k in heads} == {k: db[k] for k in heads}
    assert da == db
    # footnotes: the calls and notes on each page, and the folio of every page
    for pa, pb in zip(a, b):
        ta, tb = pdfread.page_text(pa), pdfread.page_text(pb)
        assert re.findall(r"（注\d+）|注\d+", ta) == re.findall(r"（注\d+）|注\d+", tb), pa.index
        foot = lambda p: [l.text for l in p.lines if l.y0 > p.height - 20 * MM]
        assert foot(pa) == foot(pb), pa.index
    assert any("（注1）" in pdfread.page_text(p) for p in b)
    # and every line of text where the single layout sets it
    for pa, pb in zip(a, b):
        la = [(l.text, round(l.x0, 1), round(l.y0, 1)) for l in pa.lines]
        lb = [(l.text, round(l.x0, 1), round(l.y0, 1)) for l in pb.lines]
        assert la == lb, f"page {pa.index + 1}"


def test_the_folios_are_pagination_artifacts_and_the_plan_has_one_font_per_face(official_pdfs):
    for name in (PLAN_PDF, ALL_PDF):
        pdf = pikepdf.open(io.BytesIO(official_pdfs[name]))
        faces: dict[str, set] = {}
        for page in pdf.pages:
            for font in page.obj.Resources.get("/Font", {}).values():
                faces.setdefault(str(font.BaseFont), set()).add(font.objgen)
        assert faces and all(len(v) == 1 for v in faces.values()), (name, faces)
    plan = pikepdf.open(io.BytesIO(official_pdfs[PLAN_PDF]))

    def content(page) -> bytes:
        c = page.obj.Contents
        return b"".join(s.read_bytes() for s in (c if isinstance(c, pikepdf.Array) else [c]))
    stamped = [i for i, page in enumerate(plan.pages)
               if re.search(rb"/Artifact <</Type /Pagination /Subtype /Footer>> BDC /DgFolio\d+ Do EMC", content(page))]
    assert stamped == list(range(4, len(plan.pages)))  # every page after the cover, 目次 and 決定・改定の経緯


def _build(doc, previous=None):
    reused: list[str] = []
    run = PdfRun(doc, previous=previous, reused=reused)
    out = run.result()
    assert not run.warnings
    return out, run.scheduler.reused


def test_an_edit_of_one_chapter_lays_out_that_chapter_and_puts_the_pdfs_together(doc, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # the PDFs' date: the plan's latest revision
    from dgdocs.build import publish
    from dgdocs.load import load
    first, _ = _build(doc)
    publish({"pdf": first}, tmp_path / "build")
    content = shutil.copytree(doc.root, tmp_path / "content")
    chapter = content / "chapters" / "03-infrastructure.md"
    text = chapter.read_text("utf-8")
    sentence = next(s for s in re.findall(r"[^。\n]{20,}。", text) if "{{" not in s and "[^" not in s)
    chapter.write_text(text.replace(sentence, sentence[:-1] + "（試しに加えた文）。", 1), "utf-8")
    edited = load(content)
    again, reused = _build(edited, tmp_path / "build" / "pdf")
    jobs = {k for k in again if k.endswith(".pdf")}
    assert f"{PLAN_PDF}#infrastructure" not in reused
    others = {f"{PLAN_PDF}#{ch.id}" for ch in edited.chapters if ch.id != "infrastructure"}
    assert others <= reused
    assert {f"beppyo-{a.number}.pdf" for a in edited.appendices} | {"kpi-ichiran.pdf"} <= reused
    assert PLAN_PDF not in reused and ALL_PDF not in reused and jobs
    # nothing changed: everything is taken from the build before
    publish({"pdf": again}, tmp_path / "build")
    _, reused = _build(edited, tmp_path / "build" / "pdf")
    assert PLAN_PDF in reused and ALL_PDF in reused and f"{PLAN_PDF}#infrastructure" in reused
    assert f"{PLAN_PDF}#folio-sample" in reused
    # another date of the latest revision: every PDF's date (its fonts carry it), the folio sample's too
    plan = content / "plan.yaml"
    plan.write_text(plan.read_text("utf-8").replace("date: 2020-03-31", "date: 2020-04-01", 1), "utf-8")
    _, reused = _build(load(content), tmp_path / "build" / "pdf")
    assert f"{PLAN_PDF}#folio-sample" not in reused and f"{PLAN_PDF}#infrastructure" not in reused


def test_the_site_rendered_while_the_pdfs_are_laid_out_says_their_sizes_and_pages(mini):
    """The site is rendered while the workers make the PDFs, each PDF link's 「PDF 502KB・39ページ」
    filled in after: the same pages as a site rendered from the finished PDFs."""
    from dgdocs.build import build
    from dgdocs.load import load
    from dgdocs.render.html import render_site
    from dgdocs.render.pagemeta import pdf_facts
    doc = load(mini)
    result = build(mini, ["html", "pdf"], doc=doc)
    pdfs = {k: v for k, v in result.outputs["pdf"].items() if not k.startswith(".")}
    assert result.outputs["html"] == render_site(doc, pdf_facts=pdf_facts(pdfs))
    index = result.outputs["html"]["index.html"].decode("utf-8")
    assert "\ue000" not in index and re.search(r"PDF \d+KB・\d+ページ", index)


def test_the_pdfs_put_together_have_one_structure_tree(official_pdfs, single):
    """Every structure element of the plan and of 一括版 leads, parent by parent, to the file's
    own StructTreeRoot, as in the single layout — the page-margin elements too (WeasyPrint
    keeps them out of the tree, under the Document element).  The parts' own roots, and the
    parent trees they hold, were once copied along with those elements."""
    for name, data in ((PLAN_PDF, official_pdfs[PLAN_PDF]), (ALL_PDF, official_pdfs[ALL_PDF]), ("single", single)):
        pdf = pikepdf.open(io.BytesIO(data))
        root = pdf.Root.StructTreeRoot.objgen
        kinds = [o.get("/Type") for o in pdf.objects if isinstance(o, pikepdf.Dictionary)]
        assert kinds.count(pikepdf.Name.StructTreeRoot) == 1, name
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.StructElem:
                up, steps = obj, 0
                while up.get("/Type") == pikepdf.Name.StructElem and steps < 64:
                    up, steps = up.P, steps + 1
                assert up.objgen == root, (name, obj.objgen)
