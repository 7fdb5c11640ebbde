"""The Markdown layer: the plan's heading markers, and the prose rendered as safe HTML.

Syntax (documented for editors in README.md):

* Headings: ``## (1) 目的 {#purpose}`` — the number of ``#`` is the depth in the plan's
  hierarchy (I. → (1) → ア. → ① → 1) → a) → (ア), up to 7 ``#``); the first word is the
  plan's own label; ``{#id}`` is the stable id (it survives renumbering).
* References — values ``{{ procedures.total | nogroup }}``, block directives
  ``{{kpi: line-id}}`` / ``{{table: budget.system}}``, footnotes ``[^1]`` — follow the one
  grammar of :mod:`dgdocs.references`; :func:`plan_plugin` compiles its patterns for mistune,
  and the directives themselves are :mod:`dgdocs.directives`.
* 「別紙N」 in the text links to the appendix page by itself (but not
  「…実行計画別紙N」, which is another document's appendix).
* A figure (図) is an image alone in its paragraph, ``![代替テキスト](../figures/a.png "題名")``;
  a pipe table may have a caption ``表：題名`` on the line above it.  Both are numbered
  through the plan by the loader; :func:`_blocks_hook` turns mistune's tokens into
  ``dg_figure`` and captioned ``table`` tokens, and right-aligns the columns of numbers.
  An image anywhere else is shown as its alternative text (DG505 reports it).

mistune tokens carry no line numbers (mistune issue 218), so everything that needs a
location is found on the source lines by the scanners (:func:`scan_headings` here,
:func:`dgdocs.references.scan_references`); mistune only renders.  Raw HTML is always
escaped, and only http(s), mailto and relative URLs become links.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Protocol

import mistune

from .references import (
    DIRECTIVE, FIGURE_LINE_RE, FOOTNOTE_DEF_RE, FOOTNOTE_REF, FOOTNOTE_REF_RE, TABLE_CAPTION, VALUE, iter_lines_outside_fences, pattern,
)

__all__ = ["FOOTNOTE_DEF_RE", "FOOTNOTE_REF_RE", "iter_lines_outside_fences"]  # the loader reads these here

# ------------------------------------------------------------- heading markers

KATAKANA_ORDER = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


@dataclass(frozen=True)
class MarkerKind:
    rank: int  # position in the plan's hierarchy, 1 = chapter
    name: str
    example: str
    pattern: re.Pattern[str]

    def ordinal(self, marker: str) -> int:
        """1 for the first label of this kind (I., (1), ア., ①, 1), a), (ア))."""
        core = marker.strip("().")
        if self.name == "roman":
            return ROMAN.index(core) + 1
        if self.name in ("paren_number", "number_paren"):
            return int(core)
        if self.name in ("katakana", "paren_katakana"):
            return KATAKANA_ORDER.index(core) + 1
        if self.name == "circled":
            return CIRCLED.index(core) + 1
        if self.name == "alpha_paren":
            return ord(core) - ord("a") + 1
        raise ValueError(marker)  # pragma: no cover

    def label(self, ordinal: int) -> str:
        """The label with the given ordinal: label(2) of katakana is 'イ.'."""
        return {
            "roman": lambda n: f"{ROMAN[n - 1]}.",
            "paren_number": lambda n: f"({n})",
            "katakana": lambda n: f"{KATAKANA_ORDER[n - 1]}.",
            "circled": lambda n: CIRCLED[n - 1],
            "number_paren": lambda n: f"{n})",
            "alpha_paren": lambda n: f"{chr(ord('a') + n - 1)})",
            "paren_katakana": lambda n: f"({KATAKANA_ORDER[n - 1]})",
        }[self.name](ordinal)


MARKER_KINDS: tuple[MarkerKind, ...] = (
    MarkerKind(1, "roman", "I.", re.compile(r"(?:%s)\." % "|".join(sorted(ROMAN, key=len, reverse=True)))),
    MarkerKind(2, "paren_number", "(1)", re.compile(r"\(\d{1,2}\)")),
    MarkerKind(3, "katakana", "ア.", re.compile(r"[%s]\." % KATAKANA_ORDER)),
    MarkerKind(4, "circled", "①", re.compile(r"[%s]" % CIRCLED)),
    MarkerKind(5, "number_paren", "1)", re.compile(r"\d{1,2}\)")),
    MarkerKind(6, "alpha_paren", "a)", re.compile(r"[a-z]\)")),
    MarkerKind(7, "paren_katakana", "(ア)", re.compile(r"\([%s]\)" % KATAKANA_ORDER)),
)


def marker_kind(marker: str) -> MarkerKind | None:
    for kind in MARKER_KINDS:
        if kind.pattern.fullmatch(marker):
            return kind
    return None


_HEADING_RE = re.compile(r"^(#{1,7})[ \t]+(.*?)[ \t]*$")
_ID_RE = re.compile(r"[ \t]*\{#([^}]*)\}$")
VALID_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


@dataclass(frozen=True)
class HeadingLine:
    line: int
    level: int
    marker: str
    title: str
    id: str | None  # None when the heading has no {#id}
    raw_id: str | None  # what stood inside {#…}, valid or not


def split_marker(text: str) -> tuple[str, str]:
    """'(1) 目的' → ('(1)', '目的'); a heading without a label → ('', text)."""
    first, _, rest = text.partition(" ")
    if rest and marker_kind(first):
        return first, rest.strip()
    # A label glued to the title ('(1)目的') still counts as the label.
    for kind in MARKER_KINDS:
        m = kind.pattern.match(text)
        if m and m.end() < len(text):
            return m.group(0), text[m.end():].strip()
    return "", text


def parse_heading(line: str, lineno: int) -> HeadingLine | None:
    m = _HEADING_RE.match(line)
    if not m:
        return None
    body = m.group(2)
    raw_id = None
    idm = _ID_RE.search(body)
    if idm:
        raw_id = idm.group(1).strip()
        body = body[: idm.start()].rstrip()
    marker, title = split_marker(body)
    hid = raw_id if raw_id and VALID_ID.fullmatch(raw_id) else None
    return HeadingLine(lineno, len(m.group(1)), marker, title, hid, raw_id)


def scan_headings(text: str) -> list[HeadingLine]:
    return [h for n, line in iter_lines_outside_fences(text) if (h := parse_heading(line, n))]


# 「別紙N」 of this plan; 「…実行計画別紙N」 names an appendix of another document.
APPENDIX_RE = re.compile(r"(?<!実行計画)別紙(?P<n>[0-9０-９]+)")


# ---------------------------------------------------------------- rendering

class MarkupContext(Protocol):
    """What the Markdown layer asks of the renderer (see dgdocs.render.html)."""

    def value(self, path: str, fmt: str | None) -> str: ...
    def directive(self, name: str, arg: str) -> str: ...
    def footnote_ref(self, label: str) -> str: ...
    def appendix_href(self, number: int) -> str | None: ...
    def figure(self, src: str, alt: str, title: str) -> str | None: ...
    def table(self, html_text: str, caption: str | None) -> str: ...


_SAFE_SCHEMES = ("http:", "https:", "mailto:")


def safe_href(url: str) -> str | None:
    """The URL if it may become a link: http(s), mailto, or relative; otherwise None."""
    u = html.unescape(url).strip()
    squashed = re.sub(r"[\x00-\x20\x7f]+", "", u).lower()
    m = re.match(r"^([a-z][a-z0-9+.\-]*):", squashed)
    if m and m.group(0) not in _SAFE_SCHEMES:
        return None
    if squashed.startswith("//"):
        return None  # protocol-relative: an external host in disguise
    return u


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


def strip_markup(text: str) -> str:
    """Plain text of an inline Markdown string (footnote refs and emphasis removed)."""
    text = FOOTNOTE_REF_RE.sub("", text)
    return re.sub(r"[*_`]", "", text)
