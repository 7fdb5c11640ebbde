"""The quarter an evaluation is of: ``2021Q1`` in the appendices' period grammar.

Q1 is April–June of the fiscal year, Q4 January–March of the next calendar year.
"""

from __future__ import annotations

import re

from ..model import Period, Plan
from ..periods import parse_period

QUARTER_RE = re.compile(r"\d{4}Q[1-4]")
MONTHS = {1: "4〜6月", 2: "7〜9月", 3: "10〜12月", 4: "1〜3月"}


def parse_quarter(text: object) -> Period:
    """``2021Q1`` → a Period of precision quarter; ValueError (Japanese) for anything else."""
    period = parse_period(text)
    if period.precision != "quarter":
        raise ValueError(f"「{text}」は四半期ではありません（2021Q1 のように、年度と Q1〜Q4 で書きます）")
    return period


def quarter_text(period: Period) -> str:
    """2021Q1 → 2021年度第1四半期（4〜6月）."""
    fy, q = period.first
    return f"{fy}年度第{q}四半期（{MONTHS[q]}）"


def in_plan(period: Period, plan: Plan) -> bool:
    return plan.period_from <= period.first_fy and period.last_fy <= plan.period_to


def previous_quarter(q: tuple[int, int]) -> tuple[int, int]:
    fy, n = q
    return (fy, n - 1) if n > 1 else (fy - 1, 4)


def period_label(p: Period) -> str:
    """The period as a division reads it in a 照会票: 2021年度, 2021年度Q1, 2021年4月, 2020年."""
    if p.precision == "fiscal_year":
        return f"{p.first_fy}年度"
    if p.precision == "quarter":
        return f"{p.first_fy}年度Q{p.first[1]}"
    if p.precision == "month":
        y, m = p.text.split("-")
        return f"{int(y)}年{int(m)}月"
    return f"{p.text[2:]}年"
