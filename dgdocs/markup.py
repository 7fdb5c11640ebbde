"""The Markdown layer: the plan's heading markers, the reference syntax, and safe HTML.

Syntax (documented for editors in README.md):

* Headings: ``## (1) 目的 {#purpose}`` — the number of ``#`` is the depth in the plan's
  hierarchy (I. → (1) → ア. → ① → 1) → a) → (ア), up to 7 ``#``); the first word is the
  plan's own label; ``{#id}`` is the stable id (it survives renumbering).
* Values: ``{{ procedures.total }}`` or ``{{ procedures.total | nogroup }}`` —
  a value of ``content/data/*.yaml`` formatted for Japanese (see :mod:`dgdocs.formatting`).
* Block directives, alone in a paragraph: ``{{kpi: line-id}}`` renders a KPI line from
  ``content/kpis.yaml``; ``{{table: budget.system}}`` renders a data table.
* Footnotes: ``[^1]`` in the text, ``[^1]: 脚注の文`` on a line of its own.
* 「別紙N」 in the text links to the appendix page by itself (but not
  「…実行計画別紙N」, which is another document's appendix).

mistune tokens carry no line numbers (mistune issue 218), so everything that needs a
location is found on the source lines by the scanners here (:func:`scan_headings`,
:func:`scan_references`); mistune only renders.  Raw HTML is always escaped, and only
http(s), mailto and relative URLs become links.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Iterator, Protocol

import mistune

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
_FENCE_RE = re.compile(r"^ {0,3}(```|~~~)")


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


def iter_lines_outside_fences(text: str, first_line: int = 1) -> Iterator[tuple[int, str]]:
    """(line number, line) for lines that are not inside a fenced code block."""
    fence = None
    for i, line in enumerate(text.split("\n")):
        m = _FENCE_RE.match(line)
        if fence:
            if m and m.group(1) == fence:
                fence = None
            continue
        if m:
            fence = m.group(1)
            continue
        yield first_line + i, line


def scan_headings(text: str) -> list[HeadingLine]:
    return [h for n, line in iter_lines_outside_fences(text) if (h := parse_heading(line, n))]


# ------------------------------------------------------------ reference syntax

REF_RE = re.compile(r"\{\{\s*(?P<path>[A-Za-z0-9_.\-]+)\s*(?:\|\s*(?P<fmt>[A-Za-z_]+)\s*)?\}\}")
# Every pattern here runs in linear time on any line (content is untrusted): no two
# adjacent repeats can match the same characters, and labels are bounded.  The argument of
# a directive is matched greedily and stripped in code (a lazy ``*?`` before ``\s*`` is
# quadratic on a run of spaces).
DIRECTIVE_RE = re.compile(r"^\{\{\s*(?P<name>[a-z]+)\s*:(?P<arg>[^{}]*)\}\}[ \t]*$")
FOOTNOTE_LABEL = r"[^\[\]\s^]{1,64}"
FOOTNOTE_REF_RE = re.compile(r"\[\^(?P<label>%s)\](?!:)" % FOOTNOTE_LABEL)
FOOTNOTE_DEF_RE = re.compile(r"^\[\^(?P<label>%s)\]:[ \t]*(?P<text>.*)$" % FOOTNOTE_LABEL)


def brace_spans(line: str) -> Iterator[tuple[int, int]]:
    r"""The spans of ``{{…}}`` in *line* (each ``{{`` up to the first ``}}`` after it), found in
    linear time (the regex ``\{\{.*?\}\}`` rescans the rest of the line from every ``{{``)."""
    pos = line.find("{{")
    while pos != -1:
        end = line.find("}}", pos + 2)
        if end == -1:
            return
        yield pos, end + 2
        pos = line.find("{{", end + 2)


def blank_braces(text: str) -> str:
    """*text* with every ``{{…}}`` replaced by spaces of the same length (columns stay right)."""
    out, last = [], 0
    for a, b in brace_spans(text):
        out.append(text[last:a])
        out.append(" " * (b - a))
        last = b
    out.append(text[last:])
    return "".join(out)
DIRECTIVES = ("kpi", "table")
# 「別紙N」 of this plan; 「…実行計画別紙N」 names an appendix of another document.
APPENDIX_RE = re.compile(r"(?<!実行計画)別紙(?P<n>[0-9０-９]+)")


@dataclass(frozen=True)
class RefUse:
    kind: str  # "value", "directive", "footnote", "malformed"
    line: int
    col: int
    name: str  # value path / directive name / footnote label
    arg: str = ""  # format / directive argument


def scan_references(text: str, first_line: int = 1) -> list[RefUse]:
    """Every use of the reference syntax in *text*, with its line and column."""
    out: list[RefUse] = []
    for n, line in iter_lines_outside_fences(text, first_line):
        d = DIRECTIVE_RE.match(line)
        if d:
            out.append(RefUse("directive", n, 1, d.group("name"), d.group("arg").strip()))
            continue
        spans = set()
        for m in REF_RE.finditer(line):
            out.append(RefUse("value", n, m.start() + 1, m.group("path"), m.group("fmt") or ""))
            spans.add(m.span())
        for a, b in brace_spans(line):
            if (a, b) not in spans:
                out.append(RefUse("malformed", n, a + 1, line[a:b]))
        if not FOOTNOTE_DEF_RE.match(line):
            for m in FOOTNOTE_REF_RE.finditer(line):
                out.append(RefUse("footnote", n, m.start() + 1, m.group("label")))
    return out


# ---------------------------------------------------------------- rendering

class MarkupContext(Protocol):
    """What the Markdown layer asks of the renderer (see dgdocs.render.html)."""

    def value(self, path: str, fmt: str | None) -> str: ...
    def directive(self, name: str, arg: str) -> str: ...
    def footnote_ref(self, label: str) -> str: ...
    def appendix_href(self, number: int) -> str | None: ...


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
        href = safe_href(url)
        if href is None or re.match(r"^[a-z][a-z0-9+.\-]*:", href, re.I):
            return _escape(text)  # only images inside the site; never remote
        return f'<img src="{_escape(href)}" alt="{_escape(text)}">'

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
    state.append_token({"type": "dg_fnref", "attrs": {"label": m.group("dg_fn")}})
    return m.end()


def _parse_directive(block, m, state):
    state.append_token({"type": "dg_directive", "attrs": {"name": m.group("dg_dname"), "arg": m.group("dg_darg").strip()}})
    return m.end() + 1


def plan_plugin(md: mistune.Markdown) -> None:
    """The reference syntax as a mistune plugin (values, footnote refs, block directives)."""
    md.inline.register(
        "dg_ref",
        r"\{\{\s*(?P<dg_path>[A-Za-z0-9_.\-]+)\s*(?:\|\s*(?P<dg_fmt>[A-Za-z_]+)\s*)?\}\}",
        _parse_ref, before="link")
    md.inline.register("dg_fnref", r"\[\^(?P<dg_fn>%s)\]" % FOOTNOTE_LABEL, _parse_fnref, before="link")
    md.block.register(
        "dg_directive",
        r"^\{\{\s*(?P<dg_dname>[a-z]+)\s*:(?P<dg_darg>[^{}\n]*)\}\}[ \t]*$",
        _parse_directive, before="paragraph" if "paragraph" in md.block.rules else None)
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


class Markup:
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
