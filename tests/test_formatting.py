"""The formats of the reference syntax: grouping as Babel groups in ja_JP, Babel's Gregorian dates, our 和暦."""

import datetime as dt
from decimal import Decimal

import pytest

from dgdocs.formatting import FormatError, format_value


@pytest.mark.parametrize("value, fmt, expected", [
    (4860, None, "4,860"),
    (4860, "nogroup", "4860"),
    (Decimal("114.6"), None, "114.6"),
    (Decimal("1135.50"), None, "1,135.50"),
    (dt.date(2020, 3, 31), None, "2020年3月31日"),
    (dt.date(2020, 3, 31), "wareki", "令和2年3月31日"),
    (dt.date(2018, 6, 22), "wareki", "平成30年6月22日"),
    (2019, "wareki", "令和元年"),
    (2020, "nendo", "2020年度"),
    (2019, "wareki_nendo", "令和元年度"),
    (dt.date(2021, 3, 31), "nendo", "2020年度"),
    (2020, "year", "2020年"),
    ("テキスト", None, "テキスト"),
])
def test_formats(value, fmt, expected):
    assert format_value(value, fmt) == expected


@pytest.mark.parametrize("value, fmt", [
    ("文字", "nogroup"), (True, None), (dt.date(2020, 1, 1), "nogroup"), (4860, "nosuch"),
])
def test_impossible_formats_are_errors(value, fmt):
    with pytest.raises(FormatError):
        format_value(value, fmt)


def _numbers():
    """Integers and decimals of every shape: signs, every length up to 22 digits, 0–6 places,
    trailing zeros, negative zero, exponents (1E+3), and the plan's own data values."""
    import random

    rnd = random.Random(14)
    out: list = [0, -1, 1]
    for digits in range(1, 23):
        for v in (10 ** digits - 1, 10 ** digits, 10 ** (digits - 1) + 1, rnd.randrange(10 ** (digits - 1), 10 ** digits)):
            out += [v, -v]
    for places in range(0, 7):
        for _ in range(40):
            text = f"{rnd.randrange(0, 10 ** rnd.randrange(1, 12))}.{rnd.randrange(0, 10 ** places):0{places}d}" if places \
                else str(rnd.randrange(0, 10 ** 9))
            out += [Decimal(text), Decimal("-" + text)]
    out += [Decimal(t) for t in ("-0", "-0.0", "0.000", "1E+3", "-2.5E+4", "1.20", "1135.50", "0.05", "1E-7")]
    return out


def test_numbers_are_grouped_exactly_as_babel_groups_them_in_ja_jp():
    """dgdocs groups numbers with Python's format (Babel's locale data cost a fresh `dgdocs check`
    ≈ 20 ms); the result is Babel's ja_JP formatting, value by value, the plan's own values too."""
    from babel.numbers import format_decimal

    from conftest import CONTENT
    from dgdocs.formatting import grouped
    from dgdocs.load import load

    def babel(v):
        if isinstance(v, Decimal):
            places = max(0, -v.as_tuple().exponent)
            return format_decimal(v, format="#,##0." + "0" * places if places else "#,##0", locale="ja_JP")
        return format_decimal(v, locale="ja_JP")

    plan = [d.value for d in load(CONTENT).values.values()
            if isinstance(d.value, (int, Decimal)) and not isinstance(d.value, bool)]
    assert len(plan) >= 10  # the data of the plan was read (20 numbers today)
    values = _numbers() + plan
    assert [grouped(v) for v in values] == [babel(v) for v in values]
