"""Sentences split by a page break: a paragraph that stops mid-sentence and its continuation.

A page break of the PDF ends a paragraph of the extracted text wherever the page ended —
inside a word (「状況把握調」｜「査を行う。」), after a particle (「…ワンストップ化を」｜「2020年…」)
or a comma.  Between the two halves there may be blank lines, the footnote rule and the
footnotes of the page; those are set aside before (:mod:`dgdocs.importer.assemble`).

:func:`decide` joins two paragraphs only when one of these rules says so:

1. the first ends with a comma (、);
2. the second starts with a kana that cannot start a sentence (る, ら, で, の, へ, め …);
3. the first ends with a case particle right after a noun (「…化に」「…コストと」「…化を」);
4. the first is at least a line long and ends with kanji or katakana, and the second starts
   with kanji or katakana, is one sentence or more, and does not open like a new paragraph
   (「今後とも、」「また、」).

A paragraph that ends without a full stop and is followed by another is otherwise left
alone and reported: it may be the plan's own wording (a sentence without 「。」).
"""

from __future__ import annotations

import re

TERMINAL = set("。．.！？!?」』）)】〕>＞:：")
PARTICLES = set("にをとがでへはもや")
OPENERS = ("また", "なお", "さらに", "しかし", "ただし", "このため", "この", "その", "これ", "それ", "まず", "すでに",
           "特に", "今後", "一方", "具体的には", "あわせて", "併せて", "加えて", "以上", "以下", "本計画", "ここで")
_OPENER_COMMA = re.compile(r"^[^、。]{1,6}、")
_LABEL_START = re.compile(r"^(?:\d{1,2}[.)．]|[(（][\dア-ン]{1,2}[)）]|[①-⑳]|[a-z]\))")  # 「1. …」「①…」 start an item
_HIRA = re.compile(r"[\u3041-\u309f]")
_KANJI_KANA = re.compile(r"[\u3400-\u9fff\u30a0-\u30ffＡ-Ｚａ-ｚA-Za-z0-9]")
MIN_LINE = 30  # characters: a page ends after a full line of text


def ends_open(text: str) -> bool:
    """Whether a paragraph stops without a sentence end."""
    t = text.rstrip()
    return bool(t) and t[-1] not in TERMINAL


def decide(first: str, second: str) -> str | None:
    """The rule ("1"…"4") by which *first* continues in *second*, or None."""
    a, b = first.rstrip(), second.lstrip()
    if not a or not b or not ends_open(a):
        return None
    if a[-1] in "、，,":
        return "1"
    if _HIRA.match(b[0]) and not b.startswith(OPENERS):
        return "2"
    opener = b.startswith(OPENERS) or _OPENER_COMMA.match(b) is not None or _LABEL_START.match(b) is not None
    if a[-1] in PARTICLES and len(a) >= 2 and not _HIRA.match(a[-2]):
        return "3"
    if (len(a) >= MIN_LINE and _KANJI_KANA.match(a[-1]) and _KANJI_KANA.match(b[0]) and not opener
            and b.rstrip().endswith("。")):
        return "4"
    return None


REASONS = {
    "1": "前の段落が読点「、」で終わっている",
    "2": "後の段落が文の始めにならない仮名で始まっている",
    "3": "前の段落が助詞で終わっている",
    "4": "前の段落が語の途中（漢字・片仮名）で終わり、後の段落がその続きから始まっている",
}


def joint(first: str, second: str) -> str:
    """The two halves as one text (a space only between two Latin letters or digits)."""
    a, b = first.rstrip(), second.lstrip()
    if a and b and re.match(r"[A-Za-z0-9]", a[-1]) and re.match(r"[A-Za-z0-9]", b[0]):
        return f"{a} {b}"
    return a + b
