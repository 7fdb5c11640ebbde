"""Letters of another script inside a Japanese word (「デジタルデバйд対策」: Cyrillic й and д).

Extraction sometimes maps katakana to look-alike letters of another script.  No table of
look-alikes can say which katakana was meant, but the plan usually spells the word right
somewhere else — often in its table of contents.  A misread word is therefore corrected only
when the text holds exactly one spelling of it in katakana at those letters (with the same
neighbours); otherwise it goes to the import report.  The searches are plain patterns built
from the word itself (one character class per misread letter), linear in the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..checks.hygiene import ALLOWED_LETTER_SCRIPTS

_KATA = "\u30a0-\u30ff"
MAX_WORDS = 30  # distinct misread words looked up at most (each lookup reads the text once)


def is_foreign(ch: str) -> bool:
    if not unicodedata.category(ch).startswith("L"):
        return False
    return not unicodedata.name(ch, "").startswith(ALLOWED_LETTER_SCRIPTS)


@dataclass(frozen=True)
class Misread:
    word: str  # as written: デジタルデバйд
    right: str  # the katakana context after it (対策), part of the evidence
    corrected: str | None  # デジタルデバイド, or None when the text does not tell
    evidence_line: int  # where the right spelling stands (0 if none)


def _is_kata(ch: str) -> bool:
    return "\u30a0" <= ch <= "\u30ff"


def _words(line: str) -> list[tuple[str, str]]:
    """(misread word, the two characters after it) for each run of katakana and foreign letters
    that holds a foreign letter."""
    out, i, n = [], 0, len(line)
    while i < n:
        if not (_is_kata(line[i]) or is_foreign(line[i])):
            i += 1
            continue
        j = i
        while j < n and (_is_kata(line[j]) or is_foreign(line[j])):
            j += 1
        word = line[i:j]
        if any(is_foreign(c) for c in word):
            out.append((word, line[j: j + 2]))
        i = j
    return out


def find_misreads(lines: tuple[str, ...]) -> dict[str, Misread]:
    """Every misread word of the text, corrected where another spelling in the text says how."""
    found: dict[str, Misread] = {}
    for line in lines:
        for word, right in _words(line):
            if word in found or len(found) >= MAX_WORDS:
                continue
            pattern = re.compile("".join(f"[{_KATA}]" if is_foreign(c) else re.escape(c) for c in word)
                                 + re.escape(right))
            spellings: dict[str, int] = {}
            for n, other in enumerate(lines, 1):
                if len(spellings) > 1:
                    break
                for m in pattern.finditer(other):
                    spellings.setdefault(m.group(0)[: len(word)], n)
            corrected = next(iter(spellings)) if len(spellings) == 1 else None
            found[word] = Misread(word, right, corrected, spellings.get(corrected, 0) if corrected else 0)
    return found


def describe(word: str) -> str:
    """「й」（CYRILLIC …）, for the messages."""
    return "、".join(f"「{c}」（{unicodedata.name(c, hex(ord(c))).split(' ')[0]}）" for c in dict.fromkeys(word) if is_foreign(c))
