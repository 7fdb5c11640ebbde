"""Open data (``build/data/``): the plan's own オープンデータ・バイ・デザイン applied to itself.

* ``kpis.csv`` / ``kpis.json`` — one record per KPI indicator;
* ``roadmaps.json`` — all six appendices with their rows, tasks and milestones;
* ``budget.csv`` — the expenditure tables of I(4);
* a JSON Schema for each JSON file, and ``README.md`` explaining every column;
* with quarterly evaluations (content/progress/), ``progress.csv``, ``progress.json`` and
  ``kpi-actuals.csv`` (:mod:`.progressdata`).

CSV files are UTF-8 with a BOM (so that Excel opens them as UTF-8) and CRLF line ends.
Records are built by :func:`kpi_records`, :func:`budget_records` and
:func:`roadmap_records`; the files are just their serialisations, so a test can parse
the files back and compare them with the records.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from ..markup import strip_markup
from ..model import Document, Milestone, Period, Task
from ..safetext import FORMULA_START
from . import common

KPI_FIELDS = [
    ("kpi_id", "指標の id（安定した識別子）"),
    ("line_id", "本文の KPI 行の id（1行に複数の指標があるときは共通）"),
    ("chapter", "章"),
    ("section_id", "指標が記載された節の id"),
    ("section", "指標が記載された節（章からの番号と見出し）"),
    ("plan_text", "本文の KPI 行の文言"),
    ("indicator", "指標"),
    ("kind", "計画が示す種別（進捗 / 効果）。記載がなければ空"),
    ("baseline_value", "基準値（数値）"),
    ("baseline_unit", "基準値の単位"),
    ("baseline_fiscal_year", "基準となる年度（西暦）"),
    ("baseline_text", "基準についての計画の文言"),
    ("target_value", "目標値（数値）"),
    ("target_text", "数値でない目標値（計画の文言。「全府省」など）。数値の目標なら空"),
    ("target_unit", "目標値の単位"),
    ("target_qualifier", "目標値の限定（以上・超・程度・約）"),
    ("target_basis", "目標値の比較の基準（対2019年度比 など）"),
    ("target_percent", "目標値が母数に占める割合（%）"),
    ("target_population", "割合の母数（データの参照名）"),
    ("target_fiscal_year", "期限の年度（西暦）"),
    ("target_deadline", "期限についての計画の文言"),
    ("beyond_plan_period", "期限が計画期間（2020〜2024年度）の後なら true"),
    ("status", "計画が「設定中」「現在検討中」などと記載している状態"),
    ("note", "計画の文言についての補足"),
    ("appendix_rows", "この指標に対応する別紙の行（別紙番号:行id、複数は「;」区切り）"),
]
BUDGET_FIELDS = [
    ("table_id", "表の id（budget.system など）"),
    ("table_title", "表の名称"),
    ("unit", "単位"),
    ("fiscal_year", "年度（西暦）"),
    ("category_label", "区分の見出し"),
    ("row_id", "行の id（合計は total）"),
    ("label", "区分"),
    ("value", "金額"),
    ("is_total", "合計行なら true"),
    ("section_id", "関係する本文の節の id"),
]


def _json_number(v: Any) -> Any:
    """A Decimal as JSON has it: an integer when it is whole (as written), else a float."""
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() and v.as_tuple().exponent >= 0 else float(v)
    return v


def kpi_records(doc: Document) -> list[dict[str, Any]]:
    rows_for: dict[str, list[str]] = {}
    for a in doc.appendices:
        for row in a.rows():
            for k in row.kpis:
                rows_for.setdefault(k, []).append(f"{a.number}:{row.id}")
    out = []
    for line in doc.kpi_lines:
        ch = doc.outline.chapter(line.section)
        for k in line.kpis:
            b, t = k.baseline, k.target
            out.append({
                "kpi_id": k.id, "line_id": line.id,
                "chapter": ch.heading.text if ch else "",
                "section_id": line.section, "section": doc.outline.path_text(line.section),
                "plan_text": " / ".join(strip_markup(x) for x in line.text),
                "indicator": k.indicator, "kind": k.kind,
                "baseline_value": _json_number(b.value) if b else None, "baseline_unit": b.unit if b else "",
                "baseline_fiscal_year": b.fiscal_year if b else None, "baseline_text": b.text if b else "",
                "target_value": _json_number(t.value) if t else None, "target_text": t.text if t else "",
                "target_unit": t.unit if t else "",
                "target_qualifier": t.qualifier if t else "", "target_basis": t.basis if t else "",
                "target_percent": _json_number(t.percent) if t else None, "target_population": (t.of or "") if t else "",
                "target_fiscal_year": t.by if t else None, "target_deadline": t.by_text if t else "",
                "beyond_plan_period": bool(t and t.beyond_plan),
                "status": k.status, "note": k.note,
                "appendix_rows": ";".join(rows_for.get(k.id, [])),
            })
    return out


def budget_records(doc: Document) -> list[dict[str, Any]]:
    out = []
    for t in doc.budget_tables:
        for row in t.rows + (t.total,):
            out.append({"table_id": t.key, "table_title": t.title, "unit": t.unit, "fiscal_year": t.fiscal_year,
                        "category_label": t.category_label, "row_id": row.id, "label": row.label,
                        "value": _json_number(row.value), "is_total": row is t.total, "section_id": row.section or t.section or ""})
    return out


def _period(p: Period | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {"text": p.text, "precision": p.precision,
            "first": {"fiscal_year": p.first[0], "quarter": p.first[1]},
            "last": {"fiscal_year": p.last[0], "quarter": p.last[1]}}


def _task(t: Task) -> dict[str, Any]:
    return {"label": t.label, "from": _period(t.start), "to": _period(t.end), "continues": t.end is None,
            "before_plan": t.before_plan, "beyond_plan": t.beyond_plan, "quote": t.quote}


def _milestone(m: Milestone) -> dict[str, Any]:
    return {"label": m.label, "at": _period(m.at), "before_plan": m.before_plan, "beyond_plan": m.beyond_plan,
            "quote": m.quote}


def roadmap_records(doc: Document) -> list[dict[str, Any]]:
    out = []
    for a in doc.appendices:
        out.append({
            "number": a.number, "label": a.label, "title": a.title, "kind": a.kind, "description": a.description,
            "tables": list(a.tables), "inventory": a.inventory,
            "groups": [{
                "title": g.title, "section_id": g.section, "section": doc.outline.path_text(g.section),
                "rows": [{
                    "id": r.id, "title": r.title, "section_id": r.section, "section": doc.outline.path_text(r.section),
                    "kpis": list(r.kpis), "status": r.status, "note": r.note,
                    "amount": ({"value": _json_number(r.amount.value), "unit": r.amount.unit,
                                "fiscal_year": r.amount.fiscal_year, "quote": r.amount.quote} if r.amount else None),
                    "schedule": r.schedule,
                    "tasks": [_task(t) for t in r.tasks], "milestones": [_milestone(m) for m in r.milestones],
                } for r in g.rows],
            } for g in a.groups],
        })
    return out


def _plan_meta(doc: Document) -> dict[str, Any]:
    p = doc.plan
    return {"title": p.title, "organisation": p.organisation,
            "plan_period": {"from_fiscal_year": p.period_from, "to_fiscal_year": p.period_to},
            "revisions": [{"kind": r.kind, "date": r.date.isoformat(), "body": r.body} for r in p.revisions]}


def csv_cell(value: Any) -> Any:
    """One CSV cell.  Text that starts like a formula is prefixed with an apostrophe, as OWASP
    recommends for files meant for Excel ("CSV injection"); the JSON keeps the exact text.
    Numbers are never touched (-5 stays a number)."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(records: list[dict[str, Any]], fields: list[tuple[str, str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow([f for f, _ in fields])
    for r in records:
        w.writerow([csv_cell(r[f]) for f, _ in fields])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_json(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False, default=_json_default) + "\n").encode("utf-8")


