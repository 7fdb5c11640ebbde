"""Compare two revisions of the plan: the rows of the 新旧対照表 (old/new comparison table).

:func:`compare` takes two loaded :class:`~dgdocs.model.Document` s and returns a
:class:`Comparison`: the rows of the two-column table (改定後 / 改定前) and the changed
figures (KPIs, expenditure tables, data figures, appendix schedules, revision history).
Rendering is :mod:`dgdocs.render.shinkyu`; fetching a git revision is :mod:`dgdocs.revsource`.

How the two texts are put side by side:

* **Sections pair by their stable heading id** (``{#id}``), never by their label, so a
  section renumbered from (3) to (4) still stands against its old self (with the label
  underlined).  The merged order is the new order; a removed section stands where it
  stood (after the sections that preceded it), a section whose position changed stands
  at its new place with a note, and a one-line note at its old place.
* **Inside a section, blocks** (paragraphs, list items, KPI lines, tables, footnotes)
  are compared as the reader reads them (:mod:`dgdocs.plaintext`: references
  resolved).  Identical blocks pair first (difflib's longest matching blocks); in a
  stretch where the blocks differ, old and new blocks pair in order by the most text in
  common (at least 40 %), and what is left over was inserted or deleted.
* **Moved blocks**: a deleted block and an inserted block anywhere in the document with
  the same text (or at least 80 % in common, 20 characters or more) are one move.  Each
  place says where the text went or came from, the moved text has a dotted underline,
  and any change of wording made on the way has the ordinary underline.
* **What did not change collapses to 「（略）」**: the headings above a change are kept
  for orientation, every other unchanged stretch becomes one 「（略）」 row.

Everything is a pure function of the two documents: the same inputs give the same rows.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from . import wording
from .formatting import grouped
from .model import Appendix, Chapter, Document, Heading, Kpi, Row as RoadmapRow, Section
from .plaintext import Block, TextRenderer
from .textdiff import Seg, segments, similarity

# II(2)ア.「タイトル」 of a section id in one of the two documents (Outline.quoted)
Labels = Callable[[str], str]

NEW_SECTION = "（新設）"
REMOVED = "（削る）"
OMITTED = "（略）"

PAIR_MIN = 0.4  # blocks in a stretch of differences pair when they share this much text
MOVE_MIN = 0.8  # an inserted and a deleted block are one move when they share this much …
MOVE_MIN_LEN = 20  # … and both are at least this long (identical blocks always qualify)


# ------------------------------------------------------------------- result

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
class Row:
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
    rows: tuple[Row, ...]
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


# ------------------------------------------------------------ sections

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


def _all_changed(text: str) -> tuple[Seg, ...]:
    return (Seg(text, True),) if text else ()


def _plain(text: str) -> tuple[Seg, ...]:
    return (Seg(text, False),) if text else ()


def _label(text: str, kind: str = "label") -> Part:
    return Part(kind, _plain(text))


def _op_parts(op: _Op) -> tuple[tuple[Part, ...], tuple[Part, ...]]:
    """(new parts, old parts) of one block that is not equal."""
    if op.kind == "change":
        o, n = segments(op.old.text, op.new.text)
        return (_block_part(op.new, n),), (_block_part(op.old, o),)
    if op.kind == "insert":
        if op.moved_from:
            o, n = segments(op.partner.text, op.new.text)
            return (_block_part(op.new, n, True),), (_label(op.moved_from, "move"),)
        return (_block_part(op.new, _all_changed(op.new.text)),), (_label(NEW_SECTION),)
    if op.kind == "delete":
        if op.moved_to:
            o, n = segments(op.old.text, op.partner.text)
            return (_label(op.moved_to, "move"),), (_block_part(op.old, o, True),)
        return (_label(REMOVED),), (_block_part(op.old, _all_changed(op.old.text)),)
    raise ValueError(op.kind)  # pragma: no cover


def _subtree_parts(entry: _Entry, side: str) -> list[Part]:
    """Heading and blocks of an added (side "new") or removed (side "old") section."""
    sec = (entry.new if side == "new" else entry.old)[1]
    parts = [Part("heading", _all_changed(sec.heading.text), sec.heading.level)]
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


def _rows(entries: list[_Entry], old: Document, new: Document, olab: Labels, nlab: Labels) -> list[Row]:
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

    rows: list[Row] = []

    def omit() -> None:
        if not rows or rows[-1].kind != "omitted":
            rows.append(Row("omitted", (_label(OMITTED, "omitted"),), (_label(OMITTED, "omitted"),)))

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
            label = (_label(NEW_SECTION),) if side == "new" else (_label(REMOVED),)
            rows.append(Row(e.kind, tuple(parts), label, e.sid) if side == "new"
                        else Row(e.kind, label, tuple(parts), e.sid))
            continue
        if e.kind == "moved-out":
            osec = e.old[1]
            rows.append(Row("moved", (_label(f"（{nlab(e.sid)}へ移動）", "move"),),
                            (Part("heading", _plain(osec.heading.text), osec.heading.level, True),), e.sid))
            k += 1
            continue
        # pair or moved-in
        osec, nsec = e.old[1], e.new[1]
        o, n = _heading_segments(osec.heading, nsec.heading)
        new_parts: tuple[Part, ...] = (Part("heading", n, nsec.heading.level, e.kind == "moved-in"),)
        old_parts: tuple[Part, ...] = (Part("heading", o, osec.heading.level, e.kind == "moved-in"),)
        if e.kind == "moved-in":
            new_parts += (_label(f"（{olab(e.sid)}から移動）", "move"),)
        rows.append(Row("heading", new_parts, old_parts, e.sid))
        for op in e.ops:
            if op.kind == "equal":
                omit()
            else:
                np_, op_ = _op_parts(op)
                rows.append(Row("block", np_, op_, e.sid))
        k += 1
    return rows


# ------------------------------------------------------------- figures

class _Figures:
    def __init__(self) -> None:
        self.out: list[FigureChange] = []

    def field(self, group: str, subject: str, item: str, old: str | None, new: str | None) -> None:
        """Record one value: None on a side means the thing does not exist there."""
        if old == new:
            return
        if old is None:
            self.out.append(FigureChange(group, subject, item, (Part("para", _all_changed(new or "")),),
                                         (_label(NEW_SECTION),)))
        elif new is None:
            self.out.append(FigureChange(group, subject, item, (_label(REMOVED),),
                                         (Part("para", _all_changed(old)),)))
        else:
            o, n = segments(old, new)
            self.out.append(FigureChange(group, subject, item, (Part("para", n),), (Part("para", o),)))

    def fields(self, group: str, subject: str, old: dict[str, str] | None, new: dict[str, str] | None,
               whole: str, summary) -> None:
        """Compare records field by field; a record only on one side is one row (*whole*)."""
        if old is None or new is None:
            self.field(group, subject, whole, summary(old) if old else None, summary(new) if new else None)
            return
        for key in new:
            self.field(group, subject, key, old.get(key, ""), new[key])


def _merged_keys(old_keys: list, new_keys: list) -> list:
    """New order, then the keys only the old side has (in their old order)."""
    seen = set(new_keys)
    return list(new_keys) + [k for k in old_keys if k not in seen]


def _kpi_fields(label: Labels, k: Kpi) -> dict[str, str]:
    return {
        "指標": k.indicator,
        "種別": k.kind,
        "基準値": wording.baseline_text(k.baseline),
        "目標値": wording.target_value_text(k.target),
        "期限": wording.deadline_text(k.target),
        "状況": k.status,
        "備考": k.note,
        "本文の節": label(k.section),
    }


def _summary(fields: dict[str, str]) -> str:
    return "　".join(f"{k}：{v}" for k, v in fields.items() if v)


def _row_fields(label: Labels, row: RoadmapRow) -> dict[str, str]:
    out = {"項目": row.title, "本文の節": label(row.section), "状況": row.status, "備考": row.note,
           "工程の記載": row.schedule}
    if row.amount is not None:
        a = row.amount
        out["金額"] = f"{grouped(a.value)}{a.unit}" + (f"（{a.fiscal_year}年度）" if a.fiscal_year else "")
    else:
        out["金額"] = ""
    seen: Counter = Counter()
    for t in sorted(row.tasks, key=lambda t: (t.start.first, t.start.last, t.label)):
        seen[t.label] += 1
        key = f"工程「{t.label}」" + (f"（{seen[t.label]}）" if seen[t.label] > 1 else "")
        flags = ("（計画期間前から）" if t.before_plan else "") + ("（計画期間後まで）" if t.beyond_plan else "")
        out[key] = wording.task_text(t) + flags
    for m in sorted(row.milestones, key=lambda m: (m.at.first, m.at.last, m.label)):
        seen[m.label] += 1
        key = f"時期「{m.label}」" + (f"（{seen[m.label]}）" if seen[m.label] > 1 else "")
        out[key] = wording.period_text(m.at) + "（◆）"
    return out


def _appendix_rows(a: Appendix) -> dict[str, RoadmapRow]:
    return {r.id: r for r in a.rows()}


def _compare_figures(old: Document, new: Document, olab: Labels, nlab: Labels) -> list[FigureChange]:
    f = _Figures()
    # revision history
    orevs = {(r.date, r.kind): r for r in old.plan.revisions}
    nrevs = {(r.date, r.kind): r for r in new.plan.revisions}
    for key in _merged_keys(sorted(orevs), sorted(nrevs)):
        o, n = orevs.get(key), nrevs.get(key)
        subject = wording.revision_line((n or o))
        rf = lambda r: {"決定機関": r.body, "概要": r.summary}  # noqa: E731
        f.fields("改定履歴", subject, rf(o) if o else None, rf(n) if n else None, "全体", _summary)
    # KPIs and the KPI lines of the prose
    okpis = {k.id: k for k in old.kpis()}
    nkpis = {k.id: k for k in new.kpis()}
    for kid in _merged_keys(list(okpis), list(nkpis)):
        o, n = okpis.get(kid), nkpis.get(kid)
        subject = f"{(n or o).indicator}（{kid}）"
        of, nf = (_kpi_fields(olab, o) if o else None), (_kpi_fields(nlab, n) if n else None)
        if o and n and o.section == n.section:  # same section: a renumbering is not a change of the KPI
            del of["本文の節"], nf["本文の節"]
        f.fields("KPI", subject, of, nf, "全体", _summary)
    olines = {ln.id: ln for ln in old.kpi_lines}
    nlines = {ln.id: ln for ln in new.kpi_lines}
    otext, ntext = TextRenderer(old), TextRenderer(new)
    for lid in _merged_keys(list(olines), list(nlines)):
        o, n = olines.get(lid), nlines.get(lid)
        ot = f"{o.label}：" + "\n".join(otext.text(t) for t in o.text) if o else None
        nt = f"{n.label}：" + "\n".join(ntext.text(t) for t in n.text) if n else None
        f.field("KPI", f"KPI 行（{lid}）", "本文の記載", ot, nt)
    # expenditure tables
    otabs = {t.key: t for t in old.budget_tables}
    ntabs = {t.key: t for t in new.budget_tables}
    for key in _merged_keys(list(otabs), list(ntabs)):
        o, n = otabs.get(key), ntabs.get(key)
        subject = f"【{(n or o).title}】（{key}）"

        def head(t):
            return {"表題": t.title, "単位": t.unit, "年度": f"{t.fiscal_year}年度", "区分の見出し": t.category_label}

        f.fields("経費", subject, head(o) if o else None, head(n) if n else None, "全体", _summary)
        orows = {r.id: r for r in (o.rows + (o.total,) if o else ())}
        nrows = {r.id: r for r in (n.rows + (n.total,) if n else ())}
        for rid in _merged_keys(list(orows), list(nrows)):
            ro, rn = orows.get(rid), nrows.get(rid)
            item = (rn or ro).label
            f.field("経費", subject, item, f"{grouped(ro.value)}{o.unit}" if ro else None,
                    f"{grouped(rn.value)}{n.unit}" if rn else None)
            if ro and rn and ro.label != rn.label:
                f.field("経費", subject, f"{item}（区分名）", ro.label, rn.label)
    # data figures
    ofig = {x.key: x for x in old.figures()}
    nfig = {x.key: x for x in new.figures()}
    for key in _merged_keys(list(ofig), list(nfig)):
        o, n = ofig.get(key), nfig.get(key)
        subject = f"{(n or o).label}（data/{(n or o).set}.yaml の {(n or o).id}）"
        f.field("数値", subject, "値", f"{grouped(o.value)}{o.unit}" if o else None,
                f"{grouped(n.value)}{n.unit}" if n else None)
        if o and n and o.label != n.label:
            f.field("数値", subject, "名称", o.label, n.label)
    # appendices
    oaps = {a.number: a for a in old.appendices}
    naps = {a.number: a for a in new.appendices}
    for num in _merged_keys(sorted(oaps), sorted(naps)):
        o, n = oaps.get(num), naps.get(num)
        group = f"{(n or o).label}"
        f.fields(group, f"{(n or o).label}　{(n or o).title}",
                 {"表題": o.title, "説明": o.description} if o else None,
                 {"表題": n.title, "説明": n.description} if n else None, "全体", _summary)
        orows = _appendix_rows(o) if o else {}
        nrows = _appendix_rows(n) if n else {}
        for rid in _merged_keys(list(orows), list(nrows)):
            ro, rn = orows.get(rid), nrows.get(rid)
            of = _row_fields(olab, ro) if ro else None
            nf = _row_fields(nlab, rn) if rn else None
            subject = (rn or ro).title
            if ro and rn and ro.section == rn.section:
                del of["本文の節"], nf["本文の節"]
            if of is None or nf is None:
                f.fields(group, subject, of, nf, "全体", _summary)
                continue
            for key in _merged_keys(list(of), list(nf)):
                f.field(group, subject, key, of.get(key), nf.get(key))
    return f.out


# ------------------------------------------------------------------ entry

def side_info(doc: Document, role: str, source: str) -> SideInfo:
    latest = doc.plan.latest
    return SideInfo(role, source, wording.revision_line(latest), latest.body, latest.summary)


def compare(old: Document, new: Document, old_source: str = "改定前", new_source: str = "改定後") -> Comparison:
    """The 新旧対照表 of *old* → *new*; the sources name the two sides (git revision or directory)."""
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
    olab, nlab = old.outline.quoted, new.outline.quoted
    _find_moves(entries, olab, nlab)
    rows = _rows(entries, old, new, olab, nlab)
    return Comparison(new.plan.title, side_info(new, "改定後", new_source), side_info(old, "改定前", old_source),
                      tuple(rows), tuple(_compare_figures(old, new, olab, nlab)))

