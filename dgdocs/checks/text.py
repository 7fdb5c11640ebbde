"""Where the checks read text: every line of prose and every text field of the data,
each with its location, plus the number and date patterns of Japanese plans."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from decimal import Decimal
from typing import Iterator

from ..model.record import record
from .. import references
from ..model import Chapter, Document, Loc, Section
from .cache import per_document


@record(slots=False)
class TextUnit:
    text: str
    loc: Loc
    section: str  # id of the section the text belongs to ("" for data not tied to one)
    kind: str  # "prose", "kpi", "appendix", "data", "heading", "footnote"


def prose_lines(doc: Document) -> Iterator[tuple[Chapter, Section, int, str]]:
    """(chapter, section, line number, line) of every body line (headings excluded);
    computed once per document (see :mod:`.units`)."""
    return iter(_prose_lines(doc))


@per_document
def _prose_lines(doc: Document) -> tuple[tuple[Chapter, Section, int, str], ...]:
    return tuple(_iter_prose_lines(doc))


def _iter_prose_lines(doc: Document) -> Iterator[tuple[Chapter, Section, int, str]]:
    for ch in doc.chapters:
        for sec in ch.sections():
            for n, line in references.iter_lines_outside_fences(sec.body, sec.body_line):
                yield ch, sec, n, line


def text_units(doc: Document, with_headings: bool = True) -> Iterator[TextUnit]:
    """Every piece of text a reader will see, with where it comes from; computed once per
    document (see :mod:`.units`)."""
    units = _text_units(doc)
    return iter(units) if with_headings else (u for u in units if u.kind != "heading")


@per_document
def _text_units(doc: Document) -> tuple[TextUnit, ...]:
    return tuple(_iter_text_units(doc))


def _iter_text_units(doc: Document) -> Iterator[TextUnit]:
    for ch in doc.chapters:
        for sec in ch.sections():
            yield TextUnit(sec.heading.title, sec.heading.loc, sec.id, "heading")
            for n, line in references.iter_lines_outside_fences(sec.body, sec.body_line):
                if line.strip() and not references.FOOTNOTE_DEF_RE.match(line):
                    yield TextUnit(line, Loc(ch.path, n), sec.id, "prose")
        for fn in ch.footnotes:
            yield TextUnit(fn.text, fn.loc, ch.id, "footnote")
    for line in doc.kpi_lines:
        for t in line.text:
            yield TextUnit(t, line.loc, line.section, "kpi")
        for k in line.kpis:
            for t in (k.indicator, k.note, k.status):
                if t:
                    yield TextUnit(t, k.loc, line.section, "data")
            if k.target and k.target.by_text:
                yield TextUnit(k.target.by_text, k.target.loc, line.section, "data")
    for a in doc.appendices:
        yield TextUnit(a.title, a.loc, "", "appendix")
        if a.description:
            yield TextUnit(a.description, a.loc, "", "appendix")
        for g in a.groups:
            yield TextUnit(g.title, g.loc, g.section, "appendix")
            for row in g.rows:
                for t in (row.title, row.status, row.note):
                    if t:
                        yield TextUnit(t, row.loc, row.section, "appendix")
                for item in list(row.tasks) + list(row.milestones):
                    yield TextUnit(item.label, item.loc, row.section, "appendix")
    for t in doc.budget_tables:
        yield TextUnit(t.title, t.loc, t.section or "", "data")
        for r in t.rows + (t.total,):
            yield TextUnit(r.label, r.loc, r.section or t.section or "", "data")
    for fs in doc.figure_sets:
        for f in fs.figures:
            yield TextUnit(f.label, f.loc, fs.section or "", "data")


@lru_cache(maxsize=8192)  # pure: several rules ask for the same text's form
def without_references(text: str) -> str:
    """The text with the reference syntax blanked out (same length, so columns stay right)."""
    return references.blank_braces(text)


LIST_MARKER_RE = re.compile(r"^(\s*)(\d+\.|[-*+])(\s+)")
FOOTNOTE_MARK_RE = re.compile(r"\[\^%s\]:?" % references.FOOTNOTE_LABEL)
# the address part of a link or an image, ](url "title"), and the 「![」 that opens an image
LINK_TARGET_RE = re.compile(r'\]\([^()\s]{0,1000}(?:[ \t]+"[^"\n]{0,1000}")?[ \t]*\)|!\[')


@lru_cache(maxsize=8192)  # pure: several rules ask for the same text's form
def without_markup(text: str) -> str:
    """The text a reader sees, blanked where Markdown syntax stands (list markers, footnote
    marks, references, the addresses of links and images), keeping every column where it was."""
    text = without_references(text)
    text = LIST_MARKER_RE.sub(lambda m: " " * len(m.group(0)), text)
    text = LINK_TARGET_RE.sub(lambda m: " " * len(m.group(0)), text)
    return FOOTNOTE_MARK_RE.sub(lambda m: " " * len(m.group(0)), text)


# ------------------------------------------------------------------ numbers

NUMBER_RE = re.compile(r"(?<![\d,.])(?P<approx>約)?(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<dec>\d+))?")


@record(slots=False)
class Quantity:
    value: Decimal
    unit: str
    start: int  # column (0-based) in the text
    text: str


def quantities(text: str, units: list[str]) -> list[Quantity]:
    """Every number directly followed by one of *units* (longest unit first)."""
    units = sorted(set(u for u in units if u), key=len, reverse=True)
    out = []
    for m in NUMBER_RE.finditer(text):
        rest = text[m.end():]
        for u in units:
            if rest.startswith(u):
                raw = m.group("num").replace(",", "") + (f".{m.group('dec')}" if m.group("dec") else "")
                out.append(Quantity(Decimal(raw), u, m.start(), m.group(0) + u))
                break
    return out


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=。)", text) if s.strip()]


@lru_cache(maxsize=8192)  # pure: several rules ask for the same text's form
def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def resolve_references(text: str, doc: Document) -> str:
    """The text as a reader sees it: values formatted, directives removed."""
    from ..formatting import FormatError, format_value

    def value(m: re.Match) -> str:
        dv = doc.values.get(m.group("path"))
        if dv is None:
            return m.group(0)
        try:
            return format_value(dv.value, m.group("fmt"))
        except FormatError:
            return m.group(0)

    if references.directive_of(text):
        return ""
    return references.REF_RE.sub(value, text)


@per_document
def resolved_prose_lines(doc: Document) -> tuple[tuple[Chapter, Section, int, str], ...]:
    """:func:`prose_lines` as a reader sees them (:func:`resolve_references`), once per document."""
    return tuple((ch, sec, n, resolve_references(line, doc)) for ch, sec, n, line in prose_lines(doc))


@per_document
def lines_by_section(doc: Document) -> dict[str, tuple[tuple[int, Chapter, int, str], ...]]:
    """section id → (index, chapter, line number, resolved line) of its own body lines."""
    out: dict[str, list[tuple[int, Chapter, int, str]]] = {}
    for i, (ch, sec, n, line) in enumerate(resolved_prose_lines(doc)):
        out.setdefault(sec.id, []).append((i, ch, n, line))
    return {k: tuple(v) for k, v in out.items()}


def subtree_ids(sec: Section) -> set[str]:
    return {s.id for s in sec.walk()}
