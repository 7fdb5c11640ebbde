"""Open data of the quarterly evaluations (``build/data/``, only when content/progress/ holds any):

* ``progress.csv`` — one record per evaluation and 工程表 line (task, milestone, or a row the plan
  gives no schedule for): its status as of that evaluation, as reported or derived;
* ``kpi-actuals.csv`` — one record per actual value reported, in the evaluation that reported it;
* ``progress.json`` — both, evaluation by evaluation, with the summary counts; schema
  ``progress.schema.json``.

The records are built here and :mod:`.data` writes them (its CSV writer: UTF-8 with a BOM, CRLF, text cells that look like formulas neutralised), so a test
can read the files back and compare them with the records.  Nothing is filled in that no
evaluation states: a line nobody reported has ``status_reported`` empty (and ``status`` 未報告,
or 遅延 with ``status_derived`` true when its end has passed).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..model import Document, Evaluation, KpiActual, Period
from ..progress.status import all_items, kpi_series, reported
from ..progress.summary import STATUS_ORDER, kpi_standing, line_status
from .report import STANDINGS, revision

PROGRESS_FIELDS = [
    ("as_of", "評価する四半期（2021Q1 = 2021年度の4〜6月）"),
    ("evaluated_on", "評価日（記載がなければ空）"),
    ("appendix", "別紙の番号"),
    ("row_id", "別紙の行の id"),
    ("line_id", "照会票の行の id（行id/t1 = 1番目の工程、行id/m1 = 1番目の時期、行id のみ = 工程の記載のない行）"),
    ("line_kind", "task（工程）/ milestone（時期）/ row（工程の記載のない行）"),
    ("row_title", "施策・項目"),
    ("label", "工程・時期の名前（計画の記載）。row では空"),
    ("planned_from", "計画の開始の時期（別紙の表記。時期では時期そのもの）"),
    ("planned_to", "計画の終わりの時期（終期の記載がなければ空）"),
    ("revised_from", "見直し後の開始の時期（この評価までの最新の見直し。なければ空）"),
    ("revised_to", "見直し後の終わりの時期（時期では見直し後の時期）"),
    ("status", "この評価での状況（未着手・実施中・完了・遅延・中止・見直し・未報告）"),
    ("status_reported", "部局が報告した状況（報告がなければ空）"),
    ("status_derived", "報告はないか未着手・実施中だが、計画の終わりを過ぎたため遅延とみなしたとき true"),
    ("done_on", "完了日（報告があれば）"),
    ("comment", "部局のコメント"),
    ("division", "回答した部局"),
]
ACTUAL_FIELDS = [
    ("as_of", "実績を報告した評価の四半期"),
    ("kpi_id", "KPI の id（kpis.csv の kpi_id）"),
    ("indicator", "指標"),
    ("period", "実績の対象期間（2020 = 2020年度、2021Q1 = 2021年度第1四半期）"),
    ("period_precision", "fiscal_year（年度）/ quarter（四半期）"),
    ("fiscal_year", "対象の年度（西暦）"),
    ("quarter", "対象の四半期（1 = 4〜6月 … 4 = 翌年1〜3月。年度の実績では空）"),
    ("value", "値（数値）"),
    ("unit", "単位"),
    ("kind", "速報値 / 確定値"),
    ("latest", "同じ対象期間の値のうち、最新の評価の報告なら true（確定値は先の速報値に代わる）"),
    ("source", "出典"),
    ("note", "注記"),
    ("division", "報告した部局"),
]


def _p(p: Period | None) -> str:
    return p.text if p is not None else ""


def line_records(doc: Document, ev: Evaluation) -> list[dict[str, Any]]:
    out = []
    for item in all_items(doc):
        ls = line_status(doc, ev, item)
        entry = reported(ev, item)
        rev = revision(doc, ev, item)
        if item.task is not None:
            planned = (_p(item.task.start), _p(item.task.end))
            revised = (_p(rev.new_from.value) if rev is not None and rev.new_from else "",
                       _p(rev.new_to.value) if rev is not None and rev.new_to else "")
        elif item.milestone is not None:
            planned = (_p(item.milestone.at), _p(item.milestone.at))
            new = rev.new_at.value if rev is not None and rev.new_at else None
            revised = (_p(new), _p(new))
        else:
            planned = revised = ("", "")
        done = getattr(entry, "done_on", None) if entry is not None else None
        out.append({
            "as_of": ev.as_of.value.text, "evaluated_on": ev.evaluated_on.value.isoformat() if ev.evaluated_on else "",
            "appendix": item.appendix.number, "row_id": item.row.id, "line_id": item.id, "line_kind": item.kind,
            "row_title": item.row.title, "label": item.label if item.kind != "row" else "",
            "planned_from": planned[0], "planned_to": planned[1], "revised_from": revised[0], "revised_to": revised[1],
            "status": ls.status, "status_reported": ls.reported or "", "status_derived": ls.derived,
            "done_on": done.value.isoformat() if done is not None else "",
            "comment": entry.comment.value if entry is not None and entry.comment else "",
            "division": entry.division.value if entry is not None and entry.division else "",
        })
    return out


def _actual(ev: Evaluation, kpi_id: str, indicator: str, a: KpiActual, latest: bool) -> dict[str, Any]:
    p = a.period.value
    return {"as_of": ev.as_of.value.text, "kpi_id": kpi_id, "indicator": indicator, "period": p.text,
            "period_precision": p.precision, "fiscal_year": p.first_fy,
            "quarter": p.first[1] if p.precision == "quarter" else None, "value": a.value.value,
            "unit": a.unit.value, "kind": a.kind.value, "latest": latest,
            "source": a.source.value if a.source else "", "note": a.note.value if a.note else "",
            "division": a.division.value if a.division else ""}


def actual_records(doc: Document) -> list[dict[str, Any]]:
    """Every reported actual, by evaluation, then by the registry's order of KPIs."""
    kpis = {k.id: k for k in doc.kpis()}
    current = {(k, a.period.value.text): a for k in kpis for a, _ in kpi_series(doc, k)}
    out = []
    for ev in doc.progress:
        for kp in sorted(ev.kpis, key=lambda x: list(kpis).index(x.id.value) if x.id.value in kpis else 10**6):
            k = kpis.get(kp.id.value)
            for a in kp.actuals:
                latest = current.get((kp.id.value, a.period.value.text)) is a
                out.append(_actual(ev, kp.id.value, k.indicator if k else "", a, latest))
    return out


