"""DG105–DG106 — arithmetic inside a sentence: parts and their stated total, a part and its
whole, a percentage and the counts beside it.

「A 7件、B 5件の計13件」「1,741団体のうち1,045団体（70%）」: figures typed in running text
that the data files do not hold, so DG101–DG104 never see them.  Every sentence of the plan
(prose with its references resolved, KPI wording, appendices, data labels) is read once per
run into its quantities; the rules compare them with the rounding intervals of DG103.
Figures that all come from references are the data's (DG1xx) and are not reported again.
"""

from __future__ import annotations

import bisect
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
LIST_GAP_MAX = 20
LIST_GAP = re.compile(r"[^はをが。]{0,%d}" % LIST_GAP_MAX)


def _listed(a: Qty, b: Qty, text: str) -> bool:
    return LIST_GAP.fullmatch(text, a.end, b.start) is not None


WHOLE_GAP = 60  # 「4,860種類の手続を所管しており、うち、」: how far before 「うち」 its whole may stand
FIRST_PART_GAP = 40  # 「うち自治体クラウドは約1,100団体」: how far after 「うち」 the first part may stand


class _Sentence:
    """The quantities of one sentence with what the rules look up in them, each found once
    (bisect on positions: every rule stays linear in the sentence, however long)."""

    def __init__(self, text: str, qs: list[Qty]):
        self.text, self.qs = text, qs
        self.ends = [q.end for q in qs]
        self.starts = [q.start for q in qs]
        self.wholes = [m for m in WHOLE_WORD.finditer(text)]
        self.whole_ends = [m.end() for m in self.wholes]
        self.totals = [_is_total(q, text) for q in qs]

    def before(self, col: int) -> int:
        """Index of the last quantity that ends at or before *col* (-1: none)."""
        return bisect.bisect_right(self.ends, col) - 1

    def whole_of(self, m: re.Match) -> Qty | None:
        """The whole of 「うち」 at *m*: the figure just before it, with at most one 「、」 between."""
        i = self.before(m.start())
        if i < 0:
            return None
        q = self.qs[i]
        if m.start() - q.end > WHOLE_GAP or self.text.count("、", q.end, m.start()) > 1:
            return None
        return q

    def parts_of_total(self, i: int) -> list[Qty]:
        """The parts of the total at index *i*: the run of figures of its unit just before it,
        each listed after the other (「A 7件、B 5件の計」), after any 「うち」 and after the
        previous total (a total closes its list)."""
        total = self.qs[i]
        k = bisect.bisect_right(self.whole_ends, total.start) - 1
        cut = self.whole_ends[k] if k >= 0 else 0
        out: list[Qty] = []
        nxt = total
        for j in range(i - 1, -1, -1):
            q = self.qs[j]
            if q.start < cut or self.totals[j] or nxt.start - q.end > LIST_GAP_MAX:
                break
            if q.unit != total.unit:
                continue
            if not _listed(q, nxt, self.text):
                break
            out.insert(0, q)
            nxt = q
        return out

    def parts_of_whole(self, m: re.Match, whole: Qty) -> list[Qty]:
        """The parts after 「うち」 at *m*: figures of the whole's unit, the first close after it,
        each listed after the other, up to the next whole, the next 「うち」 or a total."""
        out: list[Qty] = []
        k = bisect.bisect_right(self.whole_ends, m.end())  # the next 「うち」 after this one
        stop = self.wholes[k].start() if k < len(self.wholes) else len(self.text)
        for j in range(bisect.bisect_left(self.starts, m.end()), len(self.qs)):
            q = self.qs[j]
            if q.start >= stop or self.totals[j] or (not out and q.start - m.end() > FIRST_PART_GAP):
                break
            if out and q.start - out[-1].end > LIST_GAP_MAX:
                break
            if q.unit != whole.unit:
                continue
            if _is_whole(q, self.text) or (out and not _listed(out[-1], q, self.text)):
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
        look = _Sentence(s.text, qs)
        for i, total in enumerate(qs):
            if not look.totals[i]:
                continue
            parts = look.parts_of_total(i)
            if len(parts) < 2 or all(q.from_ref for q in parts + [total]):
                continue
            if not overlaps(_sum_span(parts), total.span):
                listed = " + ".join(q.text for q in parts)
                yield finding(s.loc, f"内訳の和（{listed} = {_fmt(sum(q.value for q in parts))}{total.unit}）が、合計の「{total.text}」と合いません：「{s.text.strip()[:60]}」",
                              "内訳か合計のどちらかを直してください。計画の原文どおりであれば accepted.yaml で受け入れます。",
                              [s.section, s.text.strip(), total.text])
        for m in look.wholes:
            whole = look.whole_of(m)
            if whole is None:
                continue
            parts = look.parts_of_whole(m, whole)
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
        look = _Sentence(s.text, qs)
        for m in look.wholes:
            whole = look.whole_of(m)
            if whole is None or whole.value == 0:
                continue
            for part in look.parts_of_whole(m, whole):
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
