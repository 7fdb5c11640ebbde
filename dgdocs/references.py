"""The reference grammar of the prose: one set of patterns, one scanner.

Syntax (documented for editors in README.md):

* a value: ``{{ procedures.total }}`` or ``{{ procedures.total | nogroup }}``;
* a block directive, alone on its line: ``{{kpi: line-id}}``, ``{{table: budget.system}}``
  (the directives are registered in :mod:`dgdocs.directives`);
* a footnote mark ``[^1]`` and, on a line of its own, its text ``[^1]: 脚注の文``;
* a figure (図), an image alone in its paragraph: ``![代替テキスト](../figures/a.png "題名")``;
* the caption of a pipe table, on the line just above it: ``表：題名``.

The patterns are written once (:data:`VALUE`, :data:`DIRECTIVE`, :data:`FOOTNOTE_REF`) and
compiled twice: here for the scanner, and by the mistune plugin of :mod:`dgdocs.markup`
(whose named groups must be unique across its rules, hence the ``dg_`` prefix).

mistune tokens carry no line numbers (mistune issue 218), so the loader's and the checks'
view of the references — with line and column — comes from :func:`scan_references` on the
source lines.  It sees what mistune renders: **code is never scanned** — fenced and
indented code blocks, and inline code spans (``\\`{{x}}\\``` renders as it is written, so it is
no reference and never an error).  tests/test_references.py holds the scanner to mistune's
own tokens on the shipped plan and on the tricky cases.

Every pattern runs in linear time on any line (content is untrusted): no two adjacent
repeats can match the same characters, and labels are bounded.  The argument of a directive
is matched greedily and stripped in code (a lazy ``*?`` before ``\\s*`` is quadratic on a
run of spaces).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

# ------------------------------------------------------------------ the patterns

#: ``{{ path }}`` / ``{{ path | format }}``
VALUE = r"\{\{\s*(?P<path>[A-Za-z0-9_.\-]+)\s*(?:\|\s*(?P<fmt>[A-Za-z_]+)\s*)?\}\}"
#: ``{{name: argument}}`` alone on a line
DIRECTIVE = r"^\{\{\s*(?P<name>[a-z]+)\s*:(?P<arg>[^{}\n]*)\}\}[ \t]*$"
FOOTNOTE_LABEL = r"[^\[\]\s^]{1,64}"
#: ``[^label]``
FOOTNOTE_REF = r"\[\^(?P<label>" + FOOTNOTE_LABEL + r")\]"


#: ``![alt](src "title")`` — the title is optional; the source has no spaces or quotes
IMAGE = (r'!\[(?P<alt>[^\[\]\n]{0,1000})\]\([ \t]*(?P<src>[^\s()"<>]{1,1000})'
         r'(?:[ \t]+"(?P<title>[^"\n]{0,1000})")?[ \t]*\)')
#: ``表：題名`` (or ``表:``) on the line above a pipe table
TABLE_CAPTION = r"^ {0,3}表[：:][ \t]*(?P<title>[^\n]*?)[ \t]*$"


def pattern(regex: str, prefix: str = "") -> str:
    """*regex* with its group names prefixed (mistune, whose rules share one namespace: ``dg_``)."""
    return regex.replace("(?P<", "(?P<" + prefix)


REF_RE = re.compile(pattern(VALUE))
DIRECTIVE_RE = re.compile(pattern(DIRECTIVE))
FOOTNOTE_REF_RE = re.compile(pattern(FOOTNOTE_REF))
IMAGE_RE = re.compile(pattern(IMAGE))
FIGURE_LINE_RE = re.compile(r"^ {0,3}" + pattern(IMAGE) + r"[ \t]*$")
TABLE_CAPTION_RE = re.compile(pattern(TABLE_CAPTION))
DELIMITER_ROW_RE = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
FOOTNOTE_DEF_RE = re.compile(r"^\[\^(?P<label>%s)\]:[ \t]*(?P<text>.*)$" % FOOTNOTE_LABEL)


def directive_of(line: str) -> tuple[str, str] | None:
    """(name, argument) when *line* is a block directive, else None."""
    m = DIRECTIVE_RE.match(line)
    return (m.group("name"), m.group("arg").strip()) if m else None


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


# ------------------------------------------------------------------ where code is

_FENCE_RE = re.compile(r"^ {0,3}(```|~~~)")
_LIST_ITEM_RE = re.compile(r"^( {0,3})([-*+]|\d{1,9}[.)])( +|$)")
_ESCAPABLE = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


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


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))


def _is_indented_code(line: str, base: int) -> bool:
    """A line of an indented code block inside a container whose content starts at *base*."""
    return bool(line.strip()) and _indent(line) >= base + 4


def lines_outside_code_blocks(text: str, first_line: int = 1) -> Iterator[tuple[int, str]]:
    """(line number, line) of the lines that are not code: outside fenced code blocks and
    outside indented code blocks (four spaces more than the paragraph or list item they stand
    in, after a blank line; an indented line right after text continues that paragraph)."""
    prev_blank = True
    base = 0  # where the content of the enclosing list item starts (0 outside lists)
    in_code = False
    for n, line in iter_lines_outside_fences(text, first_line):
        if not line.strip():
            prev_blank = True
            yield n, line
            continue
        item = _LIST_ITEM_RE.match(line)
        if (prev_blank or in_code) and _is_indented_code(line, base) and not (item and _indent(line) < base + 4):
            in_code = True
            prev_blank = False
            continue
        in_code = False
        if item:
            base = len(item.group(1)) + len(item.group(2)) + max(1, min(len(item.group(3)), 4))
        elif prev_blank and _indent(line) < base:
            base = 0  # a paragraph after the list: the list has ended
        prev_blank = False
        yield n, line


def code_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of the inline code spans in *text* (one paragraph): a run of
    backticks up to the next run of the same length; a backslash escapes an opening backtick."""
    out: list[tuple[int, int]] = []
    if "`" not in text:  # most paragraphs: no span can open (a backslash only matters before a backtick)
        return out
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in _ESCAPABLE:
            i += 2
            continue
        if c != "`":
            i += 1
            continue
        j = i
        while j < n and text[j] == "`":
            j += 1
        run = j - i
        k = j
        while True:
            k = text.find("`" * run, k)
            if k == -1:
                break
            e = k + run
            if (k == 0 or text[k - 1] != "`") and (e >= n or text[e] != "`"):
                break
            while k < n and text[k] == "`":
                k += 1
        if k == -1:
            i = j  # no closer: the backticks are text
            continue
        out.append((i, k + run))
        i = k + run
    return out


