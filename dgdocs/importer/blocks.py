"""The extracted lines, each classified: heading candidate, paragraph, bullet, KPI line, table
row, caption, footnote text, separator rule.

The extraction writes one paragraph per line, with blank lines between; its ``#`` and ``**``
are typography (they say nothing reliable about the hierarchy) and are taken off here, but
kept as evidence: a line with ``#`` or in bold that starts with a marker is a heading; a plain
line is a heading only when it is a short title after a marker (「b) 実現したい状態 (To Be)」),
never a sentence (「①書面申請であった…ができない。」).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .markers import Marked, split_marker

_HASHES = re.compile(r"^(#{1,9})[ \t]+")
_RULE = re.compile(r"^(?:-{3,}|_{3,}|\*{3,}|―{3,}|ー{6,})$")
_FOOTNOTE = re.compile(r"^<sup>\s*(\d{1,3})\s*</sup>\s*(.*)$")
KPI_PREFIX = re.compile(r"^\*{0,2}KPI\*{0,2}[ \t\u3000]*(?:[(（][ \t]*(?P<kind>進捗|効果)[ \t]*[)）])?[ \t\u3000]*\*{0,2}[ \t\u3000]*[:：][ \t\u3000]*")
_CAPTION = re.compile(r"^【(.+)】$")
_BULLET = re.compile(r"^[-－‐][ \t\u3000]+(.*)$")
_NUMBERED = re.compile(r"^(\d{1,2})[ \t\u3000]+(\S.*)$")
MAX_TITLE = 60  # a heading title longer than this on a plain line is a sentence


@dataclass
class Block:
    kind: str  # heading, para, bullet, kpi, table, caption, fndef, rule
    line: int  # first source line
    raw: str  # the source line as written
    text: str  # the content, decoration removed (spaces as in the source)
    hashes: int = 0
    bold: bool = False
    italic: bool = False
    marked: Marked | None = None  # heading candidates (and paragraphs that start with a marker)
    label: str = ""  # footnote number, KPI kind (進捗/効果), number of a numbered bullet
    had_dot: bool = False  # bullet written with 「・」
    cells: list[str] = field(default_factory=list)  # table rows
    lines: list[int] = field(default_factory=list)  # every source line merged into this block
    orig: str = ""  # the text before it was cleaned (spaces as in the source)

    def __post_init__(self):
        if not self.lines:
            self.lines = [self.line]


def undecorate(raw: str) -> tuple[str, int, bool, bool]:
    """(text, number of #, bold, italic) of a line."""
    s = raw.strip()
    hashes = 0
    m = _HASHES.match(s)
    if m:
        hashes, s = len(m.group(1)), s[m.end():].strip()
    bold = italic = False
    if len(s) > 4 and s.startswith("**") and s.endswith("**"):
        bold, s = True, s[2:-2].strip()
    elif len(s) > 2 and s.startswith("*") and s.endswith("*") and not s.startswith("**"):
        italic, s = True, s[1:-1].strip()
    return s, hashes, bold, italic


def _title_like(title: str) -> bool:
    t = title.strip()
    return bool(t) and len(t) <= MAX_TITLE and "。" not in t and not t.endswith(("、", "，"))


def classify(n: int, raw: str) -> Block | None:
    """The block of source line *n* (None for a blank line)."""
    if not raw.strip():
        return None
    s, hashes, bold, italic = undecorate(raw)
    if not s:
        return None
    if not hashes and _RULE.match(s.replace(" ", "")):
        return Block("rule", n, raw, s)
    marked = split_marker(s)
    if hashes or bold:
        if marked and marked.title:
            return Block("heading", n, raw, s, hashes, bold, italic, marked)
    if not hashes:
        fm = _FOOTNOTE.match(s)
        if fm:
            return Block("fndef", n, raw, fm.group(2), label=fm.group(1))
        km = KPI_PREFIX.match(s)
        if km:
            return Block("kpi", n, raw, s[km.end():], hashes, bold, italic, label=km.group("kind") or "")
        if "\t" in s:
            return Block("table", n, raw, s, cells=[c.strip() for c in s.split("\t")])
        cm = _CAPTION.match(s)
        if cm:
            return Block("caption", n, raw, cm.group(1))
        bm = _BULLET.match(s)
        if bm or s.startswith("・"):
            inner = (bm.group(1) if bm else s[1:]).strip()
            dot = not bm or inner.startswith("・")
            inner = inner.lstrip("・").strip() if dot else inner
            nm = _NUMBERED.match(inner) if bm and not dot else None
            return Block("bullet", n, raw, inner, had_dot=dot, label=nm.group(1) if nm else "")
        if marked and not marked.glued and _title_like(marked.title) and not italic:
            return Block("heading", n, raw, s, hashes, bold, italic, marked)
    return Block("para", n, raw, s, hashes, bold, italic, marked)
