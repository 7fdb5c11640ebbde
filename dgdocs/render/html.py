"""The HTML site: index, one page per chapter, the appendices, the KPI table, the errata,
the whole plan on one page (全文), a search page, and ``sitemap.xml``.

``render_site(doc)`` returns every output file as bytes keyed by its path inside
``build/html/``; :mod:`dgdocs.build` writes them.  :class:`Site` renders one file at a
time (``dgdocs serve`` renders only the pages a browser asks for).  The same section and
KPI markup is used by the PDF renderer through :class:`DocumentMarkup`.

What every page keeps (tested in tests/test_site*.py, validated by axe-core and the Nu
Html Checker in tests/test_site_validators.py):

* No external resources and no inline script or style: the stylesheet and the two search
  scripts are files under ``assets/``, and the Content-Security-Policy (:data:`CSP`, a
  ``<meta http-equiv>`` since the site is static) allows only those (``'self'``).
* Relative links only, so the folder can be served from any path; the PDFs and the open
  data are reached as ``../pdf/…`` and ``../data/…`` (the published folder is the whole
  ``build/``).  ``base_url`` adds ``<link rel="canonical">`` and ``sitemap.xml``.
* Everything that came from ``content/`` is escaped by the templates or by
  :mod:`dgdocs.markup` (raw HTML is text, only http(s)/mailto/relative links).
"""

from __future__ import annotations

import functools
from pathlib import Path

from markupsafe import Markup as Safe

from ..markup import strip_markup
from ..model import Document
from ..plaintext import TextRenderer
from . import common, pagemeta, phrases
from .common import Addresses, Page, make_env, site_pages, source_date
from .designtokens import LICENSE_FILE, tokens_css
from .outputs import DATA_FILES, REPORT_INDEX, data_files, figure_files, pdf_files, report_pdf, report_slug  # noqa: F401
from .pagemeta import FileFacts
from .report import actual_text, evaluation_report, index_entries, latest_links
from .views import DocumentMarkup, appendix_view, kpi_appendix_rows, kpi_groups, toc_entries


# ----------------------------------------------------------------------- the site

#: The Content-Security-Policy of every page.  Scripts, styles and images only from the
#: site's own files; no inline script or style (not even ``style=""``), no plugins, no
#: ``<base>``, forms only to the site itself, and DOM sinks closed to strings (Trusted
#: Types).  ``connect-src 'self'``: the site's scripts fetch nothing, but an audit run from the
#: page's own context reads the origin's robots.txt (Lighthouse does, and reports the SEO of a
#: page under ``connect-src 'none'`` as "unable to download robots.txt": its issue 4386), so
#: the site's own origin is allowed and nothing else.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; require-trusted-types-for 'script'; trusted-types 'none'")

#: Static files the site ships (from templates/static); print.css belongs to the PDFs.
SITE_ASSETS = ("site.css", "search.js", "favicon.svg")
#: デジタル庁デザインシステム's tokens (dgdocs.render.designtokens) and their licence
TOKENS_CSS = "assets/dads-tokens.css"
TOKENS_LICENSE = "assets/dads-LICENSE.txt"

FULLTEXT = Page("zenbun", "全文（1ページ）", "全文", "fulltext")
SEARCH = Page("search", "サイト内検索", "検索", "search")
# the extracted text the plan was transcribed from, line by line (linked from the errata page, not in the navigation)
SOURCE = Page("source", "原文（抽出テキスト）", "原文", "source")
# the quarterly evaluations (chapter VI), only when content/progress/ holds any: their index in
# the navigation, one page per evaluation in the folder hyoka/ (dgdocs.render.report)
REPORTS = Page(REPORT_INDEX, "四半期評価（計画の進捗）", "四半期評価", "hyoka-index")
REPORT_ASSET = "hyoka.css"


