"""The one exception that carries findings (see :mod:`dgdocs.diagnostics`, which gives it to
every command), in a module that imports nothing: the PDF workers raise it (a PDF that cannot
be made) without importing the model, which would delay the first worker's start."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from .model import Finding


class DgdocsError(Exception):
    """A problem of the content that stops a command; ``findings`` says every reason."""

    def __init__(self, findings: Iterable[Finding]):
        self.findings = list(findings)
        super().__init__("\n".join(str(f) for f in self.findings))

    @property
    def finding(self) -> Finding:
        """The first (for errors that have one reason)."""
        return self.findings[0]
