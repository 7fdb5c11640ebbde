"""WeasyPrint's font subsetter without a new C type for every subset.

WeasyPrint 70 (``weasyprint.pdf.fonts.Font._harfbuzz_subset``) makes its glyph arrays with
``ffi.new(f"hb_codepoint_t[{n}]", …)``; cffi parses each C type text it has not seen with
pycparser (≈ 6 ms), and *n* — the number of glyphs — differs in every subset: two parses per
font per job, ≈ 35 ms of every job and of every PDF put together (:mod:`.pdffonts` subsets
too).  :func:`install` gives that module a handle that asks for ``hb_codepoint_t[]`` instead,
one type parsed once: the same array (its length is that of the values given).
"""

from __future__ import annotations

import re

_SIZED_ARRAY = re.compile(r"(hb_codepoint_t)\[(\d+)\]")


class _OneArrayType:
    """``weasyprint.pdf.fonts``' cffi handle: ``hb_codepoint_t[N]`` asked for as ``hb_codepoint_t[]``."""

    def __init__(self, ffi):
        self._ffi = ffi

    def __getattr__(self, name):
        return getattr(self._ffi, name)

    def new(self, cdecl, init=None):
        match = _SIZED_ARRAY.fullmatch(cdecl) if isinstance(cdecl, str) else None
        if match and init is not None and len(init) == int(match.group(2)):
            return self._ffi.new(match.group(1) + "[]", init)
        return self._ffi.new(cdecl, init)


def install() -> None:
    """Put :class:`_OneArrayType` in WeasyPrint's font subsetter (idempotent)."""
    from weasyprint.pdf import fonts

    if not isinstance(fonts.ffi, _OneArrayType):
        fonts.ffi = _OneArrayType(fonts.ffi)
