"""Geometry of the 工程表 (roadmap) grid: which cells a task or a milestone occupies.

Columns: one 「〜前」 column for what lies before the plan period, four quarters per
fiscal year of the plan period (4–6月, 7–9月, 10–12月, 1–3月), and one 「後〜」 column
for what lies beyond it.  Every task or milestone gets its own lane (table row); a lane
is a list of :class:`Cell` that together span every column exactly once.

Pure functions of the model: the HTML and PDF templates only draw what this returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..model import Milestone, Period, Plan, Row, Task
from ..wording import QUARTER_LABELS, fiscal_year_label


@dataclass(frozen=True)
class Column:
    index: int
    kind: Literal["before", "quarter", "beyond"]
    fiscal_year: int | None = None
    quarter: int | None = None

    @property
    def label(self) -> str:
        if self.kind == "quarter":
            return QUARTER_LABELS[self.quarter - 1]
        return "計画期間前" if self.kind == "before" else "計画期間後"


@dataclass(frozen=True)
class YearHeader:
    fiscal_year: int
    label: str  # 2020年度（令和2年度）
    span: int


@dataclass(frozen=True)
class Grid:
    first_fy: int
    last_fy: int
    columns: tuple[Column, ...]
    years: tuple[YearHeader, ...]

    @property
    def width(self) -> int:
        return len(self.columns)

    def column_of(self, fy: int, quarter: int) -> int:
        """Column index of a fiscal quarter; before/after the plan period map to the edge columns."""
        if fy < self.first_fy:
            return 0
        if fy > self.last_fy:
            return self.width - 1
        return 1 + (fy - self.first_fy) * 4 + (quarter - 1)


def make_grid(plan: Plan) -> Grid:
    cols = [Column(0, "before")]
    years = []
    for fy in range(plan.period_from, plan.period_to + 1):
        years.append(YearHeader(fy, fiscal_year_label(fy), 4))
        for q in range(1, 5):
            cols.append(Column(len(cols), "quarter", fy, q))
    cols.append(Column(len(cols), "beyond"))
    return Grid(plan.period_from, plan.period_to, tuple(cols), tuple(years))


@dataclass(frozen=True)
class Cell:
    start: int  # first column
    span: int
    kind: Literal["empty", "bar", "milestone", "label"]
    text: str = ""
    continues: bool = False  # a bar whose end the plan does not state
    clipped_before: bool = False  # the period starts before the first column shown
    precision: str = ""

    @property
    def end(self) -> int:
        return self.start + self.span - 1


@dataclass(frozen=True)
class Lane:
    item: Task | Milestone
    cells: tuple[Cell, ...]

    @property
    def is_task(self) -> bool:
        return isinstance(self.item, Task)


NARROW = 3  # a bar of fewer cells than this cannot hold its label


def _span(grid: Grid, period: Period, before_plan: bool) -> tuple[int, int, bool]:
    first = grid.column_of(*period.first)
    last = grid.column_of(*period.last)
    clipped = False
    if first == 0 and not before_plan:
        # a calendar-year period (cy2020) formally starts in 2019年度 Q4: draw it from
        # the first quarter of the plan instead of the 「計画期間前」 column
        first, clipped = 1, True
        last = max(last, first)
    return first, last, clipped


def _fill(grid: Grid, occupied: list[Cell]) -> tuple[Cell, ...]:
    """Add empty cells around *occupied* (sorted, non-overlapping) so the lane spans every column."""
    out: list[Cell] = []
    col = 0
    for cell in sorted(occupied, key=lambda c: c.start):
        if cell.start > col:
            out.append(Cell(col, cell.start - col, "empty"))
        out.append(cell)
        col = cell.end + 1
    if col < grid.width:
        out.append(Cell(col, grid.width - col, "empty"))
    return tuple(out)


def task_lane(grid: Grid, task: Task) -> Lane:
    first, last, clipped = _span(grid, task.start, task.before_plan)
    continues = task.end is None
    if task.end is not None:
        _, last, _ = _span(grid, task.end, task.before_plan)
        last = max(last, first)
    else:
        last = grid.width - 2  # to the end of the plan period
        last = max(last, first)
    span = last - first + 1
    if span >= NARROW:
        return Lane(task, _fill(grid, [Cell(first, span, "bar", task.label, continues, clipped, task.start.precision)]))
    # too narrow for its words: the bar stays empty and the label goes beside it, like a milestone's
    bar = Cell(first, span, "bar", "", continues, clipped, task.start.precision)
    return Lane(task, _fill(grid, [bar] + _label_beside(grid, bar, task.label)))


def milestone_lane(grid: Grid, ms: Milestone) -> Lane:
    first, last, clipped = _span(grid, ms.at, ms.before_plan)
    marker = Cell(first, last - first + 1, "milestone", ms.label, False, clipped, ms.at.precision)
    return Lane(ms, _fill(grid, [marker] + _label_beside(grid, marker, ms.label)))


def _label_beside(grid: Grid, cell: Cell, text: str) -> list[Cell]:
    """The label of a narrow item, in the empty stretch to its right when there is room, else
    to its left."""
    right = grid.width - 1 - cell.end
    left = cell.start
    if right >= 2 or (right >= left and right > 0):
        return [Cell(cell.end + 1, right, "label", text)]
    if left > 0:
        return [Cell(0, left, "label", text)]
    return []


def row_lanes(grid: Grid, row: Row) -> tuple[Lane, ...]:
    """The lanes of a row: its tasks in order of start, then its milestones in order."""
    tasks = sorted(row.tasks, key=lambda t: (t.start.first, t.start.last))
    mss = sorted(row.milestones, key=lambda m: (m.at.first, m.at.last))
    return tuple([task_lane(grid, t) for t in tasks] + [milestone_lane(grid, m) for m in mss])


# ------------------------------------------------------------------ print geometry

@dataclass(frozen=True)
class PrintColumns:
    """Column widths (mm) of the printed 工程表 on A4 landscape (277 mm between the margins).

    The quarters are just wide enough for 「10〜12月」 and the edge columns for 「計画期間前」 on
    one line at the header's type size (print.css: 6.3 pt); the item column takes what the KPI
    column (when there is one) leaves.
    """

    quarter: float = 9.6
    edge: float = 11.6
    kpi: float = 26.0
    total: float = 277.0
    has_kpi: bool = True

    @property
    def item(self) -> float:
        return round(self.total - 20 * self.quarter - 2 * self.edge - (self.kpi if self.has_kpi else 0), 2)

    def width(self, grid: Grid, column: int) -> float:
        return self.edge if column in (0, grid.width - 1) else self.quarter

    def span(self, grid: Grid, first: int, last: int) -> float:
        return round(sum(self.width(grid, c) for c in range(first, last + 1)), 2)


ARROW_MM = 2.2  # the arrowhead of open-ended work
LABEL_ROOM = 25.0  # mm right of a year-level ◆'s frame that its label needs; with less, it goes inside the frame


@dataclass(frozen=True)
class Track:
    """What one lane of the printed 工程表 draws, from the cell of its first column on.

    The grid's cells stay whole (light quarter lines, solid fiscal-year lines behind every
    cell); the track is drawn over them, ``width`` mm wide from the left edge of ``column``
    to the end of the timeline, so a label can run on to the right of its bar or ◆.
    """

    column: int
    width: float
    kind: Literal["bar", "milestone"]
    text: str
    bar: float = 0.0  # a bar's width (mm); an open-ended bar ends in an arrowhead at the edge of 計画期間後
    label_inside: bool = False  # a bar's label in the bar; a year-level milestone's label in its frame
    continues: bool = False
    year_level: bool = False  # the plan states only the fiscal year: a dashed bar, or a dashed frame around the ◆
    frame: float = 0.0  # a year-level milestone: the frame's width (mm), the whole fiscal year
    offset: float = 0.0  # a month's ◆ stands in its third of the quarter (mm from the cell's left edge)
    left: float = 0.0  # mm from the start of the timeline (the left edge of 計画期間前) to the track


def print_track(grid: Grid, lane: Lane, cols: PrintColumns) -> Track:
    """The printed track of a lane: a bar (label inside when the bar has room, else right of it),
    or a ◆ with its label directly to its right."""
    end = grid.width - 1
    item = lane.item
    if isinstance(item, Task):
        first, last, _ = _span(grid, item.start, item.before_plan)
        continues = item.end is None
        if item.end is not None:
            _, last, _ = _span(grid, item.end, item.before_plan)
            last = max(last, first)
        else:
            last = end  # runs on into 計画期間後 and ends in an arrowhead
        bar = cols.span(grid, first, last) - (ARROW_MM if continues else 0)
        inside = (last - first + 1) >= NARROW
        return Track(first, cols.span(grid, first, end), "bar", item.label, round(bar, 2), inside, continues,
                     item.start.precision == "fiscal_year", left=cols.span(grid, 0, first - 1))
    first, last, _ = _span(grid, item.at, item.before_plan)
    year = item.at.precision in ("fiscal_year", "calendar_year") and last > first
    offset = 0.0
    if item.at.precision == "month" and grid.columns[first].kind == "quarter":
        # a month stands in its third of the quarter: 2020-09 at the end of 7〜9月
        month = int(item.at.text.split("-")[1])
        offset = round((month - 4) % 3 * cols.quarter / 3, 2)
    width = round(cols.span(grid, first, end) - offset, 2)
    frame = cols.span(grid, first, last) if year else 0.0
    return Track(first, width, "milestone", item.label, year_level=year, frame=frame, offset=offset,
                 label_inside=year and width - frame < LABEL_ROOM,
                 left=round(cols.span(grid, 0, first - 1) + offset, 2))


def grid_svg(grid: Grid, cols: PrintColumns) -> str:
    """The grid behind every lane of the printed 工程表, as one SVG the width of the timeline:
    light quarter lines, solid lines between fiscal years and at the edges of the plan period.
    Drawn once as the background of each lane's timeline cell (one image for the whole PDF,
    instead of a bordered cell per quarter and lane)."""
    width = cols.span(grid, 0, grid.width - 1)
    lines = []
    x = 0.0
    for c in grid.columns[1:]:
        x = round(x + cols.width(grid, c.index - 1), 2)
        strong = c.kind == "beyond" or (c.kind == "quarter" and c.quarter == 1)
        colour, stroke = ("#777", 0.18) if strong else ("#c8c8c8", 0.11)
        lines.append(f'<line x1="{x}" y1="0" x2="{x}" y2="10" stroke="{colour}" stroke-width="{stroke}"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}mm" height="10mm" viewBox="0 0 {width} 10" '
            f'preserveAspectRatio="none">{"".join(lines)}</svg>')


def grid_data_url(grid: Grid, cols: PrintColumns) -> str:
    import base64
    return "data:image/svg+xml;base64," + base64.b64encode(grid_svg(grid, cols).encode()).decode("ascii")
