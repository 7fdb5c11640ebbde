"""The plan's prose rendered as safe HTML: mistune, hardened and taught the plan's syntax.

The syntax is :mod:`dgdocs.markup`'s (headings, references, 別紙, 図 and captioned tables);
this module is the renderers' alone, so that loading and checking the plan never import
mistune.  :func:`_blocks_hook` turns mistune's tokens into ``dg_figure`` and captioned
``table`` tokens, and right-aligns the columns of numbers.  Raw HTML is always escaped, and
only http(s), mailto and relative URLs become links (:func:`dgdocs.markup.safe_href`).
"""

from __future__ import annotations

import html
import re

import mistune

from .markup import APPENDIX_RE, MarkupContext, safe_href
from .references import DIRECTIVE, FIGURE_LINE_RE, FOOTNOTE_REF, TABLE_CAPTION, VALUE, pattern


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


class PlanRenderer(mistune.HTMLRenderer):
    """mistune's HTML renderer, hardened: no raw HTML, no unsafe URLs, links to 別紙."""

    def __init__(self, ctx: MarkupContext):
        super().__init__(escape=True)
        self.ctx = ctx

    def text(self, text: str) -> str:
        out = []
        pos = 0
        for m in APPENDIX_RE.finditer(text):
            n = int(m.group("n").translate(str.maketrans("０１２３４５６７８９", "0123456789")))
            href = self.ctx.appendix_href(n)
            if href is None:
                continue
            out.append(_escape(text[pos:m.start()]))
            out.append(f'<a class="beppyo" href="{_escape(href)}">{_escape(m.group(0))}</a>')
            pos = m.end()
        out.append(_escape(text[pos:]))
        return "".join(out)

    def link(self, text: str, url: str, title: str | None = None) -> str:
        href = safe_href(url)
        if href is None:
            return text
        attrs = f' href="{_escape(href)}"'
        if title:
            attrs += f' title="{_escape(title)}"'
        if re.match(r"^https?:", href, re.I):
            attrs += ' rel="noopener noreferrer" class="external"'
        return f"<a{attrs}>{text}</a>"

    def image(self, text: str, url: str, title: str | None = None) -> str:
        # an image inside a line of text is no 図 (DG505): its alternative text stands for it
        return text

    def dg_figure(self, src: str, alt: str, title: str) -> str:
        out = self.ctx.figure(src, alt, title)
        return out if out is not None else f"<p>{_escape(alt)}</p>\n"

    def inline_html(self, html_text: str) -> str:
        return _escape(html_text)

    def block_html(self, html_text: str) -> str:
        return f"<p>{_escape(html_text.strip())}</p>\n"

    def table_cell(self, text: str, align: str | None = None, head: bool = False) -> str:
        # a class, not style="": the site's CSP allows no inline style
        cls = f' class="align-{align}"' if align in ("left", "right", "center") else ""
        if head:
            return f'<th scope="col"{cls}>{text}</th>\n'
        return f"<td{cls}>{text}</td>\n"


def _parse_ref(inline, m, state):
    state.append_token({"type": "dg_ref", "attrs": {"path": m.group("dg_path"), "fmt": m.group("dg_fmt")}})
    return m.end()


def _parse_fnref(inline, m, state):
    state.append_token({"type": "dg_fnref", "attrs": {"label": m.group("dg_label")}})
    return m.end()


def _parse_caption(block, m, state):
    state.append_token({"type": "dg_caption", "attrs": {"title": m.group("dg_title")}})
    return m.end() + 1


#: a cell that holds a number (with its unit): 1,234 / 12.5% / 約100億円 / △3 / －
NUMERIC_CELL = re.compile(r"^(?:[△▲−\-+]?約?[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?[ \t]*[^\s0-9]{0,4}|[－—–-]?)$")


