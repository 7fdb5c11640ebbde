"""DG105–DG106 — arithmetic inside a sentence: parts and their stated total, a part and its
whole, a percentage and the counts beside it.

「A 7件、B 5件の計13件」「1,741団体のうち1,045団体（70%）」: figures typed in running text
that the data files do not hold, so DG101–DG104 never see them.  Every sentence of the plan
(prose with its references resolved, KPI wording, appendices, data labels) is read once per
run into its quantities; the rules compare them with the rounding intervals of DG103.
Figures that all come from references are the data's (DG1xx) and are not reported again.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterator

from .. import formatting
from ..model import Document, Finding
from .arithmetic import interval, overlaps, percent_interval
from .registry import finding, rule
from .sentences import Qty, quantified

TOTAL_WORD = re.compile(r"(?:の)?(?:合計|総計|計|合わせて|あわせて)(?:で|は)?$")
# 「Nのうち」「…、うち、」「N中」 (中 only right after the figure: not 「年度中」「検討中」)
WHOLE_WORD = re.compile(r"(?:の)?うち[、,]?|(?<=[^\d年度])中(?=[\d約])")
PERCENT = re.compile(r"\((?P<approx>約)?(?P<num>\d+(?:\.\d+)?)%\)")


def _sum_span(parts: list[Qty]) -> tuple[Decimal, Decimal]:
    return sum((p.span[0] for p in parts), Decimal(0)), sum((p.span[1] for p in parts), Decimal(0))


def _fmt(v: Decimal) -> str:
    return formatting.grouped(v)


def _is_total(q: Qty, text: str) -> bool:
    return TOTAL_WORD.search(text[max(0, q.start - 6):q.start]) is not None


def _is_whole(q: Qty, text: str) -> bool:
    return WHOLE_WORD.match(text, q.end) is not None


# what may stand between two listed parts: 「、B手続で」「と」; a clause of its own (は・を・が) ends the list
LIST_GAP = re.compile(r"[^はをが。]{0,20}")


def _listed(a: Qty, b: Qty, text: str) -> bool:
    return LIST_GAP.fullmatch(text, a.end, b.start) is not None


def _clause_parts(qs: list[Qty], text: str, total: Qty) -> list[Qty]:
    """The quantities that list the parts of *total*: the run of figures of its unit just
    before it, each listed after the other (「A 7件、B 5件の計」), after any 「うち」 and after
    the previous total (a total closes its list)."""
    cut = max((m.end() for m in WHOLE_WORD.finditer(text, 0, total.start)), default=0)
    before = [q for q in qs if q.end <= total.start and q.start >= cut and q.unit == total.unit]
    out: list[Qty] = []
    nxt = total
    for q in reversed(before):
        if _is_total(q, text) or not _listed(q, nxt, text):
            break
        out.insert(0, q)
        nxt = q
    return out


def _whole_parts(qs: list[Qty], text: str, m: re.Match, whole: Qty) -> list[Qty]:
    """The parts after 「うち」 at *m*: figures of the whole's unit up to the next whole, the
    next 「うち」 or a total."""
    out: list[Qty] = []
    for q in qs:
        if q.start < m.end() or q.unit != whole.unit:
            continue
        if _is_total(q, text) or _is_whole(q, text) or WHOLE_WORD.search(text, m.end(), q.start) \
                or (out and not _listed(out[-1], q, text)):
            break
        out.append(q)
    return out


@rule("DG105", "文中の内訳と合計・全体が合う",
       protects="「A 7件、B 5件の計13件」のように文の中で内訳と合計を書いたとき、内訳の和が合計と一致すること、「4,860種類のうち、577種類」のように全体と内訳を書いたとき、内訳が全体を超えないことを確かめます（「約」や小数は丸めを考慮します）。")
def sentence_totals(doc: Document) -> Iterator[Finding]:
    """Inside one sentence, parts followed by their total (「…7件、…5件の計13件」「合計」
    「合わせて」) add up to it, and the parts that follow a whole (「4,860種類のうち、577種類」
    「約1,600団体、うち自治体クラウドは約1,100団体」) do not exceed it.

    Only figures of one unit are compared; each stands for its rounding interval (30.7 →
    30.65〜30.75; 「約」 ±5%), so only a difference rounding cannot explain is reported.  When
    every figure involved comes from references, the data's own rules (DG101, DG102) speak.
    """
    for s, all_qs in quantified(doc):
        qs = [q for q in all_qs if q.unit != "%"]
        if len(qs) < 2:
            continue
        for total in qs:
            if not TOTAL_WORD.search(s.text[max(0, total.start - 6):total.start]):
                continue
            parts = [q for q in _clause_parts(qs, s.text, total) if q.unit == total.unit]
            if len(parts) < 2 or all(q.from_ref for q in parts + [total]):
                continue
            if not overlaps(_sum_span(parts), total.span):
                listed = " + ".join(q.text for q in parts)
                yield finding(s.loc, f"内訳の和（{listed} = {_fmt(sum(q.value for q in parts))}{total.unit}）が、合計の「{total.text}」と合いません：「{s.text.strip()[:60]}」",
                              "内訳か合計のどちらかを直してください。計画の原文どおりであれば accepted.yaml で受け入れます。",
                              [s.section, s.text.strip(), total.text])
        for m in WHOLE_WORD.finditer(s.text):
            whole = next((q for q in reversed(qs) if q.end <= m.start()
                          and not s.text[q.end:m.start()].count("、") > 1), None)
            if whole is None:
                continue
            parts = _whole_parts(qs, s.text, m, whole)
            if not parts or all(q.from_ref for q in parts + [whole]):
                continue
            lo, _ = _sum_span(parts)
            if lo > whole.span[1]:
                listed = " + ".join(q.text for q in parts)
                yield finding(s.loc, f"「{whole.text}のうち」の内訳（{listed}）が全体を超えています：「{s.text.strip()[:60]}」",
                              "内訳は全体を超えられません。数字を確かめてください。",
                              [s.section, s.text.strip(), whole.text])


@rule("DG106", "文中の割合が、並べて書いた件数と合う",
       protects="「1,741団体のうち1,045団体（70%）」のように文の中で全体・内訳・割合を並べて書いたとき、割合が内訳÷全体と合うことを確かめます（DG103 と同じく、記載された桁の丸めを考慮します）。")
def sentence_percentages(doc: Document) -> Iterator[Finding]:
    """A percentage in brackets right after a part of a whole written in the same sentence
    (「1,741団体のうち1,045団体（70%）」「…中…（…%）」) equals 100 × part / whole within the
    rounding of the three figures (the intervals of DG103).  A percentage of a population the
    sentence does not state (「60%（1,045団体）」) is DG104's, with the reference data."""
    for s, all_qs in quantified(doc):
        if "%" not in s.text:
            continue
        qs = [q for q in all_qs if q.unit != "%"]
        for m in WHOLE_WORD.finditer(s.text):
            whole = next((q for q in reversed(qs) if q.end <= m.start()), None)
            if whole is None or whole.value == 0:
                continue
            for part in _whole_parts(qs, s.text, m, whole):
                p = PERCENT.match(s.text, part.end)
                if p is None:
                    continue
                if all(q.from_ref for q in (whole, part)):
                    continue
                stated = Decimal(p.group("num"))
                computed = percent_interval(part.value, whole.value)
                if part.approx or whole.approx or p.group("approx"):
                    computed = (computed[0] * Decimal("0.9"), computed[1] * Decimal("1.1"))
                if not overlaps(computed, interval(stated)):
                    exact = Decimal(100) * part.value / whole.value
                    yield finding(s.loc, f"「{part.text}（{p.group('num')}%）」の割合が、{whole.text}に対する {exact:.1f}% と合いません：「{s.text.strip()[:60]}」",
                                  "割合か件数のどちらかを直してください（記載の桁の丸めは考慮しています）。",
                                  [s.section, s.text.strip(), f"{p.group('num')}%"])
