"""The official PDFs as a typesetter reviews them (issue 12), read back from the PDFs themselves:
links, captions, notes, folios, footnotes, 両端揃え, 禁則 and 約物."""

from __future__ import annotations

import re

import pytest

from dgdocs.render import justify
from dgdocs.render.pdf import ALL_PDF, KPI_PDF, PLAN_PDF, appendix_pdf

import pdfread
from conftest import without_phrase_breaks

pytestmark = pytest.mark.pdf

MM = 72 / 25.4
A4_WIDTH = 210 * MM
BODY_PT = 10.5
BODY_LINE = BODY_PT * 1.75


def pdf_names(doc) -> list[str]:
    return [PLAN_PDF] + [appendix_pdf(a.number) for a in doc.appendices] + [KPI_PDF, ALL_PDF]


def test_body_lines_reach_the_right_margin(doc, official_pdfs):
    data = official_pdfs[PLAN_PDF]
    first = pdfread.destinations(data)[doc.chapters[0].id]
    right = A4_WIDTH - 20 * MM
    inner, reach, short = pdfread.body_line_reach(data, first, BODY_PT, right, BODY_LINE)
    share = reach / inner
    print(f"\n両端揃え: {reach} of {inner} body lines inside a paragraph reach the right margin "
          f"({share:.1%}); short: " + "; ".join(f"p{l.page + 1} {l.text[-12:]}" for l in short))
    assert inner > 300
    assert share >= 0.95


def test_no_line_starts_with_a_closing_bracket_or_punctuation(doc, official_pdfs):
    """行頭禁則: WeasyPrint's (Pango's) line breaking, kept by the justification layer and by the
    約物 spans of the print markup."""
    bad = []
    for name in (PLAN_PDF, KPI_PDF):
        for page in pdfread.pages(official_pdfs[name]):
            for line in page.lines:
                # poppler cuts a line where a mark drawn over its neighbour's white (約物の詰め)
                # overlaps it: such a piece continues the line on its left, it does not start one
                continues = any(o is not line and abs(o.y0 - line.y0) < 0.5 and o.x0 < line.x0 <= o.x1 + 1
                                for o in page.lines)
                if not continues and line.text and line.text[0] in (justify.CLOSING | set("、。，．")) - set(")]}"):
                    bad.append(f"{name} p{page.index + 1}: {line.text[:20]}")
    assert not bad, bad


def test_every_link_in_every_pdf_resolves(doc, official_pdfs):
    dests = {name: pdfread.destinations(official_pdfs[name]) for name in pdf_names(doc)}
    broken = []
    count = 0
    for name in pdf_names(doc):
        for link in pdfread.links(official_pdfs[name]):
            count += 1
            if link.kind == "GoTo":
                ok = link.target == "(page)" or link.target in dests[name]
            elif link.kind == "GoToR":
                file, _, frag = link.target.partition("#")
                ok = file in dests and (not frag or frag in dests[file])
            elif link.kind == "URI":
                ok = re.match(r"^(https?:|mailto:)", link.target) is not None
            else:
                ok = False
            if not ok:
                broken.append(f"{name} p{link.page + 1}: {link.kind} {link.target}")
    assert count > 100
    assert not broken, f"{len(broken)} broken links: {broken[:10]}"


def test_no_appendix_is_named_twice_in_a_kpi_cell(official_pdfs):
    for name in (KPI_PDF, ALL_PDF):
        text = re.sub(r"\s+", "", "".join(pdfread.page_text(p) for p in pdfread.pages(official_pdfs[name])))
        runs = re.findall(r"別紙\d(?:、別紙\d)+", text)
        assert runs
        for run in runs:
            labels = run.split("、")
            assert len(labels) == len(set(labels)), f"{name}: {run}"


def _page_of(pages, needle: str) -> int:
    for p in pages:
        if needle in re.sub(r"\s+", "", pdfread.page_text(p)):
            return p.index
    raise AssertionError(f"{needle!r} not found")


