"""The inputs of the checks: acceptances, the terms dictionary, the citations' reference
data and the raw text of every file the loader read (split from :mod:`.records`, whose
records are the plan itself)."""

from __future__ import annotations

import datetime as _dt
from .record import record
from typing import Literal

from .records import Loc

@record
class Acceptance:
    """A finding the ministry accepts as a real feature of its plan, pinned to exact figures.

    It silences exactly the finding with this ``code`` and ``subject``; when the figures
    change, the subject no longer matches, the finding comes back and this acceptance
    is itself reported as matching nothing.
    """

    code: str
    subject: tuple[str, ...]
    reason: str
    loc: Loc


TermKind = Literal["用語", "表記"]


@record
class Term:
    """A spelling the plan uses (``preferred``) and spellings that deviate from it.

    A 用語 (the plan's own terms: デジタル・ガバメント, e-Gov) is checked by DG605: every variant
    is a deviation.  A 表記 (one word written two ways: 全て/すべて, サーバー/サーバ) is checked by
    DG608 when the plan writes it both ways; ``basis`` says why the style guide prefers
    ``preferred``, ``followed_by`` limits the variants to one use (a noun: 「取り組み」 followed
    by を・が・の …) and ``not_in`` names contexts where the variant is another word (the
    conjunction 「さらに、」 beside the adverb 「更に」).
    """

    preferred: str
    variants: tuple[str, ...]
    note: str
    loc: Loc
    kind: TermKind = "用語"
    basis: str = ""
    followed_by: tuple[str, ...] = ()
    not_in: tuple[str, ...] = ()


@record
class CitationRef:
    """The official dates (and law number) of a document the plan cites, as an editor has
    verified them at their source (content/data/citations.yaml)."""

    title: str
    dates: tuple[_dt.date, ...]  # the official dates of its versions (決定・改定の日)
    number: str  # the law number, 「平成28年法律第103号」, or ""
    source: str  # where the editor verified them
    loc: Loc


@record
class SourceFile:
    """The text of one content file as the loader read it (for checks on the raw characters)."""

    path: str  # relative to the content root
    text: str