def progress_document(doc: Document, plan: dict[str, Any], lines_of: dict[str, list] | None = None,
                      actuals: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """progress.json: the plan (*plan*, as the other JSON files state it) and the evaluations,
    oldest first.  Values are Decimal where the progress file wrote a number.  *lines_of* and
    *actuals*: the records already made for the CSV files (by quarter), if any."""
    actuals = actuals if actuals is not None else actual_records(doc)
    evaluations = []
    for ev in doc.progress:
        lines = lines_of[ev.as_of.value.text] if lines_of is not None else line_records(doc, ev)
        counts = Counter(r["status"] for r in lines)
        standing = {k.id: kpi_standing(doc, k, ev) for k in doc.kpis()}
        by = Counter(s.standing for s in standing.values())
        evaluations.append({
            "as_of": ev.as_of.value.text,
            "evaluated_on": ev.evaluated_on.value.isoformat() if ev.evaluated_on else None,
            "body": ev.body.value if ev.body else "", "note": ev.note.value if ev.note else "",
            "summary": {"lines": {s: counts[s] for s in STATUS_ORDER}, "kpis": {s: by[s] for s in STANDINGS}},
            "lines": [{k: v for k, v in r.items() if k not in ("as_of", "evaluated_on")} for r in lines],
            "kpis": [{"kpi_id": k.id, "standing": standing[k.id].standing, "reason": standing[k.id].reason,
                      "actuals": [{f: v for f, v in r.items() if f not in ("as_of", "kpi_id", "indicator")}
                                  for r in actuals if r["as_of"] == ev.as_of.value.text and r["kpi_id"] == k.id]}
                     for k in doc.kpis()],
        })
    return {"plan": plan, "evaluations": evaluations}