def _paragraphs(text: str, first_line: int) -> Iterator[list[tuple[int, str]]]:
    """Runs of lines that mistune parses as one inline text: consecutive non-blank lines
    outside code blocks; a list item or a directive line starts a run of its own."""
    run: list[tuple[int, str]] = []
    for n, line in lines_outside_code_blocks(text, first_line):
        if not line.strip() or _LIST_ITEM_RE.match(line) or DIRECTIVE_RE.match(line) or FOOTNOTE_DEF_RE.match(line):
            if run:
                yield run
            run = [(n, line)] if line.strip() else []
            if line.strip() and (DIRECTIVE_RE.match(line) or FOOTNOTE_DEF_RE.match(line)):
                yield run
                run = []
            continue
        run.append((n, line))
    if run:
        yield run


def lines_without_code(text: str, first_line: int = 1) -> Iterator[tuple[int, str]]:
    """(line number, line) of every line that is not inside a code block, with its inline code
    spans blanked (same length: the columns stay right)."""
    for para in _paragraphs(text, first_line):
        joined = "\n".join(line for _, line in para)
        spans = code_spans(joined)
        if spans:
            chars = list(joined)
            for a, b in spans:
                for k in range(a, b):
                    if chars[k] != "\n":
                        chars[k] = " "
            joined = "".join(chars)
        for (n, _), line in zip(para, joined.split("\n")):
            yield n, line


# ------------------------------------------------------------------ the scanner

@dataclass(frozen=True)
class RefUse:
    kind: str  # "value", "directive", "footnote", "malformed"
    line: int
    col: int
    name: str  # value path / directive name / footnote label
    arg: str = ""  # format / directive argument


