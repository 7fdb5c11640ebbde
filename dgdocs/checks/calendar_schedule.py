"""DG309 — a deadline the prose states for a piece of work and the 工程表 row that charts it.

DG304 checks that each bar or milestone of an appendix names the period its own quote gives.
What it cannot see is a deadline elsewhere in the section's prose — 「2024年度までに最適化を
実現する」 next to a quoted 「2021年度から設計開発を進め」 — while the row's bar ends in 2023.
Here each deadline of the prose (「2022年度までに」「2023年度中を目途」「2021年3月を目途に」) is
tied to the row whose work it speaks of: the row with a quote in the same sentence (the item
quoted nearest the deadline), or the only charted row of the section.  The row's work must
not run past the deadline, and a target date (「…を目途」「…中」) is where the work ends.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import itertools
import re
import unicodedata
from typing import Iterator

from ..model.record import record
from ..model import Appendix, Document, Finding, Loc, Milestone, Period, Row, Task
from .datetext import DateExpr, dated_units
from .registry import finding, rule
from .cache import per_document

# what makes a date a deadline: 「までに」「末までに」「中を目途」「を目途に」「目途」
DEADLINE = re.compile(r"(?P<when>末|中)?(?P<how>までに(?:は)?|まで(?=[、。にはを])|を目途|目途)")


def _quarter(day: _dt.date) -> tuple[int, int]:
    fy = day.year if day.month >= 4 else day.year - 1
    return fy, (day.month - 4) % 12 // 3 + 1


@record(slots=False)
class Deadline:
    expr: DateExpr
    written: str  # 「2024年度までに」
    start: int  # column in the sentence
    by: bool  # 「までに」: the work may end earlier; otherwise a target time (目途, 中)
    loc: Loc
    sentence: str
    section: str

    @property
    def quarters(self) -> tuple[tuple[int, int], tuple[int, int]] | None:
        span = self.expr.interval
        return None if span is None else (_quarter(span[0]), _quarter(span[1]))


def _norm(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


@per_document
def deadlines(doc: Document) -> tuple[Deadline, ...]:
    """Every deadline written in the prose, with its sentence (once per run)."""
    out = []
    for unit, exprs in dated_units(doc):
        if unit.kind != "prose":
            continue
        text = unit.nfkc
        ends = [i for i, ch in enumerate(text) if ch == "。"]  # the sentences, found once
        for e in exprs:
            m = DEADLINE.match(text, e.after)
            if m is None or not e.exists or e.inherited:
                continue
            k = bisect.bisect_left(ends, e.start)
            start = ends[k - 1] + 1 if k else 0
            sentence = text[start:ends[k] + 1] if k < len(ends) else text[start:]
            out.append(Deadline(e, text[e.start:m.end()], e.start - start, m.group("how").startswith("まで"),
                                unit.loc, sentence, unit.section))
    return tuple(out)


def _items(row: Row) -> list[Task | Milestone]:
    return list(row.tasks) + list(row.milestones)


def _end(item: Task | Milestone) -> Period | None:
    """Where an item ends: a task's last period (None when it runs on), a milestone's date."""
    if isinstance(item, Milestone):
        return item.at
    return item.end


@per_document
def _rows_for(doc: Document) -> dict[str, list[tuple[Appendix, Row]]]:
    out: dict[str, list[tuple[Appendix, Row]]] = {}
    for a in doc.appendices:
        for r in a.rows():
            if _items(r):
                out.setdefault(r.section, []).append((a, r))
    return out


def _candidates(doc: Document, sid: str) -> list[tuple[Appendix, Row]]:
    """The charted rows whose section is *sid* or contains it."""
    rows, out = _rows_for(doc), []
    for sec in doc.outline.ancestors(sid):
        out += rows.get(sec.id, [])
    return out


def _quoted(doc: Document, sentence: str, section: str) -> list[tuple[int, Appendix, Row, Task | Milestone, int, int]]:
    """(appendix number, appendix, row, item, start, end) of every quote of the section's
    charted rows found in *sentence* (normalised: NFKC, no spaces)."""
    norm = _norm(sentence)
    out = []
    for a, r in _candidates(doc, section):
        for item in _items(r):
            q = _norm(item.quote)
            i = norm.find(q) if q else -1
            if i >= 0:
                out.append((a.number, a, r, item, i, i + len(q)))
    return out


def _tied(doc: Document, d: Deadline, cache: dict) -> list[tuple[Appendix, Row, Task | Milestone | None]]:
    """The rows (and items) whose work the deadline speaks of: in each appendix, the row
    quoted in the deadline's sentence nearest the deadline, or else the appendix's only
    charted row for the section.  Empty when the deadline lies inside a quote (DG304's)."""
    key = (d.sentence, d.section)
    if key not in cache:  # the deadlines of one sentence share its quotes and its column map
        spaces = list(itertools.accumulate((ch.isspace() for ch in d.sentence), initial=0))
        cache[key] = (_quoted(doc, d.sentence, d.section), spaces)
    quoted_all, spaces = cache[key]
    col = d.start - spaces[d.start]  # the column in the sentence without its spaces
    rows = _candidates(doc, d.section)
    out = []
    for appendix in dict.fromkeys(a.number for a, _ in rows):
        mine = [(a, r) for a, r in rows if a.number == appendix]
        quoted = [x[1:] for x in quoted_all if x[0] == appendix]
        if any(start <= col < end for *_, start, end in quoted):
            return []  # the deadline is in a quote: DG304 compares it with that item
        if quoted:
            a, r, item, *_ = min(quoted, key=lambda x: min(abs(col - x[3]), abs(col - x[4])))
            out.append((a, r, item))
        elif len({r.id for _, r in mine}) == 1:
            a, r = mine[0]
            out.append((a, r, None))
    return out


def _keeps(d: Deadline, end: Period | None) -> bool:
    """Whether an item ending at *end* keeps the deadline: not later than it (a bar without
    an end runs past every deadline), and for a target time (目途, 中) not before it either."""
    q = d.quarters
    if q is None:
        return True
    if end is None:
        return False
    first, last = q
    return end.last <= last and (d.by or end.last >= first)


def _conflict(d: Deadline, ends: list[Period | None]) -> str | None:
    """Why the chart contradicts the deadline — none of *ends* keeps it — or None."""
    if d.quarters is None or not ends or any(_keeps(d, e) for e in ends):
        return None
    if any(e is None for e in ends):
        return "工程は期限の後も続いています"
    latest = max(e.last for e in ends if e is not None)
    if latest > d.quarters[1]:
        return f"工程は{_label(latest)}まで続いています"
    return f"工程は{_label(latest)}に終わっています"


def _label(q: tuple[int, int]) -> str:
    fy, n = q
    return f"{fy}年度第{n}四半期"


@rule("DG309", "本文の期限と、別紙の工程表の工程の終わりが合う", "warning",
       protects="本文が節の中で述べる期限（「2022年度までに」「2023年度中を目途」など）と、その取組を載せた別紙の行の工程の終わりが合っていることを確かめます。工程が期限より後まで続いている、目途の時期より前に終わっているときに知らせます（引用そのものの時期は DG304 が確かめます）。")
def prose_deadlines_match_roadmaps(doc: Document) -> Iterator[Finding]:
    """Each deadline of the prose that speaks of a charted row — the row quoted in the same
    sentence (its item nearest the deadline), or the only charted row of the section, in each
    appendix that charts it — is
    kept by the row: the item (or, for the row as a whole, one of its items) ends no later than
    the deadline (a bar without an end runs past every deadline), and at a target time
    (「…を目途」「…中」, unlike 「…までに」) not before it either.
    A deadline inside an item's own quote is DG304's."""
    cache: dict = {}
    for d in deadlines(doc):
        for a, row, item in _tied(doc, d, cache):
            ends = [_end(item)] if item is not None else [_end(i) for i in _items(row)]
            problem = _conflict(d, ends)
            if problem:
                what = f"「{item.label}」" if item is not None else ""
                yield finding(d.loc, f"本文は「{d.written}」としていますが、{a.label}の行「{row.title}」{what}の{problem}。",
                              f"本文の期限と、{a.path} の行「{row.id}」の工程（from / to / at）のどちらが正しいか確かめてください。",
                              [row.id, d.written, problem])
