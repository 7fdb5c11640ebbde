"""The formats of the reference syntax: Babel grouping and Gregorian dates, our 和暦."""

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
