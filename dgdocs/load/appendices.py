"""content/appendices/*.yaml: the 別紙 (roadmaps and lists), their rows, tasks and milestones."""

from __future__ import annotations

import datetime as _dt

from ..model import (
    Amount, Appendix, Group, Milestone, Period, Row, Task,
)
from ..periods import PERIOD_FORMS, parse_period
from ..yamlsrc import YNode
from .fields import PERIOD, Field, ListOf, Spec, content_file
from .files import Context, read_yaml

NO_SCHEDULE = "本文に工程の記載なし"
KINDS = ("roadmap", "list")

APPENDIX = Spec("別紙", None, [
    Field("number", int, required=True, default=0), Field("title", str, required=True, default=""),
    Field("kind", str, required=True, default="roadmap", choices=KINDS), Field("description", str, default=""),
    Field("inventory", str),
], other_keys={"tables": ListOf(str), "groups": None}, required_others=["groups"])
GROUP = Spec("施策（groups の項目）", "施策", [
    Field("title", str, required=True, default=""), Field("section", str, required=True, default=""),
], other_keys={"rows": None}, required_others=["rows"])
ROW = Spec("行（rows の項目）", None, [
    Field("id", str, required=True, default=""), Field("title", str, required=True, default=""),
    Field("section", str, required=True, default=""), Field("status", str, default=""), Field("note", str, default=""),
    Field("schedule", str, default=""),
], other_keys={"kpis": ListOf(str), "amount": None, "tasks": None, "milestones": None})
_FLAGS = [Field("before_plan", bool, default=False), Field("beyond_plan", bool, default=False),
          Field("quote_section", str, default="")]
TASK = Spec("工程（tasks）", None, [
    Field("label", str, required=True, default=""), Field("from", PERIOD, required=True), Field("to", PERIOD),
    Field("quote", str, required=True, default=""), *_FLAGS])
MILESTONE = Spec("マイルストーン", None, [
    Field("label", str, required=True, default=""), Field("at", PERIOD, required=True),
    Field("quote", str, required=True, default=""), *_FLAGS])
AMOUNT = Spec("amount", None, [
    Field("value", "number", required=True), Field("unit", str, required=True, default=""), Field("fiscal_year", int),
    Field("quote", str, required=True, default=""), Field("quote_section", str, default="")])

APPENDIX.children["groups"] = ListOf(GROUP)
GROUP.children["rows"] = ListOf(ROW)
ROW.children.update({"amount": AMOUNT, "tasks": ListOf(TASK), "milestones": ListOf(MILESTONE)})
content_file("appendices/*.yaml", APPENDIX)

def _period(ctx: Context, node: YNode | None, what: str) -> Period | None:
    if node is None or node.value is None:
        return None
    try:
        return parse_period(node.value if not isinstance(node.value, _dt.date) else node.value.isoformat())
    except ValueError as exc:
        ctx.err("DG008", node.loc, f"{what}: {exc}。", f"使える書き方: {PERIOD_FORMS}")
        return None


def _read_appendix(ctx: Context, rel: str) -> Appendix | None:
    node = read_yaml(ctx, rel)
    if node is None:
        return None
    r = ctx.r
    m = APPENDIX.mapping(r, node, rel)
    if m is None:
        return None
    head = APPENDIX.values(r, m, rel)
    kind = head.pop("kind")
    if kind not in KINDS:
        ctx.err("DG004", m["kind"].loc, f"kind は roadmap（工程表）か list（一覧）です（いまは「{kind}」）。", "どちらかを書いてください。")
        kind = "roadmap"
    groups = []
    for gn in r.seq(m, "groups", rel):
        gm = GROUP.mapping(r, gn)
        if gm is None:
            continue
        rows = []
        for rn in r.seq(gm, "rows", "施策"):
            rm = ROW.mapping(r, rn)
            if rm is None:
                continue
            rid = ROW.get(r, rm, "id", "行")
            what = f"行「{rid}」"
            tasks, milestones = [], []
            for tn in r.seq(rm, "tasks", what):
                tm = TASK.mapping(r, tn, f"{what}の工程（tasks）")
                if tm is None:
                    continue
                start = _period(ctx, tm.get("from"), f"{what}の工程の from")
                end = _period(ctx, tm.get("to"), f"{what}の工程の to")
                if start is None:
                    continue
                if end is not None and end.last < start.first:
                    ctx.err("DG008", tn.loc, f"{what}の工程は終わり（{end.text}）が始まり（{start.text}）より前です。",
                            "from と to を確かめてください。")
                tasks.append(Task(start=start, end=end, loc=tn.loc, **TASK.values(r, tm, what, skip=("from", "to"))))
            for mn in r.seq(rm, "milestones", what):
                mm = MILESTONE.mapping(r, mn, f"{what}のマイルストーン")
                if mm is None:
                    continue
                at = _period(ctx, mm.get("at"), f"{what}のマイルストーンの at")
                if at is None:
                    continue
                milestones.append(Milestone(at=at, loc=mn.loc, **MILESTONE.values(r, mm, what, skip=("at",))))
            amount = None
            if "amount" in rm:
                am = AMOUNT.mapping(r, rm["amount"], f"{what}の amount")
                if am is not None and (v := AMOUNT.get(r, am, "value", what)) is not None:
                    amount = Amount(value=v, loc=rm["amount"].loc, **AMOUNT.values(r, am, what, skip=("value",)))
            row = ROW.values(r, rm, what, skip=("id",))
            if kind == "roadmap" and not tasks and not milestones and not row["schedule"]:
                ctx.err("DG004", rn.loc, f"{what}に工程（tasks / milestones）も schedule もありません。",
                        f"本文に工程が書かれていなければ「schedule: {NO_SCHEDULE}」と書いてください。推測で日付を入れないでください。")
            rows.append(Row(id=rid, kpis=r.items(rm, "kpis", str, what), amount=amount, tasks=tuple(tasks),
                            milestones=tuple(milestones), loc=rn.loc, **row))
        groups.append(Group(rows=tuple(rows), loc=gn.loc, **GROUP.values(r, gm)))
    return Appendix(kind=kind, tables=r.items(m, "tables", str, rel), groups=tuple(groups), path=rel, loc=node.loc,
                    **head)


def read_appendices(ctx: Context) -> list[Appendix]:
    adir = ctx.root / "appendices"
    out = []
    for path in sorted(adir.glob("*.yaml")) if adir.is_dir() else []:
        a = _read_appendix(ctx, f"appendices/{path.name}")
        if a is not None:
            out.append(a)
    out = list(ctx.r.unique(out, lambda a: str(a.number), lambda a: a.loc, "別紙の番号"))
    return sorted(out, key=lambda a: a.number)
