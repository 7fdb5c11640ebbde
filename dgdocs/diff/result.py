"""What a comparison of two revisions returns: the rows of the 新旧対照表 and the changed
figures, made of :class:`Part` s (headings, blocks, labels such as 「（新設）」)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..textdiff import Seg

# II(2)ア.「タイトル」 of a section id in one of the two documents (Outline.quoted)
Labels = Callable[[str], str]

NEW_SECTION = "（新設）"
REMOVED = "（削る）"
OMITTED = "（略）"


@dataclass(frozen=True, slots=True)
class Part:
    """A piece of one cell: a heading, a block of text, or a label such as 「（新設）」.

    kind: heading / para / item / kpi / table / note / code / label / move.  ``moved`` text
    keeps its place in the other column elsewhere (dotted underline for what is not
    otherwise changed).
    """

    kind: str
    segs: tuple[Seg, ...]
    level: int = 0
    moved: bool = False

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segs)

    @property
    def changed(self) -> bool:
        return self.moved or any(s.changed for s in self.segs)


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    """One row of the table: what stands in the 改定後 (new) and 改定前 (old) columns."""

    kind: str  # omitted / heading / block / added / removed / moved
    new: tuple[Part, ...]
    old: tuple[Part, ...]
    section: str = ""  # heading id, for anchors

    @property
    def changed(self) -> bool:
        return self.kind != "omitted" and any(p.changed or p.kind in ("label", "move") for p in self.new + self.old)


@dataclass(frozen=True, slots=True)
class FigureChange:
    """One changed value of the figures section: group (KPI, 経費 …), subject, item, new, old."""

    group: str
    subject: str
    item: str
    new: tuple[Part, ...]
    old: tuple[Part, ...]


@dataclass(frozen=True, slots=True)
class SideInfo:
    """How one side of the comparison is named: the source (git revision or directory)
    and the plan's latest revision line of that side (令和2年3月31日改定)."""

    role: str  # 改定後 / 改定前
    source: str  # HEAD~1（0123456789ab） or a directory
    revision_line: str
    revision_body: str
    revision_summary: str


@dataclass(frozen=True)
class Comparison:
    title: str
    new: SideInfo
    old: SideInfo
    rows: tuple[ComparisonRow, ...]
    figures: tuple[FigureChange, ...]

    @property
    def changed_rows(self) -> int:
        return sum(1 for r in self.rows if r.changed)

    @property
    def has_changes(self) -> bool:
        return bool(self.figures) or self.changed_rows > 0

    @property
    def has_moves(self) -> bool:
        return any(p.moved for r in self.rows for p in r.new + r.old)


# ------------------------------------------------------------------- parts

def all_changed(text: str) -> tuple[Seg, ...]:
    return (Seg(text, True),) if text else ()


def unchanged(text: str) -> tuple[Seg, ...]:
    return (Seg(text, False),) if text else ()


def label(text: str, kind: str = "label") -> Part:
    return Part(kind, unchanged(text))
