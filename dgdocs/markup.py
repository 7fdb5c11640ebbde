"""The Markdown layer: the plan's heading markers and the syntax of its prose.

The prose is rendered as safe HTML by :mod:`dgdocs.markdown_html` (mistune), which only the
renderers import: loading and checking the plan read the source lines, never mistune.

Syntax (documented for editors in README.md):

* Headings: ``## (1) 目的 {#purpose}`` — the number of ``#`` is the depth in the plan's
  hierarchy (I. → (1) → ア. → ① → 1) → a) → (ア), up to 7 ``#``); the first word is the
  plan's own label; ``{#id}`` is the stable id (it survives renumbering).
* References — values ``{{ procedures.total | nogroup }}``, block directives
  ``{{kpi: line-id}}`` / ``{{table: budget.system}}``, footnotes ``[^1]`` — follow the one
  grammar of :mod:`dgdocs.references`; :func:`~dgdocs.markdown_html.plan_plugin` compiles its patterns for mistune,
  and the directives themselves are :mod:`dgdocs.directives`.
* 「別紙N」 in the text links to the appendix page by itself (but not
  「…実行計画別紙N」, which is another document's appendix).
* A figure (図) is an image alone in its paragraph, ``![代替テキスト](../figures/a.png "題名")``;
  a pipe table may have a caption ``表：題名`` on the line above it.  Both are numbered
  through the plan by the loader; :mod:`dgdocs.markdown_html` turns mistune's tokens into
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
from typing import Protocol

from .model.record import record
from .references import FOOTNOTE_DEF_RE, FOOTNOTE_REF_RE, iter_lines_outside_fences

__all__ = ["FOOTNOTE_DEF_RE", "FOOTNOTE_REF_RE", "iter_lines_outside_fences"]  # the loader reads these here

# ------------------------------------------------------------- heading markers

KATAKANA_ORDER = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


@record(slots=False)
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


@record(slots=False)
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


# ------------------------------------------- what the renderer is asked (markdown_html)

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


def strip_markup(text: str) -> str:
    """Plain text of an inline Markdown string (footnote refs and emphasis removed)."""
    text = FOOTNOTE_REF_RE.sub("", text)
    return re.sub(r"[*_`]", "", text)
