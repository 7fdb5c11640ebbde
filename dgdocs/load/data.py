"""content/data/*.yaml: figure sets and budget tables, and the namespace of ``{{file.id}}`` values."""

from __future__ import annotations

import datetime as _dt
import re

from ..model import (
    BudgetRow, BudgetTable, CitationRef, DataValue, Figure, FigureSet, Loc, Plan,
)
from ..yamlsrc import YNode
from .fields import Field, ListOf, MapOf, OneOf, Spec, content_file
from .files import Context, read_yaml

FIGURE = Spec("数値（figures の項目）", "数値", [
    Field("id", str, required=True, default=""), Field("label", str, required=True, default=""),
    Field("value", "number", required=True), Field("unit", str, default=""), Field("part_of", str),
    Field("source", str, default=""), Field("as_of", _dt.date),
], other_keys={"ratio_of": ListOf(str, 2, 2)})
BUDGET_TABLE = Spec("表", "表", [
    Field("title", str, required=True, default="", what="表「{tid}」"), Field("unit", str, required=True, default=""),
    Field("section", str), Field("category_label", str, required=True, default=""),
    Field("fiscal_year", int, required=True, default=0),
], other_keys=["rows", "total"], required_others=["rows", "total"])
BUDGET_ROW = Spec("行", "行", [
    Field("id", str, required=True, default=""), Field("label", str, required=True, default=""),
    Field("value", "number", required=True), Field("section", str),
])
CITATION = Spec("引用の参照データ（citations の項目）", "引用の参照データ", [
    Field("title", str, required=True, default=""), Field("dates", list, items=_dt.date), Field("number", str, default=""),
    Field("source", str, required=True, default=""),
])
BUDGET_TOTAL = Spec("合計", "合計", [Field("label", str, required=True, default="合計"), Field("value", "number", required=True)])
BUDGET_TABLE.children.update({"rows": ListOf(BUDGET_ROW), "total": BUDGET_TOTAL})
#: a data file holds either figures (a count, an amount …) or tables (by table id)
FIGURE_SET = Spec("データファイル（数値）", None, [Field("section", str), Field("unit", str, default="")],
                  {"figures": ListOf(FIGURE)}, required_others=["figures"])
TABLES = Spec("データファイル（表）", None, [], {"tables": MapOf(BUDGET_TABLE)}, required_others=["tables"])
CITATIONS = Spec("データファイル（引用の参照データ）", None, [], {"citations": ListOf(CITATION)},
                 required_others=["citations"])
#: a data file holds figures (a count, an amount …), tables (by table id), or the citations' reference data
content_file("data/*.yaml", OneOf((FIGURE_SET, TABLES, CITATIONS)))


def _figure_set(ctx: Context, name: str, rel: str, m: dict[str, YNode]) -> FigureSet:
    r = ctx.r
    FIGURE_SET.mapping(r, YNode(m, Loc(rel, 1)), rel)
    unit = r.get(m, "unit", str, rel, "")
    figs = []
    for fn in r.seq(m, "figures", rel):
        fm = FIGURE.mapping(r, fn)
        if fm is None:
            continue
        fid = FIGURE.get(r, fm, "id")
        value = FIGURE.get(r, fm, "value", f"数値「{fid}」")
        if not fid or value is None:
            continue
        ratio = None
        if "ratio_of" in fm:
            rv = r.get(fm, "ratio_of", list, f"数値「{fid}」", None)
            if rv is not None and len(rv) == 2 and all(isinstance(x.value, str) for x in rv):
                ratio = (rv[0].value, rv[1].value)
            elif rv is not None:
                ctx.err("DG004", fm["ratio_of"].loc, "ratio_of は [分子のid, 分母のid] の2つで書いてください。",
                        "例: ratio_of: [reduction, base]")
        figs.append(Figure(set=name, id=fid, value=value, loc=fn.loc, ratio_of=ratio,
                           **FIGURE.values(r, fm, f"数値「{fid}」", skip=("id", "value"), defaults={"unit": unit})))
    figs = list(r.unique(figs, lambda f: f.id, lambda f: f.loc, f"{rel} の数値 id"))
    ids = {f.id for f in figs}
    for f in figs:
        for ref in ([f.part_of] if f.part_of else []) + list(f.ratio_of or ()):
            if ref not in ids:
                ctx.err("DG007", f.loc, f"数値「{f.id}」が参照する「{ref}」が {rel} にありません。",
                        f"{rel} にある id（{', '.join(sorted(ids))}）から選んでください。")
    return FigureSet(name=name, section=r.get(m, "section", str, rel), figures=tuple(figs), loc=Loc(rel, 1))


