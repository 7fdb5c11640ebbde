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
from ..paths import PROJECT, TEMPLATES  # noqa: F401  (the renderers' templates, read here by all)

#: the compiled templates, kept between builds as Python keeps its bytecode (in the project, ignored by git)
TEMPLATE_CACHE = PROJECT / ".cache" / "templates"


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates in files: a build compiles some thirty templates
    (≈ 0.2 s of a build's CPU) that did not change since the last.  Jinja keys each file by the
    template's name and path and checks the source's checksum before using it (a changed
    template is compiled again); it writes a file whole (a temporary file renamed).  Where the
    cache cannot be read or written — a read-only checkout, a broken file — templates are
    compiled as without it: the cache changes how long a build takes, never what it makes."""

    def __init__(self, directory: Path):
        super().__init__(str(directory), "%s.cache")

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, TypeError):  # unreadable or not a code object: compile
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


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
        bytecode_cache=TemplateCache(TEMPLATE_CACHE),
    )
    env.filters["date_ja"] = formatting.gregorian_date
    env.filters["wareki"] = formatting.wareki_date
    env.filters["number"] = formatting.grouped
    env.globals["revision_line"] = wording.revision_line
    from .outputs import report_pdf, report_slug
    env.filters["report_href"] = lambda quarter: f"{report_slug(quarter)}.html"  # from the top of the site
    env.filters["report_pdf"] = report_pdf
    env.filters["svg_data_url"] = svg_data_url
    env.globals["words"] = wording  # KPI targets, deadlines, periods in the plan's words
    return env


def svg_data_url(svg: str) -> str:
    """An SVG of ours as a ``data:`` URL, for an ``<img>`` of the print: WeasyPrint then reads it
    with its SVG parser alone (no CSS cascade over every line of it) and caches equal images;
    its fetcher lets exactly this prefix through (dgdocs.render.pdfwriter)."""
    import base64
    return "data:image/svg+xml;base64," + base64.b64encode(str(svg).encode("utf-8")).decode("ascii")


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
    files (``files``: slug → file name), linked as ``file.pdf#anchor``.  *prefix* leads from
    a page in a folder of the site back to its top (``../`` from ``hyoka/2021Q1.html``).
    """

    def __init__(self, doc: Document, local: set[str] | None = None, files: dict[str, str] | None = None,
                 prefix: str = ""):
        self.local = local
        self.files = files or {}
        self.prefix = prefix
        self._outline = doc.outline

    def page(self, slug: str, fragment: str = "") -> str:
        if self.local is None:
            return f"{self.prefix}{slug}.html" + (f"#{fragment}" if fragment else "")
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
