"""The prose side of the 新旧対照表: sections paired by id, their blocks aligned, moves found,
and what did not change collapsed to 「（略）」 (see :mod:`dgdocs.diff` for the rules)."""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field

from ..model import Chapter, Document, Heading, Section
from ..plaintext import Block, TextRenderer
from ..textdiff import Seg, segments, similarity
from .result import NEW_SECTION, OMITTED, REMOVED, ComparisonRow, Labels, Part, all_changed, label, unchanged

PAIR_MIN = 0.4  # blocks in a stretch of differences pair when they share this much text
MOVE_MIN = 0.8  # an inserted and a deleted block are one move when they share this much …
MOVE_MIN_LEN = 20  # … and both are at least this long (identical blocks always qualify)


@dataclass
class _Op:
    """A block of a section: equal, change, insert, delete; a move links two of them."""

    kind: str
    old: Block | None
    new: Block | None
    moved_from: str | None = None  # on an insert: the note that says where the text was
    moved_to: str | None = None  # on a delete: the note that says where the text went
    partner: Block | None = None  # the other end of a move


@dataclass
class _Entry:
    kind: str  # pair / added / removed / moved-in / moved-out
    old: tuple[Chapter, Section] | None
    new: tuple[Chapter, Section] | None
    ops: list[_Op] = field(default_factory=list)

    @property
    def sid(self) -> str:
        return (self.new or self.old)[1].id

    @property
    def level(self) -> int:
        return (self.new or self.old)[1].heading.level


def _flat(doc: Document) -> list[tuple[Chapter, Section]]:
    return [(ch, sec) for ch in doc.chapters for sec in ch.sections()]


