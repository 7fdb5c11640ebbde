"""Dates as the plan writes them: 「2020年度」「令和元年12月20日」「2019年（平成31年）2月」「同年12月」.

:func:`date_expressions` reads every date expression of a (NFKC) text into a
:class:`DateExpr` — its calendar (西暦 or 和暦), its precision (年, 年度, 年月, 年月日), the
bracketed form in the other calendar that may follow it (「2019年（令和元年）」), and the
stretch of days it stands for.  A month written without a year (「12月12日まで」「同年12月」)
takes its year from the expression before it, as a reader does.  The patterns are linear:
no nested quantifiers, every repetition bounded.

Used by the date rules (DG306–DG308), the deadlines against the 工程表 (DG309) and the
citations (DG408).  Impossible dates (2月30日, 平成32年) are DG302's; here they carry no
interval and every rule passes over them.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Iterator

from ..model.record import record
from .. import wareki
from ..model import Document
from .cache import per_document
from .units import UnitView, views

ERA_NAMES = "明治|大正|昭和|平成|令和"
# a year (西暦, 和暦 or 同), optionally 度, then optionally month and day; or a bare month (and day)
DATE_RE = re.compile(
    r"(?:(?P<era>" + ERA_NAMES + r")(?P<n>元|\d{1,2})|(?<![\d,.])(?P<y>\d{4})|(?P<same>同))年(?P<fy>度)?"
    r"(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?)?"
    r"|(?<![\d,.年])(?P<bm>\d{1,2})月(?:(?P<bd>\d{1,2})日)?")
# what may stand inside the brackets after the other-calendar form: 「（令和2年度中）」
ALT_SUFFIX = re.compile(r"(?:中|末|頃|以降)?")


@record(slots=False)
class DateExpr:
    start: int  # column of the first character in the text it was read from
    end: int  # column after the last character (the bracketed alternative not included)
    text: str
    year: int | None  # Gregorian year (for 年度: the fiscal year); None when it cannot be known
    fiscal: bool = False
    month: int | None = None
    day: int | None = None
    era: str | None = None  # 元号 when written in 和暦
    era_n: int | None = None  # the era's year number (元年 = 1)
    inherited: bool = False  # the year was not written here (a bare month, or 「同年」)
    alt: "DateExpr | None" = None  # the bracketed form in the other calendar
    after: int = 0  # column after everything that belongs to the expression (brackets included)

    @property
    def precision(self) -> str:
        if self.day:
            return "day"
        if self.month:
            return "month"
        return "fiscal_year" if self.fiscal else "year"

    @property
    def interval(self) -> tuple[_dt.date, _dt.date] | None:
        """The first and last day the expression stands for; None for an impossible date."""
        y = self.year
        if y is None:
            return None
        try:
            if self.day:
                d = _dt.date(y, self.month or 0, self.day)
                return d, d
            if self.month:
                first = _dt.date(y, self.month, 1)
                nxt = _dt.date(y + (self.month == 12), self.month % 12 + 1, 1)
                return first, nxt - _dt.timedelta(days=1)
            if self.fiscal:
                return wareki.fiscal_year_bounds(y)
            return _dt.date(y, 1, 1), _dt.date(y, 12, 31)
        except ValueError:
            return None

    @property
    def exists(self) -> bool:
        """The date exists and a 和暦 year lies in its era (DG302 reports the others)."""
        span = self.interval
        if span is None:
            return False
        if not self.era:
            return True
        assert self.year is not None
        if self.day:
            era, n = wareki.era_at(span[0])
            return era.name == self.era and n == self.era_n
        if self.month:
            valid = wareki.eras_for_month(self.year, self.month)
        elif self.fiscal:
            valid = wareki.eras_for_fiscal_year(self.year)
        else:
            valid = wareki.eras_for_year(self.year)
        return any(e.name == self.era and k == self.era_n for e, k in valid)

    def describe(self) -> str:
        """The expression in 西暦 at its precision: 2019年12月20日, 2020年度, 2019年4月."""
        if self.year is None:
            return self.text
        if self.fiscal and not self.month:
            return f"{self.year}年度"
        return f"{self.year}年" + (f"{self.month}月" if self.month else "") + (f"{self.day}日" if self.day else "")


def replace(e: DateExpr, **changes) -> DateExpr:
    """:func:`dataclasses.replace`, without its introspection (it is called for every pair)."""
    fields = dict(e.__dict__)
    fields.update(changes)
    return DateExpr(**fields)


def _from_match(m: re.Match, previous: DateExpr | None) -> DateExpr:
    """A year-led expression (西暦, 和暦 or 同年) from a DATE_RE match."""
    era = m.group("era")
    era_n = (1 if m.group("n") == "元" else int(m.group("n"))) if era else None
    inherited = bool(m.group("same"))
    if m.group("y"):
        year: int | None = int(m.group("y"))
    elif era:
        year = wareki.gregorian_year(era, era_n or 1)
    else:
        year = previous.year if previous else None
    return DateExpr(m.start(), m.end(), m.group(0), year, bool(m.group("fy")),
                    int(m.group("m")) if m.group("m") else None, int(m.group("d")) if m.group("d") else None,
                    era, era_n, inherited, None, m.end())


def _bare_month_year(month: int, previous: DateExpr | None) -> int | None:
    """The year of 「12月」 written after *previous*: its calendar year, or for a 年度 the year
    that month falls in (1–3月 belong to the next calendar year)."""
    if previous is None or previous.year is None:
        return None
    if previous.fiscal and not previous.month:
        return previous.year + (1 if month <= 3 else 0)
    return previous.year


def date_expressions(text: str) -> list[DateExpr]:
    """Every date expression of *text* (NFKC-normalised: half-width brackets and digits), in
    order, each with the bracketed other-calendar form that follows it."""
    out: list[DateExpr] = []
    pos = 0
    while (m := DATE_RE.search(text, pos)) is not None:
        previous = out[-1] if out else None
        if m.group("bm"):
            month, day = int(m.group("bm")), (int(m.group("bd")) if m.group("bd") else None)
            if previous and previous.after == m.start() and previous.alt is not None and not previous.month:
                # 「2019年(平成31年)2月」: the month belongs to the year before the brackets
                out.pop()
                alt = replace(previous.alt, month=month, day=day)
                e = replace(previous, end=m.end(), text=text[previous.start:m.end()], month=month, day=day,
                            fiscal=False, alt=alt, after=m.end())
            else:
                e = DateExpr(m.start(), m.end(), m.group(0), _bare_month_year(month, previous), False, month, day,
                             inherited=True, after=m.end())
        else:
            e = _with_alternative(text, _from_match(m, previous))
        out.append(e)
        pos = max(e.after, m.end())
    return out


def _with_alternative(text: str, e: DateExpr) -> DateExpr:
    """*e* with the bracketed other-calendar form right after it: 「2019年(令和元年)」."""
    if e.inherited or not text.startswith("(", e.end):
        return e
    m = DATE_RE.match(text, e.end + 1)
    if m is None or m.group("bm") or m.group("same"):
        return e
    suffix = ALT_SUFFIX.match(text, m.end())
    close = suffix.end() if suffix else m.end()
    if not text.startswith(")", close) or bool(m.group("era")) == bool(e.era):
        return e  # not a bracket of its own, or the same calendar twice: not a pair
    return replace(e, alt=replace(_from_match(m, None), after=close + 1), after=close + 1)


CONNECTOR = re.compile(r"(?:から|~|〜|–|-)")


def periods(exprs: list[DateExpr], text: str) -> Iterator[tuple[DateExpr, DateExpr]]:
    """(start, end) of every period 「A から B」「A～B」 written with two date expressions."""
    for a, b in zip(exprs, exprs[1:]):
        gap = text[a.after:b.start]
        if CONNECTOR.fullmatch(gap):
            yield a, b


@per_document
def dated_units(doc: Document) -> tuple[tuple[UnitView, tuple[DateExpr, ...]], ...]:
    """Every text unit with a date in it and its date expressions, read once per run (the
    date rules, the citations and the deadlines all start here)."""
    out = []
    for unit in views(doc):
        if "年" in unit.nfkc or "月" in unit.nfkc:
            exprs = date_expressions(unit.nfkc)
            if exprs:
                out.append((unit, tuple(exprs)))
    return tuple(out)
