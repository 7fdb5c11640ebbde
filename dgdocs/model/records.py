"""The records of the model: every value the loader reads out of ``content/``.

Every record carries the :class:`Loc` of the YAML node or Markdown line it came from, so
that every finding can point at it.  See :mod:`dgdocs.model` for the whole.
"""

from __future__ import annotations

import datetime as _dt
from .record import record
from decimal import Decimal
from typing import Iterator, Literal, Union

Number = Union[int, Decimal]
Severity = Literal["error", "warning", "info"]


@record(order=True)
class Loc:
    """A place in ``content/``: file relative to the content root, 1-based line and column."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}" + (f":{self.col}" if self.col else "")


@record
class Finding:
    """A problem in the content: stable rule code, where, what (Japanese), and what to do."""

    code: str
    severity: Severity
    loc: Loc
    message: str
    hint: str = ""
    # The exact figures involved, for pinning an acceptance (see dgdocs.checks.accept).
    subject: tuple[str, ...] = ()
    # what a tool said in its own words (PyYAML's English for DG003), shown by --format json only
    detail: str = ""

    def __str__(self) -> str:
        text = f"{self.loc}: {self.severity} {self.code}: {self.message}"
        return text + (f"\n  → {self.hint}" if self.hint else "")


# --------------------------------------------------------------------- plan

@record
class Revision:
    kind: str  # 決定 / 改定
    date: _dt.date
    body: str
    summary: str
    loc: Loc


@record
class Asset:
    """A file of ``content/`` shown as it is (the organisation's logo), read by the loader."""

    path: str  # relative to the content root
    data: bytes
    media_type: str  # image/svg+xml, image/png, image/jpeg


@record
class Theme:
    """How the organisation's site and PDFs look: its accent colours (WCAG AA against white,
    checked by the loader), an optional logo, and the print body font among the BIZ UD family."""

    # the defaults are デジタル庁デザインシステム's blue-900 and blue-50 (templates/static/dads/design-tokens.json)
    accent: str = "#0017c1"  # links, headings' rules, buttons; on white ≥ 4.5:1
    accent_bg: str = "#e8f1fe"  # tinted backgrounds that carry accent-coloured text
    logo: Asset | None = None
    print_font: str = "mincho"  # mincho (BIZ UD明朝) or gothic (BIZ UDゴシック) for the PDFs' body text


@record
class Contact:
    """The contact block government pages show (問い合わせ先), as the organisation states it."""

    name: str  # 担当の部署
    phone: str = ""
    email: str = ""
    url: str = ""
    note: str = ""
    loc: Loc | None = None


@record
class Plan:
    title: str
    organisation: str
    period_from: int  # first fiscal year of the plan period
    period_to: int  # last fiscal year
    revisions: tuple[Revision, ...]
    loc: Loc
    short_name: str = ""  # how the organisation is named in running text and captions (default: organisation)
    site_name: str = ""  # the site's name in headers and window titles (default: the title)
    contact: Contact | None = None
    theme: Theme = Theme()

    @property
    def org(self) -> str:
        """The organisation as captions name it (「〇〇省が所管する…」)."""
        return self.short_name or self.organisation

    @property
    def site(self) -> str:
        return self.site_name or self.title

    @property
    def decision(self) -> Revision:
        return self.revisions[0]

    @property
    def latest(self) -> Revision:
        return self.revisions[-1]

    def in_period(self, fiscal_year: int) -> bool:
        return self.period_from <= fiscal_year <= self.period_to


# --------------------------------------------------------------------- data

@record
class Figure:
    """A named figure of the plan (a count, an amount, a ratio) or a reference value."""

    set: str  # name of the data file (namespace)
    id: str
    label: str
    value: Number
    unit: str
    loc: Loc
    part_of: str | None = None  # id of the figure this one is a part of (内数)
    ratio_of: tuple[str, str] | None = None  # (numerator id, denominator id), value in %
    source: str = ""
    as_of: _dt.date | None = None

    @property
    def key(self) -> str:
        return f"{self.set}.{self.id}"


@record
class FigureSet:
    name: str
    section: str | None
    figures: tuple[Figure, ...]
    loc: Loc

    def get(self, fid: str) -> Figure | None:
        return next((f for f in self.figures if f.id == fid), None)


@record
class BudgetRow:
    id: str
    label: str
    value: Number
    loc: Loc
    section: str | None = None


@record
class BudgetTable:
    set: str  # data file name
    id: str
    title: str
    unit: str
    category_label: str
    fiscal_year: int
    section: str | None
    rows: tuple[BudgetRow, ...]
    total: BudgetRow
    loc: Loc

    @property
    def key(self) -> str:
        return f"{self.set}.{self.id}"


@record
class DataValue:
    """One value the reference syntax can name (``{{ key }}``)."""

    key: str
    value: object
    loc: Loc
    unit: str = ""


# --------------------------------------------------------------------- KPIs

@record
class Baseline:
    value: Number | None
    unit: str
    fiscal_year: int | None
    text: str
    loc: Loc


@record
class Target:
    value: Number | None
    unit: str
    qualifier: str  # 以上 / 超 / 程度 / 約 …
    basis: str  # 対2019年度比 …
    by: int | None  # fiscal year of the deadline
    by_text: str
    beyond_plan: bool
    percent: Number | None
    of: str | None  # data key of the population the percentage refers to
    loc: Loc
    text: str = ""  # a target that is no number, in the plan's words: 全府省, 全ての手続, 100%維持


@record
class Kpi:
    id: str
    line: str  # id of the KPI line it belongs to
    section: str
    indicator: str
    kind: str  # 進捗 / 効果 / ""
    baseline: Baseline | None
    target: Target | None
    status: str
    note: str
    loc: Loc


@record
class KpiLine:
    """A 「KPI：」 line of the prose, rendered from the registry by ``{{kpi: id}}``."""

    id: str
    section: str
    kind: str
    text: tuple[str, ...]
    kpis: tuple[Kpi, ...]
    loc: Loc

    @property
    def label(self) -> str:
        return f"KPI（{self.kind}）" if self.kind else "KPI"


# --------------------------------------------------------------- appendices

PeriodPrecision = Literal["fiscal_year", "quarter", "month", "calendar_year"]


@record
class Period:
    """A stretch of fiscal quarters, inclusive: (fiscal year, quarter 1–4) at both ends.

    Quarter 1 is April–June; quarter 4 is January–March of the next calendar year.
    """

    text: str  # as written in YAML: 2020, 2020Q3, 2021-04, cy2020
    precision: PeriodPrecision
    first: tuple[int, int]
    last: tuple[int, int]

    @property
    def first_fy(self) -> int:
        return self.first[0]

    @property
    def last_fy(self) -> int:
        return self.last[0]

    @property
    def nominal_years(self) -> tuple[int, int]:
        """The years the plan names: fiscal years, or the calendar year of a ``cy`` period.

        "2020年～" (cy2020) starts in January 2020, formally in 2019年度 Q4; it is still a
        period of the plan's own years and needs no before_plan mark.
        """
        if self.precision == "calendar_year":
            y = self.last[0]
            return y, y
        return self.first[0], self.last[0]


@record
class Task:
    label: str
    start: Period
    end: Period | None  # None: continues past the last column (start stated, end not)
    quote: str
    before_plan: bool
    beyond_plan: bool
    loc: Loc
    quote_section: str = ""  # the section the quote is from, when not the row's (DG421)


@record
class Milestone:
    label: str
    at: Period
    quote: str
    before_plan: bool
    beyond_plan: bool
    loc: Loc
    quote_section: str = ""


@record
class Amount:
    value: Number
    unit: str
    fiscal_year: int | None
    quote: str
    loc: Loc
    quote_section: str = ""


@record
class Row:
    id: str
    title: str
    section: str
    kpis: tuple[str, ...]
    status: str
    note: str
    amount: Amount | None
    tasks: tuple[Task, ...]
    milestones: tuple[Milestone, ...]
    schedule: str  # 「本文に工程の記載なし」 when the plan gives no schedule
    loc: Loc


@record
class Group:
    title: str
    section: str
    rows: tuple[Row, ...]
    loc: Loc


@record
class Appendix:
    number: int
    title: str
    kind: Literal["roadmap", "list"]
    description: str
    tables: tuple[str, ...]  # budget table keys shown on the page
    inventory: str | None  # figure set shown as the procedure inventory
    groups: tuple[Group, ...]
    path: str
    loc: Loc

    @property
    def label(self) -> str:
        return f"別紙{self.number}"

    @property
    def slug(self) -> str:
        return f"beppyo-{self.number}"

    def rows(self) -> Iterator[Row]:
        for g in self.groups:
            yield from g.rows


# ------------------------------------------------------------------- errata

@record
class Erratum:
    """One correction of an extraction error of the seed text."""

    id: str
    kind: str
    section: str  # heading id where the corrected text stands
    seed_line: int
    seed: str  # the seed's wording (a substring of that seed line)
    corrected: str  # our wording
    reason: str
    loc: Loc


@record
class ErrataRule:
    """A correction applied systematically (the seed lines it touched are listed)."""

    id: str
    description: str
    reason: str
    seed_lines: tuple[int, ...]
    loc: Loc


@record
class Errata:
    seed: str  # the seed file name the line numbers refer to (in content/source/)
    rules: tuple[ErrataRule, ...]
    entries: tuple[Erratum, ...]
    loc: Loc
    # the lines of content/source/<seed>, the text the plan was transcribed from (() when absent)
    source_lines: tuple[str, ...] = ()
