"""pydyf's streams written at zlib's default level, their ready bytes joined as they are.

WeasyPrint 70 writes every PDF stream through ``pydyf.Stream.data`` (pydyf 0.13): the page
contents — ≈ 12 MB of operators for the plan and its appendices, tagged and justified — and
the font subsets.  pydyf compresses each at zlib level 9, which on this text-like data takes
twice the time of the default level 6 for 1 % less: 0.48 s against 0.22 s for the plan's
chapters and appendices (in process, the same streams), 3.50 MB against 3.54 MB.  And it hands
every item of a stream to ``_to_bytes``, though nine in ten are bytes already (231,000 items,
23,000 of them numbers or names).  :func:`install` puts in a ``data`` that does the same with
level 6 and calls ``_to_bytes`` only for the others: the same operators, the same dictionary,
deflated less hard.  Deterministic as before (zlib's output depends only on its input and
level).

And each object is serialised once per PDF written.  Given an identifier (dgdocs always gives
one: the hash of the print HTML, for reproducible files), ``pydyf.PDF.write`` takes the
``data`` of every object a second time, to hash it for the file's second ID — every stream
deflated again, the object stream of all the small objects included: ≈ 0.33 s of the 0.75 s
that writing the plan's chapters and appendices takes.  While a PDF is written, ``data`` of
a stream, dictionary or array is kept on the object the first time and given back the second
(then dropped): the same bytes, once.

Refuses another pydyf: its ``Stream.data`` and ``PDF.write`` must be read again first.
"""

from __future__ import annotations

import zlib

PYDYF_VERSION = "0.13.0"
LEVEL = 6  # zlib's default

_original = None
_originals: dict = {}  # (class, attribute) → pydyf's own
_kept: list | None = None  # while a PDF is written: the objects whose data is kept


def _data(self) -> bytes:
    import pydyf

    to_bytes = pydyf._to_bytes
    stream = b"\n".join([item if item.__class__ is bytes else to_bytes(item) for item in self.stream])
    extra = pydyf.Dictionary(self.extra.copy())
    if self.compress:
        extra["Filter"] = "/FlateDecode"
        deflate = zlib.compressobj(level=LEVEL)
        stream = deflate.compress(stream) + deflate.flush()
    extra["Length"] = len(stream)
    return b"\n".join((extra.data, b"stream", stream, b"endstream"))


def _keeping(fget):
    """*fget* (an object's ``data``), its result kept on the object while a PDF is written."""
    def data(self):
        if _kept is None:
            return fget(self)
        held = self.__dict__.get("_dg_data")
        if held is None:
            held = self.__dict__["_dg_data"] = fget(self)
            _kept.append(self)
        return held
    data.keeps = fget
    return data


def _write(self, *args, **kwargs):
    """``pydyf.PDF.write``, each object's data made once."""
    global _kept
    if _kept is not None:  # (not reentrant: one PDF at a time in a process)
        return _originals[("PDF", "write")](self, *args, **kwargs)
    _kept = []
    try:
        return _originals[("PDF", "write")](self, *args, **kwargs)
    finally:
        for obj in _kept:
            obj.__dict__.pop("_dg_data", None)
        _kept = None


def install() -> None:
    """Put :func:`_data` in place of ``pydyf.Stream.data``, and :func:`_write` (each object's
    data once) in place of ``pydyf.PDF.write`` (idempotent)."""
    global _original
    import pydyf

    if pydyf.__version__ != PYDYF_VERSION:
        raise RuntimeError(f"dgdocs.render.pdfstream is written for pydyf {PYDYF_VERSION}, not {pydyf.__version__}: "
                           "check it against the new version first")
    if _original is None:
        _original = pydyf.Stream.__dict__["data"]
        _originals[("PDF", "write")] = pydyf.PDF.write
        for cls in (pydyf.Dictionary, pydyf.Array):
            _originals[(cls.__name__, "data")] = cls.__dict__["data"]
    pydyf.Stream.data = property(_keeping(_data))
    pydyf.Dictionary.data = property(_keeping(_originals[("Dictionary", "data")].fget))
    pydyf.Array.data = property(_keeping(_originals[("Array", "data")].fget))
    pydyf.PDF.write = _write


def uninstall() -> None:
    import pydyf

    if _original is not None:
        pydyf.Stream.data = _original
        pydyf.PDF.write = _originals[("PDF", "write")]
        pydyf.Dictionary.data = _originals[("Dictionary", "data")]
        pydyf.Array.data = _originals[("Array", "data")]