def _merge_sections(old: Document, new: Document) -> list[_Entry]:
    ofl, nfl = _flat(old), _flat(new)
    oids, nids = [s.id for _, s in ofl], [s.id for _, s in nfl]
    oset, nset = set(oids), set(nids)
    oby = {s.id: (ch, s) for ch, s in ofl}
    nby = {s.id: (ch, s) for ch, s in nfl}
    out: list[_Entry] = []
    sm = difflib.SequenceMatcher(None, oids, nids, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            out.extend(_Entry("pair", oby[i], nby[i]) for i in nids[j1:j2])
            continue
        # new sections first, then what the old text had here
        for sid in nids[j1:j2]:
            out.append(_Entry("moved-in", oby[sid], nby[sid]) if sid in oset else _Entry("added", None, nby[sid]))
        for sid in oids[i1:i2]:
            out.append(_Entry("moved-out", oby[sid], nby[sid]) if sid in nset else _Entry("removed", oby[sid], None))
    return out


def _align_blocks(old: tuple[Block, ...], new: tuple[Block, ...]) -> list[_Op]:
    ot, nt = [b.text for b in old], [b.text for b in new]
    ops: list[_Op] = []
    sm = difflib.SequenceMatcher(None, ot, nt, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            ops.extend(_Op("equal", old[i1 + k], new[j1 + k]) for k in range(i2 - i1))
        elif tag == "delete":
            ops.extend(_Op("delete", b, None) for b in old[i1:i2])
        elif tag == "insert":
            ops.extend(_Op("insert", None, b) for b in new[j1:j2])
        else:
            ops.extend(_pair_stretch(old[i1:i2], new[j1:j2]))
    return ops


def _pair_stretch(old: tuple[Block, ...], new: tuple[Block, ...]) -> list[_Op]:
    """Pair the blocks of a stretch of differences in order, most text in common first (DP)."""
    n, m = len(old), len(new)
    sim = [[similarity(o.text, w.text) for w in new] for o in old]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = sim[i][j] + best[i + 1][j + 1] if sim[i][j] >= PAIR_MIN else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    ops: list[_Op] = []
    i = j = 0
    while i < n or j < m:
        if i < n and j < m and sim[i][j] >= PAIR_MIN and best[i][j] == sim[i][j] + best[i + 1][j + 1]:
            ops.append(_Op("change", old[i], new[j]))
            i, j = i + 1, j + 1
        elif i < n and (j >= m or best[i][j] == best[i + 1][j]):
            ops.append(_Op("delete", old[i], None))
            i += 1
        else:
            ops.append(_Op("insert", None, new[j]))
            j += 1
    return ops


def _find_moves(entries: list[_Entry], olab: Labels, nlab: Labels) -> None:
    dels = [(e, op) for e in entries for op in e.ops if op.kind == "delete"]
    ins = [(e, op) for e in entries for op in e.ops if op.kind == "insert"]
    if not dels or not ins:
        return
    pairs: list[tuple[float, int, int]] = []
    by_text: dict[str, list[int]] = {}
    for i, (_, op) in enumerate(dels):
        by_text.setdefault(op.old.text, []).append(i)
    used_d: set[int] = set()
    used_i: set[int] = set()
    for j, (_, op) in enumerate(ins):
        for i in by_text.get(op.new.text, []):
            if i not in used_d:
                pairs.append((1.0, i, j))
                used_d.add(i)
                used_i.add(j)
                break
    # near-identical: only long blocks, and only where a cheap bound allows it
    counts_d = {i: Counter(op.old.text) for i, (_, op) in enumerate(dels)
                if i not in used_d and len(op.old.text) >= MOVE_MIN_LEN}
    counts_i = {j: Counter(op.new.text) for j, (_, op) in enumerate(ins)
                if j not in used_i and len(op.new.text) >= MOVE_MIN_LEN}
    cands: list[tuple[float, int, int]] = []
    for i, cd in counts_d.items():
        a = dels[i][1].old.text
        for j, ci in counts_i.items():
            b = ins[j][1].new.text
            if 2 * min(len(a), len(b)) < MOVE_MIN * (len(a) + len(b)):
                continue
            if 2 * sum((cd & ci).values()) < MOVE_MIN * (len(a) + len(b)):
                continue
            s = similarity(a, b)
            if s >= MOVE_MIN:
                cands.append((s, i, j))
    for s, i, j in sorted(cands, key=lambda c: (-c[0], c[1], c[2])):
        if i not in used_d and j not in used_i:
            pairs.append((s, i, j))
            used_d.add(i)
            used_i.add(j)
    for _, i, j in pairs:
        de, dop = dels[i]
        ie, iop = ins[j]
        if de.sid == ie.sid:
            dop.moved_to = iop.moved_from = "（この節の中で位置を移動）"
        else:
            dop.moved_to = f"（{nlab(ie.sid)}へ移動）"
            iop.moved_from = f"（{olab(de.sid)}から移動）"
        dop.partner, iop.partner = iop.new, dop.old


def _block_part(block: Block, segs: tuple[Seg, ...], moved: bool = False) -> Part:
    return Part(block.kind, segs, 0, moved)


def _op_parts(op: _Op) -> tuple[tuple[Part, ...], tuple[Part, ...]]:
    """(new parts, old parts) of one block that is not equal."""
    if op.kind == "change":
        o, n = segments(op.old.text, op.new.text)
        return (_block_part(op.new, n),), (_block_part(op.old, o),)
    if op.kind == "insert":
        if op.moved_from:
            o, n = segments(op.partner.text, op.new.text)
            return (_block_part(op.new, n, True),), (label(op.moved_from, "move"),)
        return (_block_part(op.new, all_changed(op.new.text)),), (label(NEW_SECTION),)
    if op.kind == "delete":
        if op.moved_to:
            o, n = segments(op.old.text, op.partner.text)
            return (label(op.moved_to, "move"),), (_block_part(op.old, o, True),)
        return (label(REMOVED),), (_block_part(op.old, all_changed(op.old.text)),)
    raise ValueError(op.kind)  # pragma: no cover


def _subtree_parts(entry: _Entry, side: str) -> list[Part]:
    """Heading and blocks of an added (side "new") or removed (side "old") section."""
    sec = (entry.new if side == "new" else entry.old)[1]
    parts = [Part("heading", all_changed(sec.heading.text), sec.heading.level)]
    for op in entry.ops:
        n, o = _op_parts(op)
        mine = n if side == "new" else o
        other = o if side == "new" else n
        parts.extend(mine)
        parts.extend(p for p in other if p.kind == "move")  # say where the moved text went
    return parts


def _heading_segments(old: Heading, new: Heading) -> tuple[tuple[Seg, ...], tuple[Seg, ...]]:
    """A changed label is underlined whole ((3) → (4)), the title by the text diff."""
    if old.marker == new.marker:
        return segments(old.text, new.text)
    o, n = segments(old.title, new.title)

    def side(marker: str, title: tuple[Seg, ...]) -> tuple[Seg, ...]:
        head = (Seg(marker, True), Seg(" ", False)) if marker else ()
        return head + title

    return side(old.marker, o), side(new.marker, n)


def _entry_changed(e: _Entry) -> bool:
    if e.kind != "pair":
        return True
    return e.old[1].heading.text != e.new[1].heading.text or any(op.kind != "equal" for op in e.ops)


def _rows(entries: list[_Entry], old: Document, new: Document, olab: Labels, nlab: Labels) -> list[ComparisonRow]:
    oparents, nparents = old.outline, new.outline
    show: set[int] = set()
    context: set[tuple[str, str]] = set()  # (side, id) of headings kept above a change
    for k, e in enumerate(entries):
        if _entry_changed(e):
            show.add(k)
            side, parents = ("new", nparents) if e.new and e.kind != "moved-out" else ("old", oparents)
            p = parents.parent(e.sid)
            while p is not None:
                context.add((side, p))
                p = parents.parent(p)
    for k, e in enumerate(entries):
        if e.kind == "pair" and (("new", e.sid) in context or ("old", e.sid) in context):
            show.add(k)

    rows: list[ComparisonRow] = []

    def omit() -> None:
        if not rows or rows[-1].kind != "omitted":
            rows.append(ComparisonRow("omitted", (label(OMITTED, "omitted"),), (label(OMITTED, "omitted"),)))

    k = 0
    while k < len(entries):
        e = entries[k]
        if k not in show:
            omit()
            k += 1
            continue
        if e.kind in ("added", "removed"):
            side = "new" if e.kind == "added" else "old"
            parts = _subtree_parts(e, side)
            k += 1
            while k < len(entries) and entries[k].kind == e.kind and entries[k].level > e.level:
                parts.extend(_subtree_parts(entries[k], side))
                k += 1
            mark = (label(NEW_SECTION),) if side == "new" else (label(REMOVED),)
            rows.append(ComparisonRow(e.kind, tuple(parts), mark, e.sid) if side == "new"
                        else ComparisonRow(e.kind, mark, tuple(parts), e.sid))
            continue
        if e.kind == "moved-out":
            osec = e.old[1]
            rows.append(ComparisonRow("moved", (label(f"（{nlab(e.sid)}へ移動）", "move"),),
                                      (Part("heading", unchanged(osec.heading.text), osec.heading.level, True),), e.sid))
            k += 1
            continue
        # pair or moved-in
        osec, nsec = e.old[1], e.new[1]
        o, n = _heading_segments(osec.heading, nsec.heading)
        new_parts: tuple[Part, ...] = (Part("heading", n, nsec.heading.level, e.kind == "moved-in"),)
        old_parts: tuple[Part, ...] = (Part("heading", o, osec.heading.level, e.kind == "moved-in"),)
        if e.kind == "moved-in":
            new_parts += (label(f"（{olab(e.sid)}から移動）", "move"),)
        rows.append(ComparisonRow("heading", new_parts, old_parts, e.sid))
        for op in e.ops:
            if op.kind == "equal":
                omit()
            else:
                np_, op_ = _op_parts(op)
                rows.append(ComparisonRow("block", np_, op_, e.sid))
        k += 1
    return rows


def compare_prose(old: Document, new: Document, olab: Labels, nlab: Labels) -> list[ComparisonRow]:
    """The rows of the two-column table of *old* → *new*."""
    entries = _merge_sections(old, new)
    otext, ntext = TextRenderer(old), TextRenderer(new)
    for e in entries:
        ob = otext.section_blocks(*e.old) if e.old and e.kind != "moved-out" else ()
        nb = ntext.section_blocks(*e.new) if e.new and e.kind != "moved-out" else ()
        if e.kind in ("pair", "moved-in"):
            e.ops = _align_blocks(ob, nb)
        elif e.kind == "added":
            e.ops = [_Op("insert", None, b) for b in nb]
        elif e.kind == "removed":
            e.ops = [_Op("delete", b, None) for b in ob]
    _find_moves(entries, olab, nlab)
    return _rows(entries, old, new, olab, nlab)
