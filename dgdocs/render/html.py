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

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup as Safe

from .. import formatting
from ..markup import Markup, strip_markup
from ..model import Appendix, Chapter, Document, Footnote, KpiLine, Section
from . import common, roadmap
from .common import Addresses, Page, make_env, site_pages


def _e(text: str) -> str:
    return html.escape(text, quote=True)


@dataclass
class DocumentMarkup:
    """The :class:`~dgdocs.markup.MarkupContext` of one output (site or single document).

    ``footnotes`` is "list" (HTML: numbered notes at the end of the chapter) or
    "inline" (print: the note's text stands where it is called, CSS floats it to the
    foot of the page).
    """

    doc: Document
    addresses: Addresses
    env: object
    footnotes: str = "list"
    # footnote ids carry the chapter id (the single-page full text has one footnote list per chapter)
    chapter_footnote_ids: bool = False
    used_footnotes: list[Footnote] = field(default_factory=list)
    _chapter: Chapter | None = None
    _elsewhere: bool = False  # rendering a chapter's text outside the chapter (the KPI table)

    def __post_init__(self):
        self.md = Markup(self)

    # -- MarkupContext
    def value(self, path: str, fmt: str | None) -> str:
        dv = self.doc.values.get(path)
        if dv is None:  # the loader reports these; never render an empty string
            raise KeyError(f"unknown reference {path!r}")
        return formatting.format_value(dv.value, fmt)

    def directive(self, name: str, arg: str) -> str:
        if name == "kpi":
            line = self.doc.kpi_line(arg)
            if line is None:
                raise KeyError(f"unknown KPI line {arg!r}")
            return self.kpi_block(line)
        if name == "table":
            table = self.doc.budget_table(arg)
            if table is None:
                raise KeyError(f"unknown table {arg!r}")
            return self.env.get_template("partials/budget_table.html").render(table=table, a=self.addresses)
        raise KeyError(f"unknown directive {name!r}")

    def footnote_ref(self, label: str) -> str:
        fn = next((f for f in (self._chapter.footnotes if self._chapter else ()) if f.label == label), None)
        if fn is None:
            return _e(f"[^{label}]")  # reported by the cross-reference check
        if self.footnotes == "inline":
            return f'<span class="footnote" data-fn="{_e(label)}">{self.md.inline(fn.text)}</span>'
        if self._elsewhere:
            # a KPI line shown outside its chapter (the KPI table): its footnote stays with the chapter
            href = self.addresses.page(self._chapter.id, f"{self._fn_prefix()}fn-{label}")
            return (f'<sup class="fnref"><a href="{_e(href)}" aria-label="脚注{_e(label)}（{_e(self._chapter.heading.text)}）">'
                    f'{_e(label)}</a></sup>')
        if fn not in self.used_footnotes:
            self.used_footnotes.append(fn)
        p = _e(self._fn_prefix())
        return (f'<sup class="fnref"><a id="{p}fnref-{_e(label)}" href="#{p}fn-{_e(label)}" '
                f'aria-label="脚注{_e(label)}">{_e(label)}</a></sup>')

    def _fn_prefix(self) -> str:
        return f"{self._chapter.id}-" if self.chapter_footnote_ids and self._chapter else ""

    def appendix_href(self, number: int) -> str | None:
        if self.doc.appendix(number) is None:
            return None
        return self.addresses.appendix(number)

    # -- pieces
    def kpi_block(self, line: KpiLine) -> str:
        texts = "<br>".join(self.md.inline(t) for t in line.text)
        href = self.addresses.kpi_line(line.id)
        return (f'<div class="kpi" id="kpi-in-{_e(line.id)}"><p><a class="kpi-label" href="{_e(href)}">'
                f'{_e(line.label)}</a>：{texts}</p></div>\n')

    def kpi_line_text(self, line: KpiLine) -> Safe:
        """A KPI line's wording for the KPI table; its footnotes are those of the chapter where
        the line stands (floated to the page foot in print, linked to the chapter on the site)."""
        self._chapter = next((ch for ch in self.doc.chapters if any(s.id == line.section for s in ch.sections())), None)
        self._elsewhere = True
        try:
            return Safe("<br>".join(self.md.inline(t) for t in line.text))
        finally:
            self._chapter, self._elsewhere = None, False

    def section_html(self, sec: Section, offset: int = 0) -> str:
        h = sec.heading
        level = h.level + offset
        inner = (f'<span class="marker">{_e(h.marker)}</span> ' if h.marker else "") + _e(h.title)
        if level <= 6:
            head = f'<h{level} id="{_e(h.id)}">{inner}</h{level}>\n'
        else:
            head = f'<p class="h{level}" role="heading" aria-level="{level}" id="{_e(h.id)}">{inner}</p>\n'
        body = self.md.block(sec.body) if sec.body.strip() else ""
        kids = "".join(self.section_html(c, offset) for c in sec.children)
        return f'<div class="sec lv{h.level}">\n{head}{body}{kids}</div>\n'

    def chapter_html(self, ch: Chapter, offset: int = 0) -> tuple[str, list[Footnote]]:
        self._chapter = ch
        self.used_footnotes = []
        try:
            body = self.section_html(ch.root, offset)
        finally:
            self._chapter = None
        return body, list(self.used_footnotes)


