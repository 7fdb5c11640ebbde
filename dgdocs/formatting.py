"""Formatting of data values for Japanese prose: the formats of the reference syntax.

``{{ path }}`` formats a value by its type; ``{{ path | format }}`` picks a format
from :data:`FORMATS`.  Babel formats Gregorian dates (imported when a date is formatted);
和暦 and 年度 come from :mod:`dgdocs.wareki`.  Numbers are grouped as Babel's ja_JP
locale groups them — 「,」 every three digits, 「.」 before the decimals, 「-」 before a
negative number — by Python's own format: loading Babel's locale data cost a fresh
``dgdocs check`` ≈ 20 ms for a few dozen numbers.  tests/test_formatting.py holds the two
equal, value by value.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any, Callable

from . import wareki

LOCALE = "ja_JP"


class FormatError(ValueError):
    """A value cannot be shown in the requested format."""


def _number(value: Any) -> Decimal | int:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise FormatError(f"数値ではありません: {value!r}")
    return value


def _year(value: Any) -> int:
    if isinstance(value, _dt.date):
        return value.year
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise FormatError(f"年（西暦の整数）または日付ではありません: {value!r}")


def grouped(value: Any) -> str:
    """4860 → 4,860; 114.6 → 114.6 (decimals as written)."""
    v = _number(value)
    if isinstance(v, Decimal):
        places = max(0, -v.as_tuple().exponent)
        return format(v, f",.{places}f")  # exactly the decimals written: no rounding
    return format(v, ",")


def nogroup(value: Any) -> str:
    """4860 → 4860 (no digit grouping)."""
    v = _number(value)
    return str(v)


def gregorian_date(value: Any) -> str:
    """2020-03-31 → 2020年3月31日."""
    if not isinstance(value, _dt.date):
        raise FormatError(f"日付ではありません: {value!r}")
    from babel.dates import format_date

    return format_date(value, "y年M月d日", locale=LOCALE)


def wareki_date(value: Any) -> str:
    """2020-03-31 → 令和2年3月31日; a year 2019 → 令和元年."""
    if isinstance(value, _dt.date):
        return wareki.format_wareki_date(value)
    return wareki.format_wareki_year(_year(value))


def nendo(value: Any) -> str:
    """2020 → 2020年度 (the fiscal year of a date: 2021-03-31 → 2020年度)."""
    if isinstance(value, _dt.date):
        return f"{wareki.fiscal_year_of(value)}年度"
    return f"{_year(value)}年度"


def wareki_nendo(value: Any) -> str:
    """2019 → 令和元年度."""
    fy = wareki.fiscal_year_of(value) if isinstance(value, _dt.date) else _year(value)
    return wareki.format_wareki_fiscal_year(fy)


def year(value: Any) -> str:
    """2020 → 2020年."""
    return f"{_year(value)}年"


def default(value: Any) -> str:
    """Format by type: numbers grouped, dates Gregorian, text as is."""
    if isinstance(value, bool):
        raise FormatError("真偽値は本文に表示できません")
    if isinstance(value, (int, Decimal)):
        return grouped(value)
    if isinstance(value, _dt.date):
        return gregorian_date(value)
    if isinstance(value, str):
        return value
    raise FormatError(f"本文に表示できない値です: {value!r}")


FORMATS: dict[str, Callable[[Any], str]] = {
    "number": grouped,
    "nogroup": nogroup,
    "date": gregorian_date,
    "wareki": wareki_date,
    "nendo": nendo,
    "wareki_nendo": wareki_nendo,
    "year": year,
}


def format_value(value: Any, fmt: str | None) -> str:
    if fmt is None:
        return default(value)
    try:
        func = FORMATS[fmt]
    except KeyError:
        raise FormatError(f"書式「{fmt}」はありません（使える書式: {', '.join(FORMATS)}）") from None
    return func(value)
