"""Write an :class:`~dgdocs.model.Evaluation` as a progress file, deterministically.

The same evaluation always gives the same bytes: keys in the schema's order, rows in the order
of the appendices, tasks and milestones in the order of their row, KPIs in the order of the
registry, no timestamp.  :func:`plain` is the comparable form used to show what an import
would change.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml

from ..model import Document, Evaluation, KpiActual, KpiProgress, Located, MilestoneProgress, RowProgress, TaskProgress

HEADER = ("# 四半期評価の進捗（dgdocs progress import で照会票から作成。書式は dgdocs/load/progress.py）\n"
          "# 工程表（別紙）は計画そのもので、ここでは書き換えません。見直しは new_from / new_to / new_at に書きます。\n")


def _v(x: Located | None) -> Any:
    if x is None:
        return None
    value = x.value
    if hasattr(value, "precision") and hasattr(value, "text"):  # a Period
        return int(value.text) if value.precision == "fiscal_year" else value.text
    return value


def _compact(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != [] and v != ""}


def _task(t: TaskProgress) -> dict[str, Any]:
    return _compact({"label": _v(t.label), "status": _v(t.status), "new_from": _v(t.new_from), "new_to": _v(t.new_to),
                     "done_on": _v(t.done_on), "comment": _v(t.comment), "division": _v(t.division)})


def _milestone(m: MilestoneProgress) -> dict[str, Any]:
    return _compact({"label": _v(m.label), "status": _v(m.status), "new_at": _v(m.new_at), "done_on": _v(m.done_on),
                     "comment": _v(m.comment), "division": _v(m.division)})


def _row(r: RowProgress, doc: Document | None) -> dict[str, Any]:
    order: dict[tuple[str, str], int] = {}
    if doc is not None:
        row = next((x for a in doc.appendices for x in a.rows() if x.id == r.id.value), None)
        if row is not None:
            order = {("t", t.label): n for n, t in enumerate(row.tasks)} | {("m", m.label): n for n, m in enumerate(row.milestones)}
    tasks = sorted(r.tasks, key=lambda t: (order.get(("t", t.label.value), 10**6), t.label.value))
    miles = sorted(r.milestones, key=lambda m: (order.get(("m", m.label.value), 10**6), m.label.value))
    return _compact({"id": _v(r.id), "status": _v(r.status), "comment": _v(r.comment), "division": _v(r.division),
                     "tasks": [_task(t) for t in tasks], "milestones": [_milestone(m) for m in miles]})


def _actual(a: KpiActual) -> dict[str, Any]:
    return _compact({"period": _v(a.period), "value": _v(a.value), "unit": _v(a.unit), "kind": _v(a.kind),
                     "source": _v(a.source), "note": _v(a.note), "division": _v(a.division)})


def _kpi(k: KpiProgress) -> dict[str, Any]:
    return _compact({"id": _v(k.id), "actuals": [_actual(a) for a in k.actuals], "comment": _v(k.comment),
                     "division": _v(k.division)})


def plain(ev: Evaluation, doc: Document | None = None) -> dict[str, Any]:
    """The evaluation as plain data in file order (what :func:`dump` writes)."""
    row_order: dict[str, int] = {}
    kpi_order: dict[str, int] = {}
    if doc is not None:
        row_order = {r.id: n for n, r in enumerate(x for a in doc.appendices for x in a.rows())}
        kpi_order = {k.id: n for n, k in enumerate(doc.kpis())}
    rows = sorted(ev.rows, key=lambda r: (row_order.get(r.id.value, 10**6), r.id.value))
    kpis = sorted(ev.kpis, key=lambda k: (kpi_order.get(k.id.value, 10**6), k.id.value))
    return _compact({"as_of": ev.as_of.value.text, "evaluated_on": _v(ev.evaluated_on), "body": _v(ev.body),
                     "note": _v(ev.note), "rows": [_row(r, doc) for r in rows], "kpis": [_kpi(k) for k in kpis]})


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False):  # lists indented like content/
        return super().increase_indent(flow, False)


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = format(value, "f")
    return dumper.represent_scalar("tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int", text)


_Dumper.add_representer(Decimal, _decimal)


def dump_plain(data: dict[str, Any]) -> str:
    return HEADER + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6,
                              default_flow_style=False, indent=2)


def dump(ev: Evaluation, doc: Document | None = None) -> str:
    return dump_plain(plain(ev, doc))