def toc_entries(doc: Document, addresses: Addresses, depth: int = 3) -> list[dict]:
    out = []
    for ch in doc.chapters:
        for sec in ch.sections():
            if sec.heading.level <= depth:
                out.append({"level": sec.heading.level, "text": sec.heading.text, "href": addresses.section(sec.id),
                            "marker": sec.heading.marker, "title": sec.heading.title})
    return out


def kpi_groups(doc: Document) -> list[dict]:
    """KPI lines grouped by chapter and section, in the order of the prose."""
    index = doc.section_index()
    order = {s.id: i for i, s in enumerate(doc.sections())}
    groups: list[dict] = []
    for line in sorted(doc.kpi_lines, key=lambda k: order.get(k.section, 10**6)):
        ch, sec = index.get(line.section, (None, None))
        chapter = ch.heading.text if ch else "（節が見つかりません）"
        if not groups or groups[-1]["chapter"] != chapter:
            groups.append({"chapter": chapter, "sections": []})
        secs = groups[-1]["sections"]
        title = item_path(doc, line.section) if sec else line.section
        if not secs or secs[-1]["id"] != line.section:
            secs.append({"id": line.section, "title": title, "lines": []})
        secs[-1]["lines"].append(line)
    return groups


#: headings that name a part of an item, not the item (「c) 具体的な取組(To Do)」)
_GENERIC = re.compile(r"^(具体的な取組(内容)?|現状と課題|実現したい状態|利用者が享受する具体的なベネフィット)[(（]?")


def item_path(doc: Document, sid: str) -> str:
    """II(2)ア.②1) 電気通信役務を取り扱う販売代理店による報告のオンライン化 — the markers down to
    the section, named by the item it belongs to rather than by 「c) 具体的な取組(To Do)」."""
    for ch in doc.chapters:
        path = _find_path(ch.root, sid)
        if path:
            named = path
            while len(named) > 1 and _GENERIC.match(named[-1].heading.title):
                named = named[:-1]
            markers = "".join(s.heading.marker.rstrip(".") if i == 0 else s.heading.marker
                              for i, s in enumerate(named))
            return f"{markers}　{named[-1].heading.title}"
    return sid


def section_label(doc: Document, sid: str) -> str:
    """II(3)1) style label of a section (the markers from the chapter down)."""
    return _section_path(doc, sid).split("　", 1)[0]


def _section_path(doc: Document, sid: str) -> str:
    """II(3)1)c) style path of a section: the markers from the chapter down, then the title."""
    for ch in doc.chapters:
        path = _find_path(ch.root, sid)
        if path:
            markers = "".join(s.heading.marker.rstrip(".") if i == 0 else s.heading.marker
                              for i, s in enumerate(path))
            return f"{markers}　{path[-1].heading.title}"
    return sid


def _find_path(sec: Section, sid: str) -> list[Section] | None:
    if sec.id == sid:
        return [sec]
    for c in sec.children:
        p = _find_path(c, sid)
        if p:
            return [sec] + p
    return None


