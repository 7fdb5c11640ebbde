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

This module imports only the model, :mod:`dgdocs.errors` (where :class:`DgdocsError` is
defined: the PDF workers raise it without the model) and :mod:`dgdocs.safetext`.
"""

from __future__ import annotations

from typing import Iterable

from .errors import DgdocsError  # noqa: F401  (the one exception with findings; its own module for the PDF workers)
from .model import Finding, Loc, Severity
from .safetext import printable


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
    ``where`` is ``file:line:col`` as the text shows it; file, line and col also apart;
    ``detail`` what a tool said in its own words (PyYAML's English behind a DG003), or ""."""
    return {"code": f.code, "severity": f.severity, "file": f.loc.file, "line": f.loc.line, "col": f.loc.col,
            "where": str(f.loc), "message": f.message, "hint": f.hint, "subject": list(f.subject),
            "detail": f.detail}


def as_text(f: Finding, indent: str = "", hint_lines: bool = False) -> str:
    """``file:line:col: severity CODE: message`` and, on the next line, ``→ hint``; every part
    :func:`~dgdocs.safetext.printable` (content is untrusted: no escape sequence reaches a
    terminal).  *indent* prefixes every line; *hint_lines* keeps the newlines of a hint (a
    traceback in the preview)."""
    text = f"{printable(str(f.loc))}: {f.severity} {printable(f.code)}: {printable(f.message)}"
    if f.hint:
        text += f"\n  → {printable(f.hint, keep_newlines=hint_lines)}"
    return indent + text.replace("\n", "\n" + indent) if indent else text


GITHUB_LEVELS = {"error": "error", "warning": "warning"}


def _gh_data(text: str) -> str:
    """The message of a GitHub workflow command: %, CR and LF escaped (their documented rules)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    """A property value of a workflow command: also ':' and ',' (they end the value)."""
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(f: Finding, content: str) -> str:
    """``::error file=…,line=…,col=…,title=…::message``, a GitHub Actions workflow command that no
    content can break out of; *content* is the content directory as given, so that the
    annotation names the file from the repository's top."""
    level = GITHUB_LEVELS.get(f.severity, "notice")
    props = [f"file={_gh_property(printable(content.rstrip('/') + '/' + f.loc.file))}"]
    if f.loc.line:
        props.append(f"line={int(f.loc.line)}")
    if f.loc.col:
        props.append(f"col={int(f.loc.col)}")
    props.append(f"title={_gh_property(printable(f.code))}")
    text = printable(f.message) + (f" → {printable(f.hint)}" if f.hint else "")
    return f"::{level} {','.join(props)}::{_gh_data(text)}"


def from_exception(exc: BaseException, where: str = "", message: str = "", hint: str = "") -> Finding:
    """A finding for a failure that is not the content's (a bug, a template error): named by the
    exception's type, so that the preview can show it like any other problem."""
    return Finding(type(exc).__name__, "error", Loc(where), message or str(exc), hint)