def scan_references(text: str, first_line: int = 1) -> list[RefUse]:
    """Every use of the reference syntax in *text* (not in code), with its line and column."""
    out: list[RefUse] = []
    for n, line in lines_without_code(text, first_line):
        d = directive_of(line)
        if d:
            out.append(RefUse("directive", n, 1, *d))
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


# ------------------------------------------------------------------ figures and tables

@dataclass(frozen=True)
class ImageUse:
    """An image in the prose; *standalone* when it is alone in its paragraph (a 図)."""

    line: int
    col: int
    alt: str
    src: str  # "" when the syntax is broken (「![」 without a well-formed rest)
    title: str
    standalone: bool


def scan_images(text: str, first_line: int = 1) -> list[ImageUse]:
    """Every image of *text* (not in code), with its line and column: a 図 is a paragraph of one
    line holding nothing but the image (mistune then gives a paragraph with one image token);
    any other image, and a 「![」 that is no image, is reported by the checks (DG505)."""
    out: list[ImageUse] = []
    for para in _paragraphs(text, first_line):
        joined = "\n".join(line for _, line in para)
        spans = code_spans(joined)
        for n, line in para:
            if "![" not in line:
                continue
            fm = FIGURE_LINE_RE.match(line) if len(para) == 1 else None
            if fm and not spans:
                out.append(ImageUse(n, fm.start("alt") - 1, fm.group("alt").strip(), fm.group("src"),
                                    (fm.group("title") or "").strip(), True))
                continue
            blanked = next(l for m, l in lines_without_code(joined, para[0][0]) if m == n)
            seen = set()
            for m in IMAGE_RE.finditer(blanked):
                seen.add(m.start())
                out.append(ImageUse(n, m.start() + 1, m.group("alt").strip(), m.group("src"),
                                    (m.group("title") or "").strip(), False))
            pos = blanked.find("![")
            while pos != -1:
                if pos not in seen:
                    out.append(ImageUse(n, pos + 1, "", "", "", False))
                pos = blanked.find("![", pos + 2)
    return out


@dataclass(frozen=True)
class TableUse:
    """A pipe table of the prose: the line of its header row and its caption (``表：…``), if any."""

    line: int
    caption: str | None
    caption_line: int
    header: str = ""  # the header row as written


@dataclass(frozen=True)
class CaptionUse:
    """A line ``表：…`` that stands above no table (reported by DG506)."""

    line: int
    title: str


def _cells(line: str) -> int:
    core = line.strip()
    core = core[1:] if core.startswith("|") else core
    core = core[:-1] if core.endswith("|") and not core.endswith("\\|") else core
    return len(re.split(r"(?<!\\)\|", core))


def scan_tables(text: str, first_line: int = 1) -> tuple[list[TableUse], list[CaptionUse]]:
    """The pipe tables of *text* (outside code blocks) and the captions that stand above none.

    A table is a line with a 「|」 followed by a delimiter row (``|---|--:|``) of as many cells,
    as mistune's table plugin reads it; its caption is a line ``表：題名`` just above it."""
    lines = list(lines_outside_code_blocks(text, first_line))
    tables: list[TableUse] = []
    used: set[int] = set()
    in_table = False
    for i, (n, line) in enumerate(lines):
        if in_table:
            if "|" in line and line.strip():
                continue
            in_table = False
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if ("|" in line and nxt is not None and nxt[0] == n + 1 and DELIMITER_ROW_RE.match(nxt[1])
                and "-" in nxt[1] and _cells(line) == _cells(nxt[1])):
            prev = lines[i - 1] if i > 0 else None
            cm = TABLE_CAPTION_RE.match(prev[1]) if prev is not None and prev[0] == n - 1 else None
            if cm:
                used.add(prev[0])
            tables.append(TableUse(n, cm.group("title") if cm else None, prev[0] if cm else 0, line.strip()))
            in_table = True
    captions = [CaptionUse(n, m.group("title")) for n, line in lines
                if n not in used and (m := TABLE_CAPTION_RE.match(line))]
    return tables, captions
