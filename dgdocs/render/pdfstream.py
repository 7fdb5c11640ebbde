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
level).  Refuses another pydyf: its ``Stream.data`` must be read again first.
"""

from __future__ import annotations

import zlib

PYDYF_VERSION = "0.13.0"
LEVEL = 6  # zlib's default

_original = None


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


def install() -> None:
    """Put :func:`_data` in place of ``pydyf.Stream.data`` (idempotent)."""
    global _original
    import pydyf

    if pydyf.__version__ != PYDYF_VERSION:
        raise RuntimeError(f"dgdocs.render.pdfstream is written for pydyf {PYDYF_VERSION}, not {pydyf.__version__}: "
                           "check it against the new version first")
    if _original is None:
        _original = pydyf.Stream.__dict__["data"]
    pydyf.Stream.data = property(_data)


def uninstall() -> None:
    import pydyf

    if _original is not None:
        pydyf.Stream.data = _original
