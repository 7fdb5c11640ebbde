"""DG1xx — arithmetic in the data: totals, parts of a whole, ratios and percentages."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Iterator

from .. import formatting
from ..model import Document, Finding, Number
from .registry import finding, rule


def fmt(v: Number) -> str:
    return formatting.grouped(v)


def half_unit(v: Number) -> Decimal:
    """The rounding a stated figure stands for: 30.7 → ±0.05, 114.6 → ±0.05, 1242 → ±0.5."""
    if isinstance(v, Decimal):
        places = max(0, -v.as_tuple().exponent)
        return Decimal(5) / (Decimal(10) ** (places + 1))
    return Decimal("0.5")


def interval(v: Number) -> tuple[Decimal, Decimal]:
    h = half_unit(v)
    d = Decimal(v)
    return d - h, d + h


def percent_interval(num: Number, den: Number) -> tuple[Decimal, Decimal]:
    """100 × num / den over the rounding intervals of both figures."""
    n0, n1 = interval(num)
    d0, d1 = interval(den)
    if d0 <= 0:
        d0 = Decimal("1e-9")
    return Decimal(100) * n0 / d1, Decimal(100) * n1 / d0


def overlaps(a: tuple[Decimal, Decimal], b: tuple[Decimal, Decimal]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


@rule("DG101", "表の合計が内訳の和と一致する",
       protects="I(4) の経費の表のように、合計のある表で、内訳の行の和と合計が一致することを確かめます。内訳だけ、または合計だけを直した改定を見つけます。")
def budget_totals(doc: Document) -> Iterator[Finding]:
    """Each expenditure table's 合計 equals the sum of its rows.

    Protects the two tables of I(4) (and any table added later): a figure changed in one
    row without the total, or the reverse, is caught before publication.
    """
    for t in doc.budget_tables:
        parts = sum((Decimal(r.value) for r in t.rows), Decimal(0))
        if parts != Decimal(t.total.value):
            detail = " + ".join(f"{r.label} {fmt(r.value)}" for r in t.rows)
            yield finding(
                t.total.loc,
                f"表「{t.title}」の{t.total.label} {fmt(t.total.value)}{t.unit} が内訳の和 {fmt(parts)}{t.unit} と一致しません（{detail}）。",
                "内訳か合計のどちらかを直してください。計画の原文どおりであれば accepted.yaml で受け入れます。",
                [f"{t.key}.{r.id}={r.value}" for r in t.rows] + [f"{t.key}.total={t.total.value}"])


@rule("DG102", "内数が全体を超えず、残りが説明されている",
       protects="II(2)ア① の手続の数のように、ある数が別の数の内数（part_of）であるとき、内数が全体を超えないこと（超えればエラー）、内数の和で説明されない残りがあること（警告）を知らせます。")
def parts_of_a_whole(doc: Document) -> Iterator[Finding]:
    """Figures declared ``part_of`` another never exceed it, alone or together; a remainder is reported.

    Protects the procedure counts of II(2)ア①: online plus not-online against the total,
    planned plus deferred against not-online.  Parts that exceed their whole are errors;
    parts that leave a remainder are warnings that the ministry either explains (accepts
    with a reason) or corrects.
    """
    for fs in doc.figure_sets:
        children: dict[str, list] = defaultdict(list)
        for f in fs.figures:
            if f.part_of:
                children[f.part_of].append(f)
        for parent_id, parts in children.items():
            parent = fs.get(parent_id)
            if parent is None:
                continue
            total = sum((Decimal(p.value) for p in parts), Decimal(0))
            detail = " + ".join(f"{p.label} {fmt(p.value)}" for p in parts)
            subject = [f"{parent.key}={parent.value}"] + [f"{p.key}={p.value}" for p in parts]
            for p in parts:
                if Decimal(p.value) > Decimal(parent.value):
                    yield finding(p.loc, f"「{p.label}」{fmt(p.value)}{p.unit} が全体の「{parent.label}」{fmt(parent.value)}{parent.unit} を超えています。",
                                  "内数は全体を超えられません。数字を確かめてください。", subject + [f"exceeds:{p.id}"])
            if total > Decimal(parent.value):
                yield finding(parts[-1].loc,
                              f"「{parent.label}」{fmt(parent.value)}{parent.unit} の内数の和 {fmt(total)}{parent.unit}（{detail}）が全体を超えています。",
                              "内数の数字を確かめてください。", subject + ["sum-exceeds"])
            elif total < Decimal(parent.value):
                rest = Decimal(parent.value) - total
                yield finding(parent.loc,
                              f"「{parent.label}」{fmt(parent.value)}{parent.unit} のうち、内数（{detail}）で説明されない残りが {fmt(rest)}{parent.unit} あります。",
                              "残りが何であるかを本文が説明しているか確かめてください。計画のとおりであれば accepted.yaml に理由を書いて受け入れます。",
                              subject + [f"remainder={rest}"], severity="warning")


@rule("DG103", "記載された割合が分子・分母と合う（丸めを考慮）",
       protects="III(6)2) の削減割合のように、割合（ratio_of）がその分子と分母から計算した値と合うことを確かめます。記載された桁の丸め（30.7 は 30.65〜30.75）で説明できる差は指摘しません。")
def stated_ratios(doc: Document) -> Iterator[Finding]:
    """A figure declared ``ratio_of: [numerator, denominator]`` equals 100 × numerator / denominator
    within the rounding of the stated figures.

    Each figure stands for the interval its last digit allows (30.7 → 30.65〜30.75, 35.1 →
    35.05〜35.15); the ratio is computed over those intervals and only a difference that
    rounding cannot explain is reported.  Protects III(6)2): 114.6億円, 35.1億円, 30.7%.
    """
    for fs in doc.figure_sets:
        for f in fs.figures:
            if not f.ratio_of:
                continue
            num, den = fs.get(f.ratio_of[0]), fs.get(f.ratio_of[1])
            if num is None or den is None:
                continue
            computed = percent_interval(num.value, den.value)
            if not overlaps(computed, interval(f.value)):
                exact = Decimal(100) * Decimal(num.value) / Decimal(den.value)
                yield finding(
                    f.loc,
                    f"「{f.label}」{f.value}{f.unit} が {num.label} {fmt(num.value)}{num.unit} ÷ {den.label} {fmt(den.value)}{den.unit} = {exact:.2f}% と合いません（丸めを考慮した範囲 {computed[0]:.2f}〜{computed[1]:.2f}%）。",
                    "割合か、その元になった数字を直してください。",
                    [f"{f.key}={f.value}", f"{num.key}={num.value}", f"{den.key}={den.value}"])


@rule("DG104", "母数に対する割合と件数が合う",
       protects="KPI の目標が件数と割合の両方で書かれているとき（60%（1,045団体））、content/data/reference.yaml の母数（市区町村数など、出典つき）と合うことを確かめます。")
def percent_of_population(doc: Document) -> Iterator[Finding]:
    """A KPI target stated both as a count and as a percentage of a population (``percent`` and
    ``of``) agrees with the reference population kept, with its source, in content/data.

    Protects the KPI of II(2)ウ①5): 60%（1,045団体）of the 1,741 市区町村.
    """
    for k in doc.kpis():
        t = k.target
        if t is None or t.percent is None or t.value is None or not t.of:
            continue
        pop = doc.values.get(t.of)
        if pop is None or not isinstance(pop.value, (int, Decimal)):
            continue
        computed = percent_interval(t.value, pop.value)
        if not overlaps(computed, interval(t.percent)):
            exact = Decimal(100) * Decimal(t.value) / Decimal(pop.value)
            yield finding(
                t.loc,
                f"KPI「{k.id}」の {fmt(t.value)}{t.unit} は母数 {fmt(pop.value)}{pop.unit}（{t.of}）の {exact:.1f}% で、記載の {t.percent}% と合いません。",
                f"件数・割合・母数（{pop.loc}）のどれが正しいか確かめてください。",
                [f"kpi:{k.id}.value={t.value}", f"kpi:{k.id}.percent={t.percent}", f"{t.of}={pop.value}"])
