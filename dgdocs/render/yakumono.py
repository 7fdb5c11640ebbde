"""約物の詰め (JIS X 4051) in the print markup, and the last line of a paragraph kept from
holding one character and 「。」.

BIZ UD明朝 / ゴシック set every bracket and 句読点 on a full em and have no ``halt``/``chws``
feature, so 「サイト）」は」 or 「含む。）を」 show a full em of white between two marks.  Where
two marks meet, the half em of white between them is taken out in the markup: the first mark
of 「。）」「）」」「）「」 gets ``class="yr"`` (its right half is drawn over), the second of
「「（」「・「」 gets ``class="yl"`` (its left half); print.css gives them a negative margin.
The characters stay as they are (text extraction and tags are unchanged).

Only text between tags is touched; a mark and its neighbour may be split by ``<a>``, ``<em>``
or ``<strong>`` (transparent), any other tag separates them.
"""

from __future__ import annotations

import re

OPENING = set("「『（〔［｛〈《【〘〖")
CLOSING = set("」』）〕］｝〉》】〙〗")
STOPS = set("、。，．")
MIDDLE = set("・：；")
TRANSPARENT = re.compile(r'</?(?:a|em|strong|b|i)(?:\s[^>]*)?>$|<span class="nobr">$|</span>$')
_TOKENS = re.compile(r"(<[^>]*>)")
_MARK_RUN = re.compile("[" + re.escape("".join(sorted(OPENING | CLOSING | STOPS | MIDDLE))) + "]+")
_SKIP = re.compile(r"<(script|style|title|head)\b", re.I)


def _right_trim(a: str, b: str) -> bool:
    """Does the white after mark *a* go, *b* following?"""
    return (a in CLOSING or a in STOPS) and (b in CLOSING or b in STOPS or b in OPENING or b in MIDDLE)


def _left_trim(a: str, b: str) -> bool:
    """Does the white before opening mark *b* go, *a* preceding?"""
    return b in OPENING and (a in OPENING or a in MIDDLE)


def tighten(html: str) -> str:
    """*html* with the 約物 that meet marked (see the module doc)."""
    tokens = _TOKENS.split(html)
    body = html.find("<body")
    texts = []  # indices of text tokens inside <body>
    pos = 0
    for i, tok in enumerate(tokens):
        if i % 2 == 0 and tok and pos >= body >= 0:
            texts.append(i)
        pos += len(tok)
    # neighbours across transparent tags
    def neighbour(k: int, step: int) -> str:
        j = texts[k] + step
        while 0 <= j < len(tokens):
            tok = tokens[j]
            if j % 2 == 1:
                if not TRANSPARENT.match(tok):
                    return ""
            elif tok:
                return tok[0] if step > 0 else tok[-1]
            j += step
        return ""

    for k, i in enumerate(texts):
        text = tokens[i]
        if not _MARK_RUN.search(text):
            continue
        prev, nxt = neighbour(k, -1), neighbour(k, 1)

        def marks(m: re.Match) -> str:
            # a run of consecutive marks: each may lose a half em; the run is one unbreakable
            # span when it holds a trimmed mark, so a span never opens a break (禁則)
            start, end, pieces = m.start(), m.end(), []
            for n in range(start, end):
                c = text[n]
                before = text[n - 1] if n else prev
                after = text[n + 1] if n + 1 < len(text) else nxt
                if after and _right_trim(c, after):
                    pieces.append(f'<span class="yr">{c}</span>')
                elif before and _left_trim(before, c):
                    pieces.append(f'<span class="yl">{c}</span>')
                else:
                    pieces.append(c)
            if len(pieces) > 1 and any(x.startswith("<") for x in pieces):
                return '<span class="nobr">' + "".join(pieces) + "</span>"
            return "".join(pieces)

        tokens[i] = _MARK_RUN.sub(marks, text)
    return "".join(tokens)


_PARA_END = re.compile(r"([^<>\s&;]{4})(</p>)")


def keep_last_line(html: str) -> str:
    """The last four characters of each paragraph on one line, so that no last line holds a
    single character and 「。」 (the line before takes the spacing, being justified)."""
    return _PARA_END.sub(lambda m: f'<span class="nobr">{m.group(1)}</span>{m.group(2)}', html)
