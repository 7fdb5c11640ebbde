"""Stray spaces of PDF extraction (rule R1) and spaces inside domain names.

PDF extraction puts a space wherever the glyphs switch between Japanese and Latin or
digits (「2020 年度」, 「副 CIO」, 「1, 135 万件」).  Japanese text has no spaces between
words, so every space that touches a Japanese character is removed; a space between two
Latin words (Internet Explorer) stays.  Every pattern here is linear in the text.
"""

from __future__ import annotations

import re

# kana, CJK ideographs, CJK symbols and punctuation, full-width forms, and the marks
# Japanese text uses (※ … ― ○ ● ■ ① …)
JP_CHARS = "\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u203b\u2026\u2015\u2460-\u24ff\u25a0-\u25ff"
_JP = f"[{JP_CHARS}]"
_SPACES_NEAR_JP = re.compile(rf"(?<={_JP})[ \t\u3000]+|[ \t\u3000]+(?={_JP})")
_DIGIT_COMMA = re.compile(r"(?<=\d,)[ \u3000]+(?=\d{3}(?!\d))")
_DIGIT_PERCENT = re.compile(r"(?<=\d)[ \u3000]+(?=%)")
_DOMAIN = re.compile(r"\b[A-Z]{2,}(?:\. [A-Z]{2,})+\b")


# 「エ 周知・啓発の強化」: a heading quoted with its label keeps the space after the label
_QUOTED_LABEL = re.compile(r"(?<=「)(?:[ア-ン]|[a-z]\)|\d{1,2}\))[ \u3000](?=[^ \u3000」])")


def tighten(text: str) -> str:
    """The text without the spaces that touch Japanese characters (R1)."""
    kept = [m.end() - 1 for m in _QUOTED_LABEL.finditer(text)] if "「" in text else []
    if not kept:
        return _tighten(text)
    pieces, last = [], 0
    for pos in kept:
        pieces.append(text[last:pos])
        last = pos + 1
    pieces.append(text[last:])
    return " ".join(_tighten(p) for p in pieces)


def _tighten(text: str) -> str:
    text = _SPACES_NEAR_JP.sub("", text)
    text = _DIGIT_COMMA.sub("", text)
    return _DIGIT_PERCENT.sub("", text)


def domains(text: str) -> list[tuple[str, str]]:
    """(as written, corrected) for every domain name with spaces after its dots (DATA. GO. JP)."""
    return [(m.group(0), m.group(0).replace(". ", ".")) for m in _DOMAIN.finditer(text)]


def is_jp(ch: str) -> bool:
    return bool(ch) and re.match(_JP, ch) is not None