def normalise_base_url(url: str | None) -> str | None:
    """``https://example.jp/plan`` → ``https://example.jp/plan/``; only absolute http(s) URLs."""
    if not url:
        return None
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"base URL must be an absolute http(s) URL without query or fragment: {url!r}")
    return url.strip() if url.strip().endswith("/") else url.strip() + "/"


def theme_css(doc: Document) -> str:
    """``assets/theme.css``: the organisation's accent colours (plan.yaml ``theme``) over the
    defaults of site.css.  The values were checked by the loader (``#rrggbb``, AA contrast)."""
    t = doc.plan.theme
    return f":root {{ --accent: {t.accent}; --accent-bg: {t.accent_bg}; }}\n"


def logo_file(doc: Document) -> str | None:
    """``assets/logo-<hash>.<ext>``: the organisation's logo, named by its content so that no
    cache shows an old one."""
    import hashlib

    logo = doc.plan.theme.logo
    if logo is None:
        return None
    ext = {"image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpg"}[logo.media_type]
    return f"assets/logo-{hashlib.sha256(logo.data).hexdigest()[:12]}.{ext}"


def _globals(doc: Document, addresses: Addresses) -> dict:
    return {
        "doc": doc, "plan": doc.plan, "a": addresses,
        "section_path": doc.outline.path_text, "strip_markup": strip_markup, "logo": logo_file(doc),
    }


