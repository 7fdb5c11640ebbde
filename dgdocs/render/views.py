"""What the HTML site and the print documents share: the markup of sections, KPI lines and
footnotes (:class:`DocumentMarkup`, the :class:`~dgdocs.markup.MarkupContext` of one output),
the table of contents, and the views of the appendices and the KPI tables.

Below :mod:`.html` and :mod:`.pdf`, which both import it (and not each other).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from markupsafe import Markup as Safe

from .. import formatting
from ..directives import DIRECTIVES
from ..markup import PlanMarkdown
from ..model import Appendix, Chapter, Document, Footnote, KpiLine, Section
from . import roadmap
from .common import Addresses


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
        self.md = PlanMarkdown(self)

    # -- MarkupContext
    def value(self, path: str, fmt: str | None) -> str:
        dv = self.doc.values.get(path)
        if dv is None:  # the loader reports these; never render an empty string
            raise KeyError(f"unknown reference {path!r}")
        return formatting.format_value(dv.value, fmt)

    def directive(self, name: str, arg: str) -> str:
        d = DIRECTIVES.get(name)
        target = d.resolve(self.doc, arg) if d else None
        if target is None:  # the loader reports these; never render an empty string
            raise KeyError(f"unknown directive {{{{{name}: {arg}}}}}")
        return d.html(self, target)

    # -- what a directive's HTML asks of the renderer (dgdocs.directives)
    def inline(self, text: str) -> str:
        return self.md.inline(text)

    def template(self, name: str, **context) -> str:
        return self.env.get_template(name).render(a=self.addresses, **context)

    def footnote_ref(self, label: str) -> str:
        fn = next((f for f in (self._chapter.footnotes if self._chapter else ()) if f.label == label), None)
        if fn is None:
            return _e(f"[^{label}]")  # reported by the cross-reference check
        if self.footnotes == "inline":
            return f'<span class="footnote">{self.md.inline(fn.text)}</span>'
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
    def kpi_line_text(self, line: KpiLine) -> Safe:
        """A KPI line's wording for the KPI table; its footnotes are those of the chapter where
        the line stands (floated to the page foot in print, linked to the chapter on the site)."""
        self._chapter = self.doc.outline.chapter(line.section)
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
                out.append({"level": sec.heading.level, "text": sec.heading.text, "href": addresses.section(sec.id)})
    return out


def kpi_groups(doc: Document) -> list[dict]:
    """KPI lines grouped by chapter and section, in the order of the prose."""
    outline = doc.outline
    groups: list[dict] = []
    for line in sorted(doc.kpi_lines, key=lambda k: outline.position(k.section) if k.section in outline else 10**6):
        ch = outline.chapter(line.section)
        chapter = ch.heading.text if ch else "（節が見つかりません）"
        if not groups or groups[-1]["chapter"] != chapter:
            groups.append({"chapter": chapter, "sections": []})
        secs = groups[-1]["sections"]
        title = outline.path_text(line.section)
        if not secs or secs[-1]["id"] != line.section:
            secs.append({"id": line.section, "title": title, "lines": []})
        secs[-1]["lines"].append(line)
    return groups


def appendix_view(doc: Document, a: Appendix, addresses: Addresses) -> dict:
    grid = roadmap.make_grid(doc.plan)
    groups = []
    for g in a.groups:
        rows = []
        for row in g.rows:
            rows.append({"row": row, "lanes": roadmap.row_lanes(grid, row),
                         "section_path": doc.outline.path_text(row.section)})
        groups.append({"group": g, "rows": rows, "section_path": doc.outline.path_text(g.section),
                       "section_label": doc.outline.label(g.section)})
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