def _budget_tables(ctx: Context, name: str, rel: str, m: dict[str, YNode]) -> list[BudgetTable]:
    r = ctx.r
    tables = []
    tn = m.get("tables")
    if tn is None or not tn.is_map:
        ctx.err("DG004", Loc(rel, 1), f"{rel} の tables はマッピングで書いてください。", "tables: の下に表の id を並べます。")
        return []
    for tid, node in tn.value.items():
        tm = BUDGET_TABLE.mapping(r, node, f"表「{tid}」")
        if tm is None:
            continue
        rows = []
        for rn in r.seq(tm, "rows", f"表「{tid}」"):
            rm = BUDGET_ROW.mapping(r, rn, f"表「{tid}」の行")
            if rm is None:
                continue
            v = BUDGET_ROW.get(r, rm, "value", f"表「{tid}」の行")
            rid = BUDGET_ROW.get(r, rm, "id", f"表「{tid}」の行")
            if v is None or not rid:
                continue
            rows.append(BudgetRow(id=rid, value=v, loc=rn.loc, **BUDGET_ROW.values(r, rm, skip=("id", "value"))))
        rows = list(r.unique(rows, lambda x: x.id, lambda x: x.loc, f"表「{tid}」の行 id"))
        total = None
        if "total" in tm:
            om = BUDGET_TOTAL.mapping(r, tm["total"], f"表「{tid}」の合計")
            if om is not None:
                v = BUDGET_TOTAL.get(r, om, "value", f"表「{tid}」の合計")
                if v is not None:
                    total = BudgetRow(id="total", value=v, loc=tm["total"].loc,
                                      **BUDGET_TOTAL.values(r, om, skip=("value",)))
        if total is None:
            continue
        tables.append(BudgetTable(set=name, id=tid, rows=tuple(rows), total=total, loc=node.loc,
                                  **BUDGET_TABLE.values(r, tm, tid=tid)))
    return tables


def _citation_refs(ctx: Context, rel: str, m: dict[str, YNode]) -> list[CitationRef]:
    """Reference data for the citations (DG410): each document's official dates or law number,
    as an editor verified them, with the source (content/data/citations.yaml)."""
    r, out = ctx.r, []
    for cn in r.seq(m, "citations", rel):
        cm = CITATION.mapping(r, cn)
        if cm is None:
            continue
        values = CITATION.values(r, cm, skip=("dates",))
        dates = r.items(cm, "dates", _dt.date, "引用の参照データ")
        if not dates and not values["number"]:
            ctx.err("DG004", cn.loc, "引用の参照データに dates も number もありません。",
                    "出典で確かめた公式の日付（dates）か法令番号（number）を書いてください。")
        if not values["source"].strip():
            ctx.err("DG004", cn.loc, "引用の参照データには出典（source）が必要です。",
                    "日付や番号を確かめた公式の文書・ページを書いてください。")
        out.append(CitationRef(dates=dates, loc=cn.loc, **values))
    return out


def read_data(ctx: Context) -> tuple[list[FigureSet], list[BudgetTable], list[CitationRef]]:
    sets, tables, refs = [], [], []
    ddir = ctx.root / "data"
    for path in sorted(ddir.glob("*.yaml")) if ddir.is_dir() else []:
        rel = f"data/{path.name}"
        name = path.stem
        if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            ctx.err("DG004", Loc(rel), f"データファイル名「{path.name}」は参照名に使えません。",
                    "ファイル名は半角英小文字・数字・下線にしてください（参照は {{ファイル名.id}} です）。")
            continue
        node = read_yaml(ctx, rel)
        if node is None:
            continue
        if not node.is_map:
            ctx.err("DG004", node.loc, f"{rel} はマッピングで書いてください。", "「figures:」「tables:」または「citations:」で始めます。")
            continue
        if "tables" in node.value:
            TABLES.mapping(ctx.r, node, rel)
            tables.extend(_budget_tables(ctx, name, rel, node.value))
        elif "citations" in node.value:
            CITATIONS.mapping(ctx.r, node, rel)
            refs.extend(_citation_refs(ctx, rel, node.value))
        else:
            sets.append(_figure_set(ctx, name, rel, node.value))
    return sets, tables, refs


def namespace(plan: Plan | None, sets: list[FigureSet], tables: list[BudgetTable]) -> dict[str, DataValue]:
    ns: dict[str, DataValue] = {}
    if plan:
        ns["plan.title"] = DataValue("plan.title", plan.title, plan.loc)
        ns["plan.organisation"] = DataValue("plan.organisation", plan.organisation, plan.loc)
        ns["plan.period_from"] = DataValue("plan.period_from", plan.period_from, plan.loc)
        ns["plan.period_to"] = DataValue("plan.period_to", plan.period_to, plan.loc)
        ns["plan.decided"] = DataValue("plan.decided", plan.decision.date, plan.decision.loc)
        ns["plan.revised"] = DataValue("plan.revised", plan.latest.date, plan.latest.loc)
    for fs in sets:
        for f in fs.figures:
            ns[f.key] = DataValue(f.key, f.value, f.loc, f.unit)
    for t in tables:
        for row in t.rows + (t.total,):
            key = f"{t.key}.{row.id}"
            ns[key] = DataValue(key, row.value, row.loc, t.unit)
    return ns
