"""DG607 — a pair of parentheses is of one width: 「（…）」 or 「(…)」, never 「（…)」."""

from __future__ import annotations

import re
from typing import Iterator

from ..model import Document, Finding
from .hygiene import LABEL_PAREN_RE
from .registry import finding, rule
from .units import views

PAREN = re.compile(r"[()（）]")
WIDTH = {"(": "半角", ")": "半角", "（": "全角", "）": "全角"}


def mixed_pairs(text: str) -> list[tuple[int, int]]:
    """(column of the opening, column of the closing) of every pair whose two parentheses
    differ in width.  The labels 1) and a) are not brackets; an unmatched parenthesis is
    DG604's, not this rule's."""
    text = LABEL_PAREN_RE.sub(lambda m: " " * len(m.group(0)), text)
    stack: list[int] = []
    out = []
    for m in PAREN.finditer(text):
        if m.group(0) in "(（":
            stack.append(m.start())
        elif stack:
            start = stack.pop()
            if WIDTH[text[start]] != WIDTH[m.group(0)]:
                out.append((start, m.start()))
    return out


def _snippet(text: str, start: int, end: int) -> str:
    inner = text[start: end + 1]
    return inner if len(inner) <= 40 else f"{inner[:18]}…{inner[-18:]}"


@rule("DG607", "丸括弧の開きと閉じの幅が揃っている",
       protects="「（…）」「(…)」のように、対になる丸括弧の開きと閉じが同じ幅（全角どうし・半角どうし）であることを確かめます。「（…)」のような組は、PDF からの抽出や編集のときの打ち間違いです。")
def parentheses_of_one_width(doc: Document) -> Iterator[Finding]:
    """Each pair of parentheses is full-width on both sides or half-width on both sides.

    The plan uses both widths (「（令和元年法律第16号）」, 「(To Do)」) and DG604 lets them pair
    for balance; but a single pair of two widths (「（…)」) is a slip of extraction or typing
    that renders unevenly and confuses any tool that reads the brackets.  Pairs are matched
    by nesting, after the labels 1) a) are set aside."""
    for unit in views(doc):
        for start, end in mixed_pairs(unit.plain):
            o, c = unit.plain[start], unit.plain[end]
            snippet = _snippet(unit.plain, start, end)
            yield finding(unit.at(start),
                          f"開き括弧「{o}」（{WIDTH[o]}）と閉じ括弧「{c}」（{WIDTH[c]}）の幅が違います：「{snippet}」",
                          f"どちらかに揃えてください（「{o}…{'）' if o == '（' else ')'}」）。計画の原文どおりであれば accepted.yaml で受け入れます。",
                          [unit.section, unit.plain[start: end + 1]])
