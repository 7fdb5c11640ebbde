"""Names the outputs claim for themselves, which content may not take.

Every chapter id becomes a page (``<id>.html``) and every heading id an ``id`` in the
pages (on the one-page full text all of them at once).  A heading id equal to a page the
site makes itself (``index``, ``kpis``, ``beppyo-3`` …) would replace that page silently,
and one equal to an id the templates use (``main``, ``search-q`` …) or of the form the
renderers generate (``fn-3``, ``kpi-…``, ``row-…``) would duplicate an ``id``.  The loader
refuses such ids (DG012); this module sits below the loader and the renderers, so both
read the same list.
"""

from __future__ import annotations

import re

# pages of the site besides the chapters (file name without .html), and folders of build/html
SITE_PAGES = frozenset({"index", "kpis", "errata", "zenbun", "search", "source", "sitemap", "hyoka", "assets",
                        "figures", "404"})
APPENDIX_PAGE_RE = re.compile(r"beppyo-\d+")

# ids the templates write into pages
TEMPLATE_IDS = frozenset({
    "main", "appendix-title", "downloads", "downloads-data", "downloads-pdf", "downloads-title", "figures-title",
    "footnotes-title", "history-title", "search-form", "search-q", "search-results", "search-status",
    "site-search-q", "text-title", "toc-title", "zenbun-toc", "zenbun-top", "kpis",
})

# ids the renderers generate: footnotes, KPI rows and lines, appendix rows and parts, tables, 図, chapters
GENERATED_ID_RE = re.compile(
    r"(?:fn|fnref|kpi|kpiline|kpich|kpi-in|row|s|chapter|table|figure|beppyo)-.*|.*-(?:fn|fnref)-.*|.*-footnotes-title")


def reserved_id(hid: str) -> str | None:
    """Why *hid* cannot be a heading id (Japanese, for the message), or None when it can."""
    if hid in SITE_PAGES or APPENDIX_PAGE_RE.fullmatch(hid):
        return "サイトのページ名"
    if hid in TEMPLATE_IDS:
        return "ページの部品の id"
    if GENERATED_ID_RE.fullmatch(hid):
        return "自動で付ける id の形（fn-…、kpi-…、row-…、figure-…、beppyo-… など）"
    return None
