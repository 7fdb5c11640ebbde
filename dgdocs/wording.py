"""The plan's own words for values of the model: KPI targets, deadlines and baselines, revision
lines, fiscal years and the periods of the 工程表.

Shared by every renderer (HTML, PDF, open data, search, plain text) and by the 新旧対照表, so
that a KPI reads the same on the site, in print and in the comparison.  Below the renderers:
imports only the model and the formatting of values.
"""

from __future__ import annotations

from . import formatting, wareki
from .model import Baseline, Kpi, Number, Period, Revision, Target, Task

QUARTER_LABELS = ("4〜6月", "7〜9月", "10〜12月", "1〜3月")


def revision_line(rev: Revision) -> str:
    """(令和2年3月31日改定) style line of a revision, in the plan's own wording."""
    return f"{wareki.format_wareki_date(rev.date)}{rev.kind}"


def fiscal_year_label(fy: int) -> str:
    """2020 → 2020年度（令和2年度）, as the government labels its roadmaps."""
    return f"{fy}年度（{wareki.format_wareki_fiscal_year(fy)}）"


# ----------------------------------------------------------------- KPI words

def _with_unit(value: Number | None, unit: str) -> str:
    if value is None:
        return ""
    return f"{formatting.grouped(value)}{unit}"


def target_value_text(t: Target | None) -> str:
    """約1,600団体 / 20%以上 / 5割超 (with basis: 対2019年度比20%以上); a target that is no
    number in the plan's own words (全府省)."""
    if t is not None and t.text:
        return f"{t.basis}{t.text}"
    if t is None or t.value is None:
        return ""
    prefix = "約" if t.qualifier == "約" else ""
    suffix = t.qualifier if t.qualifier and t.qualifier != "約" else ""
    text = f"{t.basis}{prefix}{_with_unit(t.value, t.unit)}{suffix}"
    if t.percent is not None:
        text += f"（{formatting.grouped(t.percent)}%）"
    return text


def deadline_text(t: Target | None) -> str:
    if t is None:
        return ""
    text = t.by_text or (f"{t.by}年度" if t.by else "")
    if t.beyond_plan:
        text += "（計画期間後）"
    return text


def baseline_text(b: Baseline | None) -> str:
    if b is None:
        return ""
    value = _with_unit(b.value, b.unit)
    return "　".join(x for x in (b.text, value) if x)


def kpi_short(k: Kpi) -> str:
    """A KPI as an appendix names it: its indicator, or — when the plan has not set the indicator
    yet (no baseline, no target, a status such as 設定中／現在検討中) — the plan's own status."""
    if k.status and (k.target is None or (k.target.value is None and not k.target.text)) and k.baseline is None:
        return k.status
    return k.indicator


def kpi_remark(k: Kpi) -> str:
    return "　".join(x for x in (k.status, k.note) if x)


# ------------------------------------------------------------ periods (工程表)

def period_text(period: Period) -> str:
    """A period in words for the text version: 2020年度, 2020年度第3四半期（10〜12月）, 2021年4月, 2020年."""
    t = period.text
    if period.precision == "fiscal_year":
        return f"{period.first[0]}年度"
    if period.precision == "quarter":
        fy, q = period.first
        return f"{fy}年度第{q}四半期（{QUARTER_LABELS[q - 1]}）"
    if period.precision == "month":
        y, m = t.split("-")
        return f"{int(y)}年{int(m)}月"
    return f"{t[2:]}年"


def task_text(task: Task) -> str:
    start = period_text(task.start)
    if task.end is None:
        return f"{start}から（終期の記載なし）"
    end = period_text(task.end)
    return start if start == end else f"{start}〜{end}"
