"""The whole plan as one immutable value: :class:`Document`."""

from __future__ import annotations

from dataclasses import field
from types import MappingProxyType
from typing import Iterator, Mapping

from .outline import Outline
from .progress import Evaluation
from .inputs import Acceptance, CitationRef, SourceFile, Term
from .prose import Chapter, Section
from .record import record
from .records import Appendix, BudgetTable, DataValue, Errata, Figure, FigureSet, Kpi, KpiLine, Plan


@record(slots=False)
class Document:
    root: str  # the content directory (absolute path), for messages only
    plan: Plan
    chapters: tuple[Chapter, ...]
    figure_sets: tuple[FigureSet, ...]
    budget_tables: tuple[BudgetTable, ...]
    kpi_lines: tuple[KpiLine, ...]
    appendices: tuple[Appendix, ...]
    errata: Errata | None
    # every value the reference syntax can name ({{ key }}), read-only (a MappingProxyType)
    values: Mapping[str, DataValue] = field(default_factory=dict)
    acceptances: tuple[Acceptance, ...] = ()
    terms: tuple[Term, ...] = ()
    chapter_files: tuple[str, ...] = ()  # every .md file in content/chapters, listed or not
    sources: tuple[SourceFile, ...] = ()  # every file the loader read, in reading order
    citation_refs: tuple[CitationRef, ...] = ()  # official dates of cited documents (data/citations.yaml)
    # the quarterly evaluations (content/progress/*.yaml), oldest first; () when none exist
    progress: tuple[Evaluation, ...] = ()
    outline: Outline = field(init=False, repr=False, compare=False)  # the section index, built once

    def __post_init__(self) -> None:
        # the model is immutable: the values are copied into a read-only mapping
        object.__setattr__(self, "values", MappingProxyType(dict(self.values)))
        object.__setattr__(self, "outline", Outline(self.chapters))

    def sections(self) -> Iterator[Section]:
        for ch in self.chapters:
            yield from ch.sections()

    def kpis(self) -> Iterator[Kpi]:
        for line in self.kpi_lines:
            yield from line.kpis

    def kpi_line(self, line_id: str) -> KpiLine | None:
        return next((k for k in self.kpi_lines if k.id == line_id), None)

    def budget_table(self, key: str) -> BudgetTable | None:
        return next((t for t in self.budget_tables if t.key == key), None)

    def figure_set(self, name: str) -> FigureSet | None:
        return next((f for f in self.figure_sets if f.name == name), None)

    def figures(self) -> Iterator[Figure]:
        for fs in self.figure_sets:
            yield from fs.figures

    def appendix(self, number: int) -> Appendix | None:
        return next((a for a in self.appendices if a.number == number), None)