def appendix_view(doc: Document, a: Appendix, addresses: Addresses) -> dict:
    """What an appendix says, for the web page and the print alike (same rows, statuses, notes,
    KPIs); the print chart also gets each lane's track (:func:`roadmap.print_track`)."""
    grid = roadmap.make_grid(doc.plan)
    has_kpis = any(row.kpis for row in a.rows())
    columns = roadmap.PrintColumns(has_kpi=has_kpis)
    groups = []
    for g in a.groups:
        rows = []
        for row in g.rows:
            lanes = roadmap.row_lanes(grid, row)
            rows.append({"row": row, "lanes": lanes, "tracks": [roadmap.print_track(grid, l, columns) for l in lanes],
                         "section_path": _section_path(doc, row.section)})
        groups.append({"group": g, "rows": rows, "section_path": _section_path(doc, g.section),
                       "section_label": section_label(doc, g.section)})
    kpi_index = {k.id: k for k in doc.kpis()}
    return {"appendix": a, "grid": grid, "groups": groups, "kpi_index": kpi_index,
            "has_kpis": has_kpis, "columns": columns,
            "scheduled": any(row.tasks or row.milestones for row in a.rows()),
            "has_amounts": any(row.amount for row in a.rows()),
            "tables": [doc.budget_table(t) for t in a.tables],
            "inventory": doc.figure_set(a.inventory) if a.inventory else None}


def kpi_appendix_rows(doc: Document) -> dict[str, list[tuple[Appendix, str]]]:
    """For each KPI id, the appendices that serve it, each once and in the order of the
    appendices, with the first of its rows that names the KPI (the link target)."""
    out: dict[str, list[tuple[Appendix, str]]] = {}
    for a in doc.appendices:
        for row in a.rows():
            for k in row.kpis:
                refs = out.setdefault(k, [])
                if not any(ap is a for ap, _ in refs):
                    refs.append((a, row.id))
    return out



# ----------------------------------------------------------------------- the site

#: The Content-Security-Policy of every page.  Scripts, styles and images only from the
#: site's own files; no inline script or style (not even ``style=""``), no plugins, no
#: ``<base>``, forms only to the site itself, and DOM sinks closed to strings (Trusted
#: Types).  ``connect-src`` stays closed: the published site fetches nothing.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "form-action 'self'; base-uri 'none'; require-trusted-types-for 'script'; trusted-types 'none'")

#: Static files the site ships (from templates/static); print.css belongs to the PDFs.
SITE_ASSETS = ("site.css", "search.js", "favicon.svg")

#: The open-data files (build/data/) linked from the site, with what they hold.
DATA_FILES = (
    ("kpis.csv", "KPI一覧", "CSV"),
    ("kpis.json", "KPI一覧", "JSON"),
    ("roadmaps.json", "別紙（工程表・主な投資事項一覧）の全項目", "JSON"),
    ("budget.csv", "情報システム経費の表", "CSV"),
    ("README.md", "各ファイルの項目の説明", "Markdown"),
)

FULLTEXT = Page("zenbun", "全文（1ページ）", "全文", "fulltext")
SEARCH = Page("search", "サイト内検索", "検索", "search")
# the extracted text the plan was transcribed from, line by line (linked from the errata page, not in the navigation)
SOURCE = Page("source", "原文（抽出テキスト）", "原文", "source")


def pdf_files(doc: Document) -> list[dict]:
    """The PDFs of build/pdf/ (names from dgdocs.render.pdf), in the order of the plan."""
    from .pdf import ALL_PDF, KPI_PDF, PLAN_PDF, appendix_pdf  # pdf.py imports this module

    out = [{"file": PLAN_PDF, "label": "本文", "slugs": [ch.id for ch in doc.chapters]}]
    out += [{"file": appendix_pdf(a.number), "label": f"{a.label}　{a.title}", "slugs": [a.slug]}
            for a in doc.appendices]
    out.append({"file": KPI_PDF, "label": "KPI一覧", "slugs": ["kpis"]})
    numbers = [a.number for a in doc.appendices]
    annex = ("" if not numbers else f"別紙{numbers[0]}・" if len(numbers) == 1 else f"別紙{numbers[0]}〜{numbers[-1]}・")
    out.append({"file": ALL_PDF, "label": f"一括版（本文・{annex}KPI一覧）", "slugs": []})
    return out


def normalise_base_url(url: str | None) -> str | None:
    """``https://example.jp/plan`` → ``https://example.jp/plan/``; only absolute http(s) URLs."""
    if not url:
        return None
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"base URL must be an absolute http(s) URL without query or fragment: {url!r}")
    return url.strip() if url.strip().endswith("/") else url.strip() + "/"


