"""Merge the answers of several returned 照会票 into one evaluation, and compare it with the
progress file that already exists.

Divisions answer their own lines; a line a division left as the sheet was issued (the status
carried over from the last evaluation) is not an answer of that division and gives way to a
division that changed it.  Two divisions that changed the same line differently is an error
naming both cells (DG025).  The result is an :class:`~dgdocs.model.Evaluation` whose every
value is located at its cell, so that the progress file and its checks point back at the
workbook.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..model import (
    Document, Evaluation, Finding, KpiActual, KpiProgress, Loc, Located, MilestoneProgress, Period, RowProgress,
    TaskProgress,
)
from .layout import STATUS_CHOICES
from .status import all_items
from .workbook import FIELD_NAMES, Answer


@dataclass
class Merged:
    evaluation: Evaluation
    problems: list[Finding] = field(default_factory=list)
    chosen: dict[str, Answer] = field(default_factory=dict)  # item id → the answer taken
    carried: int = 0  # lines taken as issued (nobody changed them)


def _show(v: Any) -> str:
    if isinstance(v, Period):
        return v.text
    return str(v)


def _differ(a: Answer, b: Answer) -> str | None:
    for key in sorted(set(a.values) | set(b.values)):
        if a.values.get(key) != b.values.get(key):
            return key
    return None


def merge(doc: Document, as_of: Period, answers: list[Answer]) -> Merged:
    by_id: dict[str, list[Answer]] = defaultdict(list)
    for a in answers:
        by_id[a.item_id].append(a)
    problems: list[Finding] = []
    chosen: dict[str, Answer] = {}
    carried = 0
    for item_id, group in by_id.items():
        changed = [a for a in group if not a.untouched]
        pool = changed or group
        first = pool[0]
        for other in pool[1:]:
            key = _differ(first, other)
            if key is not None:
                x, y = first.values.get(key, "（空欄）"), other.values.get(key, "（空欄）")
                problems.append(Finding(
                    "DG025", "error", first.loc(key),
                    f"{first.loc(key)} と {other.loc(key)} で、同じ行（id {item_id}）の{FIELD_NAMES.get(key, key)}の回答が違います"
                    f"（「{_show(x)}」と「{_show(y)}」）。",
                    "どちらの部局の回答が正しいか確かめ、片方の照会票を直してから取り込んでください。"))
                break
        if changed or first.values.get("status"):  # an untouched KPI line (only its unit) says nothing
            chosen[item_id] = first
            carried += not changed
    ev, more = build(doc, as_of, chosen)
    return Merged(ev, problems + more, chosen, carried)


def _at(a: Answer, key: str) -> Located | None:
    if key not in a.values or a.values[key] in ("", None):
        return None
    return Located(a.values[key], a.loc(key))


def _division(a: Answer) -> Located[str] | None:
    return Located(a.division, Loc(f"{a.book} {a.sheet}!C3")) if a.division else None


def build(doc: Document, as_of: Period, chosen: dict[str, Answer]) -> tuple[Evaluation, list[Finding]]:
    """The evaluation the chosen answers state (rows in the order of the appendices)."""
    problems: list[Finding] = []
    rows: list[RowProgress] = []
    row_loc = Loc("照会票")
    per_row: dict[str, dict[str, list]] = {}
    order: list[str] = []
    for item in all_items(doc):
        a = chosen.get(item.id)
        if a is None:
            continue
        if item.row.id not in per_row:
            per_row[item.row.id] = {"tasks": [], "milestones": [], "row": None, "loc": a.loc("status")}
            order.append(item.row.id)
        slot = per_row[item.row.id]
        status = _at(a, "status")
        if status is None:
            if any(k in a.values for k in ("comment", "new_from", "new_to", "done_on")):
                problems.append(Finding("DG023", "error", Loc(f"{a.book} {a.sheet}!F{a.row}"),
                                        "状況が空欄です（コメントなどが書かれています）。",
                                        f"状況を一覧から選んでください（{STATUS_CHOICES}）。"))
            continue
        loc = Loc(f"{a.book} {a.sheet}!A{a.row}")
        if item.task is not None:
            slot["tasks"].append(TaskProgress(Located(item.task.label, Loc(f"{a.book} {a.sheet}!D{a.row}")), status,
                                              _at(a, "comment"), _at(a, "new_from"), _at(a, "new_to"), _at(a, "done_on"),
                                              _division(a), loc))
        elif item.milestone is not None:
            if "new_from" in a.values:
                problems.append(Finding("DG023", "error", a.loc("new_from"), "マイルストーンには見直し後の開始は書けません。",
                                        "マイルストーンの新しい時期は「見直し後の終わり（マイルストーンは時期）」の列に書きます。"))
            slot["milestones"].append(MilestoneProgress(Located(item.milestone.label, Loc(f"{a.book} {a.sheet}!D{a.row}")),
                                                        status, _at(a, "comment"), _at(a, "new_to"), _at(a, "done_on"),
                                                        _division(a), loc))
        else:
            for key in ("new_from", "new_to", "done_on"):
                if key in a.values:
                    problems.append(Finding("DG023", "error", a.loc(key),
                                            f"工程の記載がない行には{FIELD_NAMES[key]}は書けません（書かれた値は取り込めません）。",
                                            "状況とコメントだけを書いてください。時期を変えたことはコメントに書きます。"))
            slot["row"] = a
    for rid in order:
        slot = per_row[rid]
        ra: Answer | None = slot["row"]
        division = _division(ra) if ra else None  # a task's division stands on the task
        rows.append(RowProgress(Located(rid, slot["loc"]), _at(ra, "status") if ra else None,
                                _at(ra, "comment") if ra else None, division, tuple(slot["tasks"]),
                                tuple(slot["milestones"]), slot["loc"]))
    kpis: list[KpiProgress] = []
    for k in doc.kpis():
        a = chosen.get(f"kpi:{k.id}")
        if a is None or a.untouched:
            continue
        actuals = []
        if "value" in a.values and all(key in a.values for key in ("period", "unit", "kind")):
            actuals.append(KpiActual(_at(a, "period"), _at(a, "value"), _at(a, "unit"), _at(a, "kind"), _at(a, "source"),
                                     _at(a, "note"), _division(a), Loc(f"{a.book} {a.sheet}!A{a.row}")))
        comment = None if actuals else _at(a, "note")
        if actuals or comment:
            kpis.append(KpiProgress(Located(k.id, a.loc("period")), tuple(actuals), comment, _division(a),
                                    Loc(f"{a.book} {a.sheet}!A{a.row}")))
    ev = Evaluation(f"progress/{as_of.text}.yaml", Located(as_of, row_loc), None, None, None, tuple(rows), tuple(kpis),
                    row_loc)
    return ev, problems