class Site:
    """The HTML site of one document; :meth:`render` makes one file of ``build/html/``."""

    def __init__(self, doc: Document, templates: Path | None = None, banner: str = "",
                 base_url: str | None = None, env=None, pdf_facts: dict[str, FileFacts] | None = None):
        self.doc = doc
        self.templates = templates or common.TEMPLATES
        self.env = env or make_env(self.templates)  # serve keeps one (compiled templates are cached)
        self.banner = banner
        self.base_url = normalise_base_url(base_url)
        self.addresses = Addresses(doc)
        self.pages = site_pages(doc)  # reading order: previous / next
        self.reports = [Page(report_slug(ev.as_of.value.text), f"四半期評価　{ev.as_of.value.text}", ev.as_of.value.text,
                             "hyoka") for ev in doc.progress]
        self.nav = self.pages + ([REPORTS] if self.reports else []) + [FULLTEXT, SEARCH]
        self.by_file = {p.file: p for p in self.nav + self.reports}
        if doc.errata and doc.errata.source_lines:
            self.by_file[SOURCE.file] = SOURCE
        self.dm = DocumentMarkup(doc, self.addresses, self.env)
        self.g = _globals(doc, self.addresses)
        # each PDF with what its link says: 「PDF 502KB・39ページ」 from the built file, or 「PDF」
        # alone when this build made no PDFs (nothing is guessed)
        facts = pdf_facts or {}
        self.pdfs = [dict(f, facts=facts.get(f["file"], FileFacts("PDF"))) for f in pdf_files(doc)]
        self.text = TextRenderer(doc)
        self.built = source_date(doc).date()
        self.figures = figure_files(doc)  # the 図's images, named by their content hash

    def files(self) -> list[str]:
        """Every file of the site, pages first."""
        out = [p.file for p in self.nav] + [p.file for p in self.reports]
        if SOURCE.file in self.by_file:
            out.append(SOURCE.file)
        out += [f"assets/{name}" for name in self.assets] + [TOKENS_CSS, TOKENS_LICENSE, "assets/theme.css",
                                                              "assets/search-index.js"] + list(self.figures)
        if logo_file(self.doc):
            out.append(logo_file(self.doc))
        if self.base_url:
            out.append("sitemap.xml")
        return out

    def report_files(self) -> list[str]:
        """The evaluation reports' pages (hyoka/<quarter>.html) and their index."""
        return [p.file for p in self.reports] + ([REPORTS.file] if self.reports else [])

    def render(self, path: str) -> bytes:
        if path in self.by_file:
            return self._page(self.by_file[path]).encode("utf-8")
        if path == "assets/search-index.js":
            from .search import search_index_js
            return search_index_js(self.doc, self.addresses).encode("utf-8")
        if path in self.figures:
            return self.figures[path].data  # as checked: a PNG or JPEG as it is, an SVG rebuilt (dgdocs.svgsafe)
        if path == "assets/theme.css":
            return theme_css(self.doc).encode("utf-8")
        if path == TOKENS_CSS:
            return tokens_css().encode("utf-8")
        if path == TOKENS_LICENSE:
            return LICENSE_FILE.read_bytes()
        if path == logo_file(self.doc):
            return self.doc.plan.theme.logo.data
        if path.startswith("assets/") and path[len("assets/"):] in self.assets:
            return (self.templates / "static" / path[len("assets/"):]).read_bytes()
        if path == "sitemap.xml" and self.base_url:
            pages = [p for p in self.nav + self.reports if p is not SEARCH]  # a search page has nothing to index
            return self.env.get_template("sitemap.xml").render(
                base_url=self.base_url, pages=pages, lastmod=self.doc.plan.latest.date.isoformat()).encode("utf-8")
        raise KeyError(path)

    @functools.cached_property
    def latest(self):
        """The links from the plan's pages to the latest evaluation (dgdocs.render.report)."""
        return latest_links(self.doc)

    @functools.cached_property
    def index_entries(self) -> list[dict]:
        return index_entries(self.doc) if self.reports else []

    @property
    def assets(self) -> tuple[str, ...]:
        return SITE_ASSETS + ((REPORT_ASSET,) if self.reports else ())

    # -- pages
    def _emit(self, page: Page, template: str, **kw) -> str:
        prev_page = next_page = None
        if page in self.pages:
            i = self.pages.index(page)
            prev_page = self.pages[i - 1] if i > 0 else None
            next_page = self.pages[i + 1] if i + 1 < len(self.pages) else None
        ctx = dict(self.g)
        parent = {"source": self.by_file.get("errata.html"), "hyoka": REPORTS}.get(page.kind)
        ctx.update(
            page=page, pages=self.nav, prev_page=prev_page, next_page=next_page, banner=self.banner,
            csp=CSP, canonical=(self.base_url + page.file) if self.base_url else None, scripts=(),
            page_pdfs=[p for p in self.pdfs if page.slug in p["slugs"]], all_pdf=self.pdfs[-1],
            description=pagemeta.description(self.doc, page, self.text), built=self.built,
            crumbs=pagemeta.breadcrumbs(self.pages[0], page, parent), page_toc=[])
        ctx.update(kw)
        return phrases.mark_html(self.env.get_template(template).render(**ctx))

    def _page(self, page: Page) -> str:
        doc, dm = self.doc, self.dm
        if page.kind == "index":
            return self._emit(page, "index.html", toc=toc_entries(doc, self.addresses), pdfs=self.pdfs,
                              data_files=data_files(doc), reports=self.index_entries,
                              reports_page=REPORTS)
        if page.kind == "chapter":
            ch = next(c for c in doc.chapters if c.id == page.slug)
            body, notes = dm.chapter_html(ch)
            head, sep, rest = body.partition("</h1>\n")  # the in-page contents stand after the chapter's heading
            return self._emit(page, "chapter.html", chapter=ch, body_head=Safe(head + sep), body_rest=Safe(rest),
                              page_toc=pagemeta.page_toc(ch),
                              footnotes=[(f, Safe(dm.md.inline(f.text))) for f in notes])
        if page.kind == "appendix":
            a = next(x for x in doc.appendices if x.slug == page.slug)
            view = appendix_view(doc, a, self.addresses)
            _, rows, appendices = self.latest
            return self._emit(page, "appendix.html", for_print=False, view=view, row_progress=rows,
                              appendix_progress=appendices.get(a.number), **view)
        if page.kind == "kpis":
            return self._emit(page, "kpis.html", groups=kpi_groups(doc), kpi_rows=kpi_appendix_rows(doc),
                              kpi_line_html=dm.kpi_line_text, kpi_progress=self.latest[0])
        if page.kind in ("hyoka", "hyoka-index"):
            return self._report(page)
        if page.kind == "errata":
            return self._emit(page, "errata.html", errata=doc.errata,
                              source=SOURCE.file if SOURCE.file in self.by_file else None)
        if page.kind == "source":
            return self._emit(page, "source.html", errata=doc.errata)
        if page.kind == "fulltext":
            return self._fulltext(page)
        if page.kind == "search":
            return self._emit(page, "search.html", scripts=("assets/search-index.js", "assets/search.js"))
        raise KeyError(page.kind)  # pragma: no cover

    def _report(self, page: Page) -> str:
        """An evaluation's page, or the index of evaluations (in the folder hyoka/)."""
        doc = self.doc
        a = Addresses(doc, prefix="../")
        common_kw = dict(root="../", a=a, stylesheets=[f"assets/{REPORT_ASSET}"], reports_page=REPORTS,
                         actual_text=actual_text)
        if page.kind == "hyoka-index":
            return self._emit(page, "hyoka/index.html", reports=self.index_entries, **common_kw)
        ev = next(e for e in doc.progress if report_slug(e.as_of.value.text) == page.slug)
        report = evaluation_report(doc, ev)
        return self._emit(page, "hyoka/report.html", report=report, for_print=False, hlevel=2,
                          report_pdf=report_pdf(ev.as_of.value.text),
                          later_page=report_slug(report.later.as_of.value.text).split("/")[-1] + ".html" if report.later else None,
                          previous_page=report_slug(report.previous.as_of.value.text).split("/")[-1] + ".html"
                          if report.previous else None, **common_kw)

    def _fulltext(self, page: Page) -> str:
        """The whole plan on one page: chapters, appendices and the KPI list, linked in-page."""
        doc = self.doc
        local = {p.slug for p in self.pages if p.kind in ("chapter", "appendix", "kpis")}
        addresses = Addresses(doc, local=local, files={"index": "index.html", "errata": "errata.html"})
        dm = DocumentMarkup(doc, addresses, self.env, chapter_footnote_ids=True)
        chapters = []
        for ch in doc.chapters:
            body, notes = dm.chapter_html(ch, offset=1)
            chapters.append((ch, Safe(body), [(f, Safe(dm.md.inline(f.text))) for f in notes]))
        return self._emit(
            page, "zenbun.html", chapters=chapters, toc=toc_entries(doc, addresses, depth=2),
            appendices=[appendix_view(doc, a, addresses) for a in doc.appendices],
            groups=kpi_groups(doc), kpi_rows=kpi_appendix_rows(doc),
            kpi_line_html=dm.kpi_line_text,
            a=addresses, hlevel=3, for_print=False)