def test_every_table_caption_is_on_the_page_of_its_first_row(doc, official_pdfs):
    checked = 0
    for name in (PLAN_PDF, appendix_pdf(5)):
        pages = pdfread.pages(official_pdfs[name])
        for table in doc.budget_tables:
            caption = f"【{table.title}（単位：{table.unit}）】"
            cap = _page_of(pages, caption)
            # the first row: the header cell after the caption
            text_from = re.sub(r"\s+", "", pdfread.page_text(pages[cap]))
            after = text_from[text_from.index(caption) + len(caption):]
            assert after.startswith(table.category_label), f"{name}: {caption} is not followed by its table"
            checked += 1
    assert checked >= 4


def test_every_appendix_note_of_the_web_page_is_in_the_print(doc, official_pdfs):
    import unicodedata
    from dgdocs.render.html import render_site
    site = render_site(doc)
    missing = []
    notes = 0
    for a in doc.appendices:
        web = without_phrase_breaks(site[f"{a.slug}.html"].decode("utf-8"))
        printed = unicodedata.normalize("NFKC", re.sub(r"\s+", "", "".join(
            pdfread.page_text(p) for p in pdfread.pages(official_pdfs[appendix_pdf(a.number)]))))
        for row in a.rows():
            for said in (row.note, row.status):
                if not said:
                    continue
                notes += 1
                assert said in web
                if unicodedata.normalize("NFKC", re.sub(r"\s+", "", said)) not in printed:
                    missing.append(f"{a.label} {row.id}: {said}")
    assert notes > 30
    assert not missing, missing


def test_folios_equal_page_labels_in_the_combined_pdf(official_pdfs):
    data = official_pdfs[ALL_PDF]
    labels = pdfread.page_labels(data)
    pages = pdfread.pages(data)
    checked = 0
    for page, label in zip(pages, labels):
        foot = [l for l in page.lines if l.y0 > page.height - 15 * MM]
        if not foot:
            continue  # the cover has no folio
        assert foot[-1].text == label, f"page {page.index + 1}: folio {foot[-1].text!r}, label {label!r}"
        checked += 1
    assert checked == len(pages) - 1
    assert "別紙1-1" in labels and "KPI一覧-1" in labels


def test_footnote_numbers_are_the_same_in_html_and_pdf(doc, official_pdfs):
    from dgdocs.render.html import render_site
    site = render_site(doc)
    web = []
    for ch in doc.chapters:
        web += re.findall(r'<sup class="fnref"><a id="fnref-[^"]+" [^>]*>(\d+)</a>', site[f"{ch.id}.html"].decode("utf-8"))
    text = "".join(pdfread.page_text(p) for p in pdfread.pages(official_pdfs[PLAN_PDF]))
    printed = re.findall(r"（注(\d+)）", text)
    assert web and printed == web


def test_a_roadmap_page_that_continues_a_group_repeats_its_row(doc, official_pdfs):
    """§10: on every page of a printed 工程表 after its first, the first 施策 either opens its
    group (whose row precedes it) or continues one, and then the page repeats the group's row
    「…（続き）」 under the column heads; no page holds a single stray 施策."""
    from dgdocs.render.common import Addresses
    from dgdocs.render.views import appendix_view
    continued = 0
    for ap in doc.appendices:
        view = appendix_view(doc, ap, Addresses(doc))
        if ap.kind != "roadmap" or not view["scheduled"]:
            continue
        data = official_pdfs[appendix_pdf(ap.number)]
        dests = pdfread.destinations(data)
        texts = [re.sub(r"\s+", "", pdfread.page_text(p)) for p in pdfread.pages(data)]
        rows = [(g, i, r["row"]) for g in view["groups"] for i, r in enumerate(g["rows"])]
        pages = sorted({dests[f"row-{row.id}"] for _, _, row in rows})
        for page in pages:
            on_page = [(g, i) for g, i, row in rows if dests[f"row-{row.id}"] == page]
            assert len(on_page) >= 2 or len(rows) < 2, f"{ap.label} p{page + 1}: one stray row"
            g, first_index = on_page[0]
            label = f"{g['group'].title}（{g['section_label']}）（続き）"
            if page > pages[0] and first_index > 0:
                assert label in texts[page], f"{ap.label} p{page + 1}: no 「{label}」"
                assert texts[page].count("）（続き）") == 1
                continued += 1
            else:
                assert "）（続き）" not in texts[page], f"{ap.label} p{page + 1}"
    assert continued >= 3
