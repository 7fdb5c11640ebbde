"""What every renderer shares: the Jinja environment, page addresses, and the words
used to show KPI values, dates and revisions (so HTML, PDF and open data agree)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import jinja2

from .. import formatting, wareki
from ..model import Baseline, Document, Kpi, Number, Revision, Target

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = PACKAGE_ROOT / "templates"


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
    env.globals["revision_line"] = revision_line
    return env


def revision_line(rev: Revision) -> str:
    """(令和2年3月31日改定) style line of a revision, in the plan's own wording."""
    return f"{wareki.format_wareki_date(rev.date)}{rev.kind}"


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
        self._section_page = {s.id: ch.id for ch in doc.chapters for s in ch.sections()}

    def page(self, slug: str, fragment: str = "") -> str:
        if self.local is None:
            return f"{slug}.html" + (f"#{fragment}" if fragment else "")
        anchor = fragment or slug
        if slug in self.local:
            return f"#{anchor}"
        return f"{self.files.get(slug, '')}#{anchor}"

    def section(self, sid: str) -> str:
        return self.page(self._section_page.get(sid, "index"), sid)

    def appendix(self, number: int) -> str:
        return self.page(f"beppyo-{number}")

    def kpi(self, kid: str) -> str:
        return self.page("kpis", f"kpi-{kid}")

    def kpi_line(self, line_id: str) -> str:
        return self.page("kpis", f"kpiline-{line_id}")

    def has_section(self, sid: str) -> bool:
        return sid in self._section_page


# ----------------------------------------------------------------- KPI words

def _num(value: Number | None, unit: str) -> str:
    if value is None:
        return ""
    return f"{formatting.grouped(value)}{unit}"


def target_value_text(t: Target | None) -> str:
    """約1,600団体 / 20%以上 / 5割超 (with basis: 対2019年度比20%以上)."""
    if t is None or t.value is None:
        return ""
    prefix = "約" if t.qualifier == "約" else ""
    suffix = t.qualifier if t.qualifier and t.qualifier != "約" else ""
    text = f"{t.basis}{prefix}{_num(t.value, t.unit)}{suffix}"
    if t.percent is not None:
        text += f"（{formatting.grouped(t.percent)}%）"
    return text


def deadline_text(t: Target | None) -> str:
    if t is None:
        return ""
    text = t.by_text or (f"{t.by}年度" if t.by else "")
    if t.beyond_plan:
        text += "（計画期間後）"
    return text


def baseline_text(b: Baseline | None) -> str:
    if b is None:
        return ""
    value = _num(b.value, b.unit)
    return "　".join(x for x in (b.text, value) if x)


def kpi_short(k: Kpi) -> str:
    """A KPI as an appendix names it: its indicator, or — when the plan has not set the indicator
    yet (no baseline, no target, a status such as 設定中／現在検討中) — the plan's own status."""
    if k.status and (k.target is None or k.target.value is None) and k.baseline is None:
        return k.status
    return k.indicator


def kpi_remark(k: Kpi) -> str:
    return "　".join(x for x in (k.status, k.note) if x)


def fiscal_year_label(fy: int) -> str:
    return f"{fy}年度（{wareki.format_wareki_fiscal_year(fy)}）"


def sort_unique(items: Iterable[str]) -> list[str]:
    return sorted(set(items))


def iso(day: _dt.date) -> str:
    return day.isoformat()