def render_site(doc: Document, templates: Path | None = None, banner: str = "",
                base_url: str | None = None, pdf_facts: dict[str, FileFacts] | None = None, *,
                site: Site | None = None, reports=None) -> dict[str, bytes]:
    """Every file of ``build/html/`` as bytes.  *banner* is shown on every page (drafts);
    *base_url* (absolute) adds canonical links and ``sitemap.xml``; *pdf_facts* (the PDFs of
    the same build, :func:`dgdocs.render.pagemeta.pdf_facts`) lets each PDF link say its size
    and page count.  *site*: the Site made with those (made here if None); *reports*: the
    evaluation reports' pages already being rendered (dgdocs.build.Evaluations: ``pages``,
    ``html()``)."""
    site = site or Site(doc, templates, banner, base_url, pdf_facts=pdf_facts)
    files = site.files()
    if reports is None:  # the evaluation reports, the largest pages, are rendered beside the others on a second core
        from .beside import Shared
        paths = site.report_files()
        shared = Shared(paths, site.render, fork=len(site.reports) > 1)
        pages, collect = set(paths), shared.result
    else:
        pages, collect = set(reports.pages), reports.html
    out = {path: site.render(path) for path in files if path not in pages}
    out.update(collect())
    return {path: out[path] for path in files}
