"""A diff of Japanese text that reads as phrases: what the 新旧対照表 underlines.

Japanese has no spaces between words, so a word diff has nothing to split on and a
plain character diff scatters the underline over single characters (方策 → 施策 would
underline 方 and 施 only; 4,860 → 4,912 would underline 860 and 912).  The diff here is:

1. Google's diff-match-patch character diff (``diff_main``, Myers' algorithm with its
   speed-ups) with **no time limit**: its default one-second deadline would make the
   result depend on the machine, and the output must be the same bytes every time;
2. ``diff_cleanupSemantic``: removes the small coincidental equalities between edits
   (a shared 「の」 or 「、」 inside a rewritten phrase), so that a change is one run;
3. our own widening to word-like runs, because what reads as one word in Japanese is a
   run of one script:

   * a **number** (digits with their 「,」 and 「.」) is always underlined whole:
     4,860 → 4,912, 577 → 1,577, 2024年度 → 2025年度 (the 2024, not the 4);
   * in a **replacement** (something deleted *and* something inserted at one place),
     a run of kanji, of katakana or of Latin letters that the edit cuts into is
     underlined whole: 方策 → 施策, サーバ → サーバー.  A pure insertion or deletion is
     not widened: 「実現」 → 「早期実現」 underlines 早期 only, as the official tables do.

This module imports nothing of ours; :func:`segments` is what the renderers use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from diff_match_patch import diff_match_patch

EQUAL, DELETE, INSERT = 0, -1, 1


@dataclass(frozen=True, slots=True)
class Seg:
    """A run of text of one side; ``changed`` runs are underlined."""

    text: str
    changed: bool = False


def _engine() -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # no deadline: the same inputs always give the same diff
    return dmp


_DMP = _engine()


# ------------------------------------------------------------------ classes

_NUM_JOIN = ",.，．"


def char_class(ch: str) -> str:
    """num / kanji / kata / latin / other — the runs that read as one word."""
    if "0" <= ch <= "9" or "０" <= ch <= "９" or ch in _NUM_JOIN:
        return "num"
    o = ord(ch)
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or ch in "々〆ヶ":
        return "kanji"
    if 0x30A1 <= o <= 0x30FA or ch == "ー" or 0xFF66 <= o <= 0xFF9D:
        return "kata"
    if ch.isascii() and ch.isalpha() or "Ａ" <= ch <= "Ｚ" or "ａ" <= ch <= "ｚ":
        return "latin"
    return "other"


# ------------------------------------------------------------------- diff

@dataclass
class _Chunk:
    """Either an equality (old == new) or a change (old text → new text)."""

    old: str
    new: str
    equal: bool


def _chunks(diffs: list[tuple[int, str]]) -> list[_Chunk]:
    out: list[_Chunk] = []
    for op, text in diffs:
        if not text:
            continue
        if op == EQUAL:
            if out and out[-1].equal:
                out[-1].old += text
                out[-1].new += text
            else:
                out.append(_Chunk(text, text, True))
        else:
            if not out or out[-1].equal:
                out.append(_Chunk("", "", False))
            if op == DELETE:
                out[-1].old += text
            else:
                out[-1].new += text
    return out


def _joins(change: _Chunk, neighbour: str, edge: int) -> bool:
    """Does the neighbouring character *neighbour* belong to the same word as the change?

    *edge* is 0 when the neighbour stands before the change (compare the change's first
    characters), -1 when it stands after (compare its last characters).
    """
    cls = char_class(neighbour)
    if cls == "other":
        return False
    sides = [s for s in (change.old, change.new) if s]
    if cls == "num":
        return any(char_class(s[edge]) == "num" for s in sides)
    if len(sides) < 2:  # pure insertion or deletion: never widened to a word
        return False
    return all(char_class(s[edge]) == cls for s in sides)


def _widen(chunks: list[_Chunk]) -> list[_Chunk]:
    """Move characters of the equalities next to each change into it while they continue a word."""
    for i, ch in enumerate(chunks):
        if ch.equal:
            continue
        if i > 0 and chunks[i - 1].equal:
            prev = chunks[i - 1]
            while prev.old and _joins(ch, prev.old[-1], 0):
                c = prev.old[-1]
                prev.old = prev.new = prev.old[:-1]
                ch.old, ch.new = c + ch.old, c + ch.new
        if i + 1 < len(chunks) and chunks[i + 1].equal:
            nxt = chunks[i + 1]
            while nxt.old and _joins(ch, nxt.old[0], -1):
                c = nxt.old[0]
                nxt.old = nxt.new = nxt.old[1:]
                ch.old, ch.new = ch.old + c, ch.new + c
    # merge what touches now
    out: list[_Chunk] = []
    for ch in chunks:
        if ch.equal and not ch.old:
            continue
        if out and out[-1].equal == ch.equal:
            out[-1].old += ch.old
            out[-1].new += ch.new
        else:
            out.append(ch)
    return out


@lru_cache(maxsize=4096)
def diff(old: str, new: str) -> tuple[tuple[int, str], ...]:
    """The cleaned-up diff as diff-match-patch tuples: (EQUAL|DELETE|INSERT, text)."""
    if old == new:
        return ((EQUAL, old),) if old else ()
    diffs = _DMP.diff_main(old, new, False)
    _DMP.diff_cleanupSemantic(diffs)
    out: list[tuple[int, str]] = []
    for ch in _widen(_chunks(diffs)):
        if ch.equal:
            out.append((EQUAL, ch.old))
        else:
            if ch.old:
                out.append((DELETE, ch.old))
            if ch.new:
                out.append((INSERT, ch.new))
    return tuple(out)


def segments(old: str, new: str) -> tuple[tuple[Seg, ...], tuple[Seg, ...]]:
    """(old side, new side) as runs of text; the changed runs are to be underlined."""
    old_segs: list[Seg] = []
    new_segs: list[Seg] = []
    for op, text in diff(old, new):
        if op in (EQUAL, DELETE):
            old_segs.append(Seg(text, op == DELETE))
        if op in (EQUAL, INSERT):
            new_segs.append(Seg(text, op == INSERT))
    return tuple(old_segs), tuple(new_segs)


@lru_cache(maxsize=65536)
def similarity(a: str, b: str) -> float:
    """0 … 1: the share of characters the two texts have in common (raw character diff)."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    common = sum(len(t) for op, t in _DMP.diff_main(a, b, False) if op == EQUAL)
    return 2.0 * common / (len(a) + len(b))
