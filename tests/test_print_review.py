"""The official PDFs as a typesetter reviews them (issue 12), read back from the PDFs themselves:
links, captions, notes, folios, footnotes, 両端揃え, 禁則 and 約物."""

from __future__ import annotations

import re

import pytest

from dgdocs.render import justify
from dgdocs.render.pdf import ALL_PDF, KPI_PDF, PLAN_PDF, appendix_pdf

import pdfread

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
                if line.text and line.text[0] in (justify.CLOSING | set("、。，．")) - set(")]}"):
                    bad.append(f"{name} p{page.index + 1}: {line.text[:20]}")
    assert not bad, bad
