"""DG205–DG206 — a figure of the data or a KPI value restated anywhere else in the plan.

DG201 checks the figures typed inside a data file's own section and DG204 a KPI's values in
its own project.  A sentence elsewhere — another chapter, a KPI line, an appendix note — that
states the same quantity with another value is the contradiction an editor makes when a plan
is revised by many hands.  The item is recognised by its label and unit: every content word
of the label (「所管する手続」 → 所管, 手続) stands in the sentence near a number with
the item's unit (「…4,870種類の手続を所管」), and a label that negates (「…となっていない手続」)
matches only a sentence that negates too.  Numbers given by references are the data itself.
"""

from __future__ import annotations

import bisect
import re
from decimal import Decimal
from typing import Iterator

from ..model.record import record
from .. import formatting
from ..model import Document, Finding, Loc
from .registry import finding, rule
from .sentences import Qty, Sentence, quantified
from .text import subtree_ids
from .cache import per_document


BRACKETED = re.compile(r"[(（][^()（）]*[)）]|「[^「」]*」")
NEGATION = re.compile(r"(?:ない|なし|未|不可|できず)")
NEAR_BEFORE, NEAR_AFTER = 40, 16  # characters around the number where the label's words must stand


def _word_char(ch: str) -> bool:
    return "一" <= ch <= "龯" or ch == "々" or "ァ" <= ch <= "ヶ" or ch == "ー" or ch.isascii() and (ch.isalpha() or ch == "-")


def label_words(label: str) -> tuple[str, ...]:
    """The content words of a label (kanji, katakana and Latin runs of two or more, not
    starting with 「-」; what stands in brackets is a qualifier, not the item's name).  A plain
    scan: labels are few and short, and a pattern of these classes costs more to compile."""
    words, run = [], []
    for ch in BRACKETED.sub(" ", label) + " ":
        if _word_char(ch) and (run or ch != "-"):
            run.append(ch)
        else:
            if len(run) >= 2:
                words.append("".join(run))
            run = []
    return tuple(words)


@record(slots=False)
class Item:
    what: str  # how a message names it: 「data/procedures.yaml の「所管する手続」」
    words: tuple[str, ...]
    negated: bool
    unit: str
    value: Decimal
    scope: frozenset[str]  # section ids where the item's own rule (DG201/DG204) already looks
    loc: Loc
    key: str
    year: str = ""  # 「2018年度」: the sentence must name it (KPI values belong to a year)


def _scope(doc: Document, sid: str | None, parent: bool = False) -> frozenset[str]:
    outline = doc.outline
    if not sid or sid not in outline:
        return frozenset()
    sec, up = outline.section(sid), outline.parent_section(sid)
    return frozenset(subtree_ids(up if parent and up else sec))


@per_document
def data_items(doc: Document) -> tuple[Item, ...]:
    out = []
    for fs in doc.figure_sets:
        scope = _scope(doc, fs.section)
        for f in fs.figures:
            words = label_words(f.label)
            if f.unit and words and f.unit != "%":
                out.append(Item(f"data/{fs.name}.yaml の「{f.label}」", words, bool(NEGATION.search(f.label)), f.unit,
                                Decimal(f.value), scope, f.loc, f.key))
    for t in doc.budget_tables:
        scope = _scope(doc, t.section)
        for r in t.rows + (t.total,):
            words = label_words(r.label)
            if words and r is not t.total:
                out.append(Item(f"表「{t.title}」の「{r.label}」", words, bool(NEGATION.search(r.label)), t.unit,
                                Decimal(r.value), scope, r.loc, f"{t.key}.{r.id}", f"{t.fiscal_year}年度"))
    return tuple(out)


@per_document
def kpi_items(doc: Document) -> tuple[Item, ...]:
    out = []
    for line in doc.kpi_lines:
        scope = _scope(doc, line.section, parent=True)
        for k in line.kpis:
            words = label_words(k.indicator)
            for label, part, year in (("基準値", k.baseline, k.baseline.fiscal_year if k.baseline else None),
                                      ("目標値", k.target, k.target.by if k.target else None)):
                if part is None or part.value is None or not part.unit or not year or not words:
                    continue
                out.append(Item(f"KPI「{k.id}」の{label}", words, bool(NEGATION.search(k.indicator)), part.unit,
                                Decimal(part.value), scope, part.loc, f"kpi:{k.id}.{label}", f"{year}年度"))
    return tuple(out)


FISCAL_YEAR = re.compile(r"\d{4}年度")


