"""What the HTML site and the print documents share: the markup of sections, KPI lines and
footnotes (:class:`DocumentMarkup`, the :class:`~dgdocs.markup.MarkupContext` of one output),
the table of contents, and the views of the appendices and the KPI tables.

Below :mod:`.html` and :mod:`.pdf`, which both import it (and not each other).
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field

from markupsafe import Markup as Safe

from .. import formatting
from ..directives import DIRECTIVES
from ..markdown_html import PlanMarkdown
from ..model import Appendix, Chapter, Document, Footnote, ImageFile, KpiLine, Section
from . import roadmap
from .common import Addresses
from .outputs import figure_file


def _e(text: str) -> str:
    return html.escape(text, quote=True)


@dataclass
class DocumentMarkup:
    """The :class:`~dgdocs.markup.MarkupContext` of one output (site or single document).

    ``footnotes`` is "list" (HTML: numbered notes at the end of the chapter) or
    "inline" (print: the note's text stands where it is called, CSS floats it to the
    foot of the page).  Every note shows its number through the plan (``Footnote.number``),
    not its label; a note called again shows its number without a second note.  A 図 links
    its image from ``assets/figures/`` on the site, and carries it as a data URL in print
    (the sanitised bytes: WeasyPrint never reads the SVG of content/ itself).
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
    _called: set[str] = field(default_factory=set)  # footnotes called so far (in this chapter)
    _section: str = ""  # the section whose body is rendered
    _placed: set[tuple[str, int]] = field(default_factory=set)  # its 図 and 表 rendered so far

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

    @property
    def printing(self) -> bool:
        return self.footnotes == "inline"

    def footnote_ref(self, label: str) -> str:
        fn = self._chapter.footnote(label) if self._chapter else None
        if fn is None:
            return _e(f"[^{label}]")  # reported by the cross-reference check
        n = str(fn.number)
        again = label in self._called
        self._called.add(label)
        if self.printing:
            if again:  # the note is at the foot of the page where it was first called
                return f'<sup class="fncall">注{_e(n)}</sup>'
            return f'<span class="footnote" data-fn="{_e(n)}">{self.md.inline(fn.text)}</span>'
        if self._elsewhere:
            # a KPI line shown outside its chapter (the KPI table): its footnote stays with the chapter
            href = self.addresses.page(self._chapter.id, f"{self._fn_prefix()}fn-{label}")
            return (f'<sup class="fnref"><a href="{_e(href)}" aria-label="脚注{_e(n)}（{_e(self._chapter.heading.text)}）">'
                    f'{_e(n)}</a></sup>')
        if fn not in self.used_footnotes:
            self.used_footnotes.append(fn)
        p = _e(self._fn_prefix())
        ident = "" if again else f' id="{p}fnref-{_e(label)}"'
        return (f'<sup class="fnref"><a{ident} href="#{p}fn-{_e(label)}" '
                f'aria-label="脚注{_e(n)}">{_e(n)}</a></sup>')

    # -- 図 and captioned tables (numbered by the loader; found here in the order they stand)
    def figure(self, src: str, alt: str, title: str) -> str | None:
        ch = self._chapter
        if ch is None or self._elsewhere:
            return None
        i = next((k for k, f in enumerate(ch.illustrations) if (f.section, f.src, f.alt, f.caption) ==
                  (self._section, src, alt, title) and ("fig", k) not in self._placed), None)
        if i is None:
            return None
        self._placed.add(("fig", i))
        fig = ch.illustrations[i]
        return self.template("partials/figure.html", fig=fig, src=self.image_src(fig.image),
                             caption=Safe(self.md.inline(fig.caption)) if fig.caption else "")

    def image_src(self, image: ImageFile) -> str:
        """The address of a figure's image: its file on the site, its bytes in print ("" if unusable)."""
        if not image.usable:
            return ""
        if self.printing:
            return f"data:{image.media_type};base64,{base64.b64encode(image.data).decode('ascii')}"
        return figure_file(image)

    def table(self, body: str, caption: str | None) -> str:
        ch = self._chapter
        cap = None
        if caption is not None and ch is not None and not self._elsewhere:
            i = next((k for k, t in enumerate(ch.tables) if (t.section, t.title) == (self._section, caption)
                      and ("table", k) not in self._placed), None)
            if i is not None:
                self._placed.add(("table", i))
                cap = ch.tables[i]
        if caption is None:
            return f'<table class="prose-table">\n{body}</table>\n'
        ident = f' id="{_e(cap.anchor)}"' if cap else ""
        label = f'<span class="table-label">{_e(cap.label)}</span>　' if cap else ""
        return (f'<table class="prose-table"{ident}>\n<caption>{label}{self.md.inline(caption)}</caption>\n'
                f'{body}</table>\n')

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
        self._called = set()
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
        self._section, self._placed = sec.id, set()
        body = self.md.block(sec.body) if sec.body.strip() else ""
        kids = "".join(self.section_html(c, offset) for c in sec.children)
        return f'<div class="sec lv{h.level}">\n{head}{body}{kids}</div>\n'

    def chapter_html(self, ch: Chapter, offset: int = 0) -> tuple[str, list[Footnote]]:
        self._chapter = ch
        self.used_footnotes = []
        self._called = set()
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
    outline = doc.outline
    groups: list[dict] = []
    for line in sorted(doc.kpi_lines, key=lambda k: outline.position(k.section) if k.section in outline else 10**6):
        ch = outline.chapter(line.section)
        chapter = ch.heading.text if ch else "（節が見つかりません）"
        if not groups or groups[-1]["chapter"] != chapter:
            groups.append({"chapter": chapter, "sections": []})
        secs = groups[-1]["sections"]
        title = item_path(doc, line.section) if line.section in outline else line.section
        if not secs or secs[-1]["id"] != line.section:
            secs.append({"id": line.section, "title": title, "lines": []})
        secs[-1]["lines"].append(line)
    return groups


#: headings that name a part of an item, not the item (「c) 具体的な取組(To Do)」)
_GENERIC = re.compile(r"^(具体的な取組(内容)?|現状と課題|実現したい状態|利用者が享受する具体的なベネフィット)[(（]?")


def item_path(doc: Document, sid: str) -> str:
    """II(2)ア.②1) 電気通信役務を取り扱う販売代理店による報告のオンライン化 — the markers down to
    the section, named by the item it belongs to rather than by 「c) 具体的な取組(To Do)」."""
    entry = doc.outline.get(sid)
    if entry is None:
        return sid
    named = entry.path
    while len(named) > 1 and _GENERIC.match(named[-1].heading.title):
        named = named[:-1]
    markers = "".join(s.heading.marker.rstrip(".") if i == 0 else s.heading.marker for i, s in enumerate(named))
    return f"{markers}　{named[-1].heading.title}"


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
                         "section_path": doc.outline.path_text(row.section)})
        groups.append({"group": g, "rows": rows, "section_path": doc.outline.path_text(g.section),
                       "section_label": doc.outline.label(g.section)})
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
