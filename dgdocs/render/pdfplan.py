"""Putting the PDFs together from their jobs' PDFs, in a worker: the plan from its front
matter and chapters (with the folios stamped on), 一括版 from the plan and the articles.

Both keep what a single layout gives: every page, tag (the parts' structure elements under
one Document), named destination, bookmark and link (links between the parts become links
inside the file), one embedded font per face (:mod:`.pdffonts`).
"""

from __future__ import annotations

import time

from .outputs import PLAN_PDF
from .pdffonts import unify_fonts
from .pdfmerge import Part, _save, merge_pdf
from .pdfstamp import stamp_folios
from .pdfwriter import Laid


def assemble_plan(args) -> Laid:
    """The plan (本文): front matter and chapters in order, the folios stamped on the chapter
    pages, bookmarks one after the other as the single document has them, no page labels
    (the printed folios are the page numbers)."""
    name, title, subject, front, front_pages, folios, chapters = args
    t0 = time.process_time()
    parts = [Part(PLAN_PDF, "", "", data) for data in [front, *chapters]]
    pdf = merge_pdf(parts, title, subject, nested=False, labels=False, files={PLAN_PDF})
    stamp_folios(pdf, front_pages, folios)
    unify_fonts(pdf)
    data = _save(pdf)
    return Laid(name, data, len(pdf.pages), {}, (), time.process_time() - t0)


def assemble_combined(args) -> Laid:
    """一括版: the plan and each article, one top bookmark per part, page labels 別紙1-1 …"""
    name, title, subject, parts = args
    t0 = time.process_time()
    pdf = merge_pdf([Part(*p) for p in parts], title, subject)
    unify_fonts(pdf)
    data = _save(pdf)
    return Laid(name, data, len(pdf.pages), {}, (), time.process_time() - t0)
