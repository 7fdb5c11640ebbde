"""The plan's folios made from a sample (dgdocs.render.pdffolios): the same pages WeasyPrint
lays out, number by number, and laid out by WeasyPrint after all where the sample is not of
the one form they are made from."""

from __future__ import annotations

import io

import pikepdf
import pytest

from dgdocs.paths import CONTENT
from dgdocs.render import pdffolios
from dgdocs.render.pdfjobs import Printer
from dgdocs.render.pdfplan import PlanPieces
from dgdocs.render.pdfwriter import render_folios

pytestmark = pytest.mark.pdf


@pytest.fixture(scope="module")
def printer(doc):
    return Printer(doc)


@pytest.fixture(scope="module")
def sample(printer) -> bytes:
    return render_folios(printer.folios(len(pdffolios.SAMPLE), pdffolios.SAMPLE), str(CONTENT), 0).data


def _streams(pdf: pikepdf.Pdf) -> list[bytes]:
    return [page.obj.Contents.read_bytes() for page in pdf.pages]


def test_folios_made_from_the_sample_are_the_pages_weasyprint_lays_out(printer, sample):
    # one digit to three, across 9→10 and 99→100: the same glyphs at the same place, byte for byte
    laid = pikepdf.open(io.BytesIO(render_folios(printer.folios(130, ((1, 1),)), str(CONTENT), 0).data))
    made = pdffolios.compose(sample, 1, 130)
    assert len(made.pages) == 130
    assert _streams(made) == _streams(laid)
    assert [sorted(p.obj.keys()) for p in made.pages] == [sorted(p.obj.keys()) for p in laid.pages]
    assert made.pages[0].obj.MediaBox == laid.pages[0].obj.MediaBox


def _moved(sample: bytes, page: int) -> bytes:
    """*sample* with the number on *page* one px to the right (not where WeasyPrint centres it)."""
    pdf = pikepdf.open(io.BytesIO(sample))
    stream = pdf.pages[page].obj.Contents.read_bytes()
    line = pdffolios._TEXT.search(stream)
    x = float(line["x"]) + 1
    pdf.pages[page].obj.Contents = pikepdf.Stream(pdf, stream[:line.start("x")] + pdffolios._number(x)
                                                  + stream[line.end("x"):])
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_a_sample_whose_numbers_are_not_centred_by_their_width_is_refused(sample):
    with pytest.raises(pdffolios.SampleError, match="not where its width puts it"):
        pdffolios.compose(_moved(sample, 2), 5, 3)
    with pytest.raises(pdffolios.SampleError, match="sample pages"):
        pdffolios.compose(_one_page(sample), 5, 3)


def _one_page(sample: bytes) -> bytes:
    pdf = pikepdf.open(io.BytesIO(sample))
    del pdf.pages[1:]
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_the_plan_falls_back_to_laid_out_folios_when_the_sample_is_refused(printer, sample):
    def pieces(folio_sample):
        return PlanPieces("本文", b"", 4, (), 12, folio_sample, printer.folios(12, ((1, 5),)), str(CONTENT), 0)
    made = pieces(sample).folios()
    fallback = pieces(_moved(sample, 0)).folios()
    assert isinstance(made, pikepdf.Pdf) and isinstance(fallback, bytes)  # laid out by WeasyPrint
    assert _streams(pikepdf.open(io.BytesIO(fallback))) == _streams(made)
