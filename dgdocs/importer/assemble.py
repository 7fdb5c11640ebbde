"""The body under each heading: paragraphs joined across page breaks, lists, KPI lines, tables.

The blocks between two headings are taken in order:

1. separator rules go (R4) and footnote texts are set aside (:mod:`.footnotes`), so that the
   two halves of a sentence split around them meet again;
2. a 「KPI：」 line takes its continuations: the rest of a bracket cut by a page break, and
   the italic lines after it (the extraction sets KPI lines in italics) — one registry line;
3. consecutive tab-separated rows become a table, with the 【caption】 above them;
4. a paragraph that stops mid-sentence is joined with the next one when a rule of
   :mod:`.pagebreaks` says so, and reported when it only might be; lines that follow each
   other without a blank line and without a full stop between are one wrapped paragraph (R8);
5. consecutive bullets become one list; bullets numbered 1, 2, 3 … without their period
   become a numbered list; the list of 「別紙N …」 is the plan's list of appendices.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# the siblings as modules (not `from . import …`, which reaches for the package and, through
# its __init__, back to this module)
import dgdocs.importer.kpis as kpiparse
import dgdocs.importer.pagebreaks as pagebreaks
import dgdocs.importer.tables as tables

from .blocks import Block
from .cleanup import Cleaner
from .footnotes import Footnote
from .headings import Node, walk
from .records import Log
from .spacing import tighten

_FNREF_END = re.compile(r"(?:\[\^[^\]\s]+\])+$")
_KPI_SHAPED = re.compile(r"[(（][^()（）]*\d{4}年度[^()（）]*[)）]$")
_APPENDIX = re.compile(r"^別紙[ \t\u3000]*(\d{1,2})[ \t\u3000]*(\S.*)$")
_LEADING_NUMBER = re.compile(r"^\d{1,2}[ \t\u3000]+")
_TARGET_ONLY = re.compile(r"^(?:\d|[(（]|毎年度)")
STEP_KINDS = ("alpha_paren", "paren_katakana")
MAX_PARAGRAPH = 10_000  # characters: joins stop there (the loader takes lines up to 20,000)  # a) 現状と課題 … : steps of a project, not its name


@dataclass
class Item:
    kind: str  # para, list, olist, kpi, table, mdtable
    lines: list[int]
    text: str = ""
    entries: list[tuple[str, list[int]]] = field(default_factory=list)
    ref: str = ""  # KPI line id, or data table key (budget.system)
    rows: list[str] = field(default_factory=list)  # a Markdown table


@dataclass
class KpiGroup:
    lines: list[int]
    texts: list[str]
    kind: str


@dataclass
class KpiLine:
    id: str
    section: str
    kind: str
    texts: list[str]
    lines: list[int]
    parsed: list[kpiparse.ParsedKpi | None]  # None: a line that belongs to the indicator above


@dataclass
class Body:
    items: dict[str, list[Item]] = field(default_factory=dict)  # heading id → its items
    kpis: list[KpiLine] = field(default_factory=list)
    tables: list[tables.Table] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    appendices: list[tuple[int, str, int]] = field(default_factory=list)  # (number, title, line)


class Assembler:
    def __init__(self, lines: tuple[str, ...], cleaner: Cleaner, log: Log, org: str, period_to: int):
        self.src = lines
        self.cleaner = cleaner
        self.log = log
        self.org = org
        self.period_to = period_to
        self.body = Body()
        self.table_ids: set[str] = set()
        self.kpi_ids: set[str] = set()

    # ------------------------------------------------------------------ entry
    def run(self, blocks: list[Block], roots: list[Node]) -> Body:
        by_line = {n.line: n for n in walk(roots)}
        groups: dict[str, list[Block]] = {}
        current: Node | None = None
        for b in blocks:
            if b.kind == "heading" and b.line in by_line:
                current = by_line[b.line]
                groups[current.id] = []
            elif b.kind == "fndef":
                self.body.footnotes.append(Footnote(b.label, self.cleaner.clean(b.text, b.line, b.raw), b.line, b.raw))
            elif b.kind == "rule":
                self.log.rule("R4", b.line)
            elif current is not None:
                groups[current.id].append(b)
        for node in walk(roots):
            self.body.items[node.id] = self._section(groups.get(node.id, []), node)
        return self.body

    def home(self, node: Node) -> str:
        """The id of the section the node's text is written in (a heading too deep is a paragraph)."""
        while node.too_deep and node.parent is not None:
            node = node.parent
        return node.id

    def _section(self, blocks: list[Block], node: Node) -> list[Item]:
        for b in blocks:
            self._clean(b)
        pieces = self._kpis(blocks)
        pieces = self._tables(pieces, node)
        pieces = self._joins(pieces)
        return self._items(pieces, node)

    def _clean(self, b: Block) -> None:
        b.orig = b.text
        if b.kind == "table":
            b.cells = [self.cleaner.clean(c, b.line, b.raw) for c in b.cells]
            return
        if b.kind == "bullet" and b.label:
            b.text = _LEADING_NUMBER.sub("", b.text)  # 「- 1 患者…」: the number is kept apart (see _list)
        if b.kind == "para" and b.hashes:
            self.log.ask("DG811", b.line, f"「{'#' * b.hashes}」の付いた行「{b.text[:30]}」に計画の見出し記号がないため、段落として取り込みました。",
                         "見出しであれば、番号を付けて見出しにしてください。")
        b.text = self.cleaner.clean(b.text, b.line, b.raw)

    # ------------------------------------------------------------------ KPI lines
    def _kpis(self, blocks: list[Block]) -> list:
        out: list = []
        i = 0
        while i < len(blocks):
            b = blocks[i]
            i += 1
            if b.kind != "kpi":
                out.append(b)
                continue
            g = KpiGroup([b.line], [b.text], b.label)
            self.log.rule("R5", b.line)
            joined = False
            while i < len(blocks) and blocks[i].kind == "para":
                nb, last = blocks[i], g.texts[-1]
                if len(last) + len(nb.text) > MAX_PARAGRAPH:
                    break
                if _unbalanced(last):
                    g.texts[-1] = pagebreaks.joint(last, nb.text)
                    self.log.fix("split", g.lines[-1], f"{self._tail(g.lines[-1])}\n\n{self._head(nb.line)}", g.texts[-1][-40:],
                                 f"KPI の文言が改ページで分断され、続きが別の段落として抽出されていたため、1行に戻した"
                                 f"（抽出テキスト {g.lines[-1]}〜{nb.line} 行）。")
                    joined = True
                elif nb.italic or (joined and len(nb.text) <= 100 and "。" not in nb.text and _KPI_SHAPED.search(nb.text)):
                    g.texts.append(nb.text)
                    self.log.fix("split", nb.line, nb.raw.strip(), nb.text,
                                 "直前の KPI 行の続きが別の段落として抽出されていたため、同じ KPI 行の次の行とした。")
                    self.log.rule("R5", nb.line)
                else:
                    break
                g.lines.append(nb.line)
                i += 1
            out.append(g)
        return out

    # ------------------------------------------------------------------ tables
    def _tables(self, pieces: list, node: Node) -> list:
        out: list = []
        for p in pieces:
            if isinstance(p, Block) and p.kind == "table":
                if out and isinstance(out[-1], tables.Table):  # only blank lines since the last row
                    out[-1].rows.append(p.cells)
                    out[-1].lines.append(p.line)
                    continue
                t = tables.Table([p.line], [p.cells])
                if out and isinstance(out[-1], Block) and out[-1].kind == "caption":
                    cap = out.pop()
                    t.caption, t.caption_line = cap.text, cap.line
                out.append(t)
                continue
            out.append(p)
        for t in (p for p in out if isinstance(p, tables.Table)):
            tables.build(t, self.home(node), self.org, self.table_ids)
            self.body.tables.append(t)
            if t.data is not None:
                self.log.rule("R6", t.caption_line, *t.lines)
            else:
                self.log.ask("DG817", t.lines[0], f"タブ区切りの表（{len(t.rows)} 行）をデータにできませんでした（{t.problem}）。"
                                                  "Markdown の表として本文に取り込みました。",
                             "表の数字を data/ の YAML にするときは、README の「数字を直す」を参照してください。")
        return out

    # ------------------------------------------------------------------ page breaks
    def _joins(self, pieces: list) -> list:
        out: list = []
        for p in pieces:
            prev = out[-1] if out else None
            if (isinstance(p, Block) and p.kind == "para" and isinstance(prev, Block)
                    and prev.kind in ("para", "bullet")):
                first = _FNREF_END.sub("", prev.text)
                if len(prev.text) + len(p.text) > MAX_PARAGRAPH:
                    out.append(p)  # never one line longer than a content file may have
                    continue
                if p.line == prev.lines[-1] + 1 and not first.rstrip().endswith("。"):
                    # a paragraph wrapped over several lines (as pdftotext writes it): one paragraph
                    self.log.rule("R8", p.line)
                    prev.text = pagebreaks.joint(prev.text, p.text)
                    prev.lines.extend(p.lines)
                    continue
                rule = pagebreaks.decide(first, p.text)
                if rule:
                    joined = pagebreaks.joint(prev.text, p.text)
                    cut = len(prev.text)
                    self.log.fix("split", prev.lines[-1], f"{self._tail(prev.lines[-1])}\n\n{self._head(p.line)}",
                                 tighten(joined[max(0, cut - 12): cut + 16]),
                                 f"改ページで文が分断され、別の段落として抽出されていたため、1つの文に戻した"
                                 f"（{pagebreaks.REASONS[rule]}。抽出テキスト {prev.lines[-1]}〜{p.line} 行）。")
                    prev.text = joined
                    prev.lines.extend(p.lines)
                    continue
                if prev.kind == "para" and pagebreaks.ends_open(first):
                    self.log.ask("DG814", prev.lines[-1],
                                 f"段落「…{first[-20:]}」が句点なしで終わり、次の段落「{p.text[:20]}…」は続きとも新しい段落とも読めます。"
                                 "別の段落のまま取り込みました。",
                                 "改ページで分かれた1つの文であれば、2つの段落を1行につないでください。原文どおりならこのままにします。")
            out.append(p)
        return out

    def _tail(self, line: int) -> str:
        return self.src[line - 1].rstrip()[-12:]

    def _head(self, line: int) -> str:
        return self.src[line - 1].strip()[:16]

    # ------------------------------------------------------------------ items
    def _items(self, pieces: list, node: Node) -> list[Item]:
        items: list[Item] = []
        run: list[Block] = []
        for p in pieces + [None]:
            if isinstance(p, Block) and p.kind == "bullet":
                run.append(p)
                continue
            if run:
                items.append(self._list(run))
                run = []
            if p is None:
                break
            if isinstance(p, KpiGroup):
                items.append(Item("kpi", p.lines, ref=self._kpi_line(p, node)))
            elif isinstance(p, tables.Table):
                if p.data is not None:
                    items.append(Item("table", ([p.caption_line] if p.caption_line else []) + p.lines, ref=f"budget.{p.id}"))
                else:
                    if p.caption:
                        items.append(Item("para", [p.caption_line], text=f"【{p.caption}】"))
                    items.append(Item("mdtable", p.lines, rows=tables.markdown(p)))
            else:
                items.append(Item("para", p.lines, text=p.text))
        return items

    def _list(self, run: list[Block]) -> Item:
        for b in run:
            if b.had_dot:
                self.log.rule("R2", b.line)
        numbers = [int(b.label) if b.label else 0 for b in run]
        if len(run) >= 2 and numbers == list(range(1, len(run) + 1)):
            for b in run:
                self.log.fix("list", b.line, b.raw.strip(), f"{b.label}. {b.text}",
                             f"番号付きの項目（1〜{len(run)}）が、番号の後の区切りを失って箇条書きの記号付きで抽出されていたため、番号付きリストとした。")
            return Item("olist", [n for b in run for n in b.lines], entries=[(b.text, b.lines) for b in run])
        for b in run:
            if b.label:  # 「- 1 a」 in a list that is not numbered 1, 2, 3 …: the number is text
                b.text = f"{b.label} {b.text}"
        listed = [(_APPENDIX.match(b.orig), b) for b in run]
        if all(m for m, _ in listed):
            entries = []
            for m, b in listed:
                number, title = int(m.group(1)), tighten(m.group(2))
                self.body.appendices.append((number, title, b.line))
                entries.append((f"別紙{number}\u3000{title}", b.lines))
            return Item("list", [n for b in run for n in b.lines], entries=entries)
        return Item("list", [n for b in run for n in b.lines], entries=[(b.text, b.lines) for b in run])

    def _kpi_line(self, g: KpiGroup, node: Node) -> str:
        owner = node  # the project the KPI belongs to: 「1) …」 rather than its step 「c) 具体的な取組」
        while owner.parent is not None and owner.reading.kind.name in STEP_KINDS:
            owner = owner.parent
        base = f"{self.home(owner)}-kpi"
        lid, k = base, 2
        while lid in self.kpi_ids:
            lid, k = f"{base}-{k}", k + 1
        self.kpi_ids.add(lid)
        parsed: list[kpiparse.ParsedKpi | None] = [kpiparse.parse(t, self.period_to) for t in g.texts]
        for i, (t, p) in enumerate(zip(g.texts, parsed)):
            if i and not p.complete and _TARGET_ONLY.match(t):
                parsed[i] = None  # 「2021年度: 60% …」: the target of the indicator above, not an indicator
                self.log.ask("DG816", g.lines[0], f"KPI の2行目「{t}」は前の行の指標の目標値と読めますが、目標値として読み取れませんでした"
                                                  "（文言はそのまま取り込みました）。",
                             f"kpis.yaml の「{lid}」の target（value・unit・by など）に書いてください。")
                continue
            if p.status:
                p.indicator = f"{owner.title}のKPI"
                self.log.ask("DG816", g.lines[0], f"KPI「{t}」には指標の名前がないため、指標名を「{p.indicator}」としました。",
                             f"kpis.yaml の「{lid}」の indicator を確かめてください。")
            elif not p.complete:
                self.log.ask("DG816", g.lines[0], f"KPI「{t if len(t) <= 60 else t[:60] + '…'}」の目標値・期限を読み取れませんでした（文言はそのまま取り込みました）。",
                             f"計画に目標値・期限が書かれていれば、kpis.yaml の「{lid}」の target（value・unit・by など）に書いてください。")
        self.body.kpis.append(KpiLine(lid, self.home(node), g.kind, g.texts, g.lines, parsed))
        return lid


def _unbalanced(text: str) -> bool:
    return text.count("(") + text.count("（") > text.count(")") + text.count("）")
