"""The heading hierarchy rebuilt from the plan's own markers, in the order they appear.

The ``#`` of the extracted text say nothing reliable (the same 「a) 現状と課題」 comes as ``###``,
``####`` or a plain line), so the depth of a heading is where its marker stands among the
open headings:

* a marker of a kind already open continues that sequence — it is the next sibling of the
  open heading of that kind, and closes everything below it;
* a marker of a new kind opens a level below the innermost heading whose kind ranks above
  it in the plan's hierarchy (I. → (1) → ア. → ① → 1) → a) → (ア)); a 1) may therefore sit
  directly under a (2), as in II(3) of the plan this was built on.

A misread marker (「(7)」 for 「(ア)」) is read both ways; the reading that continues its sibling
sequence, and that the table of contents does not contradict, is taken, and recorded as a
correction.  A marker that fits no sequence, or two readings that fit equally, go to the
import report: nothing is decided silently.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from .. import standard
from ..names import reserved_id
from .blocks import Block
from .frontmatter import TocEntry
from .markers import Reading, slug
from .records import Log

MAX_DEPTH = 7


@dataclass
class Node:
    block: Block
    reading: Reading
    title: str
    depth: int = 0
    parent: "Node | None" = None
    children: list["Node"] = field(default_factory=list)
    id: str = ""
    too_deep: bool = False

    @property
    def line(self) -> int:
        return self.block.line

    @property
    def text(self) -> str:
        return f"{self.reading.marker} {self.title}"


_FOREIGN = re.compile(r"[^\u3040-\u30ff\u3400-\u9fff\uff00-\uffef\u3000-\u303fA-Za-z0-9()（）・、]")


def _comparable(title: str) -> str:
    return _FOREIGN.sub("", standard.normalise_title(title))


def similar(a: str, b: str) -> bool:
    ca, cb = _comparable(a), _comparable(b)
    if ca == cb:
        return True
    return difflib.SequenceMatcher(None, ca, cb, autojunk=False).ratio() >= 0.75


def _slot(stack: list, kind) -> tuple[int, int, bool]:
    """(position in the stack, expected ordinal, continues an open sequence) for a marker kind."""
    for i in range(len(stack) - 1, -1, -1):
        if stack[i].reading.kind.name == kind.name:
            return i, stack[i].reading.ordinal + 1, True
    j = len(stack)
    while j and stack[j - 1].reading.kind.rank >= kind.rank:
        j -= 1
    return j, 1, False


class Toc:
    """The table of contents as a tree of marker paths (("II.", "(2)", "ア."): title)."""

    def __init__(self, entries: list[TocEntry]):
        self.titles: dict[tuple[str, ...], str] = {}
        self.covered: set[tuple[tuple[str, ...], str]] = set()
        stack: list[Node] = []
        for e in entries:
            r = e.marked.literal or (e.marked.alternatives[0] if e.marked.alternatives else None)
            if r is None:
                continue
            pos, _, _ = _slot(stack, r.kind)
            del stack[pos:]
            path = tuple(n.reading.marker for n in stack) + (r.marker,)
            self.titles.setdefault(path, e.title)
            self.covered.add((path[:-1], r.kind.name))
            stack.append(Node(Block("toc", e.line, "", e.title), r, e.title))

    def verdict(self, path: tuple[str, ...], kind_name: str, title: str) -> str:
        if (path[:-1], kind_name) not in self.covered:
            return "neutral"
        listed = self.titles.get(path)
        return "confirmed" if listed is not None and similar(listed, title) else "rejected"


@dataclass
class _Option:
    reading: Reading
    pos: int
    expected: int
    sibling: bool
    verdict: str

    @property
    def fits(self) -> bool:
        return self.reading.ordinal == self.expected


def _label(kind, ordinal: int) -> str:
    try:
        return kind.label(ordinal)
    except (IndexError, KeyError, ValueError):
        return f"{ordinal}番目"


def rebuild(heads: list[tuple[Block, str]], toc: Toc, log: Log) -> list[Node]:
    """The chapters (roots) of the heading tree; *heads* are (block, tightened title) in order."""
    roots: list[Node] = []
    stack: list[Node] = []
    for block, title in heads:
        m = block.marked
        readings = [r for r in (m.literal, *m.alternatives) if r is not None]
        options = []
        for r in readings:
            pos, expected, sibling = _slot(stack, r.kind)
            path = tuple(n.reading.marker for n in stack[:pos]) + (r.marker,)
            options.append(_Option(r, pos, expected, sibling, toc.verdict(path, r.kind.name, title)))
        choice = _choose(options, stack, block, title, log)
        r = choice.reading
        if r is not m.literal:
            _record_look_alike(log, block, m.raw, r, choice, options, stack, toc)
        elif m.raw != r.marker:
            log.fix("label", block.line, m.raw, r.marker,
                    f"見出し記号「{m.raw}」（全角の記号や1文字のローマ数字）を、同じ階層の他の見出しと同じ表記「{r.marker}」に揃えた。")
        if not choice.sibling and choice.pos < len(stack):
            inner = stack[-1]
            log.ask("DG811", block.line,
                    f"見出し「{r.marker} {title}」は、直前の「{inner.text}」の下に置くと番号の階層（I. → (1) → ア. → ① → 1) → a) → (ア)）が"
                    f"逆になるため、「{stack[choice.pos - 1].text if choice.pos else '章'}」の下に置きました。",
                    "原文で確かめ、番号か置き場所が違えば見出しを直してください。")
        del stack[choice.pos:]
        node = Node(block, r, title, depth=len(stack) + 1, parent=stack[-1] if stack else None)
        if node.depth > MAX_DEPTH:
            node.too_deep = True
            log.ask("DG811", block.line, f"見出し「{node.text}」は {node.depth} 段目で、見出しにできる深さ（7段）を超えています。"
                                         "太字の段落として取り込みました。", "原文で階層を確かめ、見出しの番号を直してください。")
        if node.parent:
            node.parent.children.append(node)
        else:
            roots.append(node)
        stack.append(node)
    return roots


def _choose(options: list[_Option], stack: list[Node], block: Block, title: str, log: Log) -> _Option:
    literal = next((o for o in options if not o.reading.look_alike), None)
    ok = [o for o in options if o.fits and o.verdict != "rejected"]
    confirmed = [o for o in ok if o.verdict == "confirmed"]
    if len(ok) == 1:
        return ok[0]
    if len(confirmed) == 1:
        return confirmed[0]
    if ok:
        continuing = [o for o in ok if o.reading.look_alike and o.sibling and o.pos == len(stack) - 1]
        pick = continuing[0] if continuing else (literal or ok[0])
        other = " / ".join(o.reading.marker for o in ok if o is not pick)
        log.ask("DG812", block.line,
                f"見出し「{block.marked.raw} {title}」の番号は「{pick.reading.marker}」とも「{other}」とも読めます。"
                f"「{pick.reading.marker}」としました。",
                "原文の PDF で番号を確かめ、違っていれば見出しの番号を直してください。")
        return pick
    pick = next((o for o in options if o.verdict == "confirmed"), None) or literal or options[0]
    r = pick.reading
    if pick.fits:  # fits its sequence but the table of contents lists something else there
        log.ask("DG813", block.line, f"見出し「{r.marker} {title}」が目次と合いません（目次のこの位置には別の見出しがあるか、何もありません）。",
                "原文の PDF で見出しと目次を確かめてください。")
    else:
        what = "重複しています" if r.ordinal < pick.expected else "飛んでいます"
        log.ask("DG811", block.line, f"見出し「{r.marker} {title}」の番号が{what}（前後の並びからはここは「{_label(r.kind, pick.expected)}」）。",
                "原文の番号を確かめてください。原文どおりなら取り込んだままにします（check の DG501 も同じ箇所を指摘します）。")
    return pick


def _record_look_alike(log: Log, block: Block, raw: str, r: Reading, choice: _Option, options: list[_Option],
                       stack: list[Node], toc: Toc) -> None:
    prev = stack[choice.pos] if choice.sibling else None
    where = f"直前の「{prev.reading.marker}」に続く見出し" if prev else "この階層の最初の見出し"
    lit = next((o for o in options if not o.reading.look_alike), None)
    why = ""
    if lit is not None and not lit.fits:
        why = f"。「{raw}」と読むと番号が並びに合わない（そこは「{_label(lit.reading.kind, lit.expected)}」のはず）"
    elif lit is not None and lit.verdict == "rejected":
        why = f"。「{raw}」と読むと、目次のその位置の見出しと合わない"
    log.fix("label", block.line, raw, r.marker,
            f"見出し記号「{r.marker}」が PDF 抽出で「{raw}」と誤認識されていた（{r.look_alike}）ため、{where}として「{r.marker}」に戻した{why}。")


# --------------------------------------------------------------------------- ids

_ASCII_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")


def ascii_slug(title: str) -> str:
    words = _ASCII_WORD.findall(unicodedata.normalize("NFKC", title))
    return "-".join(w.lower() for w in words[:3])[:30].strip("-")


def assign_ids(roots: list[Node], org: str) -> None:
    """Stable, readable ids: the standard ids where a heading is a standard part of a 府省 plan
    (``basics``, ``purpose``), else the parent's id and the marker (``key-projects-1-a-as-is``)."""
    used: set[str] = set()

    def visit(node: Node, parent_id: str) -> None:
        std = (standard.match_chapter(node.title, org) if node.parent is None
               else standard.match_section(parent_id, node.title, org))
        if std is not None and std.id not in used:
            base = std.id
        else:
            base = f"{parent_id}-{slug(node.reading)}" if parent_id else f"ch-{slug(node.reading)}"
            words = ascii_slug(node.title)
            if words:
                base += f"-{words}"
        if reserved_id(base):  # an id the site claims for itself (index, kpis, fn-…)
            base = f"{base}-sec"
        nid, k = base, 2
        while nid in used or reserved_id(nid):
            nid, k = f"{base}-{k}", k + 1
        used.add(nid)
        node.id = nid
        for child in node.children:
            visit(child, nid)

    for root in roots:
        visit(root, "")


def walk(roots: list[Node]):
    for root in roots:
        stack = [root]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))
