"""The imported plan as a content directory in the project's own format.

Markdown chapters whose ``#`` depth is the heading's depth and whose headings carry their
ids; ``plan.yaml`` from the cover; ``kpis.yaml``; ``data/budget.yaml``; the appendices listed
in VII (empty, 未記入); ``errata.yaml`` with every correction and its source line; the source
text itself in ``source/`` (the errata page links each cited line to it).  While writing,
every source line is mapped to the file and line it went to, for the import report.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .. import standard
from ..contentdir import Flow, dump_yaml
from .assemble import Body, Item, KpiLine
from .frontmatter import CoverRevision
from .headings import Node, walk
from .records import RULES, Log

_LIST_NUMBER = re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)")


def _escape_start(text: str) -> str:
    """A paragraph that Markdown would read as a list, a quote or a heading keeps its text."""
    m = _LIST_NUMBER.match(text)
    if m:
        return f"{m.group(1)}\\{m.group(2)}{text[m.end():]}"
    return "\\" + text if text[:1] in "-+*>#|=" else text


@dataclass
class Placement:
    """Where the source lines went: line → "file:line"."""

    where: dict[int, str] = field(default_factory=dict)

    def put(self, lines, file: str, out_line: int) -> None:
        for n in lines:
            self.where.setdefault(n, f"{file}:{out_line}")


class Writer:
    def __init__(self, roots: list[Node], body: Body, log: Log, org: str):
        self.roots = roots
        self.body = body
        self.log = log
        self.org = org
        self.placement = Placement()
        self.chapter_files: list[tuple[Node, str]] = []
        for i, root in enumerate(roots, 1):
            self.chapter_files.append((root, f"chapters/{i:02d}-{root.id}.md"))
        # source line → id of the section that holds it (for errata) / chapter id
        heads = sorted((n.line, n) for n in walk(roots))
        self._head_lines = [line for line, _ in heads]
        self._head_nodes = [n for _, n in heads]

    # ---------------------------------------------------------------- where things are
    def section_of(self, line: int) -> str:
        i = bisect.bisect_right(self._head_lines, line) - 1
        node = self._head_nodes[max(i, 0)]
        while node.too_deep and node.parent is not None:
            node = node.parent
        return node.id

    def chapter_of(self, line: int) -> str:
        i = bisect.bisect_right(self._head_lines, line) - 1
        node = self._head_nodes[max(i, 0)]
        while node.parent is not None:
            node = node.parent
        return node.id

    # ---------------------------------------------------------------- chapters
    def chapters(self) -> dict[str, str]:
        files = {}
        for root, path in self.chapter_files:
            out: list[str] = []
            self._node(root, path, out)
            notes = [f for f in self.body.footnotes if f.chapter == root.id]
            for f in notes:
                out.append("")
                self.placement.put([f.line], path, len(out) + 1)
                out.append(f"[^{f.label}]: {f.text}")
            files[path] = "\n".join(out).strip("\n") + "\n"
        return files

    def _node(self, node: Node, path: str, out: list[str]) -> None:
        if out:
            out.append("")
        self.placement.put([node.line], path, len(out) + 1)
        if node.too_deep:
            out.append(f"**{node.reading.marker} {node.title}**")
        else:
            out.append(f"{'#' * node.depth} {node.reading.marker} {node.title} {{#{node.id}}}")
        for item in self.body.items.get(node.id, []):
            out.append("")
            self._item(item, path, out)
        for child in node.children:
            self._node(child, path, out)

    def _item(self, item: Item, path: str, out: list[str]) -> None:
        first = len(out) + 1
        if item.kind == "para":
            out.append(_escape_start(item.text))
        elif item.kind in ("list", "olist"):
            for k, (text, lines) in enumerate(item.entries, 1):
                self.placement.put(lines, path, len(out) + 1)
                out.append(f"{k}. {text}" if item.kind == "olist" else f"- {text}")
        elif item.kind == "kpi":
            out.append(f"{{{{kpi: {item.ref}}}}}")
        elif item.kind == "table":
            out.append(f"{{{{table: {item.ref}}}}}")
        elif item.kind == "mdtable":
            out.extend(item.rows)
        self.placement.put(item.lines, path, first)

    # ---------------------------------------------------------------- YAML files
    def plan(self, title: str, period: tuple[int, int], revisions: list[CoverRevision]) -> str:
        revs = []
        for r in revisions:
            revs.append({"kind": r.kind, "date": r.date, "body": r.body or standard.PLACEHOLDER})
        data = {"title": title, "organisation": self.org, "plan_period": {"from": period[0], "to": period[1]},
                "revisions": revs, "chapters": [p for _, p in self.chapter_files]}
        return dump_yaml(data, "計画の表紙・基本情報（dgdocs import が抽出テキストの表紙から作成）\n"
                               "revisions: 決定・改定の履歴（古い順）。表紙に決定機関のない改定は【未記入】です。")

    def kpis(self) -> str:
        lines = []
        for k in self.body.kpis:
            lines.append(_kpi_yaml(k))
        return dump_yaml({"lines": lines}, "KPI 登録簿（dgdocs import が本文の「KPI：」行から作成）\n"
                                           "text は計画の文言のまま。indicator・target・baseline は文言から読み取れたものだけを書いています。")

    def budget(self) -> str | None:
        data = {t.id: t.data for t in self.body.tables if t.data is not None}
        if not data:
            return None
        return dump_yaml({"tables": data}, "本文の表（dgdocs import がタブ区切りの表から作成）。本文からは {{table: budget.表のid}} で表示します。")

    def appendices(self) -> dict[str, str]:
        files = {}
        seen: dict[int, int] = {}
        for number, title, line in self.body.appendices:
            if number in seen:
                self.log.ask("DG819", line, f"別紙{number}が別紙の一覧に2回あります（最初は抽出テキスト {seen[number]} 行）。",
                             "一覧を確かめてください。")
                continue
            seen[number] = line
            kind = standard.appendix_kind(title)
            what = "一覧" if kind == "list" else "工程表"
            files[f"appendices/beppyo-{number}.yaml"] = dump_yaml(
                {"number": number, "title": title, "kind": kind,
                 "description": f"{standard.PLACEHOLDER}抽出テキストには別紙の中身がありません。この{what}の行を groups に書いてください。",
                 "groups": []},
                f"別紙{number} {title}（dgdocs import が本文の別紙の一覧から作成した空の{what}）\n"
                "書き方は README の「別紙（工程表）」を参照。行を書いたら description の【未記入】を消してください。")
        return files

    def errata(self, seed_name: str) -> str:
        rules = [{"id": rid, "description": RULES[rid][0], "reason": RULES[rid][1], "seed_lines": Flow(sorted(lines))}
                 for rid, lines in sorted(self.log.rule_lines.items()) if lines]
        entries = []
        for n, f in enumerate(sorted(self.log.fixes, key=lambda f: f.line), 1):
            entries.append({"id": f"E{n:03d}", "kind": f.kind, "section": f.section or self.section_of(f.line),
                            "seed_line": f.line, "seed": f.seed, "corrected": f.corrected, "reason": f.reason})
        return dump_yaml({"seed": seed_name, "rules": rules, "entries": entries},
                         f"原文（PDF から抽出したテキスト source/{seed_name}）からの修正一覧（dgdocs import が作成）\n"
                         "rules: 一括して行った修正と、その対象となった抽出テキストの行番号\n"
                         "entries: 個別の修正（section = 修正後の文がある節の id、seed = 抽出テキストの記載、corrected = 修正後の記載）")


def _kpi_yaml(k: KpiLine) -> dict:
    out: dict = {"id": k.id, "section": k.section}
    if k.kind:
        out["kind"] = k.kind
    out["text"] = k.texts[0] if len(k.texts) == 1 else list(k.texts)
    kpis = []
    parsed = [(i, p) for i, p in enumerate(k.parsed, 1) if p is not None]
    for i, p in parsed:
        entry: dict = {"id": k.id if len(parsed) == 1 else f"{k.id}-{i}", "indicator": p.indicator or k.texts[i - 1]}
        if p.baseline:
            entry["baseline"] = p.baseline
        if p.target:
            entry["target"] = p.target
        if p.status:
            entry["status"] = p.status
        kpis.append(entry)
    out["kpis"] = kpis
    return out
