"""Compare two revisions of the plan: the rows of the 新旧対照表 (old/new comparison table).

:func:`compare` takes two loaded :class:`~dgdocs.model.Document` s and returns a
:class:`Comparison`: the rows of the two-column table (改定後 / 改定前) and the changed
figures (KPIs, expenditure tables, data figures, appendix schedules, revision history).
Rendering is :mod:`dgdocs.render.shinkyu`; fetching a git revision is :mod:`dgdocs.revsource`.

How the two texts are put side by side:

* **Sections pair by their stable heading id** (``{#id}``), never by their label, so a
  section renumbered from (3) to (4) still stands against its old self (with the label
  underlined).  The merged order is the new order; a removed section stands where it
  stood (after the sections that preceded it), a section whose position changed stands
  at its new place with a note, and a one-line note at its old place.
* **Inside a section, blocks** (paragraphs, list items, KPI lines, tables, footnotes)
  are compared as the reader reads them (:mod:`dgdocs.plaintext`: references
  resolved).  Identical blocks pair first (difflib's longest matching blocks); in a
  stretch where the blocks differ, old and new blocks pair in order by the most text in
  common (at least 40 %), and what is left over was inserted or deleted.
* **Moved blocks**: a deleted block and an inserted block anywhere in the document with
  the same text (or at least 80 % in common, 20 characters or more) are one move.  Each
  place says where the text went or came from, the moved text has a dotted underline,
  and any change of wording made on the way has the ordinary underline.
* **What did not change collapses to 「（略）」**: the headings above a change are kept
  for orientation, every other unchanged stretch becomes one 「（略）」 row.

Everything is a pure function of the two documents: the same inputs give the same rows.
"""

from __future__ import annotations

from .. import wording
from ..model import Document
from .figures import compare_figures
from .prose import compare_prose
from .result import NEW_SECTION, OMITTED, REMOVED, Comparison, ComparisonRow, FigureChange, Labels, Part, SideInfo

__all__ = ["NEW_SECTION", "OMITTED", "REMOVED", "Comparison", "ComparisonRow", "FigureChange", "Labels", "Part",
           "SideInfo", "compare", "side_info"]


def side_info(doc: Document, role: str, source: str) -> SideInfo:
    latest = doc.plan.latest
    return SideInfo(role, source, wording.revision_line(latest), latest.body, latest.summary)


def compare(old: Document, new: Document, old_source: str = "改定前", new_source: str = "改定後") -> Comparison:
    """The 新旧対照表 of *old* → *new*; the sources name the two sides (git revision or directory)."""
    olab, nlab = old.outline.quoted, new.outline.quoted
    return Comparison(new.plan.title, side_info(new, "改定後", new_source), side_info(old, "改定前", old_source),
                      tuple(compare_prose(old, new, olab, nlab)), tuple(compare_figures(old, new, olab, nlab)))
