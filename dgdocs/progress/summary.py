"""What the CIO reads in one minute, as pure functions of the model (for the evaluation report):
the status of every 工程表 line as of an evaluation, the counts by status per appendix, what
changed since the previous evaluation, and whether each KPI is on track.

Nothing here invents a value: a line nobody reported is 未報告 (or 遅延 when its end has passed,
the rule of DG701, and then ``derived`` says so); a KPI without an actual is 未報告, and one
whose plan gives no numeric target or no baseline to draw a path from is 判定できない.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..model import STATUSES, Document, Evaluation, Kpi, Number
from .status import Item, all_items, items, kpi_series, overdue, previous, status_of

NOT_REPORTED = "未報告"
STATUS_ORDER = STATUSES + (NOT_REPORTED,)


@dataclass(frozen=True)
class LineStatus:
    item: Item
    status: str  # one of STATUS_ORDER
    reported: str | None  # what the evaluation says (None: nothing)
    derived: bool  # True: 遅延 because its end has passed, not because anyone said so


def line_status(doc: Document, ev: Evaluation, item: Item) -> LineStatus:
    said = status_of(ev, item)
    if overdue(doc, ev, item) and (said in (None, "未着手", "実施中")) and not (said is None and item.kind == "milestone"):
        return LineStatus(item, "遅延", said, True)
    return LineStatus(item, said or NOT_REPORTED, said, False)


def counts_by_appendix(doc: Document, ev: Evaluation) -> dict[int, Counter]:
    """{appendix number: Counter(status → lines)} with every status of STATUS_ORDER present."""
    out: dict[int, Counter] = {}
    for a in doc.appendices:
        c = Counter({s: 0 for s in STATUS_ORDER})
        c.update(line_status(doc, ev, i).status for i in items(a))
        out[a.number] = c
    return out


def counts_by_chapter(doc: Document, ev: Evaluation) -> dict[str, Counter]:
    """{chapter id: Counter(status → lines)}: each line counted under the chapter of its row's section."""
    chapter_of = {s.id: ch.id for ch in doc.chapters for s in ch.sections()}
    out: dict[str, Counter] = {ch.id: Counter({s: 0 for s in STATUS_ORDER}) for ch in doc.chapters}
    for i in all_items(doc):
        ch = chapter_of.get(i.row.section)
        if ch is not None:
            out[ch][line_status(doc, ev, i).status] += 1
    return out


@dataclass(frozen=True)
class StatusChange:
    item: Item
    before: str | None  # the previous evaluation's reported status (None: not reported then)
    after: str | None


def changes_since_previous(doc: Document, ev: Evaluation) -> list[StatusChange]:
    """Lines whose reported status differs from the previous evaluation's, in plan order."""
    prev = previous(doc, ev.quarter)
    if prev is None:
        return []
    out = []
    for i in all_items(doc):
        before, after = status_of(prev, i), status_of(ev, i)
        if before != after:
            out.append(StatusChange(i, before, after))
    return out


@dataclass(frozen=True)
class KpiStanding:
    kpi: Kpi
    standing: str  # 達成 / 順調 / 遅れ / 未報告 / 判定できない
    latest: Number | None
    expected: float | None  # on the straight path from baseline to target, at the latest actual's period
    reason: str


def _meets(value: float, goal: float, qualifier: str) -> bool:
    return value <= goal if qualifier in ("以下", "未満") else value >= goal


def kpi_standing(doc: Document, kpi: Kpi, ev: Evaluation) -> KpiStanding:
    series = [(a, e) for a, e in kpi_series(doc, kpi.id, ev.quarter)
              if not kpi.target or not kpi.target.unit or a.unit.value == kpi.target.unit]
    if not series:
        return KpiStanding(kpi, NOT_REPORTED, None, None, "この評価までに実績の報告がありません。")
    a = series[-1][0]
    value = float(a.value.value)
    t, b = kpi.target, kpi.baseline
    if t is None or t.value is None:
        return KpiStanding(kpi, "判定できない", a.value.value, None, "計画に数値の目標がありません。")
    q = t.qualifier
    if _meets(value, float(t.value), q):
        return KpiStanding(kpi, "達成", a.value.value, None, "最新の実績が目標に達しています。")
    if b is None or b.value is None or b.fiscal_year is None or t.by is None or t.by <= b.fiscal_year:
        return KpiStanding(kpi, "判定できない", a.value.value, None, "基準値か期限がないため、目標への道筋を引けません。")
    fy, quarter = a.period.value.last
    at = fy + (quarter / 4 if a.period.value.precision == "quarter" else 1.0)  # the end of the actual's period
    share = min(max((at - (b.fiscal_year + 1)) / ((t.by + 1) - (b.fiscal_year + 1)), 0.0), 1.0)
    expected = float(b.value) + (float(t.value) - float(b.value)) * share
    if _meets(value, expected, q):
        return KpiStanding(kpi, "順調", a.value.value, expected, "基準値から目標への直線の道筋に達しています。")
    return KpiStanding(kpi, "遅れ", a.value.value, expected, "基準値から目標への直線の道筋に届いていません。")
