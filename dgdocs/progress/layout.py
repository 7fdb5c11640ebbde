"""The layout of a 照会票 sheet, shared by the writer (:mod:`.sheet`) and the reader
(:mod:`.workbook`): which column holds what, where the header and the first answer stand,
and the marks in the hidden column that tie a sheet to its quarter and its appendix.

Column A is hidden and holds, in rows 1–3, ``dgdocs-progress/1``, ``as_of=2021Q1`` and
``sheet=appendix:2`` (or ``sheet=kpi``); from row 5 on, the id of each line (``b2-x/t1``,
``b2-x/m2``, ``b2-x``, ``kpi:gov-platform-cost``).  The last column, also hidden, holds what
the sheet was issued with (the prefilled answers), so that an untouched line is known as such.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import STATUSES

MAGIC = "dgdocs-progress/1"
HEADER_ROW = 4
FIRST_ROW = 5
DIVISION_CELL = "C3"
FONT = "BIZ UDPゴシック"
MAX_TEXT = 2000  # characters in one answer cell


@dataclass(frozen=True)
class Column:
    letter: str
    head: str
    width: float
    key: str  # the field it carries ("" for the plan's locked wording)
    input: bool = False


APPENDIX_COLUMNS = (
    Column("A", "id", 14, "id"),
    Column("B", "施策（行）", 24, ""),
    Column("C", "区分", 10, ""),
    Column("D", "工程・マイルストーン（計画の記載）", 34, "label"),
    Column("E", "計画の時期", 13, ""),
    Column("F", "状況", 9, "status", True),
    Column("G", "見直し後の開始", 9, "new_from", True),
    Column("H", "見直し後の終わり（マイルストーンは時期）", 10, "new_to", True),
    Column("I", "完了日", 11, "done_on", True),
    Column("J", "コメント（状況の説明、遅延・見直しの理由）", 32, "comment", True),
    Column("K", "前回の評価", 20, ""),
    Column("L", "発行時の値", 10, "issued"),
)

KPI_COLUMNS = (
    Column("A", "id", 14, "id"),
    Column("B", "KPI（指標）", 34, "label"),
    Column("C", "基準値（計画）", 14, ""),
    Column("D", "目標（計画）", 18, ""),
    Column("E", "計画の単位", 7, ""),
    Column("F", "実績の対象期間（年度 2020 / 四半期 2021Q1）", 11, "period", True),
    Column("G", "実績値", 10, "value", True),
    Column("H", "単位", 7, "unit", True),
    Column("I", "速報値・確定値", 9, "kind", True),
    Column("J", "出典", 20, "source", True),
    Column("K", "備考（未集計の理由など）", 24, "note", True),
    Column("L", "前回までの実績", 20, ""),
    Column("M", "発行時の値", 10, "issued"),
)

STATUS_CHOICES = "・".join(STATUSES)
KIND_CHOICES = ("速報値", "確定値")


def columns(kind: str) -> tuple[Column, ...]:
    return KPI_COLUMNS if kind == "kpi" else APPENDIX_COLUMNS


def column(kind: str, key: str) -> Column:
    return next(c for c in columns(kind) if c.key == key)


def sheet_title(kind: str, number: int | None = None) -> str:
    return "KPI" if kind == "kpi" else f"別紙{number}"
