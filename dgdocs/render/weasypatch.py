"""One WeasyPrint function replaced by a layer of ours, for the pinned WeasyPrint only.

The print layers (:mod:`.pdfcss`, :mod:`.pdftags`, :mod:`.pdftable`, :mod:`.pdfleader`) each
wrap one function of WeasyPrint's.  ``_original = Patch(__name__, "weasyprint.css",
"find_stylesheets")`` names it; ``_original.install(replacement)`` checks the version (a new
WeasyPrint must be read against the layer first), keeps the original once and puts the
replacement in place (idempotent); ``_original(...)`` calls the original; ``uninstall()``
puts it back.  *source* is where the original is read when WeasyPrint imported the name
into another module (``weasyprint.layout.inline`` calls ``handle_leader`` from its own
namespace, defined in ``weasyprint.layout.leader``).
"""

from __future__ import annotations

import importlib

from .justify import WEASYPRINT_VERSION


class Patch:
    def __init__(self, layer: str, where: str, name: str, source: str | None = None):
        self.layer, self.where, self.name, self.source = layer, where, name, source or where
        self.original = None

    def install(self, replacement) -> None:
        import weasyprint

        if weasyprint.__version__ != WEASYPRINT_VERSION:
            raise RuntimeError(f"{self.layer} is written for WeasyPrint {WEASYPRINT_VERSION}, "
                               f"not {weasyprint.__version__}: check it against the new version first")
        if self.original is None:
            self.original = getattr(importlib.import_module(self.source), self.name)
        setattr(importlib.import_module(self.where), self.name, replacement)

    def uninstall(self) -> None:
        if self.original is not None:
            setattr(importlib.import_module(self.where), self.name, self.original)

    def __call__(self, *args, **kwargs):
        return self.original(*args, **kwargs)
