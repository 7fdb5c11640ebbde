"""The typed, immutable model of the plan.

Everything the renderers and the checks know about the plan is here; nothing but
:mod:`dgdocs.load` reads ``content/``.  Every record carries the :class:`Loc` of the
YAML node or Markdown line it came from, so that every finding can point at it.

* :mod:`.records` — the records (plan, data, KPIs, appendices, errata);
* :mod:`.prose` — the records of the prose (chapters, sections, footnotes, 図, table captions);
* :mod:`.inputs` — the inputs of the checks (acceptances, terms, citations' reference data, raw file texts);
* :mod:`.outline` — the section tree indexed once (chapter, parent, path and labels of a section);
* :mod:`.progress` — the quarterly evaluations (progress of the 工程表 rows and KPI actuals);
* :mod:`.document` — :class:`Document`, the whole plan.

This package imports nothing of ours.
"""

from .document import Document
from .outline import Outline, OutlineEntry
from .progress import (
    ACTUAL_KINDS, SETTLED, STATUSES, Evaluation, KpiActual, KpiProgress, Located, MilestoneProgress, RowProgress,
    TaskProgress,
)
from .prose import Chapter, Footnote, Heading, Illustration, ImageFile, Section, TableCaption
from .records import (
    Number, Severity, Loc, Finding, Revision, Asset, Theme, Contact, Plan, Figure, FigureSet,
    BudgetRow, BudgetTable, DataValue, Baseline, Target, Kpi, KpiLine, PeriodPrecision, Period, Task,
    Milestone, Amount, Row, Group, Appendix, Erratum, ErrataRule, Errata,
)
from .inputs import Acceptance, CitationRef, SourceFile, Term, TermKind

__all__ = [
    "Document", "Outline", "OutlineEntry",
    "Number", "Severity", "Loc", "Finding", "Revision", "Asset", "Theme", "Contact", "Plan", "Heading", "Section", "Footnote",
    "ImageFile", "Illustration", "TableCaption", "Chapter",
    "Figure", "FigureSet", "BudgetRow", "BudgetTable", "DataValue", "Baseline", "Target", "Kpi", "KpiLine",
    "PeriodPrecision", "Period", "Task", "Milestone", "Amount", "Row", "Group", "Appendix", "Erratum",
    "ErrataRule", "Errata", "Acceptance", "Term", "TermKind", "CitationRef", "SourceFile",
    "ACTUAL_KINDS", "SETTLED", "STATUSES", "Evaluation", "KpiActual", "KpiProgress", "Located", "MilestoneProgress",
    "RowProgress", "TaskProgress",
]
