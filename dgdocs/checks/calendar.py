"""DG3xx — the calendar: 西暦/和暦 pairs, possible dates, deadlines in the plan period."""

from __future__ import annotations

import calendar as _cal
import datetime as _dt
import re
from typing import Iterator

from .. import wareki
from ..model import Document, Finding, Loc, Period
from .registry import finding, rule
from .text import nfkc, text_units, without_references
from .units import as_written

ERA = r"(?P<era>明治|大正|昭和|平成|令和)\s*(?P<n>元|\d{1,2})\s*年"
PAIR_WEST_FIRST = re.compile(
    r"(?P<y>\d{4})\s*年(?P<fy>度)?\s*\(\s*" + ERA + r"(?P<fy2>度)?[^()]{0,4}\)\s*(?:(?P<m>\d{1,2})\s*月)?")
PAIR_ERA_FIRST = re.compile(
    ERA + r"(?P<fy>度)?\s*\(\s*(?P<y>\d{4})\s*年(?P<fy2>度)?[^()]{0,4}\)\s*(?:(?P<m>\d{1,2})\s*月)?")
WEST_DATE = re.compile(r"(?<!\d)(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
ERA_DATE = re.compile(ERA + r"\s*(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*日)?")
ERA_YEAR = re.compile(ERA + r"(?P<fy>度)?")
MONTH_DAY = re.compile(r"(?<![\d年])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
MONTH = re.compile(r"(?<![\d])(?P<m>\d{1,2})\s*月(?!\s*\d)")


def _n(m: re.Match) -> int:
    return 1 if m.group("n") == "元" else int(m.group("n"))


def _names(pairs) -> str:
    return "・".join(wareki.era_year_text(e, n) for e, n in pairs)


@rule("DG301", "西暦と和暦の組が一致する",
       protects="「2019年（令和元年）」「2020年度（令和2年度）」のような西暦と和暦の組が合っていることを、書かれた精度で確かめます（月があれば月で、年度は4月〜翌年3月で。令和は2019年5月1日から）。")
def western_and_era_years_agree(doc: Document) -> Iterator[Finding]:
    """Every 「2019年（令和元年）」「2020年度（令和2年度）」 pair in the prose and the data agrees,
    at the precision it is written: a month makes the era exact (2019年4月 is 平成31年, 2019年5月
    令和元年), a 年度 runs April–March (2019年度 is 令和元年度, or 平成31年度 as it began).
    """
    for unit in text_units(doc):
        raw = without_references(unit.text)
        text = nfkc(raw)
        if "年" not in text:
            continue  # every pair has a 年
        for rx in (PAIR_WEST_FIRST, PAIR_ERA_FIRST):
            for m in rx.finditer(text):
                y = int(m.group("y"))
                era, n = m.group("era"), _n(m)
                if m.group("fy") or m.group("fy2"):
                    valid = wareki.eras_for_fiscal_year(y)
                    what = f"{y}年度"
                elif m.group("m") and 1 <= int(m.group("m")) <= 12:
                    valid = wareki.eras_for_month(y, int(m.group("m")))
                    what = f"{y}年{int(m.group('m'))}月"
                else:
                    valid = wareki.eras_for_year(y)
                    what = f"{y}年"
                if not any(e.name == era and k == n for e, k in valid):
                    written, col = as_written(raw, m.start(), m.end())  # quoted as the editor typed it
                    loc = Loc(unit.loc.file, unit.loc.line, (unit.loc.col if unit.kind != "prose" else col + 1))
                    yield finding(loc, f"「{written.strip()}」の和暦が西暦と合いません（{what}は{_names(valid)}）。",
                                  "西暦と和暦のどちらが正しいか確かめてください（令和は2019年5月1日から、年度は4月から翌年3月まで）。",
                                  [unit.section, m.group(0).strip()])


@rule("DG302", "存在しない日付がない",
       protects="存在しない日付（2月30日、13月、平成32年、令和元年4月1日など）がないことを確かめます。")
def dates_exist(doc: Document) -> Iterator[Finding]:
    """Every date written exists: no 2月30日, no 13月, no 平成32年 or 令和元年4月 (before
    令和 began), no era year after its era ended."""
    for unit in text_units(doc):
        text = nfkc(without_references(unit.text))
        if "年" not in text and "月" not in text:
            continue  # every date has a 年 or a 月

        def at(m: re.Match) -> Loc:
            return Loc(unit.loc.file, unit.loc.line, m.start() + 1 if unit.kind == "prose" else unit.loc.col)

        for m in WEST_DATE.finditer(text):
            try:
                _dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            except ValueError:
                yield finding(at(m), f"「{m.group(0)}」は存在しない日付です。", "日付を確かめてください。", [unit.section, m.group(0)])
        for m in ERA_YEAR.finditer(text):
            era, n = m.group("era"), _n(m)
            gy = wareki.gregorian_year(era, n)
            valid = wareki.eras_for_fiscal_year(gy) if m.group("fy") else wareki.eras_for_year(gy)
            if not any(e.name == era and k == n for e, k in valid):
                yield finding(at(m), f"「{m.group(0)}」は存在しません（{gy}年{'度' if m.group('fy') else ''}は{_names(valid) or '—'}）。",
                              "元号と年を確かめてください。", [unit.section, m.group(0)])
        for m in ERA_DATE.finditer(text):
            era, n = m.group("era"), _n(m)
            gy, mo = wareki.gregorian_year(era, n), int(m.group("m"))
            if not 1 <= mo <= 12:
                continue  # reported as an impossible month below
            day = int(m.group("d")) if m.group("d") else None
            try:
                probe = _dt.date(gy, mo, day or 1)
            except ValueError:
                yield finding(at(m), f"「{m.group(0)}」は存在しない日付です。", "日付を確かめてください。", [unit.section, m.group(0)])
                continue
            names = wareki.eras_for_month(gy, mo) if day is None else [wareki.era_at(probe)]
            if not any(e.name == era for e, _ in names):
                yield finding(at(m), f"「{m.group(0)}」は{era}の期間にありません（{gy}年{mo}月{'' if day is None else f'{day}日'}は{_names(names)}）。",
                              "元号と日付を確かめてください（令和は2019年5月1日から）。", [unit.section, m.group(0)])
        for m in MONTH_DAY.finditer(text):
            mo, d = int(m.group("m")), int(m.group("d"))
            if not (1 <= mo <= 12 and 1 <= d <= _cal.monthrange(2020, mo)[1]):
                yield finding(at(m), f"「{m.group(0)}」は存在しない日付です。", "日付を確かめてください。", [unit.section, m.group(0)])
        for m in MONTH.finditer(text):
            if not 1 <= int(m.group("m")) <= 12:
                yield finding(at(m), f"「{m.group(0)}」は存在しない月です。", "月を確かめてください。", [unit.section, m.group(0)])


@rule("DG303", "KPI の期限が計画期間内にあるか、期間後と明示されている",
       protects="KPI の期限（target.by）が計画期間（2020〜2024年度）の中にあるか、期間後であることが明示（beyond_plan）されていることを確かめます。期限の文言（by_text）とも合わせます。")
def kpi_deadlines_in_plan_period(doc: Document) -> Iterator[Finding]:
    """A KPI deadline (``target.by``) lies in the plan period (2020〜2024年度) or is marked
    ``beyond_plan``; the deadline's words (``by_text``) name that year and stand in the KPI
    line's wording."""
    lo, hi = doc.plan.period_from, doc.plan.period_to
    for line in doc.kpi_lines:
        wording = nfkc("".join(line.text))
        for k in line.kpis:
            t = k.target
            if t is None:
                continue
            if t.by is not None:
                if t.by > hi and not t.beyond_plan:
                    yield finding(t.loc, f"KPI「{k.id}」の期限 {t.by}年度 は計画期間（{lo}〜{hi}年度）の後です。",
                                  "計画期間後の目標であれば target に beyond_plan: true を書いてください。", [k.id, f"by={t.by}"])
                if t.beyond_plan and t.by <= hi:
                    yield finding(t.loc, f"KPI「{k.id}」に beyond_plan がありますが、期限 {t.by}年度 は計画期間内です。",
                                  "beyond_plan を削除してください。", [k.id, f"by={t.by}", "beyond_plan"])
                if t.by < lo:
                    yield finding(t.loc, f"KPI「{k.id}」の期限 {t.by}年度 は計画期間（{lo}〜{hi}年度）より前です。",
                                  "期限を確かめてください。", [k.id, f"by={t.by}"])
                years = {int(y) for y in re.findall(r"(\d{4})年", nfkc(t.by_text))}
                years |= {wareki.gregorian_year(m.group("era"), _n(m)) for m in ERA_YEAR.finditer(nfkc(t.by_text))}
                if t.by_text and years and t.by not in years:
                    yield finding(t.loc, f"KPI「{k.id}」の期限 {t.by}年度 と、期限の文言「{t.by_text}」の年が合いません。",
                                  "by と by_text を揃えてください。", [k.id, f"by={t.by}", t.by_text])
            if t.by_text and nfkc(t.by_text) not in wording:
                yield finding(t.loc, f"KPI「{k.id}」の期限の文言「{t.by_text}」が KPI 行の文言にありません。",
                              "by_text には KPI 行（text）に書かれている期限の言葉をそのまま書いてください。",
                              [k.id, t.by_text], severity="warning")


def _names_period(p: Period, quote: str) -> bool:
    """Whether *quote* (westernised, without spaces) names the period *p*."""
    if p.precision == "fiscal_year":
        return f"{p.first_fy}年度" in quote
    if p.precision == "calendar_year":
        return re.search(rf"{p.text[2:]}年(?!度)", quote) is not None
    if p.precision == "month":
        y, mo = (int(x) for x in p.text.split("-"))
        months = [mo]
    else:
        fy, q = p.first
        months = [((q - 1) * 3 + 3 + i) % 12 + 1 for i in range(3)]
        if f"{fy}年度" in quote:
            return True
        y = fy
    for mo in months:
        year = y + (1 if p.precision == "quarter" and mo < 4 else 0)
        # 「2019年(平成31年)2月」「2019年11月13日から12月12日まで」「同年12月」
        if re.search(rf"(?<!\d){mo}月", quote) and (f"{year}年" in quote or "同年" in quote):
            return True
    return False


def _westernise(text: str) -> str:
    """平成30年1月 → 2018年1月 (so that a quote in 和暦 still names its year)."""
    return ERA_YEAR.sub(lambda m: f"{wareki.gregorian_year(m.group('era'), _n(m))}年{m.group('fy') or ''}", text)


@rule("DG304", "別紙の工程の時期が、引用した本文の記載と合う", "warning",
       protects="別紙の工程・時期が、引用した本文の記載（quote）に書かれている時期と合っていることを確かめます。本文にない日付が別紙に入り込むのを防ぎます。")
def appendix_dates_match_their_quotes(doc: Document) -> Iterator[Finding]:
    """Each task and milestone of an appendix quotes the sentence of the plan that gives its
    date; the quote names the period encoded (its 年度, 年 or 年月).  A date the plan does not
    state cannot hide behind an unrelated quote."""
    for a in doc.appendices:
        for row in a.rows():
            for item in list(row.tasks) + list(row.milestones):
                periods = [item.start] + ([item.end] if item.end else []) if hasattr(item, "start") else [item.at]
                quote = _westernise(nfkc(item.quote)).replace(" ", "")
                for p in periods:
                    if not _names_period(p, quote):
                        yield finding(item.loc, f"{a.label}の行「{row.id}」の時期 {p.text} が、引用「{item.quote}」に見当たりません。",
                                      "時期を本文の記載に合わせるか、その時期を述べた本文の文を quote に引用してください。",
                                      [row.id, item.label, p.text])


def _outside_plan_period(lo: int, hi: int, first: Period, last: Period, before: bool, beyond: bool, what: str):
    """(message, hint, what is wrong) for a stretch of the 工程表 against the plan period."""
    starts_before = first.nominal_years[0] < lo
    ends_after = last.nominal_years[1] > hi
    period = f"計画期間（{lo}〜{hi}年度）"
    cases = (
        (starts_before and not before, f"{what}は{period}より前に始まっています（{first.text}）。",
         "計画期間の前のことであれば before_plan: true を書いてください。日付の誤りなら直してください。", "before"),
        (ends_after and not beyond, f"{what}は{period}より後に及んでいます（{last.text}）。",
         "計画期間の後のことであれば beyond_plan: true を書いてください。日付の誤りなら直してください。", "after"),
        (before and not starts_before, f"{what}に before_plan: true がありますが、計画期間内に始まっています（{first.text}）。",
         "before_plan を削除してください。", "before_plan"),
        (beyond and not ends_after, f"{what}に beyond_plan: true がありますが、計画期間内に終わっています（{last.text}）。",
         "beyond_plan を削除してください。", "beyond_plan"),
    )
    return [(message, hint, kind) for wrong, message, hint, kind in cases if wrong]


@rule("DG305", "別紙の工程・時期が計画期間内にあるか、期間外と明示されている",
       protects="別紙の工程（tasks）と時期（milestones）が計画期間（2020〜2024年度）の中にあるか、期間の前・後であることが明示（before_plan / beyond_plan）されていること、明示が実際の期間と合うことを確かめます。")
def appendix_periods_in_plan_period(doc: Document) -> Iterator[Finding]:
    """Every task and milestone of the appendices lies in the plan period, or says that it
    starts before it (``before_plan``) or reaches beyond it (``beyond_plan``) — and such a
    mark stands only where it is true.  A year typed wrong (2052 for 2025) is caught here; a
    roadmap bar that the plan itself draws past its period is drawn into the 「計画期間後」
    column only when the content says so.

    (It was a loader rule, DG008, until the loader became a package of readers: it compares
    two files' values, which is a check's job.)"""
    lo, hi = doc.plan.period_from, doc.plan.period_to
    for a in doc.appendices:
        for row in a.rows():
            stretches = [(t, t.start, t.end or t.start, "工程") for t in row.tasks]
            stretches += [(m, m.at, m.at, "マイルストーン") for m in row.milestones]
            for item, first, last, kind in stretches:
                for message, hint, what in _outside_plan_period(lo, hi, first, last, item.before_plan, item.beyond_plan,
                                                                  f"行「{row.id}」の{kind}"):
                    yield finding(item.loc, message, hint, [row.id, item.label, first.text, what])
