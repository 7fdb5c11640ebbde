"""The evaluation report of one quarter (chapter VI: the CIO's quarterly evaluation), as a view
that the site page (``hyoka/<quarter>.html``) and the print job (``hyoka-<quarter>.pdf``) both
draw: the summary a CIO reads in one minute, each 工程表 with the evaluated quarter marked and
every line drawn by its status, and each KPI with its chart and its numbers.

A pure function of the model.  A report of quarter *q* reads only the plan and the evaluations
up to *q* (never a later one), so it stays the same when later quarters are added, and its PDF
is reused from the previous build.  Nothing is guessed: a line nobody reported is 未報告, or
遅延 when its end has passed (and then the report says the status was derived); a KPI without
an actual is 未報告 (:mod:`dgdocs.progress.summary`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from markupsafe import Markup as Safe

from .. import wording
from ..model import Appendix, Document, Evaluation, Kpi, KpiActual, MilestoneProgress, Period, Row, TaskProgress
from ..progress.quarter import period_label, quarter_text
from ..progress.status import Item, items, kpi_series, previous, reported, upto
from ..progress.summary import (
    NOT_REPORTED, STATUS_ORDER, KpiStanding, LineStatus, StatusChange, changes_since_previous, counts_by_appendix,
    kpi_standing, line_status,
)
from . import roadmap, timeline
from .kpichart import KpiChart, fmt, kpi_chart
from .views import item_path

STANDINGS = ("達成", "順調", "遅れ", "未報告", "判定できない")
#: statuses the summary lists by name (a CIO must see each of them)
ATTENTION = ("遅延", "見直し", "中止")


@dataclass(frozen=True)
class Line:
    """One line of a 工程表 (a task, a milestone, or a row without a schedule) as evaluated."""

    item: Item
    status: LineStatus
    planned: str  # the plan's period in words (or the row's 「本文に工程の記載なし」)
    revised: str  # the period after the latest 見直し up to this evaluation ("" when none)
    comment: str
    division: str
    done_on: str
    before: str  # the previous evaluation's reported status ("" when there is none)
    svg: Safe | None
    title: str  # the picture in words (the SVG's title, the PDF's alternate text)

    @property
    def label(self) -> str:
        return self.item.label if self.item.kind != "row" else ""

    @property
    def word(self) -> str:
        """The status as the report writes it: 遅延 derived from the date says so."""
        if self.status.derived:
            return "遅延（期限超過）"
        return self.status.status


@dataclass(frozen=True)
class RowBlock:
    row: Row
    section_path: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class AppendixBlock:
    appendix: Appendix
    rows: tuple[RowBlock, ...]
    counts: Counter
    scheduled: bool  # any line with a period to draw

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class KpiBlock:
    kpi: Kpi
    standing: KpiStanding
    chart: KpiChart
    section_path: str
    latest: KpiActual | None
    comment: str


@dataclass(frozen=True)
class ActualChange:
    kpi: Kpi
    actual: KpiActual
    before: KpiActual | None  # the value known at the previous evaluation for the same period


@dataclass
class Report:
    doc: Document
    ev: Evaluation
    previous: Evaluation | None
    later: Evaluation | None  # the next evaluation (the site links it; the PDF never does)
    title: str
    quarter: str  # 2021年度第1四半期（4〜6月）
    axis: Safe
    appendices: list[AppendixBlock]
    chapters: list[tuple[str, str, Counter]]  # (chapter id, heading, counts), chapters with lines only
    kpis: list[KpiBlock]
    changes: list[StatusChange]
    actual_changes: list[ActualChange]
    statuses: tuple[str, ...] = STATUS_ORDER
    standings: tuple[str, ...] = STANDINGS
    legend: list[tuple[str, Safe, Safe, str]] = field(default_factory=list)  # status, bar, diamond, pattern words

    @property
    def totals(self) -> Counter:
        c: Counter = Counter({s: 0 for s in STATUS_ORDER})
        for a in self.appendices:
            c.update(a.counts)
        return c

    @property
    def derived(self) -> int:
        return sum(1 for a in self.appendices for r in a.rows for line in r.lines if line.status.derived)

    @property
    def kpi_counts(self) -> Counter:
        c: Counter = Counter({s: 0 for s in STANDINGS})
        c.update(b.standing.standing for b in self.kpis)
        return c

    @property
    def attention(self) -> list[Line]:
        return [line for a in self.appendices for r in a.rows for line in r.lines if line.status.status in ATTENTION]

    @property
    def transitions(self) -> list[tuple[str, str, int]]:
        c = Counter((ch.before or NOT_REPORTED, ch.after or NOT_REPORTED) for ch in self.changes)
        order = {s: i for i, s in enumerate(STATUS_ORDER)}
        return [(b, a, n) for (b, a), n in sorted(c.items(), key=lambda x: (order[x[0][0]], order[x[0][1]]))]

    @property
    def charted(self) -> list[KpiBlock]:
        return [b for b in self.kpis if b.chart.svg is not None]

    @property
    def uncharted(self) -> list[KpiBlock]:
        return [b for b in self.kpis if b.chart.svg is None]


def revision(doc: Document, ev: Evaluation, item: Item) -> TaskProgress | MilestoneProgress | None:
    """The latest 見直し of *item* reported up to *ev* (its new period is the schedule now)."""
    latest = None
    for e in upto(doc, ev):
        entry = reported(e, item)
        if isinstance(entry, (TaskProgress, MilestoneProgress)) and entry.status.value == "見直し":
            latest = entry
    return latest


def _revised_text(rev) -> tuple[str, dict]:
    if isinstance(rev, TaskProgress):
        a = rev.new_from.value if rev.new_from else None
        b = rev.new_to.value if rev.new_to else None
        words = "〜".join(wording.period_text(p) for p in (a, b) if p is not None)
        return words, {"new_start": a, "new_end": b}
    if isinstance(rev, MilestoneProgress) and rev.new_at is not None:
        return wording.period_text(rev.new_at.value), {"new_at": rev.new_at.value}
    return "", {}


def _line(doc: Document, ev: Evaluation, prev: Evaluation | None, grid: roadmap.Grid, item: Item) -> Line:
    ls = line_status(doc, ev, item)
    entry = reported(ev, item)
    before = reported(prev, item) if prev is not None else None
    revised, new = _revised_text(revision(doc, ev, item))
    svg = None
    as_of: Period = ev.as_of.value
    if item.task is not None:
        planned = wording.task_text(item.task)
    elif item.milestone is not None:
        planned = wording.period_text(item.milestone.at) + "（◆）"
    else:
        planned = item.row.schedule or "本文に工程の記載なし"
    title = f"計画の時期：{planned}" + (f"、見直し後：{revised}" if revised else "") + \
        f"、状況：{'遅延（期限超過）' if ls.derived else ls.status}（評価時点 {as_of.text}）"
    if item.task is not None:
        svg = timeline.lane_svg(grid, ls.status, as_of, title, start=item.task.start, end=item.task.end, **new)
    elif item.milestone is not None:
        svg = timeline.lane_svg(grid, ls.status, as_of, title, at=item.milestone.at, **new)
    else:
        svg = timeline.lane_svg(grid, ls.status, as_of, title)
    text = lambda x: x.value if x is not None else ""  # noqa: E731
    return Line(item, ls, planned, revised,
                text(entry.comment) if entry is not None else "",
                text(entry.division) if entry is not None else "",
                entry.done_on.value.isoformat() if entry is not None and getattr(entry, "done_on", None) else "",
                before.status.value if before is not None and before.status is not None else "",
                Safe(svg) if svg else None, title)


def appendix_blocks(doc: Document, ev: Evaluation) -> list[AppendixBlock]:
    grid = roadmap.make_grid(doc.plan)
    prev = previous(doc, ev.quarter)
    out = []
    for a in doc.appendices:
        by_row: dict[str, list[Line]] = {}
        rows: dict[str, Row] = {}
        for item in items(a):
            by_row.setdefault(item.row.id, []).append(_line(doc, ev, prev, grid, item))
            rows[item.row.id] = item.row
        blocks = tuple(RowBlock(rows[rid], item_path(doc, rows[rid].section), tuple(lines))
                       for rid, lines in by_row.items())
        scheduled = any(line.item.kind != "row" for b in blocks for line in b.lines)
        # counted from the lines (each line's status derived once), as summary.counts_by_appendix counts
        counts = Counter({s: 0 for s in STATUS_ORDER})
        counts.update(line.status.status for b in blocks for line in b.lines)
        out.append(AppendixBlock(a, blocks, counts, scheduled))
    return out


def kpi_blocks(doc: Document, ev: Evaluation, for_print: bool = False) -> list[KpiBlock]:
    out = []
    for k in doc.kpis():
        series = kpi_series(doc, k.id, ev.quarter)
        kp = ev.kpi(k.id)
        out.append(KpiBlock(k, kpi_standing(doc, k, ev),
                            kpi_chart(doc, k, until=ev.quarter, as_of=ev.as_of.value, chart_id=f"chart-{k.id}",
                                      alt_title=for_print),
                            item_path(doc, k.section),
                            series[-1][0] if series else None,
                            kp.comment.value if kp is not None and kp.comment is not None else ""))
    return out


def actual_changes(doc: Document, ev: Evaluation) -> list[ActualChange]:
    """Actuals new, or changed (value or 速報値→確定値), since the previous evaluation."""
    prev = previous(doc, ev.quarter)
    out = []
    for k in doc.kpis():
        known = {a.period.value.text: a for a, _ in kpi_series(doc, k.id, prev.quarter)} if prev else {}
        for a, e in kpi_series(doc, k.id, ev.quarter):
            if e is not ev:
                continue
            b = known.get(a.period.value.text)
            if b is None or b.value.value != a.value.value or b.kind.value != a.kind.value or b.unit.value != a.unit.value:
                out.append(ActualChange(k, a, b))
    return out


def report_title(doc: Document, ev: Evaluation) -> str:
    return f"{doc.plan.title}　四半期評価　{quarter_text(ev.as_of.value)}"


def evaluation_report(doc: Document, ev: Evaluation, for_print: bool = False) -> Report:
    grid = roadmap.make_grid(doc.plan)
    later = next((e for e in doc.progress if e.quarter > ev.quarter), None)
    blocks = appendix_blocks(doc, ev)
    chapter_of = {sec.id: ch.id for ch in doc.chapters for sec in ch.sections()}
    by_chapter = {ch.id: Counter({s: 0 for s in STATUS_ORDER}) for ch in doc.chapters}
    for line in (line for b in blocks for r in b.rows for line in r.lines):  # as summary.counts_by_chapter
        if line.item.row.section in chapter_of:
            by_chapter[chapter_of[line.item.row.section]][line.status.status] += 1
    chapters = [(ch.id, ch.heading.text, by_chapter[ch.id]) for ch in doc.chapters if sum(by_chapter[ch.id].values())]
    legend = [(s, Safe(timeline.swatch_svg(s)), Safe(timeline.swatch_svg(s, milestone=True)), timeline.STYLES[s].word)
              for s in STATUS_ORDER]
    return Report(doc, ev, previous(doc, ev.quarter), later, report_title(doc, ev), quarter_text(ev.as_of.value),
                  Safe(timeline.axis_svg(grid, ev.as_of.value)), blocks, chapters,
                  kpi_blocks(doc, ev, for_print), changes_since_previous(doc, ev), actual_changes(doc, ev), legend=legend)


def actual_text(a: KpiActual | None) -> str:
    """「12.5%（2020年度・速報値）」: an actual as the report and the KPI一覧 write it."""
    if a is None:
        return ""
    return f"{fmt(a.value.value)}{a.unit.value}（{period_label(a.period.value)}・{a.kind.value}）"


def index_entries(doc: Document) -> list[dict]:
    """The evaluations, newest first, with what the index page shows of each."""
    out = []
    for ev in reversed(doc.progress):
        counts: Counter = Counter()
        for c in counts_by_appendix(doc, ev).values():
            counts.update(c)
        standing = Counter(kpi_standing(doc, k, ev).standing for k in doc.kpis())
        out.append({"ev": ev, "quarter": quarter_text(ev.as_of.value),
                    "counts": {s: counts[s] for s in STATUS_ORDER}, "standing": {s: standing[s] for s in STANDINGS}})
    return out


# ------------------------------------------------------------ links from the plan's pages (site)

@dataclass(frozen=True)
class Link:
    href: str
    text: str


def latest_links(doc: Document, prefix: str = "") -> tuple[dict[str, Link], dict[str, Link], dict[int, Link]]:
    """Where the plan's pages point at the latest evaluation: ({kpi id: its actuals},
    {row id: the row's lines}, {appendix number: the appendix's section}); empty without progress."""
    if not doc.progress:
        return {}, {}, {}
    from .outputs import report_slug

    ev = doc.progress[-1]
    page = f"{prefix}{report_slug(ev.as_of.value.text)}.html"
    q = quarter_text(ev.as_of.value)
    kpis = {}
    for k in doc.kpis():
        series = kpi_series(doc, k.id, ev.quarter)
        text = f"実績：{actual_text(series[-1][0])}" if series else "実績の報告なし"
        kpis[k.id] = Link(f"{page}#kpi-{k.id}", f"{text}（{q}の評価）")
    rows = {}
    for a in doc.appendices:
        by_row: dict[str, Counter] = {}
        for item in items(a):
            by_row.setdefault(item.row.id, Counter())[line_status(doc, ev, item).status] += 1
        for rid, c in by_row.items():
            words = "・".join(f"{s}{c[s]}" if sum(c.values()) > 1 else s for s in STATUS_ORDER if c[s])
            rows[rid] = Link(f"{page}#row-{rid}", f"進捗（{q}）：{words}")
    appendices = {a.number: Link(f"{page}#{a.slug}", f"{q}の評価") for a in doc.appendices}
    return kpis, rows, appendices
