"""Pure questions about the progress in the model (no I/O): used by the checks, the 照会票
and the report.

- :func:`items` — the lines of a 照会票 for an appendix: one per task and milestone, or one
  for a row the plan gives no schedule for, each with a stable id (``b2-x/t1``, ``b2-x/m2``, ``b2-x``);
- :func:`reported` — what an evaluation says about such a line;
- :func:`effective_end` — a task's end, as planned or as last revised by 見直し;
- :func:`overdue` — whether a line is behind as of an evaluation (the rule of DG701/DG702);
- :func:`previous` — the evaluation before another one;
- :func:`kpi_series` — a KPI's actuals as known at an evaluation (the latest report per period).
"""

from __future__ import annotations

from typing import Iterator, Literal

from ..model import (
    SETTLED, Appendix, Document, Evaluation, KpiActual, MilestoneProgress, Milestone, Period, Row, RowProgress, Task,
    TaskProgress,
)
from ..model.record import record

ItemKind = Literal["task", "milestone", "row"]


@record
class Item:
    """One line of the 照会票: a task, a milestone, or a whole row without a schedule."""

    id: str
    kind: ItemKind
    appendix: Appendix
    row: Row
    task: Task | None = None
    milestone: Milestone | None = None

    @property
    def label(self) -> str:
        if self.task is not None:
            return self.task.label
        if self.milestone is not None:
            return self.milestone.label
        return self.row.schedule or self.row.title

    @property
    def before_plan(self) -> bool:
        node = self.task or self.milestone
        return bool(node and node.before_plan)


def items(appendix: Appendix) -> Iterator[Item]:
    for row in appendix.rows():
        for n, t in enumerate(row.tasks, 1):
            yield Item(f"{row.id}/t{n}", "task", appendix, row, task=t)
        for n, m in enumerate(row.milestones, 1):
            yield Item(f"{row.id}/m{n}", "milestone", appendix, row, milestone=m)
        if not row.tasks and not row.milestones:
            yield Item(row.id, "row", appendix, row)


def all_items(doc: Document) -> Iterator[Item]:
    for a in doc.appendices:
        yield from items(a)


def reported(ev: Evaluation | None, item: Item) -> TaskProgress | MilestoneProgress | RowProgress | None:
    """The evaluation's entry for *item* (None: not reported)."""
    if ev is None:
        return None
    rp = ev.row(item.row.id)
    if rp is None:
        return None
    if item.task is not None:
        return rp.task(item.task.label)
    if item.milestone is not None:
        return rp.milestone(item.milestone.label)
    return rp if rp.status is not None else None


def status_of(ev: Evaluation | None, item: Item) -> str | None:
    entry = reported(ev, item)
    return entry.status.value if entry is not None and entry.status is not None else None


def upto(doc: Document, ev: Evaluation) -> list[Evaluation]:
    """The evaluations up to and including *ev*, oldest first."""
    return [e for e in doc.progress if e.quarter <= ev.quarter]


def previous(doc: Document, quarter: tuple[int, int]) -> Evaluation | None:
    """The latest evaluation of a quarter before *quarter*."""
    older = [e for e in doc.progress if e.quarter < quarter]
    return older[-1] if older else None


def evaluation(doc: Document, quarter: tuple[int, int]) -> Evaluation | None:
    return next((e for e in doc.progress if e.quarter == quarter), None)


def effective_end(doc: Document, ev: Evaluation, item: Item) -> Period | None:
    """The end of a task or the date of a milestone as of *ev*: the plan's, or the new period
    of the latest 見直し reported up to *ev*."""
    end = item.task.end if item.task is not None else item.milestone.at if item.milestone is not None else None
    for e in upto(doc, ev):
        entry = reported(e, item)
        if isinstance(entry, TaskProgress) and entry.status.value == "見直し" and entry.new_to is not None:
            end = entry.new_to.value
        elif isinstance(entry, MilestoneProgress) and entry.status.value == "見直し" and entry.new_at is not None:
            end = entry.new_at.value
    return end


def overdue(doc: Document, ev: Evaluation, item: Item) -> bool:
    """Whether *item*'s (effective) end has passed by the end of the evaluated quarter.

    Items of before the plan period (before_plan) are history the plan records, never overdue.
    """
    if item.kind == "row" or item.before_plan:
        return False
    end = effective_end(doc, ev, item)
    return end is not None and end.last <= ev.quarter


def is_settled(status: str | None) -> bool:
    return status in SETTLED


def kpi_series(doc: Document, kpi_id: str, until: tuple[int, int] | None = None) -> list[tuple[KpiActual, Evaluation]]:
    """The actuals of a KPI known at the evaluation of quarter *until* (all when None): one per
    period, the one reported in the latest evaluation (a 確定値 replaces the 速報値 before it),
    ordered by period."""
    latest: dict[str, tuple[KpiActual, Evaluation]] = {}
    for e in doc.progress:
        if until is not None and e.quarter > until:
            continue
        kp = e.kpi(kpi_id)
        for a in kp.actuals if kp else ():
            latest[a.period.value.text] = (a, e)
    return sorted(latest.values(), key=lambda ae: (ae[0].period.value.first, ae[0].period.value.last))
