"""Phrase-aware line breaks for Japanese headings, navigation, captions and table cells.

Japanese has no spaces, so a browser or WeasyPrint may break a line between any two
characters: a narrow heading reads 「…行政手続のデジタ／ル化」.  For the short texts that
stand in narrow places — headings, navigation, captions, table cells — we let a line break
only between phrases (文節), as BudouX (Google's phrase segmenter, PyPI ``budoux``) finds
them; body paragraphs keep normal line breaking (禁則, ``line-break: strict``).

How each engine is told (measured on Chromium 156 and WeasyPrint 70, see tests/test_phrases.py):

* **HTML** (Chromium, and every browser that knows ``word-break: keep-all``): ``<wbr>`` at
  each phrase boundary, and site.css gives the same elements ``word-break: keep-all`` (no
  break between Japanese characters except at a ``<wbr>``, a space or punctuation) with
  ``overflow-wrap: anywhere`` as the last resort when a single phrase is wider than its box.
* **PDF** (WeasyPrint 70 has no ``keep-all``; its ``word-break`` knows only ``normal`` and
  ``break-all``): in the table of contents, captions and cells (not the headings, whose text
  becomes the PDF's bookmarks), U+2060 WORD JOINER between the characters of a phrase, which Pango's line
  breaker honours (UAX #14 class WJ); ``overflow-wrap: anywhere`` still breaks a phrase that
  cannot fit.  The joiners are not text: copied or extracted text does not contain them.

A BudouX phrase longer than :data:`LONG` characters (「デジタル・ガバメント中長期計画」
is one) also gets break opportunities between its words (:func:`word_splits`: between runs
of kanji and katakana, after 「・」), so that a phone does not break it anywhere.

Which elements: :data:`PHRASE_TAGS` and the elements whose class is in
:data:`PHRASE_CLASSES` (site.css's ``word-break: keep-all`` rule names the same set, a test
keeps them equal); inside them, the text of :data:`SKIP_TAGS` (and, in print, of the
printed 工程表, whose columns the roadmap module measures itself) is left as it is.
"""

from __future__ import annotations

import html as _html
import re
import unicodedata
from functools import lru_cache

#: elements whose text breaks only between phrases
PHRASE_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "caption", "figcaption", "th", "td", "nav", "summary"})
#: elements by class (the site title, the index's table of contents, headings below h6)
PHRASE_CLASSES = frozenset({"site-title", "toc-list", "h7"})
#: elements inside those whose text is left alone
SKIP_TAGS = frozenset({"svg", "math", "code", "pre", "kbd", "samp", "script", "style", "textarea", "template"})
#: elements whose text never breaks (CSS white-space: nowrap — Chromium still breaks at a
#: <wbr> inside one): a report's status word 「遅延（期限超過）」, a file's size and pages
NOWRAP_CLASSES = frozenset({"st", "nw", "file-facts"})
#: in print, the printed 工程表 (its columns are measured in mm to fit a landscape page, and its
#: rows never split: a phrase that cannot break would make a row taller and add a page)
PRINT_SKIP_CLASSES = frozenset({"roadmap-print"})
#: in print, the headings are left alone: WeasyPrint makes the PDF's bookmarks (and running
#: heads) from their text, and a bookmark must not carry word joiners
PRINT_SKIP_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

#: a BudouX phrase longer than this also breaks between its words
LONG = 12

WORD_JOINER = "\u2060"
WBR = "<wbr>"

