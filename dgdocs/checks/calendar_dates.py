"""DG306–DG308 — dates that contradict themselves: a wrong weekday, a period that ends
before it starts, a 和暦/西暦 pair that disagrees at the month or the day."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Iterator

from .. import wareki
from ..model import Document, Finding
from .datetext import DateExpr, dated_units, periods
from .registry import finding, rule

WEEKDAYS = "月火水木金土日"  # date.weekday(): Monday is 0
WEEKDAY_RE = re.compile(r"\((?P<w>[月火水木金土日])(?:曜日?)?(?:・(?:祝|休)日?)?\)")


@rule("DG306", "日付に添えた曜日が合っている",
       protects="「2020年3月31日（火）」のように日付に曜日を添えたとき、その日の曜日と合っていることを確かめます（和暦の日付も西暦に直して確かめます）。")
def weekdays_match(doc: Document) -> Iterator[Finding]:
    """A weekday written after a date (「2020年3月31日（月）」) is that date's weekday.

    A date copied from an earlier plan with its weekday, or a day corrected without its
    weekday, leaves the two disagreeing; a reader cannot tell which one is right.  Dates in
    和暦 are converted; a month-day without a year takes the year of the date before it.
    """
    for unit, exprs in dated_units(doc):
        for e in exprs:
            if not e.day or not e.exists:
                continue
            m = WEEKDAY_RE.match(unit.nfkc, e.after)
            if m is None:
                continue
            day = e.interval[0]  # type: ignore[index]
            actual = WEEKDAYS[day.weekday()]
            if m.group("w") != actual:
                written = unit.written(e.start, m.end())
                yield finding(unit.at_nfkc(e.start), f"「{written}」の曜日が違います（{e.describe()}は{actual}曜日）。",
                              "日付と曜日のどちらが正しいか確かめてください。", [unit.section, written])


@rule("DG307", "期間の終わりが始まりより前でない",
       protects="「2021年度から2022年度まで」「2020年12月～2021年7月」のような期間で、終わりが始まりより前になっていないことを確かめます（「2022年4月から2021年3月まで」は誤り）。")
def periods_run_forward(doc: Document) -> Iterator[Finding]:
    """The end of a period written 「A から B」 or 「A～B」 does not lie before its start.

    Both ends are read at the precision written (年, 年度, 年月, 年月日) and compared as the
    stretches of days they stand for: 「2021年度から2021年4月まで」 is fine, 「2022年4月から
    2021年3月まで」 is not.  An end written without its year (「11月13日から12月12日まで」)
    takes the start's year and is not reported: the writer may mean the next year.
    """
    for unit, exprs in dated_units(doc):
        for a, b in periods(list(exprs), unit.nfkc):
            if b.inherited and not b.text.startswith("同"):
                continue
            sa, sb = a.interval, b.interval
            if sa is None or sb is None or not a.exists or not b.exists:
                continue
            if sb[1] < sa[0]:
                written = unit.written(a.start, b.after)
                yield finding(unit.at_nfkc(a.start), f"「{written}」の終わり（{b.describe()}）が始まり（{a.describe()}）より前です。",
                              "始まりと終わりの年・年度・月を確かめてください。", [unit.section, written])


def _pair_disagrees(e: DateExpr) -> str | None:
    """Why the pair *e* (with its bracketed alternative) disagrees, or None."""
    alt = e.alt
    assert alt is not None
    if not e.exists or not alt.exists or e.year is None or alt.year is None:
        return None  # an impossible date is DG302's
    era_side, west_side = (e, alt) if e.era else (alt, e)
    # the precision both sides share: a month or day written on one side only still fixes the era
    month = e.month or alt.month
    day = e.day or alt.day
    if e.month and alt.month and (e.month, e.day) != (alt.month, alt.day):
        return "月日が違います"
    if west_side.fiscal != era_side.fiscal and not month:
        return "年と年度が混じっています"
    y = west_side.year
    if day and month:
        try:
            era, n = wareki.era_at(_dt.date(y, month, day))
        except ValueError:
            return None
        valid = [(era, n)]
    elif month:
        valid = wareki.eras_for_month(y, month)
    elif west_side.fiscal:
        valid = wareki.eras_for_fiscal_year(y)
    else:
        valid = wareki.eras_for_year(y)
    if not any(v.name == era_side.era and k == era_side.era_n for v, k in valid):
        names = "・".join(wareki.era_year_text(v, k) for v, k in valid)
        when = f"{y}年{month}月" + (f"{day}日" if day else "") if month else west_side.describe()
        return f"{when}は{names}です"
    return None


@rule("DG308", "和暦と西暦の組が月・日まで一致する",
       protects="「令和元年12月（2019年12月）」「2019年12月20日（令和元年12月20日）」のように、月や日まで書いた和暦と西暦の組が一致することを確かめます（年・年度だけの組は DG301 が確かめます）。令和は2019年5月1日からです。")
def era_pairs_with_month_or_day(doc: Document) -> Iterator[Finding]:
    """A 和暦 and a 西暦 written together agree at the month or the day, whichever is first:
    「令和元年12月（2019年12月）」「2019年4月（平成31年4月）」「令和元年12月20日（2019年12月20日）」.

    DG301 checks the pairs of years and 年度 (「2019年（令和元年）12月」, a month after the
    brackets included); this rule takes the pairs with a month or a day before or inside the
    brackets, in either order, so that no precision escapes.  A month or day written on one
    side only still decides the era: 「2019年4月（令和元年）」 is wrong, April 2019 was 平成31年.
    """
    for unit, exprs in dated_units(doc):
        for e in exprs:
            if e.alt is None:
                continue
            month_before = e.month is not None and "(" not in e.text  # not 「2019年(令和元年)12月」
            if not (month_before or "月" in e.alt.text):
                continue  # a pair of years: DG301's
            problem = _pair_disagrees(e)
            if problem:
                written = unit.written(e.start, e.after)
                yield finding(unit.at_nfkc(e.start), f"「{written}」の和暦と西暦が合いません（{problem}）。",
                              "和暦と西暦のどちらが正しいか確かめてください（令和は2019年5月1日から、年度は4月から翌年3月まで）。",
                              [unit.section, written])
