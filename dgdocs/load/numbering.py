"""One numbering for the whole plan: footnotes (注1, 注2 …), figures (図1 …) and tables (表1 …).

The plan numbers its notes consecutively through the document, and every output — the
chapter pages, the full-text page, the PDFs, the search index and the 新旧対照表 — shows the
number given here, never the label the editor typed: ``[^9]`` that is the plan's second note
is 「注2」 everywhere (DG420 asks the editor to make the label say so).

* A footnote's number is the order of its **first call** in reading order: the chapters in
  plan.yaml's order, each section body in the order of the file, and the KPI lines where
  ``{{kpi: …}}`` places them.  A note never called (DG404) is numbered after the called
  ones of its chapter, so that every note has a number.
* Figures and captioned tables are numbered in the order they stand, each kind on its own,
  per plan (図1, 図2 … through all chapters), as the plan numbers its notes.
"""

from __future__ import annotations

from dataclasses import replace

from .. import references
from ..model import Chapter, KpiLine


def footnote_calls(ch: Chapter, kpi_lines: dict[str, KpiLine]) -> list[str]:
    """The footnote labels *ch* calls, in reading order (a label as often as it is called)."""
    calls: list[str] = []
    for sec in ch.sections():
        for use in references.scan_references(sec.body, sec.body_line):
            if use.kind == "footnote":
                calls.append(use.name)
            elif use.kind == "directive" and use.name == "kpi" and use.arg in kpi_lines:
                for text in kpi_lines[use.arg].text:
                    calls += [m.group("label") for m in references.FOOTNOTE_REF_RE.finditer(text)]
    return calls


def number(chapters: list[Chapter], kpi_lines: list[KpiLine]) -> list[Chapter]:
    """The chapters with their footnotes, figures and tables numbered through the plan."""
    by_id = {line.id: line for line in kpi_lines}
    out = []
    notes = figures = tables = 0
    for ch in chapters:
        order: dict[str, int] = {}
        for label in footnote_calls(ch, by_id):
            if label not in order and ch.footnote(label) is not None:
                order[label] = len(order)
        for f in ch.footnotes:
            order.setdefault(f.label, len(order))
        numbered = []
        for f in ch.footnotes:
            numbered.append(replace(f, number=notes + order[f.label] + 1))
        notes += len(order)
        ills = []
        for ill in ch.illustrations:
            figures += 1
            ills.append(replace(ill, number=figures))
        caps = []
        for cap in ch.tables:
            tables += 1
            caps.append(replace(cap, number=tables))
        out.append(replace(ch, footnotes=tuple(numbered), illustrations=tuple(ills), tables=tuple(caps)))
    return out
