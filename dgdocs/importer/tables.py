"""Tab-separated tables into YAML data (the expenditure tables of I(4)), or Markdown tables.

A table of two columns — a header 「経費区分	2020 年度」, rows 「label	number」 and a last row
「合計	number」 — under a caption 「【…経費計画（単位：億円）】」 is the form of the plans'
expenditure tables; it becomes a table of ``data/budget.yaml`` (title, unit, fiscal year, rows,
total) and the prose shows it with ``{{table: budget.<id>}}``.  Any other table is kept as a
Markdown table in the prose (and reported: its figures are not data yet).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .. import standard
from .spacing import tighten

_CAPTION = re.compile(r"^(?P<title>.+?)[（(]単位[:：]\s*(?P<unit>[^）)]+)[）)]$")
_YEAR = re.compile(r"^(?P<y>\d{4})年度$")
_NUMBER = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
TOTAL_LABELS = ("合計", "計", "総計")
# the standard 経費区分 of the plans' expenditure tables
ROW_IDS = {"整備経費": "development", "運用等経費": "operation", "その他経費": "other"}


@dataclass
class Table:
    lines: list[int]
    rows: list[list[str]]  # cells, spacing tightened
    caption: str = ""
    caption_line: int = 0
    data: dict | None = None  # the YAML of a data table
    id: str = ""
    problem: str = ""  # why it is not data (for the report)


def _value(text: str) -> int | Decimal:
    t = text.replace(",", "")
    return Decimal(t) if "." in t else int(t)


def _table_id(title: str, taken: set[str]) -> str:
    base = "system" if "システム経費" in title else "by_measure" if "施策別" in title else f"table{len(taken) + 1}"
    tid, k = base, 2
    while tid in taken:
        tid, k = f"{base}{k}", k + 1
    return tid


def _row_id(label: str, org: str, taken: set[str], n: int) -> str:
    rid = ROW_IDS.get(label) or next((c.id for c in standard.CHAPTERS if _close(label, standard.fill(c.title, org))), "")
    if not rid or rid in taken:
        rid = f"r{n}"
    return rid


def _close(a: str, b: str) -> bool:
    import difflib
    return difflib.SequenceMatcher(None, standard.normalise_title(a), standard.normalise_title(b), autojunk=False).ratio() >= 0.8


def build(table: Table, section: str, org: str, taken: set[str]) -> None:
    """Make *table* a data table when it has the form of an expenditure table, else say why not."""
    rows = table.rows
    cap = _CAPTION.match(table.caption) if table.caption else None
    if cap is None:
        table.problem = "表題「【…（単位：…）】」がない"
        return
    if any(len(r) != 2 for r in rows) or len(rows) < 3:
        table.problem = "2列（区分と値）の表ではない"
        return
    year = _YEAR.match(rows[0][1])
    if year is None:
        table.problem = f"見出しの行の2列目が年度（「2020年度」）ではない（「{rows[0][1]}」）"
        return
    body, total = rows[1:-1], rows[-1]
    if total[0] not in TOTAL_LABELS:
        table.problem = f"最後の行が合計ではない（「{total[0]}」）"
        return
    bad = [r[1] for r in rows[1:] if not _NUMBER.match(r[1])]
    if bad:
        table.problem = f"数値でない値がある（「{bad[0]}」）"
        return
    tid = _table_id(cap.group("title"), taken)
    taken.add(tid)
    row_ids: set[str] = set()
    out_rows = []
    for n, (label, value) in enumerate(body, 1):
        rid = _row_id(label, org, row_ids, n)
        row_ids.add(rid)
        out_rows.append({"id": rid, "label": label, "value": _value(value)})
    table.id = tid
    table.data = {"title": cap.group("title").strip(), "unit": cap.group("unit").strip(), "section": section,
                  "category_label": rows[0][0], "fiscal_year": int(year.group("y")), "rows": out_rows,
                  "total": {"label": total[0], "value": _value(total[1])}}


def tidy(rows: list[list[str]]) -> list[list[str]]:
    return [[tighten(c) for c in r] for r in rows]


def markdown(table: Table) -> list[str]:
    """A GFM table of the rows (the first row is the header); | in cells is escaped."""
    width = max(len(r) for r in table.rows)
    cells = [[c.replace("|", "\\|") for c in r] + [""] * (width - len(r)) for r in table.rows]
    out = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * width]
    out += ["| " + " | ".join(r) + " |" for r in cells[1:]]
    return out
