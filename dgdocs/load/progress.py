"""Read ``content/progress/*.yaml`` into :class:`~dgdocs.model.Evaluation` records.

Called once by :func:`dgdocs.load.load`; like the rest of the loader it collects every problem
(file:line, Japanese, a stable code) instead of stopping at the first.  The schema:

.. code-block:: yaml

    as_of: 2021Q1              # the quarter evaluated (the file is named after it)
    evaluated_on: 2021-07-20   # optional until the CIO/PMO has evaluated
    body: CIO・PMO             # optional
    note: 架空の例              # optional
    rows:                      # appendix rows, by id
      - id: b2-gov-platform-cloud
        tasks:                 # by the task's label in the appendix
          - {label: …, status: 実施中, comment: …, division: …}
          - {label: …, status: 見直し, new_from: 2021Q3, new_to: 2022Q4}
        milestones:
          - {label: …, status: 完了, done_on: 2021-03-26}
      - {id: b1-…, status: 実施中, comment: …}   # a row the plan gives no schedule for
    kpis:
      - id: gov-platform-cost
        actuals:
          - {period: 2020, value: 12.5, unit: "%", kind: 速報値, source: …, note: …}

The keys of each mapping are the field specs below (:class:`dgdocs.load.fields.Spec`), from
which the editors' JSON Schema of a progress file is made (docs/schemas/progress.schema.json).

Cross-references (an unknown row, task or KPI; a unit that differs from the KPI's …) are
checks (DG7xx, :mod:`dgdocs.checks.progress`), not loading errors: the file is well formed
even when the plan it refers to has changed since.

Codes: the loader's DG004 (required key, type), DG005 (unknown key), DG006 (duplicate),
DG008 (period notation) and DG013 (a progress file's own rules: its name, the quarter,
the status and 速報値/確定値 vocabularies).
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any, Callable

from ..model import (
    ACTUAL_KINDS, STATUSES, Evaluation, Finding, KpiActual, KpiProgress, Loc, Located, MilestoneProgress, Period,
    RowProgress, TaskProgress,
)
from .fields import PERIOD, QUARTER, Field, ListOf, Spec, content_file, keys_elsewhere
from ..periods import PERIOD_FORMS, parse_period
from ..yamlsrc import Reader, YNode
from ..progress.quarter import QUARTER_RE, parse_quarter

DIR = "progress"
STATUS_LIST = "・".join(STATUSES)

# The field specs of a progress file (the keys each mapping may and must have, for the
# reader's checks and the editors' JSON Schema); the values are read below, each Located.
_STATUS = Field("status", str, required=True, choices=STATUSES)
_COMMON = [Field("comment", str), Field("division", str)]
TASK = Spec("工程（tasks の項目）", None, [Field("label", str, required=True), _STATUS, *_COMMON,
                                         Field("new_from", PERIOD), Field("new_to", PERIOD), Field("done_on", _dt.date)])
MILESTONE = Spec("マイルストーン（milestones の項目）", None, [Field("label", str, required=True), _STATUS, *_COMMON,
                                                        Field("new_at", PERIOD), Field("done_on", _dt.date)])
ROW = Spec("行（rows の項目）", None, [Field("id", str, required=True), Field("status", str, choices=STATUSES), *_COMMON],
           {"tasks": ListOf(TASK), "milestones": ListOf(MILESTONE)})
ACTUAL = Spec("実績（actuals の項目）", None, [
    Field("period", PERIOD, required=True), Field("value", "number", required=True), Field("unit", str, required=True),
    Field("kind", str, required=True, choices=ACTUAL_KINDS), Field("source", str), Field("note", str),
    Field("division", str)])
KPI = Spec("KPI（kpis の項目）", None, [Field("id", str, required=True), *_COMMON], {"actuals": ListOf(ACTUAL)})
EVALUATION = content_file(f"{DIR}/*.yaml", Spec("進捗ファイル", None, [
    Field("as_of", QUARTER, required=True), Field("evaluated_on", _dt.date), Field("body", str), Field("note", str),
], {"rows": ListOf(ROW), "kpis": ListOf(KPI)}))

ReadYaml = Callable[[str], "YNode | None"]


class _R:
    """The schema reader for one progress file."""

    def __init__(self, problems: list[Finding]):
        self.problems = problems
        self.r = Reader(problems, keys_elsewhere)  # made only when a key is unknown

    def err(self, code: str, loc: Loc, message: str, hint: str) -> None:
        self.problems.append(Finding(code, "error", loc, message, hint))

    def val(self, m: dict[str, YNode], key: str, kind: Any, what: str) -> Located | None:
        node = m.get(key)
        if node is None or node.value is None:
            return None
        value = self.r.check_type(node, kind, f"{what}の「{key}」")
        if value is None or (kind is str and not str(value).strip()):
            return None
        return Located(value.strip() if isinstance(value, str) else value, node.loc)

    def period(self, m: dict[str, YNode], key: str, what: str, only: tuple[str, ...] = ()) -> Located[Period] | None:
        node = m.get(key)
        if node is None or node.value is None:
            return None
        raw = node.value.isoformat() if isinstance(node.value, _dt.date) else node.value
        try:
            p = parse_period(raw)
        except ValueError as exc:
            self.err("DG008", node.loc, f"{what}の「{key}」: {exc}。", f"使える書き方: {PERIOD_FORMS}")
            return None
        if only and p.precision not in only:
            self.err("DG008", node.loc, f"{what}の「{key}」は年度（2020）か四半期（2021Q1）で書いてください（いまは「{p.text}」）。",
                     "実績の対象期間は年度または四半期です。")
            return None
        return Located(p, node.loc)

    def status(self, m: dict[str, YNode], what: str) -> Located[str] | None:
        s = self.val(m, "status", str, what)
        if s is None:
            return None
        if s.value not in STATUSES:
            self.err("DG013", s.loc, f"{what}の状況「{s.value}」は選べません（{STATUS_LIST}）。",
                     f"status には {STATUS_LIST} のどれかを書いてください。")
            return None
        return s


def _task(x: _R, node: YNode, what: str) -> TaskProgress | None:
    m = TASK.mapping(x.r, node, f"{what}の工程（tasks の項目）")
    if m is None:
        return None
    label, status = x.val(m, "label", str, what), x.status(m, f"{what}の工程")
    if label is None or status is None:
        return None
    w = f"{what}の工程「{label.value}」"
    return TaskProgress(label, status, x.val(m, "comment", str, w), x.period(m, "new_from", w), x.period(m, "new_to", w),
                        x.val(m, "done_on", _dt.date, w), x.val(m, "division", str, w), node.loc)


def _milestone(x: _R, node: YNode, what: str) -> MilestoneProgress | None:
    m = MILESTONE.mapping(x.r, node, f"{what}のマイルストーン（milestones の項目）")
    if m is None:
        return None
    label, status = x.val(m, "label", str, what), x.status(m, f"{what}のマイルストーン")
    if label is None or status is None:
        return None
    w = f"{what}のマイルストーン「{label.value}」"
    return MilestoneProgress(label, status, x.val(m, "comment", str, w), x.period(m, "new_at", w),
                             x.val(m, "done_on", _dt.date, w), x.val(m, "division", str, w), node.loc)


def _row(x: _R, node: YNode) -> RowProgress | None:
    m = ROW.mapping(x.r, node)
    if m is None:
        return None
    rid = x.val(m, "id", str, "行")
    if rid is None:
        return None
    what = f"行「{rid.value}」"
    tasks = [t for t in (_task(x, n, what) for n in x.r.seq(m, "tasks", what)) if t]
    miles = [t for t in (_milestone(x, n, what) for n in x.r.seq(m, "milestones", what)) if t]
    tasks = list(x.r.unique(tasks, lambda t: t.label.value, lambda t: t.loc, f"{what}の工程"))
    miles = list(x.r.unique(miles, lambda t: t.label.value, lambda t: t.loc, f"{what}のマイルストーン"))
    status = x.status(m, what)
    if status is None and not tasks and not miles and "status" not in m:
        x.err("DG004", node.loc, f"{what}に状況（status）も工程（tasks / milestones）もありません。",
              "工程表の工程ごとに tasks / milestones を書くか、工程の記載がない行なら行の status を書いてください。")
    return RowProgress(rid, status, x.val(m, "comment", str, what), x.val(m, "division", str, what), tuple(tasks),
                       tuple(miles), node.loc)


def _actual(x: _R, node: YNode, what: str) -> KpiActual | None:
    m = ACTUAL.mapping(x.r, node, f"{what}の実績（actuals の項目）")
    if m is None:
        return None
    period = x.period(m, "period", f"{what}の実績", only=("fiscal_year", "quarter"))
    value = x.val(m, "value", "number", f"{what}の実績")
    unit, kind = x.val(m, "unit", str, f"{what}の実績"), x.val(m, "kind", str, f"{what}の実績")
    if kind is not None and kind.value not in ACTUAL_KINDS:
        x.err("DG013", kind.loc, f"{what}の実績の kind「{kind.value}」は選べません（速報値・確定値）。",
              "kind には 速報値 か 確定値 を書いてください。")
        kind = None
    if unit is None and "unit" in m:
        x.err("DG004", m["unit"].loc, f"{what}の実績の単位（unit）が空です。", "単位を書いてください（例: %、件、億円）。")
    if period is None or value is None or unit is None or kind is None:
        return None
    w = f"{what}の実績（{period.value.text}）"
    return KpiActual(period, value, unit, kind, x.val(m, "source", str, w), x.val(m, "note", str, w),
                     x.val(m, "division", str, w), node.loc)


def _kpi(x: _R, node: YNode) -> KpiProgress | None:
    m = KPI.mapping(x.r, node)
    if m is None:
        return None
    kid = x.val(m, "id", str, "KPI")
    if kid is None:
        return None
    what = f"KPI「{kid.value}」"
    actuals = [a for a in (_actual(x, n, what) for n in x.r.seq(m, "actuals", what)) if a]
    actuals = list(x.r.unique(actuals, lambda a: a.period.value.text, lambda a: a.loc, f"{what}の実績の期間"))
    actuals.sort(key=lambda a: (a.period.value.first, a.period.value.last))
    comment = x.val(m, "comment", str, what)
    if not actuals and comment is None and "actuals" not in m:
        x.err("DG004", node.loc, f"{what}に実績（actuals）もコメント（comment）もありません。",
              "報告された実績を actuals に書くか、この項目を削除してください。")
    return KpiProgress(kid, tuple(actuals), comment, x.val(m, "division", str, what), node.loc)


def read_evaluation(node: YNode, rel: str, problems: list[Finding]) -> Evaluation | None:
    """One progress file (already parsed) → an Evaluation; problems are appended."""
    x = _R(problems)
    m = EVALUATION.mapping(x.r, node, rel)
    if m is None or "as_of" not in m:
        return None
    an = m["as_of"]
    try:
        as_of = Located(parse_quarter(an.value), an.loc)
    except ValueError as exc:
        x.err("DG013", an.loc, f"{rel} の as_of: {exc}。", "評価する四半期を 2021Q1 のように書いてください（Q1 は4〜6月）。")
        return None
    stem = Path(rel).stem
    if stem != as_of.value.text:
        x.err("DG013", an.loc, f"{rel} の as_of は {as_of.value.text} ですが、ファイル名は {stem} です。",
              f"ファイル名を {as_of.value.text}.yaml にするか、as_of を直してください（1つの評価に1つのファイル）。")
    rows = [r for r in (_row(x, n) for n in x.r.seq(m, "rows", rel)) if r]
    rows = list(x.r.unique(rows, lambda r: r.id.value, lambda r: r.loc, "進捗の行の id"))
    kpis = [k for k in (_kpi(x, n) for n in x.r.seq(m, "kpis", rel)) if k]
    kpis = list(x.r.unique(kpis, lambda k: k.id.value, lambda k: k.loc, "進捗の KPI の id"))
    return Evaluation(rel, as_of, x.val(m, "evaluated_on", _dt.date, rel), x.val(m, "body", str, rel),
                      x.val(m, "note", str, rel), tuple(rows), tuple(kpis), node.loc)


def read_progress(root: Path, problems: list[Finding], read_yaml: ReadYaml) -> tuple[Evaluation, ...]:
    """Every ``progress/*.yaml`` under *root*, oldest quarter first.

    *read_yaml* is the loader's reader (paths kept inside content/, UTF-8, bounded size, syntax
    errors with their line), so that a progress file is read exactly like every other file.
    """
    pdir = root / DIR
    if not pdir.is_dir():
        return ()
    out: list[Evaluation] = []
    for path in sorted(pdir.iterdir()):
        rel = f"{DIR}/{path.name}"
        if path.suffix not in (".yaml", ".yml") or path.name.startswith("."):
            continue
        if not QUARTER_RE.fullmatch(path.stem):
            problems.append(Finding("DG013", "error", Loc(rel), f"進捗ファイル名「{path.name}」は四半期の名前ではありません。",
                                    "評価する四半期の名前にしてください（例: 2021Q1.yaml。Q1 は4〜6月）。"))
            continue
        node = read_yaml(rel)
        if node is None:
            continue
        ev = read_evaluation(node, rel, problems)
        if ev is not None:
            out.append(ev)
    return tuple(sorted(out, key=lambda e: e.quarter))
