"""Footnotes: the texts that extraction left in the body (「<sup>1</sup> 第二期…」 between two
paragraphs, often in the middle of a sentence split by the page break) are lifted out and
written at the end of the chapter whose text refers to them (DG404 wants both in one chapter)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .records import Log
from .spacing import tighten


@dataclass
class Footnote:
    label: str
    text: str
    line: int
    raw: str
    chapter: str = ""  # id of the chapter it is written in


def place(notes: list[Footnote], refs: list[tuple[str, int]], chapter_of, log: Log) -> None:
    """Give every footnote the chapter of its first reference; report the ones that do not match."""
    first_ref: dict[str, int] = {}
    for label, line in refs:
        first_ref.setdefault(label, line)
    seen: dict[tuple[str, str], int] = {}
    for note in notes:
        ref = first_ref.get(note.label)
        note.chapter = chapter_of(ref if ref else note.line)
        if ref is None:
            log.ask("DG818", note.line, f"脚注 {note.label} の文「{note.text[:30]}…」を参照する脚注番号が本文にありません。"
                                        "脚注の文が現れた章の末尾に置きました。",
                    "本文の該当箇所に [^番号] を置くか、脚注を削除してください（check の DG404 も指摘します）。")
        key = (note.chapter, note.label)
        if key in seen:
            log.ask("DG818", note.line, f"脚注 {note.label} が同じ章に2つあります（最初は抽出テキスト {seen[key]} 行）。",
                    "番号を付け直してください。")
        seen.setdefault(key, note.line)
        seed = note.raw.strip()[:40]
        body = re.sub(r"^<sup>\s*\d{1,3}\s*</sup>\s*", "", seed)
        log.fix("footnote", note.line, seed, f"[^{note.label}]: {tighten(body)}",
                "脚注の本文がページ下部から本文の途中に紛れ込んで抽出されていたため、脚注として章の末尾に移した。")
    defined = {n.label for n in notes}
    for label, line in refs:
        if label not in defined:
            log.ask("DG818", line, f"脚注番号 {label} に当たる脚注の文が抽出テキストにありません。",
                    "原文の PDF から脚注の文を写すか、脚注番号を削除してください。")