def _globals(doc: Document, addresses: Addresses) -> dict:
    return {
        "doc": doc, "plan": doc.plan, "a": addresses, "common": common, "roadmap": roadmap,
        "section_path": lambda sid: _section_path(doc, sid), "strip_markup": strip_markup,
    }


class Site:
    """The HTML site of one document; :meth:`render` makes one file of ``build/html/``."""

    def __init__(self, doc: Document, templates: Path | None = None, banner: str = "",
                 base_url: str | None = None, env=None):
        self.doc = doc
        self.templates = templates or common.TEMPLATES
        self.env = env or make_env(self.templates)  # serve keeps one (compiled templates are cached)
        self.banner = banner
        self.base_url = normalise_base_url(base_url)
        self.addresses = Addresses(doc)
        self.pages = site_pages(doc)  # reading order: previous / next
        self.nav = self.pages + [FULLTEXT, SEARCH]
        self.by_file = {p.file: p for p in self.nav}
        if doc.errata and doc.errata.source_lines:
            self.by_file[SOURCE.file] = SOURCE
        self.dm = DocumentMarkup(doc, self.addresses, self.env)
        self.g = _globals(doc, self.addresses)
        self.pdfs = pdf_files(doc)

    def files(self) -> list[str]:
        """Every file of the site, pages first."""
        out = [p.file for p in self.nav]
        if SOURCE.file in self.by_file:
            out.append(SOURCE.file)
        out += [f"assets/{name}" for name in SITE_ASSETS] + ["assets/search-index.js"]
        if self.base_url:
            out.append("sitemap.xml")
        return out

    def render(self, path: str) -> bytes:
        if path in self.by_file:
            return self._page(self.by_file[path]).encode("utf-8")
        if path == "assets/search-index.js":
            from .search import search_index_js
            return search_index_js(self.doc, self.addresses).encode("utf-8")
        if path.startswith("assets/") and path[len("assets/"):] in SITE_ASSETS:
            return (self.templates / "static" / path[len("assets/"):]).read_bytes()
        if path == "sitemap.xml" and self.base_url:
            pages = [p for p in self.nav if p is not SEARCH]  # a search page has nothing to index
            return self.env.get_template("sitemap.xml").render(
                base_url=self.base_url, pages=pages, lastmod=self.doc.plan.latest.date.isoformat()).encode("utf-8")
        raise KeyError(path)

    # -- pages
    def _emit(self, page: Page, template: str, **kw) -> str:
        prev_page = next_page = None
        if page in self.pages:
            i = self.pages.index(page)
            prev_page = self.pages[i - 1] if i > 0 else None
            next_page = self.pages[i + 1] if i + 1 < len(self.pages) else None
        ctx = dict(self.g)
        ctx.update(
            page=page, pages=self.nav, prev_page=prev_page, next_page=next_page, banner=self.banner,
            csp=CSP, canonical=(self.base_url + page.file) if self.base_url else None, scripts=(),
            page_pdfs=[p for p in self.pdfs if page.slug in p["slugs"]], all_pdf=self.pdfs[-1])
        ctx.update(kw)
        return self.env.get_template(template).render(**ctx)

    def _page(self, page: Page) -> str:
        doc, dm = self.doc, self.dm
        if page.kind == "index":
            return self._emit(page, "index.html", toc=toc_entries(doc, self.addresses), pdfs=self.pdfs,
                              data_files=DATA_FILES)
        if page.kind == "chapter":
            ch = next(c for c in doc.chapters if c.id == page.slug)
            body, notes = dm.chapter_html(ch)
            return self._emit(page, "chapter.html", chapter=ch, body=Safe(body),
                              footnotes=[(f, Safe(dm.md.inline(f.text))) for f in notes])
        if page.kind == "appendix":
            a = next(x for x in doc.appendices if x.slug == page.slug)
            view = appendix_view(doc, a, self.addresses)
            return self._emit(page, "appendix.html", for_print=False, view=view, **view)
        if page.kind == "kpis":
            return self._emit(page, "kpis.html", groups=kpi_groups(doc), kpi_rows=kpi_appendix_rows(doc),
                              kpi_line_html=dm.kpi_line_text)
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
                base_url: str | None = None) -> dict[str, bytes]:
    """Every file of ``build/html/`` as bytes.  *banner* is shown on every page (drafts);
    *base_url* (absolute) adds canonical links and ``sitemap.xml``."""
    site = Site(doc, templates, banner, base_url)
    return {path: site.render(path) for path in site.files()}
