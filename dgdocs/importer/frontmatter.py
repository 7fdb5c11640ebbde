"""The cover and the table of contents of the extracted text.

The cover (title, the date and body of the decision, the dates of revisions) goes into
``plan.yaml``; the table of contents is dropped (the site and the PDF generate it from the
headings) but read first, because it is the plan's own list of its chapters and sections:
the heading hierarchy is checked against it, and a word it spells right corrects the same
word misread in the body.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from ..wareki import gregorian_year
from .blocks import undecorate
from .markers import Marked, split_marker
from .spacing import tighten

_TOC_LINE = re.compile(r"^(?P<text>.*?\S)[ \t\u3000]*(?:\.{2,}|…+|‥+|・{3,})?[ \t\u3000]*\t[ \t]*(?P<page>\d{1,4})$"
                       r"|^(?P<text2>.*?\S)[ \t\u3000]*(?:\.{2,}|…+|‥+)[ \t\u3000]*(?P<page2>\d{1,4})$")
_DATE = re.compile(r"(?P<era>明治|大正|昭和|平成|令和)[ \t\u3000]*(?P<y>元|\d{1,2})[ \t\u3000]*年[ \t\u3000]*(?P<m>\d{1,2})[ \t\u3000]*月"
                   r"[ \t\u3000]*(?P<d>\d{1,2})[ \t\u3000]*日"
                   r"|(?P<gy>\d{4})[ \t\u3000]*年[ \t\u3000]*(?P<gm>\d{1,2})[ \t\u3000]*月[ \t\u3000]*(?P<gd>\d{1,2})[ \t\u3000]*日")


@dataclass(frozen=True)
class TocEntry:
    line: int
    marked: Marked
    title: str  # spacing tightened


@dataclass(frozen=True)
class CoverRevision:
    kind: str  # 決定 / 改定
    date: _dt.date
    body: str  # "" when the cover does not say
    line: int


@dataclass
class Front:
    body_start: int  # line of the first chapter heading (0: none found)
    title: str = ""
    title_line: int = 0
    revisions: list[CoverRevision] = field(default_factory=list)
    toc: list[TocEntry] = field(default_factory=list)
    cover_lines: list[int] = field(default_factory=list)
    toc_lines: list[int] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # front lines that are neither


def parse_date(text: str) -> tuple[_dt.date, re.Match] | None:
    m = _DATE.search(text)
    if not m:
        return None
    try:
        if m.group("era"):
            y = gregorian_year(m.group("era"), 1 if m.group("y") == "元" else int(m.group("y")))
            return _dt.date(y, int(m.group("m")), int(m.group("d"))), m
        return _dt.date(int(m.group("gy")), int(m.group("gm")), int(m.group("gd"))), m
    except ValueError:
        return None


def toc_entry(n: int, text: str) -> TocEntry | None:
    if len(text) > 300 or ("\t" not in text and ".." not in text and "…" not in text and "‥" not in text):
        return None  # a line of the table of contents is short and ends in leaders and a page number
    m = _TOC_LINE.match(text)
    if not m:
        return None
    marked = split_marker(m.group("text") or m.group("text2"))
    if marked is None or not marked.title:
        return None
    return TocEntry(n, marked, tighten(marked.title))


def is_chapter_heading(text: str, hashes: int, bold: bool) -> bool:
    marked = split_marker(text)
    return bool(marked and marked.literal and marked.literal.kind.name == "roman" and marked.title
                and not toc_entry(0, text) and (hashes or bold or not marked.glued))


def read_front(lines: tuple[str, ...]) -> Front:
    """Split the front matter (cover, table of contents) from the body."""
    start = 0
    for i, raw in enumerate(lines):
        text, hashes, bold, _ = undecorate(raw)
        if text and is_chapter_heading(text, hashes, bold):
            start = i + 1
            break
    front = Front(start)
    end = (start - 1) if start else len(lines)
    toc_at = next((i for i in range(end) if re.sub(r"[\s\u3000]", "", undecorate(lines[i])[0]) == "目次"), None)
    for i in range(end):
        n = i + 1
        text = undecorate(lines[i])[0]
        if not text:
            continue
        if toc_at is not None and i == toc_at:
            front.toc_lines.append(n)
            continue
        entry = toc_entry(n, text) if (toc_at is None or i > toc_at) else None
        if entry:
            front.toc.append(entry)
            front.toc_lines.append(n)
            continue
        if toc_at is not None and i > toc_at:
            front.skipped.append((n, text))
            continue
        _cover_line(front, n, text)
    return front


def _cover_line(front: Front, n: int, text: str) -> None:
    parsed = parse_date(text)
    if parsed is None:
        if not front.title:
            front.title, front.title_line = tighten(text), n
            front.cover_lines.append(n)
        elif text.rstrip().endswith("決定") and front.revisions and front.revisions[-1].kind == "決定" \
                and not front.revisions[-1].body:
            last = front.revisions.pop()
            front.revisions.append(CoverRevision("決定", last.date, tighten(text.rstrip()[:-2]), last.line))
            front.cover_lines.append(n)
        else:
            front.skipped.append((n, text))
        return
    date, m = parsed
    rest = (text[: m.start()] + text[m.end():]).strip()
    rest = re.sub(r"^[(（\s]+|[)）\s]+$", "", rest)
    kind = "改定" if "改定" in rest else "決定"
    body = re.sub(r"(?:一部)?(?:改定|決定)$", "", rest).strip()
    front.revisions.append(CoverRevision(kind, date, tighten(body), n))
    front.cover_lines.append(n)
