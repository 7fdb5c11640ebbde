"""The text units of one check run, computed once and shared by every rule.

A rule is a function of the document alone (``(document) -> findings``), so rules cannot
hand each other what they computed.  Before this layer every rule walked the chapters,
split the section bodies into lines, skipped code fences and footnote definitions and
blanked the Markdown syntax again for itself — 27 rules, 27 walks; one rule (DG204) even
walked the whole plan once per KPI line.  Here each such view is computed once per
:class:`~dgdocs.model.Document` and kept while the document lives:

- :func:`~.cache.per_document` memoises a function of the document (keyed by the document's
  identity: the model is immutable, so a document's text never changes under the cache);
- :func:`views` gives every text unit with its derived forms (the text a reader sees, its
  NFKC form, its sentences), each computed on first use and then shared.

The cache holds a weak reference: when a run's document is dropped (the preview reloads,
a test builds a new miniature plan) its entry goes with it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from ..model import Document, Loc
from .cache import per_document
from .text import text_units, without_markup

SENTENCE_END = re.compile(r"(?<=。)")


@lru_cache(maxsize=None)
def _fold_char(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch)


def fold(text: str) -> tuple[str, tuple[int, ...] | None]:
    """*text* in NFKC one character at a time, and for each column of the result the column
    of *text* it comes from (None when every character folds to exactly one)."""
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text, None
    folded = unicodedata.normalize("NFKC", text)
    if len(folded) == len(text):
        return folded, None  # one for one (「（」→「(」, 「２」→「2」): the columns stay
    parts = [_fold_char(ch) for ch in text]
    folded = "".join(parts)
    cols = [i for i, part in enumerate(parts) for _ in part]
    cols.append(len(text))
    return folded, tuple(cols)


def as_written(text: str, start: int, end: int) -> tuple[str, int]:
    """The editor's own characters behind ``nfkc(text)[start:end]``, and the column where they
    start: a finding quotes 「２０１９年（平成３１年）」 with the full-width brackets the editor
    typed, not NFKC's half-width ones.  (Where folding one character at a time is not NFKC of
    the whole, the normalised text is all there is to quote.)"""
    folded, cols = fold(text)
    if cols is None:
        return text[start:end], start
    if folded != unicodedata.normalize("NFKC", text):
        return unicodedata.normalize("NFKC", text)[start:end], start
    return text[cols[start]:cols[min(end, len(cols) - 1)]], cols[start]


@dataclass(eq=False)
class UnitView:
    """One text unit and its derived forms, each computed on first use and then shared."""

    text: str
    loc: Loc
    section: str
    kind: str  # as TextUnit.kind: "prose", "kpi", "appendix", "data", "heading", "footnote"

    @cached_property
    def plain(self) -> str:
        """The text a reader sees, Markdown syntax blanked (columns unchanged)."""
        return without_markup(self.text)

    @cached_property
    def _nfkc(self) -> tuple[str, tuple[int, ...] | None]:
        # character by character, so that every column of the NFKC text maps back to :attr:`plain`
        # (None: every character folds to one, the columns are the same)
        return fold(self.plain)

    @property
    def nfkc(self) -> str:
        """:attr:`plain` in NFKC (full-width digits and brackets folded), one character at a
        time; :meth:`col` maps its columns back."""
        return self._nfkc[0]

    def col(self, nfkc_col: int) -> int:
        """The column of :attr:`plain` (and of the source line) where column *nfkc_col* of
        :attr:`nfkc` comes from."""
        cols = self._nfkc[1]
        return nfkc_col if cols is None else cols[min(nfkc_col, len(cols) - 1)]

    def written(self, start: int, end: int) -> str:
        """The text as written between two columns of :attr:`nfkc` (「（」 stays full-width)."""
        return self.plain[self.col(start):self.col(end)]

    @cached_property
    def sentences(self) -> tuple[tuple[int, str], ...]:
        """(column, sentence) of :attr:`plain`, split after each 「。」."""
        out, col = [], 0
        for s in SENTENCE_END.split(self.plain):
            if s.strip():
                out.append((col, s))
            col += len(s)
        return tuple(out)

    def at_nfkc(self, nfkc_col: int) -> Loc:
        """:meth:`at` for a column of :attr:`nfkc`."""
        return self.at(self.col(nfkc_col))

    def at(self, col: int) -> Loc:
        """The location of column *col* (0-based) of the text: exact for prose lines and
        headings' own lines; for data fields, the field's YAML node."""
        if self.kind == "prose":
            return Loc(self.loc.file, self.loc.line, col + 1)
        return self.loc


@per_document
def views(doc: Document) -> tuple[UnitView, ...]:
    """Every text unit of the plan (headings included), as shared views."""
    return tuple(UnitView(u.text, u.loc, u.section, u.kind) for u in text_units(doc))
