"""工程表 geometry: which cells a task or a milestone occupies."""

from __future__ import annotations

import datetime as dt

import pytest

from dgdocs.load import parse_period
from dgdocs.model import Loc, Milestone, Plan, Revision, Task
from dgdocs import wording
from dgdocs.render import roadmap

PLAN = Plan("計画", "総務省", 2020, 2024, (Revision("決定", dt.date(2018, 6, 22), "委員会", "", Loc("plan.yaml")),),
            Loc("plan.yaml"))
GRID = roadmap.make_grid(PLAN)


def task(start, end=None, **kw) -> Task:
    return Task("工程", parse_period(start), parse_period(end) if end else None, "引用",
                kw.get("before", False), kw.get("beyond", False), Loc("a.yaml", 1))


def ms(at, **kw) -> Milestone:
    return Milestone("時期", parse_period(at), "引用", kw.get("before", False), kw.get("beyond", False), Loc("a.yaml", 1))


def occupied(lane, kind):
    cells = [c for c in lane.cells if c.kind == kind]
    return [GRID.columns[i] for c in cells for i in range(c.start, c.end + 1)]


def test_grid_has_four_quarters_per_fiscal_year_and_both_edges():
    assert GRID.width == 1 + 5 * 4 + 1
    assert [y.label for y in GRID.years][:2] == ["2020年度（令和2年度）", "2021年度（令和3年度）"]
    assert [c.label for c in GRID.columns[1:5]] == ["4〜6月", "7〜9月", "10〜12月", "1〜3月"]


def test_task_2021q1_to_2022q2_occupies_exactly_six_cells():
    lane = roadmap.task_lane(GRID, task("2021Q1", "2022Q2"))
    cols = occupied(lane, "bar")
    assert [(c.fiscal_year, c.quarter) for c in cols] == [(2021, 1), (2021, 2), (2021, 3), (2021, 4), (2022, 1), (2022, 2)]
    assert sum(c.span for c in lane.cells) == GRID.width  # every column exactly once


@pytest.mark.parametrize("at, cell", [
    ("2020Q3", (2020, 3)),
    ("2021-04", (2021, 1)),   # April is the first quarter of its fiscal year
    ("2021-03", (2020, 4)),   # March belongs to the previous fiscal year
    ("2022-01", (2021, 4)),
    ("2020-10", (2020, 3)),
])
def test_milestone_lands_in_its_quarter(at, cell):
    lane = roadmap.milestone_lane(GRID, ms(at))
    cols = occupied(lane, "milestone")
    assert [(c.fiscal_year, c.quarter) for c in cols] == [cell]
    assert any(c.kind == "label" and c.text == "時期" for c in lane.cells)


def test_fiscal_year_milestone_spans_the_year():
    cols = occupied(roadmap.milestone_lane(GRID, ms("2022")), "milestone")
    assert [(c.fiscal_year, c.quarter) for c in cols] == [(2022, q) for q in (1, 2, 3, 4)]


def test_periods_outside_the_plan_go_to_the_edge_columns():
    before = occupied(roadmap.milestone_lane(GRID, ms("2019-01", before=True)), "milestone")
    beyond = occupied(roadmap.milestone_lane(GRID, ms("2025", beyond=True)), "milestone")
    assert [c.kind for c in before] == ["before"] and [c.kind for c in beyond] == ["beyond"]
    lane = roadmap.task_lane(GRID, task("2019-06", "2020-11", before=True))
    cols = occupied(lane, "bar")
    assert cols[0].kind == "before" and (cols[-1].fiscal_year, cols[-1].quarter) == (2020, 3)


def test_a_narrow_bar_has_its_label_beside_it():
    lane = roadmap.task_lane(GRID, task("2020Q1", "2020Q2"))
    bar = next(c for c in lane.cells if c.kind == "bar")
    label = next(c for c in lane.cells if c.kind == "label")
    assert bar.span == 2 and bar.text == "" and label.text == "工程" and label.start == bar.end + 1
    wide = roadmap.task_lane(GRID, task("2020Q1", "2020Q3"))
    assert [c.text for c in wide.cells if c.kind == "bar"] == ["工程"]


def test_task_without_stated_end_runs_to_the_end_of_the_plan():
    lane = roadmap.task_lane(GRID, task("2020"))
    bar = next(c for c in lane.cells if c.kind == "bar")
    assert bar.continues and GRID.columns[bar.end].fiscal_year == 2024 and GRID.columns[bar.end].quarter == 4


def test_calendar_year_starts_in_the_plan_not_before_it():
    # "2020年～2023年" (cy2020–cy2023) formally begins in 2019年度 Q4; it is drawn from 2020年度
    lane = roadmap.task_lane(GRID, task("cy2020", "cy2023"))
    cols = occupied(lane, "bar")
    assert (cols[0].fiscal_year, cols[0].quarter) == (2020, 1)
    assert (cols[-1].fiscal_year, cols[-1].quarter) == (2023, 3)


def test_period_words_for_the_text_version():
    assert wording.task_text(task("2021Q1", "2022Q2")) == "2021年度第1四半期（4〜6月）〜2022年度第2四半期（7〜9月）"
    assert wording.task_text(task("2020")) == "2020年度から（終期の記載なし）"
    assert wording.period_text(parse_period("2021-04")) == "2021年4月"
    assert wording.period_text(parse_period("cy2022")) == "2022年"
