"""The tags of the official PDFs, read back from their structure trees (issue 12, §19 and §23):
the table of contents is a TOC of TOCI entries, each a Reference holding the link to its
heading; every footnote is a Note with an ID and its label, on the page of its call (a
Reference).  WeasyPrint makes these a list and anonymous spans (dgdocs.render.pdftags)."""

from __future__ import annotations

import pytest

from dgdocs.render.pdf import ALL_PDF, PLAN_PDF
from dgdocs.render.views import toc_entries

import pdfread

pytestmark = pytest.mark.pdf


def _footnotes(doc) -> list:
    return [fn for ch in doc.chapters for fn in ch.footnotes]


def test_the_table_of_contents_is_tagged_toc_and_toci(doc, official_pdfs):
    from dgdocs.render.common import Addresses
    tags = pdfread.structure(official_pdfs[PLAN_PDF])
    entries = len(toc_entries(doc, Addresses(doc))) + 1 + len(doc.appendices) + 1  # + 決定・改定の経緯, 別紙, KPI一覧
    toci = [e for e in tags if e.type == "TOCI"]
    assert len(toci) == entries
    assert all(e.path[-1] == "TOC" for e in toci)
    assert all(e.kids == ("Reference",) for e in toci)
    refs = [e for e in tags if e.type == "Reference" and e.path[-1:] == ("TOCI",)]
    assert len(refs) == entries and all("Link" in e.kids for e in refs)
    assert not [e for e in tags if e.type in ("L", "LI") and "TOC" in e.path]


@pytest.mark.parametrize("name", [PLAN_PDF, ALL_PDF])
def test_every_footnote_is_a_note_on_the_page_of_its_call(doc, official_pdfs, name):
    tags = pdfread.structure(official_pdfs[name])
    notes = [e for e in tags if e.type == "Note"]
    calls = [e for e in tags if e.type == "Reference" and "TOC" not in e.path]
    # the plan has each footnote once; 一括版 has them again where the KPI一覧 quotes a KPI line
    assert len(notes) == len(_footnotes(doc)) > 0 if name == PLAN_PDF else len(notes) > len(_footnotes(doc))
    assert len(calls) == len(notes)
    assert all(e.id for e in notes)
    ids = [e.id for e in tags if e.id]
    assert len(ids) == len(set(ids)), "an ID is used twice in " + name
    assert all(e.kids[:1] == ("Lbl",) for e in notes)  # 「（注1）」
    assert [c.page for c in calls] == [n.page for n in notes]
