"""和暦 and 年度: the era table at its boundaries (Babel formats only the Gregorian calendar)."""

import datetime as dt

import pytest

from dgdocs import wareki


@pytest.mark.parametrize("day, expected", [
    (dt.date(2019, 4, 30), "平成31年4月30日"),
    (dt.date(2019, 5, 1), "令和元年5月1日"),
    (dt.date(2020, 3, 31), "令和2年3月31日"),
    (dt.date(2018, 6, 22), "平成30年6月22日"),
    (dt.date(1989, 1, 7), "昭和64年1月7日"),
    (dt.date(1989, 1, 8), "平成元年1月8日"),
    (dt.date(1926, 12, 25), "昭和元年12月25日"),
    (dt.date(1912, 7, 30), "大正元年7月30日"),
])
def test_dates_at_era_boundaries(day, expected):
    assert wareki.format_wareki_date(day) == expected


@pytest.mark.parametrize("fy, expected", [
    (2019, "令和元年度"), (2020, "令和2年度"), (2024, "令和6年度"), (2018, "平成30年度"),
    (1989, "平成元年度"), (1988, "昭和63年度"),
])
def test_fiscal_year_names(fy, expected):
    assert wareki.format_wareki_fiscal_year(fy) == expected


def test_fiscal_year_runs_april_to_march():
    assert wareki.fiscal_year_bounds(2020) == (dt.date(2020, 4, 1), dt.date(2021, 3, 31))
    assert wareki.fiscal_year_of(dt.date(2021, 3, 31)) == 2020
    assert wareki.fiscal_year_of(dt.date(2021, 4, 1)) == 2021


def test_years_of_change_have_both_names():
    names = {wareki.era_year_text(e, n) for e, n in wareki.eras_for_year(2019)}
    assert names == {"平成31年", "令和元年"}
    names = {wareki.era_year_text(e, n) + "度" for e, n in wareki.eras_for_fiscal_year(2019)}
    assert names == {"平成31年度", "令和元年度"}  # FY2019 began as 平成31年度
    # 1988年度 ended in 平成 but is only 昭和63年度 (平成0年度 does not exist)
    assert [wareki.era_year_text(e, n) for e, n in wareki.eras_for_fiscal_year(1988)] == ["昭和63年"]


def test_months_of_change():
    assert [wareki.era_year_text(e, n) for e, n in wareki.eras_for_month(2019, 4)] == ["平成31年"]
    assert [wareki.era_year_text(e, n) for e, n in wareki.eras_for_month(2019, 5)] == ["令和元年"]


def test_parse_and_back():
    assert wareki.parse_era_year("令和元年") == ("令和", 1)
    assert wareki.parse_era_year("平成31年度") == ("平成", 31)
    assert wareki.gregorian_year("令和", 2) == 2020
    assert wareki.gregorian_year("平成", 31) == 2019
    with pytest.raises(ValueError):
        wareki.parse_era_year("令和")
