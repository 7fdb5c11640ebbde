"""和暦 (Japanese era) and 年度 (fiscal year) arithmetic.

Babel formats only the Gregorian calendar (python-babel issue 810), so the era
table is ours: small, explicit and tested at every boundary.

Conventions used throughout dgdocs:

* An era year is written with 元 for year 1 (令和元年).
* 年度 (fiscal year) *Y* runs from Y-04-01 to (Y+1)-03-31.
* A fiscal or calendar year during which the era changed has two valid names:
  2019年 is 平成31年 and 令和元年; 2019年度 is 平成31年度 (the name used while it
  began) and 令和元年度 (the name used since).  Formatting picks the newer era,
  checking accepts both.  A name whose year number would be 0 or less (平成0年度
  for 1988年度, which merely ended in 平成) is not valid.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Era:
    name: str
    start: _dt.date  # first day of the era


# Oldest first.  明治 is counted from the Gregorian calendar's adoption in Japan.
ERAS: tuple[Era, ...] = (
    Era("明治", _dt.date(1873, 1, 1)),
    Era("大正", _dt.date(1912, 7, 30)),
    Era("昭和", _dt.date(1926, 12, 25)),
    Era("平成", _dt.date(1989, 1, 8)),
    Era("令和", _dt.date(2019, 5, 1)),
)
ERA_BY_NAME = {e.name: e for e in ERAS}
_MEIJI_START_YEAR = 1868  # 明治元年; years before 1873 are not supported


def _era_end(era: Era) -> _dt.date:
    i = ERAS.index(era)
    if i + 1 < len(ERAS):
        return ERAS[i + 1].start - _dt.timedelta(days=1)
    return _dt.date.max


def _era_start_year(era: Era) -> int:
    return _MEIJI_START_YEAR if era.name == "明治" else era.start.year


def era_at(day: _dt.date) -> tuple[Era, int]:
    """The era in effect on *day* and the era year."""
    for era in reversed(ERAS):
        if day >= era.start:
            return era, day.year - _era_start_year(era) + 1
    raise ValueError(f"{day} は対応する元号の範囲外です（明治6年以降に対応）")


def eras_between(first: _dt.date, last: _dt.date, numbering_year: int) -> list[tuple[Era, int]]:
    """Every era in effect at some day of [first, last], numbered for *numbering_year*.

    Newest era first.  Eras whose number would be < 1 are left out.
    """
    out = []
    for era in reversed(ERAS):
        if era.start <= last and _era_end(era) >= first:
            n = numbering_year - _era_start_year(era) + 1
            if n >= 1:
                out.append((era, n))
    return out


def eras_for_year(year: int) -> list[tuple[Era, int]]:
    """Valid era names of the calendar year *year* (newest first)."""
    return eras_between(_dt.date(year, 1, 1), _dt.date(year, 12, 31), year)


def eras_for_month(year: int, month: int) -> list[tuple[Era, int]]:
    first = _dt.date(year, month, 1)
    last = (_dt.date(year + month // 12, month % 12 + 1, 1)) - _dt.timedelta(days=1)
    return eras_between(first, last, year)


def eras_for_fiscal_year(fy: int) -> list[tuple[Era, int]]:
    """Valid era names of the fiscal year *fy* (年度, April–March), newest first."""
    first, last = fiscal_year_bounds(fy)
    return eras_between(first, last, fy)


def fiscal_year_bounds(fy: int) -> tuple[_dt.date, _dt.date]:
    return _dt.date(fy, 4, 1), _dt.date(fy + 1, 3, 31)


def fiscal_year_of(day: _dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def era_year_text(era: Era, n: int) -> str:
    return f"{era.name}{'元' if n == 1 else n}年"


def format_wareki_date(day: _dt.date) -> str:
    """2020-03-31 → 令和2年3月31日."""
    era, n = era_at(day)
    return f"{era_year_text(era, n)}{day.month}月{day.day}日"


def format_wareki_year(year: int) -> str:
    """2019 → 令和元年 (the newer era of a year of change)."""
    eras = eras_for_year(year)
    if not eras:
        raise ValueError(f"{year}年は対応する元号の範囲外です")
    return era_year_text(*eras[0])


def format_wareki_fiscal_year(fy: int) -> str:
    """2019 → 令和元年度."""
    eras = eras_for_fiscal_year(fy)
    if not eras:
        raise ValueError(f"{fy}年度は対応する元号の範囲外です")
    return era_year_text(*eras[0]) + "度"


_WAREKI_RE = re.compile(r"(明治|大正|昭和|平成|令和)\s*(元|\d{1,2})\s*年")


def parse_era_year(text: str) -> tuple[str, int]:
    """'令和元年' → ('令和', 1); '平成31年' → ('平成', 31)."""
    m = _WAREKI_RE.fullmatch(text.strip().removesuffix("度"))
    if not m:
        raise ValueError(f"和暦の年として読めません: {text!r}")
    return m.group(1), 1 if m.group(2) == "元" else int(m.group(2))


def gregorian_year(era_name: str, n: int) -> int:
    """('令和', 2) → 2020."""
    era = ERA_BY_NAME[era_name]
    return _era_start_year(era) + n - 1
