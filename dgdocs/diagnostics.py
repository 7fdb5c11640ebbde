"""One diagnostics surface: how a problem is recorded, raised and shown.

* A problem is a :class:`~dgdocs.model.Finding` (code, severity, file:line:col, Japanese
  message, hint, and the subject an acceptance pins).  The loader, the YAML reader and the
  check rules all record theirs through :class:`Problems` (or the rules' ``finding``), so
  every problem has the same shape from the first byte read to the last rule run.
* :class:`DgdocsError` is the one exception that carries findings: the content cannot be
  loaded (:class:`LoadError`), a YAML file cannot be parsed, a PDF cannot be made.  A
  command catches it and shows its findings; nothing else needs to know where it came from.
* :func:`as_json`, :func:`as_text` and :func:`as_github` are the only serialisations: the
  CLI's ``--format json|text|github`` and the preview's findings banner use them.

This module imports only the model.
"""

from __future__ import annotations

from typing import Iterable

from .model import Finding, Loc, Severity


class DgdocsError(Exception):
    """A problem of the content that stops a command; ``findings`` says every reason."""

    def __init__(self, findings: Iterable[Finding]):
        self.findings = list(findings)
        super().__init__("\n".join(str(f) for f in self.findings))

    @property
    def finding(self) -> Finding:
        """The first (for errors that have one reason)."""
        return self.findings[0]


class LoadError(DgdocsError):
    """The content cannot be loaded; ``findings`` says every reason, in file order."""

    def __init__(self, findings: Iterable[Finding]):
        super().__init__(sorted(findings, key=lambda f: (f.loc.file, f.loc.line, f.loc.col, f.code)))


class Problems(list):
    """The findings collected while reading ``content/`` (all of them, never just the first)."""

    def error(self, code: str, loc: Loc, message: str, hint: str, subject: Iterable[str] = (),
              severity: Severity = "error") -> None:
        self.append(Finding(code, severity, loc, message, hint, tuple(subject)))

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self)


# ------------------------------------------------------------------ showing findings

def as_json(f: Finding) -> dict:
    """The one JSON shape of a finding (``dgdocs check --format json``, the preview's status):
    ``where`` is ``file:line:col`` as the text shows it; file, line and col also apart."""
    return {"code": f.code, "severity": f.severity, "file": f.loc.file, "line": f.loc.line, "col": f.loc.col,
            "where": str(f.loc), "message": f.message, "hint": f.hint, "subject": list(f.subject)}


def as_text(f: Finding, indent: str = "") -> str:
    """``file:line:col: severity CODE: message`` and, on the next line, ``→ hint``."""
    text = str(f)
    return indent + text.replace("\n", "\n" + indent) if indent else text


GITHUB_LEVELS = {"error": "error", "warning": "warning"}


def as_github(f: Finding, content: str) -> str:
    """A GitHub Actions workflow command (``::error file=…,line=…::…``); *content* is the content
    directory as given, so the annotation names the file from the repository's top."""
    level = GITHUB_LEVELS.get(f.severity, "notice")
    path = f"{content.rstrip('/')}/{f.loc.file}"
    where = f"file={path}" + (f",line={f.loc.line}" if f.loc.line else "") + (f",col={f.loc.col}" if f.loc.col else "")
    text = (f.message + (f" → {f.hint}" if f.hint else "")).replace("%", "%25").replace("\n", "%0A")
    return f"::{level} {where},title={f.code}::{text}"


def from_exception(exc: BaseException, where: str = "", message: str = "", hint: str = "") -> Finding:
    """A finding for a failure that is not the content's (a bug, a template error): named by the
    exception's type, so that the preview can show it like any other problem."""
    return Finding(type(exc).__name__, "error", Loc(where), message or str(exc), hint)
