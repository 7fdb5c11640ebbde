"""The plan's own heading markers (I. (1) ア. ① 1) a) (ア)) at the start of an extracted line.

The marker grammar is the project's (:data:`dgdocs.markup.MARKER_KINDS`).  Extraction
writes some markers in other forms — full-width brackets and periods (「ウ．」「（1）」),
a one-character Roman numeral (「Ⅲ.」) — which are normalised here, and misreads some
katakana markers as digits or kanji that look alike: （ア）（イ）（ウ） come out as (7) (4) (5).
Such a marker is kept as written *and* offered with its look-alike reading; which one is
meant is decided by the sibling sequence (:mod:`dgdocs.importer.headings`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..markup import CIRCLED, KATAKANA_ORDER, MARKER_KINDS, MarkerKind, marker_kind

_ROMAN_CHARS = {chr(0x2160 + i): r for i, r in enumerate(
    ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"])}
_ROMAN_CHARS.update({chr(0x2170 + i): r for i, r in enumerate(
    ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"])})
_WIDTH = str.maketrans({"（": "(", "）": ")", "．": ".", **{chr(0xFF10 + i): str(i) for i in range(10)},
                        **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)}})

# A misread marker → (the marker it looks like, what was misread).  Digits for katakana
# inside brackets, kanji for katakana (工 for エ, 力 for カ).
LOOK_ALIKES: dict[str, tuple[str, str]] = {
    "(7)": ("(ア)", "「ア」が数字の「7」"), "(4)": ("(イ)", "「イ」が数字の「4」"), "(5)": ("(ウ)", "「ウ」が数字の「5」"),
    "7.": ("ア.", "「ア」が数字の「7」"), "4.": ("イ.", "「イ」が数字の「4」"), "5.": ("ウ.", "「ウ」が数字の「5」"),
    "工.": ("エ.", "「エ」が漢字の「工」"), "(工)": ("(エ)", "「エ」が漢字の「工」"),
    "力.": ("カ.", "「カ」が漢字の「力」"), "(力)": ("(カ)", "「カ」が漢字の「力」"),
}
_LOOK_ALIKE_RE = re.compile(r"\(\d\)|\d\.|[工力]\.|\([工力]\)")

ROMAJI = dict(zip(KATAKANA_ORDER, (
    "a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no "
    "ha hi fu he ho ma mi mu me mo ya yu yo ra ri ru re ro wa").split()))


@dataclass(frozen=True)
class Reading:
    marker: str  # normalised: "(ア)"
    kind: MarkerKind
    ordinal: int
    look_alike: str = ""  # non-empty when this reading replaces a misread marker (the reason)


@dataclass(frozen=True)
class Marked:
    """A line that starts with a marker: the raw marker text, its readings, and the title."""

    raw: str  # the marker as the line writes it ("Ⅲ.", "ウ．", "(7)")
    literal: Reading | None  # the marker as written, normalised (None: not a marker as written)
    alternatives: tuple[Reading, ...]
    title: str  # the rest of the line
    glued: bool  # no space between marker and title


def _normalise(text: str) -> str:
    return "".join(_ROMAN_CHARS.get(c, c) for c in text).translate(_WIDTH)


def reading(marker: str, look_alike: str = "") -> Reading | None:
    kind = marker_kind(marker)
    if kind is None:
        return None
    return Reading(marker, kind, kind.ordinal(marker), look_alike)


def split_marker(text: str) -> Marked | None:
    """The marker at the start of *text* (after a heading's # and bold were removed), if any."""
    head = _normalise(text[:8])
    token = next((m.group(0) for k in MARKER_KINDS if (m := k.pattern.match(head))), "")
    if not token and (m := _LOOK_ALIKE_RE.match(head)) and m.group(0) in LOOK_ALIKES:
        token = m.group(0)  # "7." is no marker as written, only as the look-alike of 「ア.」
    if not token:
        return None
    raw_len = next(k for k in range(1, len(text) + 1) if len(_normalise(text[:k])) >= len(token))
    raw, rest = text[:raw_len], text[raw_len:]
    literal = reading(token)
    alternatives = ()
    if token in LOOK_ALIKES:
        alt, why = LOOK_ALIKES[token]
        alternatives = (reading(alt, why),)
    if literal is None and not alternatives:
        return None
    glued = not rest[:1].isspace()
    return Marked(raw, literal, alternatives, rest.strip(), glued)


def slug(r: Reading) -> str:
    """The part of a heading id that stands for the marker: ii, 2, a, 1, 3, b, i."""
    core = r.marker.strip("().")
    if r.kind.name == "roman":
        return core.lower()
    if r.kind.name in ("katakana", "paren_katakana"):
        return ROMAJI.get(core, str(r.ordinal))
    if r.kind.name == "circled":
        return str(CIRCLED.index(core) + 1)
    return core


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)
