"""The plan's sentences with the quantities in them, read once per run and shared.

Every sentence a reader sees — prose with its references resolved (a mask keeps which
characters a reference produced, so a rule can leave the data's own figures to the data's
rules), KPI wording, appendix and data text — in NFKC, with its location; and the
quantities of a sentence (a number and the counter or unit after it: 「1,741団体」「約1,135万件」
「35.1億円」), each standing for the values its writing allows.  Used by the arithmetic of
DG105–DG106 and by the restated figures of DG205–DG206.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..model.record import record
from .. import formatting, references
from ..model import Document, Loc
from .arithmetic import interval
from .text import NUMBER_RE, prose_lines
from .cache import per_document
from .units import fold, views

# counters a plan writes after a number (the data's own units are added per document)
COUNTERS = ("件", "万件", "億件", "千件", "種類", "団体", "市区町村", "人", "名", "システム", "億円", "万円", "千円", "円",
            "手続", "箇所", "か所", "台", "回", "施設", "機関", "府省", "事業", "項目", "社", "地域", "コース")


@record(slots=False)
class Qty:
    value: Decimal
    unit: str
    start: int  # column in the sentence
    end: int
    approx: bool
    from_ref: bool  # the number was given by a {{reference}}
    text: str

    @property
    def span(self) -> tuple[Decimal, Decimal]:
        """The values the written figure stands for: a whole number itself (as DG101 adds
        the budget rows), a decimal its last digit's rounding (as DG103), 「約」 ±5%."""
        if "." in self.text:
            lo, hi = interval(self.value)
        else:
            lo = hi = self.value
        if self.approx:
            # 「約1,600」: the rounding of its last non-zero digit, and at least ±5%
            digits = str(int(self.value)) if "." not in self.text else ""
            place = Decimal(10) ** (len(digits) - len(digits.rstrip("0"))) if digits else Decimal(0)
            half = max(place / 2, self.value * Decimal("0.05"))
            lo, hi = min(lo, self.value - half), max(hi, self.value + half)
        return lo, hi


@record(slots=False)
class Sentence:
    text: str  # NFKC, references resolved
    loc: Loc  # where the sentence starts
    section: str
    ref_mask: tuple[bool, ...]  # per character: produced by a reference
    kind: str = "prose"  # as TextUnit.kind: "prose", "kpi", "appendix", "data", "footnote"


def _resolved(line: str, doc: Document) -> tuple[str, list[bool]]:
    """The prose line with its references formatted, and which characters they produced."""
    out, mask, pos = [], [], 0
    for m in references.REF_RE.finditer(line):
        lit = line[pos:m.start()]
        dv = doc.values.get(m.group("path"))
        try:
            value = formatting.format_value(dv.value, m.group("fmt")) if dv else m.group(0)
        except formatting.FormatError:
            value = m.group(0)
        out += [lit, value]
        mask += [False] * len(lit) + [True] * len(value)
        pos = m.end()
    out.append(line[pos:])
    mask += [False] * (len(line) - pos)
    return "".join(out), mask


def _nfkc(text: str, mask: list[bool]) -> tuple[str, list[bool]]:
    folded, cols = fold(text)
    return folded, (mask if cols is None else [mask[c] if c < len(mask) else False for c in cols[:-1]])


@per_document
def sentences(doc: Document) -> tuple[Sentence, ...]:
    """Every sentence of the plan with numbers in it, as a reader sees it (once per run)."""
    out: list[Sentence] = []

    def add(text: str, mask: list[bool], loc: Loc, section: str, kind: str = "prose") -> None:
        start = 0
        for piece in re.split(r"(?<=。)", text):
            if re.search(r"\d", piece):
                out.append(Sentence(piece, loc, section, tuple(mask[start:start + len(piece)]), kind))
            start += len(piece)

    for ch, sec, n, line in prose_lines(doc):
        if not re.search(r"\d|\{\{", line) or references.directive_of(line):
            continue
        text, mask = _resolved(line, doc)
        add(*_nfkc(text, mask), Loc(ch.path, n), sec.id)
    for unit in views(doc):
        if unit.kind not in ("prose", "heading") and re.search(r"\d", unit.nfkc):
            add(unit.nfkc, [False] * len(unit.nfkc), unit.loc, unit.section, unit.kind)
    return tuple(out)


@per_document
def unit_pattern(doc: Document) -> re.Pattern:
    """One pattern for every unit of :func:`units_of` (longest first), matched after a number."""
    return re.compile("|".join(re.escape(u) for u in units_of(doc)))


@per_document
def units_of(doc: Document) -> tuple[str, ...]:
    units = set(COUNTERS) | {f.unit for f in doc.figures() if f.unit} | {t.unit for t in doc.budget_tables}
    units |= {p.unit for k in doc.kpis() for p in (k.baseline, k.target) if p is not None and p.unit}
    return tuple(sorted(units, key=len, reverse=True))


def quantities(s: Sentence, units: re.Pattern) -> list[Qty]:
    """The quantities of *s*: numbers followed by one of *units* (:func:`unit_pattern`)."""
    out = []
    for m in NUMBER_RE.finditer(s.text):
        u = units.match(s.text, m.end())
        if u is None:
            continue
        unit = u.group(0)
        raw = m.group("num").replace(",", "") + (f".{m.group('dec')}" if m.group("dec") else "")
        num_start = m.start("num")
        out.append(Qty(Decimal(raw), unit, m.start(), u.end(), bool(m.group("approx")),
                       any(s.ref_mask[num_start:m.end()]), s.text[m.start():u.end()]))
    return out


@per_document
def quantified(doc: Document) -> tuple[tuple[Sentence, tuple[Qty, ...]], ...]:
    """Every sentence with a quantity in it, and its quantities (once per run)."""
    units = unit_pattern(doc)
    out = []
    for s in sentences(doc):
        qs = quantities(s, units)
        if qs:
            out.append((s, tuple(qs)))
    return tuple(out)
