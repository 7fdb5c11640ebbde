"""The quarterly evaluations of chapter VI (``content/progress/<quarter>.yaml``): what the
divisions reported for the 工程表 rows and the KPIs.  The appendices stay the plan; an
evaluation never rewrites them, it states a status and, for 見直し, the new period.  Every
value is a :class:`Located` so that a finding (or a report) can point at its line.

Imports nothing of ours but the records.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import field
from typing import Generic, TypeVar

from .record import record
from .records import Loc, Number, Period

V = TypeVar("V")

STATUSES = ("未着手", "実施中", "完了", "遅延", "中止", "見直し")
# a task or milestone in one of these is not overdue, whatever its planned end
SETTLED = ("完了", "中止", "見直し")
ACTUAL_KINDS = ("速報値", "確定値")


@record
class Located(Generic[V]):
    """A value as stated in a progress file, with the place it was stated."""

    value: V
    loc: Loc


@record
class TaskProgress:
    """A task of an appendix row, named by its label (the plan's wording)."""

    label: Located[str]
    status: Located[str]
    comment: Located[str] | None
    new_from: Located[Period] | None  # for 見直し: the new period
    new_to: Located[Period] | None
    done_on: Located[_dt.date] | None
    division: Located[str] | None
    loc: Loc


@record
class MilestoneProgress:
    label: Located[str]
    status: Located[str]
    comment: Located[str] | None
    new_at: Located[Period] | None  # for 見直し: the new date
    done_on: Located[_dt.date] | None
    division: Located[str] | None
    loc: Loc


@record
class RowProgress:
    """One appendix row: per task and milestone, or (a row without a schedule) the row itself."""

    id: Located[str]
    status: Located[str] | None  # the row as a whole (rows the plan gives no schedule for)
    comment: Located[str] | None
    division: Located[str] | None
    tasks: tuple[TaskProgress, ...]
    milestones: tuple[MilestoneProgress, ...]
    loc: Loc

    def task(self, label: str) -> TaskProgress | None:
        return next((t for t in self.tasks if t.label.value == label), None)

    def milestone(self, label: str) -> MilestoneProgress | None:
        return next((m for m in self.milestones if m.label.value == label), None)


@record
class KpiActual:
    """One reported actual value of a KPI, for a fiscal year (2020) or a quarter (2021Q1)."""

    period: Located[Period]
    value: Located[Number]
    unit: Located[str]
    kind: Located[str]  # 速報値 / 確定値
    source: Located[str] | None
    note: Located[str] | None
    division: Located[str] | None
    loc: Loc


@record
class KpiProgress:
    id: Located[str]
    actuals: tuple[KpiActual, ...]
    comment: Located[str] | None
    division: Located[str] | None
    loc: Loc


@record
class Evaluation:
    """One quarterly evaluation: the quarter evaluated and what was reported for it."""

    path: str  # relative to the content root: progress/2021Q1.yaml
    as_of: Located[Period]  # a quarter
    evaluated_on: Located[_dt.date] | None  # not stated until the CIO/PMO has evaluated
    body: Located[str] | None  # 「CIO・PMO」…, as the evaluation states it
    note: Located[str] | None
    rows: tuple[RowProgress, ...]
    kpis: tuple[KpiProgress, ...]
    loc: Loc
    # rows and KPIs by id (the report asks for every line of every evaluation: a scan each time
    # made the build with eight quarters twice as slow); not part of the value
    _by_id: dict = field(init=False, repr=False, compare=False, hash=False, default=None)

    def __post_init__(self) -> None:
        by_id: dict = {}
        for r in self.rows:
            by_id.setdefault(("row", r.id.value), r)  # the first, as a scan finds it
        for k in self.kpis:
            by_id.setdefault(("kpi", k.id.value), k)
        object.__setattr__(self, "_by_id", by_id)

    @property
    def quarter(self) -> tuple[int, int]:
        """(fiscal year, quarter) evaluated."""
        return self.as_of.value.first

    def row(self, row_id: str) -> RowProgress | None:
        return self._by_id.get(("row", row_id))

    def kpi(self, kpi_id: str) -> KpiProgress | None:
        return self._by_id.get(("kpi", kpi_id))
