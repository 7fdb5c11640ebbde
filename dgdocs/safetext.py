"""Characters that must never reach a terminal, a CI log, a spreadsheet or a page unseen.

Content is untrusted: an ESC sequence in a message would drive the editor's terminal, a
newline in a file name would forge a CI annotation, a bidi override (U+202E) reorders what a
reviewer reads, ``=HYPERLINK(…)`` in a CSV cell runs in Excel.  :func:`invisible` says which
characters are such (the hygiene rule DG610 reports them in content), :func:`printable` shows
each as ⟨U+XXXX⟩ in text meant for people (dgdocs.diagnostics shows every finding through it); :data:`FORMULA_START` is what a spreadsheet cell
must not start with (the CSV writer neutralises it, DG611 warns of it).
"""

from __future__ import annotations

import unicodedata

# A text cell that a spreadsheet would read as a formula (=HYPERLINK(…), @SUM(…), +, -, a tab
# or CR first; also their full-width forms, which Excel's Japanese input turns into formulas).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

# letters that render as nothing (Hangul fillers), used to hide text in plain sight
_BLANK_LETTERS = {0x115F, 0x1160, 0x3164, 0xFFA0}
_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"}


def invisible(ch: str, allow: str = "\t\n") -> bool:
    """A control, format (bidi, zero-width, BOM), separator, private-use, surrogate or
    unassigned character, or a blank letter — none of which a plan's text needs."""
    if ch in allow:
        return False
    return unicodedata.category(ch) in _CATEGORIES or ord(ch) in _BLANK_LETTERS


def describe(ch: str) -> str:
    """U+202E（RIGHT-TO-LEFT OVERRIDE）"""
    name = unicodedata.name(ch, "")
    if not name:
        name = {0x00: "NULL", 0x1B: "ESCAPE", 0x0B: "LINE TABULATION", 0x0D: "CARRIAGE RETURN",
                0x85: "NEXT LINE", 0x7F: "DELETE"}.get(ord(ch), unicodedata.category(ch))
    return f"U+{ord(ch):04X}（{name}）"


def printable(text: str, keep_newlines: bool = False) -> str:
    """*text* with every invisible character shown as ⟨U+XXXX⟩ (tabs become spaces)."""
    if text.isprintable() and (keep_newlines or "\n" not in text):
        return text
    out = []
    for ch in text:
        if ch == "\t":
            out.append(" ")
        elif ch == "\n" and keep_newlines:
            out.append(ch)
        elif invisible(ch, allow="") or ch == "\n":
            out.append(f"⟨U+{ord(ch):04X}⟩")
        else:
            out.append(ch)
    return "".join(out)
