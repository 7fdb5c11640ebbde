"""The HTML site: index, one page per chapter, the appendices, the KPI table, the errata.

``render_site(doc)`` returns every output file as bytes keyed by its path inside
``build/html/``; :mod:`dgdocs.build` writes them.  The same section and KPI markup is
used by the PDF renderer through :class:`DocumentMarkup`.
"""

from __future__ import annotations

import html
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
    used_footnotes: list[Footnote] = field(default_factory=list)
    _chapter: Chapter | None = None

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
            return f'<span class="footnote">{self.md.inline(fn.text)}</span>'
        if fn not in self.used_footnotes:
            self.used_footnotes.append(fn)
        return (f'<sup class="fnref"><a id="fnref-{_e(label)}" href="#fn-{_e(label)}" '
                f'aria-label="脚注{_e(label)}">{_e(label)}</a></sup>')

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
                out.append({"level": sec.heading.level, "text": sec.heading.text, "href": addresses.section(sec.id)})
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
        title = _section_path(doc, line.section) if sec else line.section
        if not secs or secs[-1]["id"] != line.section:
            secs.append({"id": line.section, "title": title, "lines": []})
        secs[-1]["lines"].append(line)
    return groups


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
    grid = roadmap.make_grid(doc.plan)
    groups = []
    for g in a.groups:
        rows = []
        for row in g.rows:
            rows.append({"row": row, "lanes": roadmap.row_lanes(grid, row),
                         "section_path": _section_path(doc, row.section)})
        groups.append({"group": g, "rows": rows, "section_path": _section_path(doc, g.section)})
    kpi_index = {k.id: k for k in doc.kpis()}
    return {"appendix": a, "grid": grid, "groups": groups, "kpi_index": kpi_index,
            "tables": [doc.budget_table(t) for t in a.tables],
            "inventory": doc.figure_set(a.inventory) if a.inventory else None}


def kpi_appendix_rows(doc: Document) -> dict[str, list[tuple[Appendix, str]]]:
    """For each KPI id, the appendix rows that serve it."""
    out: dict[str, list[tuple[Appendix, str]]] = {}
    for a in doc.appendices:
        for row in a.rows():
            for k in row.kpis:
                out.setdefault(k, []).append((a, row.id))
    return out


def _globals(doc: Document, addresses: Addresses) -> dict:
    return {
        "doc": doc, "plan": doc.plan, "a": addresses, "common": common, "roadmap": roadmap,
        "section_path": lambda sid: _section_path(doc, sid), "strip_markup": strip_markup,
    }


def render_site(doc: Document, templates: Path | None = None, banner: str = "") -> dict[str, bytes]:
    """Every file of ``build/html/`` as bytes.  *banner* is shown on every page (drafts)."""
    env = make_env(templates or common.TEMPLATES)
    addresses = Addresses(doc)
    pages = site_pages(doc)
    dm = DocumentMarkup(doc, addresses, env)
    g = _globals(doc, addresses)
    out: dict[str, bytes] = {}

    def emit(page: Page, template: str, **kw) -> None:
        i = pages.index(page)
        prev_page = pages[i - 1] if i > 0 else None
        next_page = pages[i + 1] if i + 1 < len(pages) else None
        text = env.get_template(template).render(page=page, pages=pages, prev_page=prev_page, next_page=next_page,
                                                 banner=banner, **g, **kw)
        out[page.file] = text.encode("utf-8")

    by_slug = {p.slug: p for p in pages}
    emit(by_slug["index"], "index.html", toc=toc_entries(doc, addresses))
    for ch in doc.chapters:
        body, notes = dm.chapter_html(ch)
        emit(by_slug[ch.id], "chapter.html", chapter=ch, body=Safe(body),
             footnotes=[(f, Safe(dm.md.inline(f.text))) for f in notes])
    for a in doc.appendices:
        emit(by_slug[a.slug], "appendix.html", for_print=False, **appendix_view(doc, a, addresses))
    emit(by_slug["kpis"], "kpis.html", groups=kpi_groups(doc), kpi_rows=kpi_appendix_rows(doc),
         kpi_line_html=lambda line: Safe("<br>".join(dm.md.inline(t) for t in line.text)))
    if doc.errata:
        emit(by_slug["errata"], "errata.html", errata=doc.errata)
    static = (templates or common.TEMPLATES) / "static"
    for path in sorted(static.glob("*")):
        if path.is_file() and path.suffix in (".css", ".js", ".svg"):
            out[f"assets/{path.name}"] = path.read_bytes()
    return out
