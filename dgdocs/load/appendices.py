"""content/appendices/*.yaml: the 別紙 (roadmaps and lists), their rows, tasks and milestones."""

from __future__ import annotations

import datetime as _dt

from ..model import (
    Amount, Appendix, Group, Milestone, Period, Row, Task,
)
from ..periods import PERIOD_FORMS, parse_period
from ..yamlsrc import YNode
from .files import Context, read_yaml

NO_SCHEDULE = "本文に工程の記載なし"


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
    m = r.mapping(node, rel, ["number", "title", "kind", "description", "tables", "inventory", "groups"],
                  ["number", "title", "kind", "groups"])
    if m is None:
        return None
    number = r.get(m, "number", int, rel, 0)
    kind = r.get(m, "kind", str, rel, "roadmap")
    if kind not in ("roadmap", "list"):
        ctx.err("DG004", m["kind"].loc, f"kind は roadmap（工程表）か list（一覧）です（いまは「{kind}」）。", "どちらかを書いてください。")
        kind = "roadmap"
    groups = []
    for gn in r.seq(m, "groups", rel):
        gm = r.mapping(gn, "施策（groups の項目）", ["title", "section", "rows"], ["title", "section", "rows"])
        if gm is None:
            continue
        rows = []
        for rn in r.seq(gm, "rows", "施策"):
            rm = r.mapping(rn, "行（rows の項目）",
                           ["id", "title", "section", "kpis", "status", "note", "amount", "tasks", "milestones", "schedule"],
                           ["id", "title", "section"])
            if rm is None:
                continue
            rid = r.get(rm, "id", str, "行", "")
            what = f"行「{rid}」"
            tasks, milestones = [], []
            for tn in r.seq(rm, "tasks", what):
                tm = r.mapping(tn, f"{what}の工程（tasks）",
                               ["label", "from", "to", "quote", "before_plan", "beyond_plan"], ["label", "from", "quote"])
                if tm is None:
                    continue
                start = _period(ctx, tm.get("from"), f"{what}の工程の from")
                end = _period(ctx, tm.get("to"), f"{what}の工程の to")
                if start is None:
                    continue
                if end is not None and end.last < start.first:
                    ctx.err("DG008", tn.loc, f"{what}の工程は終わり（{end.text}）が始まり（{start.text}）より前です。",
                            "from と to を確かめてください。")
                before = bool(r.get(tm, "before_plan", bool, what, False))
                beyond = bool(r.get(tm, "beyond_plan", bool, what, False))
                tasks.append(Task(r.get(tm, "label", str, what, ""), start, end, r.get(tm, "quote", str, what, ""),
                                  before, beyond, tn.loc))
            for mn in r.seq(rm, "milestones", what):
                mm = r.mapping(mn, f"{what}のマイルストーン",
                               ["label", "at", "quote", "before_plan", "beyond_plan"], ["label", "at", "quote"])
                if mm is None:
                    continue
                at = _period(ctx, mm.get("at"), f"{what}のマイルストーンの at")
                if at is None:
                    continue
                before = bool(r.get(mm, "before_plan", bool, what, False))
                beyond = bool(r.get(mm, "beyond_plan", bool, what, False))
                milestones.append(Milestone(r.get(mm, "label", str, what, ""), at, r.get(mm, "quote", str, what, ""),
                                            before, beyond, mn.loc))
            amount = None
            if "amount" in rm:
                am = r.mapping(rm["amount"], f"{what}の amount", ["value", "unit", "fiscal_year", "quote"],
                               ["value", "unit", "quote"])
                if am is not None and (v := r.get(am, "value", "number", what)) is not None:
                    amount = Amount(v, r.get(am, "unit", str, what, ""), r.get(am, "fiscal_year", int, what),
                                    r.get(am, "quote", str, what, ""), rm["amount"].loc)
            schedule = r.get(rm, "schedule", str, what, "")
            if kind == "roadmap" and not tasks and not milestones and not schedule:
                ctx.err("DG004", rn.loc, f"{what}に工程（tasks / milestones）も schedule もありません。",
                        f"本文に工程が書かれていなければ「schedule: {NO_SCHEDULE}」と書いてください。推測で日付を入れないでください。")
            kpis = r.items(rm, "kpis", str, what)
            rows.append(Row(rid, r.get(rm, "title", str, what, ""), r.get(rm, "section", str, what, ""), kpis,
                            r.get(rm, "status", str, what, ""), r.get(rm, "note", str, what, ""), amount,
                            tuple(tasks), tuple(milestones), schedule, rn.loc))
        groups.append(Group(r.get(gm, "title", str, "施策", ""), r.get(gm, "section", str, "施策", ""), tuple(rows), gn.loc))
    tables = r.items(m, "tables", str, rel)
    return Appendix(number, r.get(m, "title", str, rel, ""), kind, r.get(m, "description", str, rel, ""), tables,
                    r.get(m, "inventory", str, rel), tuple(groups), rel, node.loc)


def read_appendices(ctx: Context) -> list[Appendix]:
    adir = ctx.root / "appendices"
    out = []
    for path in sorted(adir.glob("*.yaml")) if adir.is_dir() else []:
        a = _read_appendix(ctx, f"appendices/{path.name}")
        if a is not None:
            out.append(a)
    out = list(ctx.r.unique(out, lambda a: str(a.number), lambda a: a.loc, "別紙の番号"))
    return sorted(out, key=lambda a: a.number)
