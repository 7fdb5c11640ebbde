"""What every renderer shares: the Jinja environment and page addresses.  The words used to
show KPI values, dates and revisions are :mod:`dgdocs.wording` (shared with the 新旧対照表)."""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .. import formatting, wording
from ..model import Document
from ..paths import TEMPLATES  # noqa: F401  (the renderers' templates, read here by all)


def make_env(templates: Path = TEMPLATES) -> jinja2.Environment:
    """Jinja environment: autoescape always on, undefined names are errors."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        # HTML and XML are always escaped; the Markdown README of the open data is not HTML.
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "xml", "svg"), default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date_ja"] = formatting.gregorian_date
    env.filters["wareki"] = formatting.wareki_date
    env.filters["number"] = formatting.grouped
    env.globals["revision_line"] = wording.revision_line
    env.globals["words"] = wording  # KPI targets, deadlines, periods in the plan's words
    return env



def source_date(doc: Document) -> _dt.datetime:
    """The date of the build, stamped into the PDFs and shown on every page: SOURCE_DATE_EPOCH
    if set (``make html`` and ``make pdf`` set it to the time of the last commit), else the
    latest revision date.  Never the clock: the same sources give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit() and int(epoch) <= 253402300799:  # the CLI refuses other values
        return _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc)
    d = doc.plan.latest.date
    return _dt.datetime(d.year, d.month, d.day, tzinfo=_dt.timezone(_dt.timedelta(hours=9)))


# ----------------------------------------------------------------- addresses

@dataclass(frozen=True)
class Page:
    slug: str  # file name without .html
    title: str  # full title
    short: str  # for navigation
    kind: str  # index, chapter, appendix, kpis, errata, fulltext

    @property
    def file(self) -> str:
        return f"{self.slug}.html"


def site_pages(doc: Document) -> list[Page]:
    """Every page of the site in reading order (the order of previous/next navigation)."""
    pages = [Page("index", doc.plan.title, "表紙・目次", "index")]
    for ch in doc.chapters:
        pages.append(Page(ch.id, ch.heading.text, ch.heading.text, "chapter"))
    for a in doc.appendices:
        pages.append(Page(a.slug, f"{a.label}　{a.title}", a.label, "appendix"))
    pages.append(Page("kpis", "KPI一覧", "KPI一覧", "kpis"))
    if doc.errata:
        pages.append(Page("errata", "原文からの修正一覧（正誤）", "修正一覧", "errata"))
    return pages


class Addresses:
    """Where each section, KPI and appendix lives.

    On the site (``local`` is None) every page is ``slug.html``.  In a print document,
    the pages it contains (``local``) are fragments of it, and the others are other PDF
    files (``files``: slug → file name), linked as ``file.pdf#anchor``.
    """

    def __init__(self, doc: Document, local: set[str] | None = None, files: dict[str, str] | None = None):
        self.local = local
        self.files = files or {}
        self._outline = doc.outline

    def page(self, slug: str, fragment: str = "") -> str:
        if self.local is None:
            return f"{slug}.html" + (f"#{fragment}" if fragment else "")
        anchor = fragment or slug
        if slug in self.local:
            return f"#{anchor}"
        return f"{self.files.get(slug, '')}#{anchor}"

    def section(self, sid: str) -> str:
        ch = self._outline.chapter(sid)
        return self.page(ch.id if ch else "index", sid)

    def appendix(self, number: int) -> str:
        return self.page(f"beppyo-{number}")

    def kpi(self, kid: str) -> str:
        return self.page("kpis", f"kpi-{kid}")

    def kpi_line(self, line_id: str) -> str:
        return self.page("kpis", f"kpiline-{line_id}")

    def has_section(self, sid: str) -> bool:
        return sid in self._outline