def _year_of(years: tuple[list[int], list[str]], q: Qty) -> str | None:
    """The 年度 a figure belongs to: the nearest one written before it, else the first after
    (*years*: the columns and texts of the sentence's 「2021年度」, in order)."""
    cols, names = years
    i = bisect.bisect_left(cols, q.start) - 1
    if i >= 0:
        return names[i]
    j = bisect.bisect_left(cols, q.end)
    return names[j] if j < len(cols) else None


def _mentions(item: Item, s: Sentence, q: Qty, years: tuple[list[int], list[str]]) -> bool:
    """Whether figure *q* of sentence *s* states *item*: its unit, every word of its label
    near the number (the last, the item's noun, right around it), the same negation."""
    if q.unit != item.unit or q.from_ref:
        return False
    if item.year and _year_of(years, q) != item.year:
        return False
    window = s.text[max(0, q.start - NEAR_BEFORE):q.end + NEAR_AFTER]
    if not all(w in window for w in item.words):
        return False
    head = item.words[-1]
    close = s.text[max(0, q.start - 20):q.end + 8]
    if head not in close:
        return False
    return bool(NEGATION.search(s.text[max(0, q.start - NEAR_BEFORE):q.end + 8])) == item.negated


def _restated(doc: Document, items: tuple[Item, ...], kinds: tuple[str, ...]) -> Iterator[tuple[Sentence, Qty, Item]]:
    """(sentence, figure, item) for every figure of a sentence of *kinds* outside the item's
    own scope that states an item with another value, against the most specific item it
    could state."""
    units = {i.unit for i in items}
    for s, qs in quantified(doc):
        if s.kind not in kinds:
            continue
        found = list(FISCAL_YEAR.finditer(s.text))
        years = ([m.start() for m in found], [m.group(0) for m in found])
        for q in qs:
            if q.unit not in units:
                continue
            candidates = [i for i in items if i.unit == q.unit and s.section not in i.scope and _mentions(i, s, q, years)]
            if not candidates or any(i.value == q.value for i in candidates):
                continue
            best = max(candidates, key=lambda i: (len(i.words), sum(len(w) for w in i.words)))
            if q.approx and abs(q.value - best.value) <= best.value * Decimal("0.05"):
                continue  # 「約」: within its ±5%
            yield s, q, best


def _show(v: Decimal, unit: str) -> str:
    return f"{formatting.grouped(v)}{unit}"


@rule("DG205", "データの数値を別の箇所で書くとき、データと一致する",
       protects="データの項目（「所管する手続」4,860種類など）を、データの節の外（他の章、KPI 行、別紙）で直接書いた数字が、データの値と一致することを確かめます。項目はデータの名前（label）の語と単位で見分けます（「…4,870種類の手続を所管」）。")
def data_figures_restated(doc: Document) -> Iterator[Finding]:
    """A sentence anywhere outside a data file's own section (DG201's) that states one of its
    items — recognised by the item's label words and unit, e.g. 「4,870種類の手続を所管」 for
    「所管する手続」 (種類) — states the data's value.  A table row counts for
    its fiscal year only.  The most specific label a figure can state is the one compared."""
    for s, q, item in _restated(doc, data_items(doc), ("prose", "footnote", "kpi", "appendix")):
        yield finding(s.loc, f"「{q.text}」は{item.what}（{_show(item.value, item.unit)}）と違います：「{s.text.strip()[:60]}」",
                      f"データの値を参照（{{{{{item.key}}}}}）で書くか、数字を確かめてください（データ: {item.loc}）。",
                      [s.section, q.text, item.key])


@rule("DG206", "KPI の基準値・目標値を別の箇所で書くとき、登録簿と一致する",
       protects="KPI の基準値・目標値を、その KPI のプロジェクトの外（他の章や他の KPI 行）で、同じ年度・単位で書いた数字が、KPI 登録簿の値と一致することを確かめます（プロジェクトの中は DG204 が確かめます）。")
def kpi_values_restated(doc: Document) -> Iterator[Finding]:
    """A sentence of the prose or an appendix outside a KPI's project (DG204's scope) that
    names the KPI's year and states its indicator — every content word of the indicator near
    a number of its unit — states the registry's baseline or target for that year.  Other KPI
    lines are not compared: projects share indicator names (「システム利用件数増加」)."""
    # not the KPI lines: projects share indicator names (「システム利用件数増加」), and a line's
    # own wording is DG203's
    for s, q, item in _restated(doc, kpi_items(doc), ("prose", "footnote", "appendix")):
        yield finding(s.loc, f"「{q.text}」（{item.year}）は{item.what}（{_show(item.value, item.unit)}）と違います：「{s.text.strip()[:60]}」",
                      f"本文と kpis.yaml（{item.loc}）のどちらが正しいか確かめてください。",
                      [s.section, q.text, item.key])
