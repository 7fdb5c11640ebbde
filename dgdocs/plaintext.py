"""The plan as plain text, block by block: what a reader reads, for comparing revisions.

:func:`section_blocks` turns the Markdown body of a section into :class:`Block` s
(paragraphs, list items, KPI lines, tables, footnotes) of plain text with every
reference resolved as the site shows it: ``{{procedures.total}}`` becomes 「4,860」,
``{{kpi: id}}`` becomes the 「KPI：…」 line of the registry, ``{{table: …}}`` the rows of
the data table.  A figure changed in ``content/data/*.yaml`` therefore changes the text
of every paragraph that uses it, and the 新旧対照表 underlines it there.

The text is never HTML: the templates escape it like any other content.
"""

from __future__ import annotations

from dataclasses import dataclass

import mistune

from . import formatting
from .directives import DIRECTIVES
from .markdown_html import plan_plugin
from .model import Chapter, Document, Section


@dataclass(frozen=True, slots=True)
class Block:
    """One block of a section body: kind is para / item / kpi / table / figure / code / note."""

    kind: str
    text: str


_MD = mistune.create_markdown(renderer=None, plugins=["table", plan_plugin])


class TextRenderer:
    """Plain-text rendering of the section bodies of one document."""

    def __init__(self, doc: Document):
        self.doc = doc
        self._footnotes: dict[str, str] = {}
        self._chapter: Chapter | None = None  # the chapter whose text is rendered (its footnotes, 図, 表)
        self._section = ""  # the section whose body is rendered
        self._placed: set[tuple[str, int]] = set()  # 図 and 表 of that body rendered so far

    # -- inline
    def value(self, path: str, fmt: str | None) -> str:
        dv = self.doc.values.get(path)
        if dv is None:  # the loader refuses unknown references; never show an empty string
            raise KeyError(f"unknown reference {path!r}")
        return formatting.format_value(dv.value, fmt)

    def inline(self, tokens: list[dict], notes: list[str] | None = None) -> str:
        out = []
        for t in tokens:
            kind = t["type"]
            if kind in ("text", "codespan", "inline_html", "block_html"):
                out.append(t.get("raw", ""))
            elif kind == "dg_ref":
                out.append(self.value(t["attrs"]["path"], t["attrs"]["fmt"]))
            elif kind == "dg_fnref":
                label = t["attrs"]["label"]
                fn = self._chapter.footnote(label) if self._chapter else None
                out.append(f"（注{fn.number if fn else label}）")  # the number through the plan, as printed
                if notes is not None and label not in notes:
                    notes.append(label)
            elif kind == "softbreak":
                continue  # a line break inside a Japanese paragraph joins without a space
            elif kind == "linebreak":
                out.append("\n")
            elif kind == "link":
                text = self.inline(t.get("children", []), notes)
                url = t.get("attrs", {}).get("url", "")
                out.append(text if not url or url == text else f"{text}（{url}）")
            elif kind == "image":
                out.append(self.inline(t.get("children", []), notes))
            else:  # emphasis, strong, …: their text
                out.append(self.inline(t.get("children", []), notes) if "children" in t else t.get("raw", ""))
        return "".join(out)

    def text(self, markdown: str) -> str:
        """One inline Markdown string (a KPI line, a footnote) as plain text."""
        blocks = self.blocks(_MD(markdown), [])
        return "\n".join(b.text for b in blocks)

    # -- blocks
    def blocks(self, tokens: list[dict], notes: list[str], depth: int = 0) -> list[Block]:
        out: list[Block] = []
        for t in tokens:
            kind = t["type"]
            if kind in ("paragraph", "block_text"):
                out.append(Block("para", self.inline(t.get("children", []), notes)))
            elif kind == "list":
                attrs = t.get("attrs", {})
                n = attrs.get("start", 1) or 1
                for item in t.get("children", []):
                    mark = f"{n}. " if attrs.get("ordered") else "・"
                    n += 1
                    parts = self.blocks(item.get("children", []), notes, depth + 1)
                    first, rest = "", parts
                    if parts and parts[0].kind == "para":
                        first, rest = parts[0].text, parts[1:]
                    out.append(Block("item", "　" * depth + mark + first))
                    out.extend(rest)
            elif kind == "dg_directive":
                out.append(self.directive(t["attrs"]["name"], t["attrs"]["arg"]))
            elif kind == "dg_figure":
                out.append(Block("figure", self.figure(**t["attrs"])))
            elif kind == "table":
                lines = []
                caption = t.get("attrs", {}).get("caption")
                if caption is not None:
                    lines.append(self.table_caption(caption))
                for part in t.get("children", []):
                    rows = [part] if part["type"] == "table_head" else part.get("children", [])
                    for row in rows:
                        lines.append("｜".join(self.inline(c.get("children", []), notes) for c in row.get("children", [])))
                out.append(Block("table", "\n".join(lines)))
            elif kind == "block_code":
                out.append(Block("code", t.get("raw", "").rstrip("\n")))
            elif kind == "block_quote":
                out.extend(self.blocks(t.get("children", []), notes, depth))
            elif kind == "heading":  # never produced (headings split the bodies), but keep the text
                out.append(Block("para", self.inline(t.get("children", []), notes)))
        return [b for b in out if b.text.strip()]

    def directive(self, name: str, arg: str) -> Block:
        d = DIRECTIVES.get(name)
        target = d.resolve(self.doc, arg) if d else None
        if target is None:  # the loader refuses unknown directives; never show an empty string
            raise KeyError(f"unknown directive {{{{{name}: {arg}}}}}")
        return Block(*d.text(self, target))

    def figure(self, src: str, alt: str, title: str) -> str:
        """「図1　題名」 (the alternative text when the figure has no title)."""
        ch = self._chapter
        i = next((k for k, f in enumerate(ch.illustrations) if (f.section, f.src, f.alt, f.caption) ==
                  (self._section, src, alt, title) and ("fig", k) not in self._placed), None) if ch else None
        if i is None:
            return title or alt
        self._placed.add(("fig", i))
        fig = ch.illustrations[i]
        return f"{fig.label}　{self.text(fig.caption)}" if fig.caption else f"{fig.label}　{alt}"

    def table_caption(self, caption: str) -> str:
        ch = self._chapter
        i = next((k for k, t in enumerate(ch.tables) if (t.section, t.title) == (self._section, caption)
                  and ("table", k) not in self._placed), None) if ch else None
        if i is None:
            return self.text(caption)
        self._placed.add(("table", i))
        return f"{ch.tables[i].label}　{self.text(caption)}"

    def section_blocks(self, chapter: Chapter, sec: Section) -> tuple[Block, ...]:
        """The body of *sec* (not its subsections), then the footnotes it calls (each numbered
        through the plan, 「（注2）」, as every output shows it); a 図 or a captioned table is
        the section's own in the order they stand (numbered by the loader)."""
        self._chapter, self._section, self._placed = chapter, sec.id, set()
        notes: list[str] = []
        out = self.blocks(_MD(sec.body), notes) if sec.body.strip() else []
        for label in notes:
            fn = chapter.footnote(label)
            if fn is not None:
                out.append(Block("note", f"（注{fn.number}）" + self.text(fn.text)))
        return tuple(out)
