"""The layer over pydyf (dgdocs.render.pdfstream): the same operators and the same dictionary
as pydyf writes them, deflated at zlib's default level instead of 9; and each object's data
made once per PDF written, the file byte for byte the same."""

from __future__ import annotations

import zlib

import pydyf
import pytest

from dgdocs.render import pdfstream


def _stream(compress: bool) -> pydyf.Stream:
    s = pydyf.Stream(compress=compress, extra={"Type": "/XObject"})
    s.begin_text()
    s.set_font_size("F1", 9.5)
    s.move_to(10, 20.25)
    s.line_to(30.0, 40)
    s.set_color_rgb(0.2, 0.4, 1)
    s.show_text(b"<0012003a>")
    s.stream.append(pydyf.Array([1, 2.5, pydyf.String("x")]))  # an object among the items
    s.end_text()
    return s


@pytest.fixture
def original():
    pdfstream.uninstall()
    yield pydyf.Stream.data.fget
    pdfstream.uninstall()


def test_the_same_stream_as_pydyf_writes_deflated_at_the_default_level(original):
    plain = _stream(False)
    assert pdfstream._data(plain) == original(plain)  # uncompressed: byte for byte
    theirs, ours = original(_stream(True)), pdfstream._data(_stream(True))

    def parts(data):
        head, rest = data.split(b"\nstream\n", 1)
        return head, zlib.decompress(rest.removesuffix(b"\nendstream"))
    (their_head, their_ops), (our_head, our_ops) = parts(theirs), parts(ours)
    assert our_ops == their_ops == original(plain).split(b"\nstream\n", 1)[1].removesuffix(b"\nendstream")
    body = _stream(True)
    raw = b"\n".join(pydyf._to_bytes(i) for i in body.stream)
    assert our_head == their_head.replace(str(len(zlib.compress(raw, 9))).encode(), str(len(zlib.compress(raw, 6))).encode())
    assert ours.split(b"\nstream\n", 1)[1].removesuffix(b"\nendstream") == zlib.compress(raw, pdfstream.LEVEL)


def test_installed_in_place_of_pydyfs_and_taken_out_again(original):
    pdfstream.install()
    pdfstream.install()  # idempotent
    assert pydyf.Stream.data.fget.keeps is pdfstream._data
    assert pydyf.PDF.write is pdfstream._write
    pdfstream.uninstall()
    assert pydyf.Stream.data.fget is original and pydyf.PDF.write is pdfstream._originals[("PDF", "write")]


def test_another_pydyf_is_refused_until_the_layer_is_read_against_it(original, monkeypatch):
    monkeypatch.setattr(pydyf, "__version__", "0.14.0")
    with pytest.raises(RuntimeError, match="pydyf 0.13.0"):
        pdfstream.install()
    assert pydyf.Stream.data.fget is original


def _pdf() -> pydyf.PDF:
    pdf = pydyf.PDF()
    for i in range(3):
        page = pydyf.Dictionary({"Type": "/Page", "Parent": pdf.pages.reference, "MediaBox": pydyf.Array([0, 0, 200, 200]),
                                 "Contents": None})
        contents = _stream(True)
        pdf.add_object(contents)
        page["Contents"] = contents.reference
        pdf.add_page(page)
    return pdf


def _written(write) -> tuple[bytes, int]:
    """(the file, how many times a stream's data was made) of *write* on a three-page PDF with
    an identifier (its second ID hashes every object's data)."""
    import io
    out = io.BytesIO()
    before = len(_MADE)
    write(_pdf(), out, identifier=b"dgdocs", compress=True)
    return out.getvalue(), len(_MADE) - before


_MADE: list = []


def test_a_pdf_written_with_each_objects_data_made_once_is_the_same_file(original, monkeypatch):
    own = pdfstream._data

    def counted(self):
        _MADE.append(self)
        return own(self)
    monkeypatch.setattr(pdfstream, "_data", counted)
    pdfstream.install()
    once, made_once = _written(pydyf.PDF.write)
    twice, made_twice = _written(pdfstream._originals[("PDF", "write")])  # pydyf's write over the same streams
    assert once == twice
    assert made_twice > made_once >= 4  # three pages' contents and the object stream, each once
    assert made_once == len({id(o) for o in _MADE[:made_once]})
    assert not [o for o in _MADE if "_dg_data" in o.__dict__]  # nothing kept after the write
