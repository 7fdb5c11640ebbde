"""Putting the PDFs together from their jobs' PDFs, in a worker: the plan from its front
matter and chapters (with the folios stamped on), 一括版 from the plan's pieces and the
articles (the two at the same time, in two workers).

Both keep what a single layout gives: every page, tag (the parts' structure elements under
one Document), named destination, bookmark and link (links between the parts become links
inside the file), one embedded font per face (:mod:`.pdffonts`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from .outputs import PLAN_PDF
from .pdfwriter import Laid

# pikepdf and the modules that use it (.pdfmerge, .pdffonts, .pdffolios, .pdfstamp) are
# imported where the PDFs are put together, in a worker: the build imports this module only
# to hand its functions and PlanPieces to the workers, and importing pikepdf there (≈ 65 ms)
# delayed the plan's assembly after an edit (it ran in the thread that feeds the workers)


@dataclass(frozen=True)
class PlanPieces:
    """The laid-out pieces of the plan: the front matter (``front_pages`` pages), its chapters
    (``chapter_pages`` pages in all), and the folio sample that the chapter pages' folios are
    made from (:mod:`.pdffolios`; where it cannot, they are laid out from ``folios_html``)."""

    title: str  # the plan's bookmark in 一括版
    front: bytes
    front_pages: int
    chapters: tuple[bytes, ...]
    chapter_pages: int
    folio_sample: bytes
    folios_html: str
    root: str
    epoch: int

    def parts(self) -> list:
        from .pdfmerge import Part
        return [Part(PLAN_PDF, self.title, "", data) for data in (self.front, *self.chapters)]

    def folios(self):
        """The folio pages of the chapter pages, numbered from the page after the front matter."""
        from .pdffolios import SampleError, compose
        try:
            return compose(self.folio_sample, self.front_pages + 1, self.chapter_pages)
        except SampleError:
            from .pdfwriter import render_folios
            return render_folios(self.folios_html, self.root, self.epoch).data

    def stamp(self, pdf) -> None:
        from .pdfstamp import stamp_folios
        stamp_folios(pdf, self.front_pages, self.folios())


def assemble_plan(args) -> Laid:
    """The plan (本文): front matter and chapters in order, the folios stamped on the chapter
    pages, bookmarks one after the other as the single document has them, no page labels
    (the printed folios are the page numbers)."""
    from .pdffonts import unify_fonts
    from .pdfmerge import _save, merge_pdf
    name, title, subject, pieces = args
    t0 = time.process_time()
    pdf = merge_pdf(pieces.parts(), title, subject, nested=False, labels=False, files={PLAN_PDF})
    pieces.stamp(pdf)
    unify_fonts(pdf)
    data = _save(pdf)
    return Laid(name, data, len(pdf.pages), {}, (), time.process_time() - t0)


def assemble_combined(args) -> Laid:
    """一括版: the plan (from its pieces, as :func:`assemble_plan` puts them together) and each
    article; one top bookmark per part, page labels 別紙1-1 …"""
    from .pdffonts import unify_fonts
    from .pdfmerge import Part, _save, merge_pdf
    name, title, subject, pieces, articles = args
    t0 = time.process_time()
    pdf = merge_pdf(pieces.parts() + [Part(*a) for a in articles], title, subject)
    pieces.stamp(pdf)
    unify_fonts(pdf)
    data = _save(pdf)
    return Laid(name, data, len(pdf.pages), {}, (), time.process_time() - t0)