#: a Latin word with a hyphen (e-Gov, e-LAWS): browsers may break after the hyphen
_HYPHENATED = re.compile(r"(?<![A-Za-z0-9-])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+(?![A-Za-z0-9-])")
#: a tag, a comment, or a whole inline SVG (one token: its inside is never text to mark, and an
#: evaluation report holds a thousand timelines of dozens of elements each)
_TAG = re.compile(r"(<svg\b.*?</svg>|<!--.*?-->|<[^>]*>)", re.S)
_NAME = re.compile(r"</?([a-zA-Z][a-zA-Z0-9-]*)")
_CLASS = re.compile(r"""\sclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
#: inside a region, these start a new piece of text (a list of links is many phrases, not one)
_BLOCKS = frozenset({"li", "p", "div", "br", "td", "th", "tr", "ul", "ol", "dt", "dd", "summary", "section",
                     "h1", "h2", "h3", "h4", "h5", "h6", "caption", "table", "tbody", "thead", "tfoot", "nav"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})

_parser = None


def _budoux():
    global _parser
    if _parser is None:
        import budoux
        _parser = budoux.load_default_japanese_parser()
    return _parser


def _script(ch: str) -> str:
    """K kanji, T katakana, H hiragana, L latin/digits, P 「・」, O other."""
    if ch in "々〆ヶ〇" or "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff":
        return "K"
    if ch == "・":
        return "P"
    if "\u30a0" <= ch <= "\u30ff" or "\u31f0" <= ch <= "\u31ff" or "\uff66" <= ch <= "\uff9f":
        return "T"
    if "\u3040" <= ch <= "\u309f":
        return "H"
    if ch.isalnum():
        return "L"
    return "O"


def word_splits(phrase: str) -> list[str]:
    """A long phrase cut between its words: between a kanji run and a katakana run (both
    at least two characters, so 「デジタル化」 keeps its suffix), and after 「・」.
    「デジタル・ガバメント中長期計画」 → デジタル・｜ガバメント｜中長期計画."""
    runs: list[list] = []
    for ch in phrase:
        s = _script(ch)
        if runs and runs[-1][0] == s and s != "P":
            runs[-1][1] += ch
        else:
            runs.append([s, ch])
    out = [runs[0][1]] if runs else []
    for prev, run in zip(runs, runs[1:]):
        cut = prev[0] == "P" or ({prev[0], run[0]} == {"K", "T"} and len(prev[1]) >= 2 and len(run[1]) >= 2)
        if cut:
            out.append(run[1])
        else:
            out[-1] += run[1]
    return out


@lru_cache(maxsize=16384)
def segments(text: str) -> tuple[str, ...]:
    """*text* as the pieces between which a line may break (BudouX, then :func:`word_splits`
    for long phrases); ``"".join(segments(t)) == t``."""
    if not text.strip():
        return (text,)
    out: list[str] = []
    for chunk in _budoux().parse(text):
        out += word_splits(chunk) if len(chunk) > LONG else [chunk]
    return _whole_words(text, out)


#: a number or a Latin word, never broken: BudouX cuts 「2019年11月」 as 201｜9年11月
_WORD = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]+(?:[.,．，][0-9０-９]+)*")
_OPENING = "「『（(［[｛{〈《【〔“‘"


def _whole_words(text: str, pieces: list[str]) -> tuple[str, ...]:
    """*pieces* cut again so that no cut falls inside a number or a Latin word of *text*: such a
    cut moves to the start of its word, before any opening bracket there
    (201｜9年11月〜201｜9年12月 → 2019年11月〜｜2019年12月; 「(202｜0年 → ｜「(2020年)."""
    start_of: dict[int, int] = {}
    for m in _WORD.finditer(text):
        for i in range(m.start() + 1, m.end()):
            start_of[i] = m.start()
    if not start_of:
        return tuple(pieces)
    cuts, pos = set(), 0
    for piece in pieces[:-1]:
        pos += len(piece)
        cut = start_of.get(pos)
        if cut is None:
            cuts.add(pos)
            continue
        while cut > 0 and text[cut - 1] in _OPENING:  # and not after 「( (a line never ends on an opening bracket)
            cut -= 1
        cuts.add(cut)
    bounds = [0] + sorted(c for c in cuts if 0 < c < len(text)) + [len(text)]
    return tuple(text[a:b] for a, b in zip(bounds, bounds[1:]))


def boundaries(text: str) -> set[int]:
    """The offsets in *text* where a line may break: the phrase boundaries of
    :func:`segments`, and every space."""
    out, pos = set(), 0
    for piece in segments(text)[:-1]:
        pos += len(piece)
        out.add(pos)
    out.update(i for i, ch in enumerate(text) if ch.isspace())
    out.update(i + 1 for i, ch in enumerate(text) if ch.isspace())
    return out


def _cjk(ch: str) -> bool:
    return _script(ch) in "KTHP" or unicodedata.east_asian_width(ch) in "WF"


def _joinable(a: str, b: str) -> bool:
    """Whether a word joiner between *a* and *b* is needed and harmless: at least one is
    Japanese, neither is a space, and *b* is not a combining mark or variation selector."""
    if a.isspace() or b.isspace() or unicodedata.category(b) in ("Mn", "Mc", "Me", "Cf"):
        return False
    if "\ufe00" <= b <= "\ufe0f" or "\U000e0100" <= b <= "\U000e01ef" or a in ("\u200d", WORD_JOINER):
        return False
    return _cjk(a) or _cjk(b)


def _start_of_region(tag: str, name: str, print_mode: bool = False) -> bool:
    if print_mode and name in PRINT_SKIP_TAGS:
        return False
    if name in PHRASE_TAGS:
        return True
    m = _CLASS.search(tag)
    return bool(m) and not PHRASE_CLASSES.isdisjoint((m.group(1) or m.group(2) or m.group(3) or "").split())


def _skips(tag: str, name: str, print_mode: bool) -> bool:
    if name in SKIP_TAGS:
        return True
    m = _CLASS.search(tag)
    classes = set((m.group(1) or m.group(2) or m.group(3) or "").split()) if m else set()
    return not NOWRAP_CLASSES.isdisjoint(classes) or (print_mode and not PRINT_SKIP_CLASSES.isdisjoint(classes))


def mark_html(page: str, mode: str = "wbr") -> str:
    """*page* with phrase break opportunities in its headings, navigation, captions and cells:
    ``mode="wbr"`` for the site (``<wbr>``), ``"print"`` for WeasyPrint (word joiners).
    Only text between tags changes; tags, attributes and every other text stay byte for byte."""
    if mode not in ("wbr", "print"):
        raise ValueError(mode)
    print_mode = mode == "print"
    tokens = _TAG.split(page)
    region: tuple[str, int] | None = None  # (tag name, nesting depth of that name)
    skip: tuple[str, int] | None = None
    texts: list[list[int]] = []  # the text tokens of the open region, by piece of text
    for i in range(1, len(tokens), 2):  # the tags (the texts stand between them)
        if region is not None and skip is None and tokens[i - 1]:
            texts[-1].append(i - 1)
        info = _tag(tokens[i], print_mode)
        if info is None:
            continue
        name, closing, self_closing, skips, starts = info
        if skip is not None:
            if name == skip[0] and not self_closing:
                depth = skip[1] + (-1 if closing else 1)
                skip = None if depth == 0 else (name, depth)
            continue
        if skips:
            skip = (name, 1)
            continue
        if region is None:
            if starts:
                region, texts = (name, 1), [[]]
            continue
        if name in _BLOCKS and texts[-1]:
            texts.append([])
        if name == region[0] and not self_closing:
            depth = region[1] + (-1 if closing else 1)
            if depth == 0:
                for piece in texts:
                    _mark(tokens, piece, mode)
                region = None
            else:
                region = (name, depth)
    return "".join(tokens)


@lru_cache(maxsize=8192)
def _tag(tok: str, print_mode: bool) -> tuple[str, bool, bool, bool, bool] | None:
    """What a tag is to :func:`mark_html` — (name, closing, self-closing, starts a skipped
    element, starts a region) — or None for a comment, a declaration or an inline SVG (one token).
    Cached: a page repeats the same few dozen tags (``<td class="p-item">``) thousands of times."""
    if tok.startswith(("<!", "<?", "<svg")):
        return None
    m = _NAME.match(tok)
    if not m:
        return None
    name = m.group(1).lower()
    closing = tok.startswith("</")
    self_closing = name in _VOID or tok.endswith("/>")
    opening = not closing and not self_closing
    return (name, closing, self_closing, opening and _skips(tok, name, print_mode),
            opening and _start_of_region(tok, name, print_mode))


def _mark(tokens: list[str], indexes: list[int], mode: str) -> None:
    """Insert the break opportunities into the text tokens of one region, segmenting their
    text as one string (a phrase may run across an inline element)."""
    if not indexes:
        return
    marked = _marked(tuple(tokens[i] for i in indexes), mode)
    if marked is not None:
        for i, s in zip(indexes, marked):
            if s is not None:
                tokens[i] = s


@lru_cache(maxsize=65536)
def _marked(texts: tuple[str, ...], mode: str) -> tuple[str | None, ...] | None:
    """The text tokens of one region with their break opportunities (None: unchanged).
    Cached: the evaluation reports repeat the same cells (a row's title, its period) in every
    quarter's page, and the site's navigation stands on every page."""
    raw = [_html.unescape(s) for s in texts]
    text = "".join(raw)
    if not any(_cjk(ch) for ch in text):
        return None
    pieces = segments(text)
    keep: dict[int, int] = {}  # start → end of a hyphenated Latin word (e-Gov), kept on one line
    if mode == "wbr":
        cuts, pos = set(), 0
        for piece in pieces[:-1]:
            pos += len(piece)
            if not text[pos - 1].isspace() and not text[pos].isspace():
                cuts.add(pos)
        keep = {m.start(): m.end() for m in _HYPHENATED.finditer(text)}
    else:
        starts, pos = set(), 0
        for piece in pieces:
            starts.add(pos)
            pos += len(piece)
    result: list[str | None] = []
    offset = 0
    for s in raw:
        out, changed, end = [], False, None
        for j, ch in enumerate(s):
            at = offset + j
            if mode == "wbr":
                if at == end:
                    out.append("</span>")
                    end = None
                if at in cuts and at > 0 and end is None:
                    out.append(WBR)
                    changed = True
                if at in keep and keep[at] <= offset + len(s):  # the whole word in this text node
                    out.append('<span class="nw">')
                    end, changed = keep[at], True
                out.append(_html.escape(ch, quote=False))
            else:
                if j > 0 and at not in starts and _joinable(s[j - 1], ch):
                    out.append(WORD_JOINER)
                    changed = True
                out.append(_html.escape(ch, quote=False))
        if end is not None:
            out.append("</span>")
        result.append("".join(out) if changed else None)
        offset += len(s)
    return tuple(result)