def _numeric_columns(table: dict) -> None:
    """Right-align the columns whose body cells are all numbers (where the editor set no alignment)."""
    head = next((c for c in table["children"] if c["type"] == "table_head"), None)
    body = next((c for c in table["children"] if c["type"] == "table_body"), None)
    if head is None or body is None or not body["children"]:
        return
    for i, cell in enumerate(head["children"]):
        if cell["attrs"].get("align"):
            continue
        column = [row["children"][i] for row in body["children"] if i < len(row["children"])]
        texts = [c.get("text", "").strip() for c in column]  # not parsed yet: the cell's source
        if any(texts) and all(NUMERIC_CELL.match(t) for t in texts):
            for c in [cell] + column:
                c["attrs"]["align"] = "right"


def _blocks_hook(md, state) -> None:
    """The 図 and the captioned tables out of mistune's block tokens (see the module's docstring)."""
    out: list[dict] = []
    tokens = state.tokens
    for i, t in enumerate(tokens):
        kind = t["type"]
        if kind == "paragraph":
            # the hook runs before the inline parse: a paragraph is still its source text, read
            # with the scanner's own pattern (dgdocs.references), so that both see the same 図
            fm = FIGURE_LINE_RE.match(t.get("text", "").strip("\n"))
            if fm:
                out.append({"type": "dg_figure", "attrs": {"src": fm.group("src"), "alt": fm.group("alt").strip(),
                                                          "title": (fm.group("title") or "").strip()}})
                continue
        elif kind == "dg_caption":
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if nxt is not None and nxt["type"] == "table":
                nxt.setdefault("attrs", {})["caption"] = t["attrs"]["title"]
                continue
            # a caption above no table stays the text it is (DG506 reports it)
            out.append({"type": "paragraph", "text": f"表：{t['attrs']['title']}"})
            continue
        elif kind == "table":
            _numeric_columns(t)
        out.append(t)
    state.tokens = out


def _parse_directive(block, m, state):
    state.append_token({"type": "dg_directive", "attrs": {"name": m.group("dg_name"), "arg": m.group("dg_arg").strip()}})
    return m.end() + 1


def plan_plugin(md: mistune.Markdown) -> None:
    """The reference syntax as a mistune plugin (values, footnote refs, block directives)."""
    # the patterns of dgdocs.references, with group names unique among mistune's rules
    md.inline.register("dg_ref", pattern(VALUE, "dg_"), _parse_ref, before="link")
    md.inline.register("dg_fnref", pattern(FOOTNOTE_REF, "dg_"), _parse_fnref, before="link")
    md.block.register("dg_directive", pattern(DIRECTIVE, "dg_"), _parse_directive,
                      before="paragraph" if "paragraph" in md.block.rules else None)
    # 表：題名 just above a table line (a line with 「|」)
    md.block.register("dg_caption", pattern(TABLE_CAPTION, "dg_") + r"(?=\n[^\n]*\|)", _parse_caption,
                      before="table" if "table" in md.block.rules else None)
    md.before_render_hooks.append(_blocks_hook)
    # Headings come only from the heading scanner (bodies are split at them); an
    # underline must not turn a paragraph into a heading behind the editor's back.
    for rule in ("setex_heading", "atx_heading"):
        if rule in md.block.rules:
            md.block.rules.remove(rule)
    if md.renderer and md.renderer.NAME == "html":
        r = md.renderer
        r.register("dg_ref", lambda self, path, fmt: _escape(self.ctx.value(path, fmt)))
        r.register("dg_fnref", lambda self, label: self.ctx.footnote_ref(label))
        r.register("dg_directive", lambda self, name, arg: self.ctx.directive(name, arg))
        r.register("dg_figure", PlanRenderer.dg_figure)
        r.register("table", lambda self, text, caption=None: self.ctx.table(text, caption))


class PlanMarkdown:
    """Renders Markdown bodies of one document with one context."""

    def __init__(self, ctx: MarkupContext):
        self.ctx = ctx
        self._md = mistune.create_markdown(
            renderer=PlanRenderer(ctx), plugins=["table", plan_plugin])

    def block(self, text: str) -> str:
        return self._md(text)

    def inline(self, text: str) -> str:
        """A single paragraph of inline Markdown, without the <p> wrapper."""
        out = self._md(text).strip()
        if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
            out = out[3:-4]
        return out
