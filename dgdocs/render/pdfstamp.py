"""The folios of the plan's chapter pages, stamped on when the plan is put together.

A chapter is laid out without its folio (its number depends on the pages before it); the
folios are blank pages that carry only the page number, with the @page rules of the single
document (templates/print/folios.html; made from a sample by :mod:`.pdffolios`), and
:func:`stamp_folios` draws each of them over its chapter page as a form XObject, marked as a
pagination artifact (PDF/UA: a page number is not content of the structure tree).
"""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Name

_ARTIFACT = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC"


def stamp_folios(pdf: pikepdf.Pdf, first: int, folios: "bytes | pikepdf.Pdf") -> None:
    """Draw page *i* of *folios* over page *first* + *i* of *pdf*."""
    source = folios if isinstance(folios, pikepdf.Pdf) else pikepdf.open(io.BytesIO(folios))
    if first + len(source.pages) > len(pdf.pages):
        raise ValueError(f"{len(source.pages)} folios for {len(pdf.pages) - first} pages")
    for i, folio in enumerate(source.pages):
        form = pdf.copy_foreign(folio.as_form_xobject())
        page = pdf.pages[first + i]
        # WeasyPrint shares one resource dictionary between pages: a name per page
        name = page.add_resource(form, Name.XObject, Name(f"/DgFolio{first + i}"), replace_existing=False)
        # WeasyPrint leaves its page transformation (y downwards) in force at the end of the
        # page: its content goes inside q … Q, so that the folio is drawn in the page's own space
        page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
        page.contents_add(pikepdf.Stream(pdf, b"\nQ q " + _ARTIFACT + b" " + name.unparse() + b" Do EMC Q\n"), prepend=False)
