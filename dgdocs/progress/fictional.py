"""Fictional quarterly evaluations of a plan (架空の例), for tests, examples and ``make bench``.

The shipped content has no progress file: the plan states no actuals, and none may be
invented for it.  To build and look at the evaluation report, the tests, the benchmark and the
PMO's dry run need progress that *is* plausible in shape — statuses that move on from quarter
to quarter, a 見直し with its new period, lines nobody answered, actuals in each KPI's own unit
that are sometimes ahead of the path to the target and sometimes behind — and that says, in
every file, that it is fictional.  Everything is derived from the plan and a hash of the ids
(no randomness), so the same plan gives the same files, and the files pass the DG7xx checks
that are errors (DG701/DG702 warnings may remain, as they would in a real quarter).
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..model import Document, Kpi, Period
from ..periods import parse_period
from .dump import dump_plain
from .status import Item, all_items

NOTE = "架空の例（試験・説明用に作った値で、計画の実績ではありません）"
BODY = "{organisation}CIO・PMO（架空の例）"
COMMENTS = {
    "未着手": "着手に向けて要件を整理している（架空）",
    "実施中": "予定どおり進めている（架空）",
    "完了": "予定どおり完了した（架空）",
    "遅延": "関係機関との調整に時間を要している（架空）",
    "見直し": "調達の遅れにより工程を見直した（架空）",
    "中止": "他の施策に統合したため中止した（架空）",
}


def _h(*parts: object) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:8], 16)


def quarters(first: tuple[int, int], n: int) -> list[tuple[int, int]]:
    out, (fy, q) = [], first
    for _ in range(n):
        out.append((fy, q))
        fy, q = (fy, q + 1) if q < 4 else (fy + 1, 1)
    return out


def _shift(p: Period, quarters_: int) -> str:
    fy, q = p.last
    n = fy * 4 + (q - 1) + quarters_
    return f"{n // 4}Q{n % 4 + 1}"


def _division(item: Item) -> str:
    return f"架空局第{item.appendix.number}課"


def _line(item: Item, q: tuple[int, int], revised: dict[str, Period]) -> dict[str, Any] | None:
    """The fictional answer for one line in quarter *q* (None: the division did not answer)."""
    h = _h(item.id, "line")
    if _h(item.id, q) % 13 == 0:
        return None
    entry: dict[str, Any] = {"label": item.label} if item.kind != "row" else {}
    node = item.task or item.milestone
    if node is not None and node.before_plan:
        status = "完了"
    elif item.kind == "row":
        status = "完了" if h % 9 == 0 and q >= (2021, 3) else "実施中"
    else:
        start = item.task.start.first if item.task is not None else None
        end = revised.get(item.id) or (item.task.end if item.task is not None else item.milestone.at)
        if start is not None and q < start:
            status = "未着手"
        elif end is None or q < end.last:
            status = "遅延" if h % 7 == 0 and start is not None and q > start else ("未着手" if start is None else "実施中")
        elif item.id in revised or h % 5:
            status = "完了" if item.id in revised or h % 11 else "遅延"
        elif item.kind == "task":
            status = "見直し"
            new_end = parse_period(_shift(end, 4))
            revised[item.id] = new_end
            entry["new_from"] = item.task.start.text if item.task.start.precision != "fiscal_year" else int(item.task.start.text)
            entry["new_to"] = new_end.text
        else:
            status = "見直し"
            new_at = parse_period(_shift(end, 2))
            revised[item.id] = new_at
            entry["new_at"] = new_at.text
    entry["status"] = status
    entry["comment"] = COMMENTS[status]
    entry["division"] = _division(item)
    return entry


def _unit(k: Kpi) -> str:
    for u in (k.target.unit if k.target else "", k.baseline.unit if k.baseline else ""):
        if u:
            return u
    return ""


def _value(k: Kpi, at: float, plan_from: int) -> Decimal | None:
    """A fictional value on (or off) the path from the baseline to the target at time *at*."""
    t = float(k.target.value) if k.target and k.target.value is not None else None
    b = float(k.baseline.value) if k.baseline and k.baseline.value is not None else None
    down = bool(k.target and k.target.qualifier in ("以下", "未満"))
    if t is None and b is None:
        return None
    if b is None:
        b = t * (1.6 if down else 0.35)
    if t is None:
        t = b * (0.7 if down else 1.5)
    start = (k.baseline.fiscal_year + 1) if k.baseline and k.baseline.fiscal_year else plan_from
    by = (k.target.by + 1) if k.target and k.target.by else start + 5
    pace = (0.55, 0.9, 1.15)[_h(k.id, "pace") % 3]
    share = min(max((at - start) / max(by - start, 1) * pace, 0.0), 1.0)
    v = b + (t - b) * share
    if _unit(k) in ("%", "％"):
        v = min(v, 99.9)
    return Decimal(str(round(v, 1))) if abs(t) < 1000 else Decimal(int(round(v)))


def _actuals(k: Kpi, q: tuple[int, int], plan_from: int) -> list[dict[str, Any]]:
    unit = _unit(k)
    if not unit or _h(k.id, "silent") % 4 == 0:
        return []
    out = []
    quarterly = _h(k.id, "quarterly") % 3 == 0
    fy, n = q
    if quarterly:
        v = _value(k, fy + n / 4, plan_from)
        if v is not None:
            out.append({"period": f"{fy}Q{n}", "value": v, "unit": unit, "kind": "速報値", "source": "架空の調査"})
        return out
    for year in range(plan_from, fy):  # fiscal years that have ended by quarter q
        v = _value(k, year + 1, plan_from)
        if v is None:
            continue
        final = (fy, n) >= (year + 1, 2)  # 速報値 in the first quarter after the year, 確定値 from the second
        if final:
            v = v + Decimal("0.1") if v == v.to_integral_value() or v < 99 else v
            v = Decimal(int(v)) if abs(v) >= 1000 else v
        out.append({"period": year, "value": v, "unit": unit, "kind": "確定値" if final else "速報値",
                    "source": "架空の調査"})
    return out


def evaluations(doc: Document, first: tuple[int, int] | None = None, n: int = 8) -> dict[str, str]:
    """{file name under progress/: YAML text} for *n* consecutive quarters from *first*
    (default: the first quarter of the plan period)."""
    import datetime as dt

    first = first or (doc.plan.period_from, 1)
    revised: dict[str, Period] = {}
    out = {}
    lines = list(all_items(doc))
    for q in quarters(first, n):
        rows: dict[str, dict[str, Any]] = {}
        for item in lines:
            entry = _line(item, q, revised)
            if entry is None:
                continue
            row = rows.setdefault(item.row.id, {"id": item.row.id})
            if item.kind == "row":
                row.update(entry)
            else:
                row.setdefault("tasks" if item.kind == "task" else "milestones", []).append(entry)
        kpis = []
        for k in doc.kpis():
            actuals = _actuals(k, q, doc.plan.period_from)
            if actuals:
                kpis.append({"id": k.id, "actuals": actuals})
        fy, n_ = q
        end_month = (3 * n_ + 3) if n_ < 4 else 3
        year = fy if n_ < 4 else fy + 1
        evaluated = dt.date(year + (end_month == 12), (end_month % 12) + 1, 20)
        data = {"as_of": f"{fy}Q{n_}", "evaluated_on": evaluated, "body": BODY.format(organisation=doc.plan.organisation), "note": NOTE,
                "rows": list(rows.values()), "kpis": kpis}
        out[f"{fy}Q{n_}.yaml"] = "# 架空の例: dgdocs.progress.fictional が作った進捗（計画の実績ではありません）\n" + dump_plain(
            {k: v for k, v in data.items() if v not in ([], None)})
    return out


def write_evaluations(doc: Document, content: Path, first: tuple[int, int] | None = None, n: int = 8) -> list[Path]:
    """Write :func:`evaluations` into ``content/progress/`` (a copy of the plan, never the shipped one)."""
    folder = content / "progress"
    folder.mkdir(exist_ok=True)
    out = []
    for name, text in evaluations(doc, first, n).items():
        (folder / name).write_text(text, "utf-8")
        out.append(folder / name)
    return out
