"""The progress file an import would write: the existing file with the workbooks' answers laid
over it, and the list of what changes (for the PMO to read before ``--write``).

An answer replaces the existing entry of the same task, milestone, row or KPI period; entries
the workbooks do not mention stay as they are, so divisions' workbooks can be imported on
different days.  Work is on the plain form of :mod:`.dump` (what the file holds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Document

Key = tuple[str, ...]
META = ("as_of", "evaluated_on", "body", "note")


def entries(data: dict[str, Any]) -> dict[Key, dict[str, Any]]:
    out: dict[Key, dict[str, Any]] = {}
    for r in data.get("rows", []):
        own = {k: v for k, v in r.items() if k in ("status", "comment", "division")}
        if "status" in own:
            out[("row", r["id"])] = own
        for t in r.get("tasks", []):
            out[("task", r["id"], t["label"])] = t
        for m in r.get("milestones", []):
            out[("milestone", r["id"], m["label"])] = m
    for k in data.get("kpis", []):
        for a in k.get("actuals", []):
            out[("actual", k["id"], str(a["period"]))] = a
        own = {x: v for x, v in k.items() if x in ("comment", "division")}
        if "comment" in own:
            out[("kpi", k["id"])] = own
    return out


def assemble(meta: dict[str, Any], ents: dict[Key, dict[str, Any]], doc: Document) -> dict[str, Any]:
    """The plain file from *meta* and *ents*, in the order of the plan (as :func:`.dump.plain`)."""
    row_order = {r.id: n for n, r in enumerate(x for a in doc.appendices for x in a.rows())}
    item_order: dict[tuple[str, str, str], int] = {}
    for a in doc.appendices:
        for row in a.rows():
            item_order |= {("task", row.id, t.label): n for n, t in enumerate(row.tasks)}
            item_order |= {("milestone", row.id, m.label): n for n, m in enumerate(row.milestones)}
    kpi_order = {k.id: n for n, k in enumerate(doc.kpis())}
    rows: dict[str, dict[str, Any]] = {}
    kpis: dict[str, dict[str, Any]] = {}
    for key in sorted(ents, key=lambda k: (k[0] in ("actual", "kpi"), row_order.get(k[1], 10**6) if k[0] not in ("actual", "kpi")
                                           else kpi_order.get(k[1], 10**6), k[1], item_order.get(k, 10**6), k)):
        e = ents[key]
        if key[0] in ("row", "task", "milestone"):
            r = rows.setdefault(key[1], {"id": key[1]})
            if key[0] == "row":
                r.update(e)
            else:
                r.setdefault(f"{key[0]}s", []).append(e)
        else:
            k = kpis.setdefault(key[1], {"id": key[1]})
            if key[0] == "actual":
                k.setdefault("actuals", []).append(e)
            else:
                k.update(e)
    order = ("id", "status", "comment", "division", "tasks", "milestones")
    rows_out = [{k: r[k] for k in order if k in r} for r in rows.values()]
    kpis_out = [{k: r[k] for k in ("id", "actuals", "comment", "division") if k in r} for r in kpis.values()]
    out = {k: meta[k] for k in META if meta.get(k) not in (None, "")}
    if rows_out:
        out["rows"] = rows_out
    if kpis_out:
        out["kpis"] = kpis_out
    return out


@dataclass
class Change:
    key: Key
    old: dict[str, Any] | None
    new: dict[str, Any]


@dataclass
class Plan:
    data: dict[str, Any]  # the file to write (plain)
    added: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)  # entries of the existing file that would change
    unchanged: int = 0
    meta_changed: list[tuple[str, Any, Any]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.meta_changed)


def overlay(existing: dict[str, Any] | None, new: dict[str, Any], meta: dict[str, Any], doc: Document) -> Plan:
    old_e = entries(existing or {})
    new_e = entries(new)
    merged = dict(old_e)
    plan = Plan({})
    for key, e in new_e.items():
        if key not in old_e:
            plan.added.append(Change(key, None, e))
        elif old_e[key] != e:
            plan.changed.append(Change(key, old_e[key], e))
        else:
            plan.unchanged += 1
        merged[key] = e
    m = {k: (existing or {}).get(k) for k in META} | {"as_of": new["as_of"]}
    for k, v in meta.items():
        if v not in (None, "") and m.get(k) != v:
            if existing is not None and m.get(k) not in (None, ""):
                plan.meta_changed.append((k, m.get(k), v))
            m[k] = v
    plan.data = assemble(m, merged, doc)
    return plan