def _json_default(v: Any) -> Any:
    if isinstance(v, Decimal):
        return _json_number(v)
    raise TypeError(f"not JSON: {v!r}")


SCHEMA_DIR = common.TEMPLATES / "data"


def render_data(doc: Document, progress: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """Every file of ``build/data/``; *progress*: the files of :func:`progress_data`, if they
    were made already (beside the build: dgdocs.build.Evaluations)."""
    env = common.make_env()
    out = {
        "kpis.csv": to_csv(kpi_records(doc), KPI_FIELDS),
        "kpis.json": to_json({"plan": _plan_meta(doc), "kpis": kpi_records(doc)}),
        "roadmaps.json": to_json({"plan": _plan_meta(doc), "appendices": roadmap_records(doc)}),
        "budget.csv": to_csv(budget_records(doc), BUDGET_FIELDS),
    }
    for name in ("kpis.schema.json", "roadmaps.schema.json"):
        out[name] = (SCHEMA_DIR / name).read_bytes()
    columns = {}
    if doc.progress:  # the quarterly evaluations (dgdocs.render.progressdata)
        from . import progressdata as pd
        out.update(progress if progress is not None else progress_data(doc))
        columns = {"progress_fields": pd.PROGRESS_FIELDS, "actual_fields": pd.ACTUAL_FIELDS}
    out["README.md"] = env.get_template("data/README.md").render(
        kpi_fields=KPI_FIELDS, budget_fields=BUDGET_FIELDS, plan=doc.plan, **columns).encode("utf-8")
    return out


def progress_data(doc: Document) -> dict[str, bytes]:
    """The open data of the quarterly evaluations (none without content/progress/)."""
    if not doc.progress:
        return {}
    from . import progressdata as pd
    lines = {ev.as_of.value.text: pd.line_records(doc, ev) for ev in doc.progress}
    actuals = pd.actual_records(doc)
    return {
        "progress.csv": to_csv([r for q in lines.values() for r in q], pd.PROGRESS_FIELDS),
        "kpi-actuals.csv": to_csv(actuals, pd.ACTUAL_FIELDS),
        "progress.json": to_json(pd.progress_document(doc, _plan_meta(doc), lines, actuals)),
        "progress.schema.json": (SCHEMA_DIR / "progress.schema.json").read_bytes(),
    }
