"""DG510 — parts of the plan not yet written: the 【未記入】 placeholders of ``dgdocs new`` and
``dgdocs import``, and appendices without a single row."""

from __future__ import annotations

from typing import Iterator

from ..model import Document, Finding, Loc
from ..standard import PLACEHOLDER
from .registry import finding, rule
from .text import text_units


def _snippet(text: str, i: int) -> str:
    rest = text[i:].strip()
    return rest[:40] + ("…" if len(rest) > 40 else "")


@rule("DG510", "未記入の箇所がない",
       protects="「【未記入】」の箇所（dgdocs new・dgdocs import が書き込む仮の文）と、行が一つもない別紙が残っていないことを確かめます。"
                "未記入の箇所が残る計画は「案」としてしか出力できません。")
def unwritten_parts(doc: Document) -> Iterator[Finding]:
    """Every placeholder 【未記入】 left in the plan — in the prose, the headings, the KPI registry,
    the data, plan.yaml (title, organisation, decision body) and the appendices — and every
    appendix with no row at all is reported with its file and line.

    ``dgdocs new`` writes the standard structure with a placeholder in each part still to be
    written, and ``dgdocs import`` creates the appendices listed in VII empty; as errors these
    findings stop the publication of the plan until every part is written (a draft can still
    be built with ``--draft``)."""
    plan = doc.plan
    for what, value in (("題名", plan.title), ("組織名", plan.organisation)):
        if PLACEHOLDER in value:
            yield finding(plan.loc, f"plan.yaml の{what}が未記入です。", f"plan.yaml の{what}を書いてください。", ["plan", what])
    for rev in plan.revisions:
        unwritten = [what for what, value in (("決定機関（body）", rev.body), ("概要（summary）", rev.summary))
                     if PLACEHOLDER in value]
        if unwritten:
            yield finding(rev.loc, f"{rev.kind}（{rev.date.isoformat()}）の{'・'.join(unwritten)}が未記入です。",
                          f"{rev.kind}の日付（date）と決定機関（body）を確かめて書き、「{PLACEHOLDER}」を消してください。",
                          ["plan", rev.kind, rev.date.isoformat()])
    empty = {a.loc.file for a in doc.appendices if not any(True for _ in a.rows())}
    for a in doc.appendices:
        if a.loc.file in empty:
            yield finding(a.loc, f"{a.label}「{a.title}」は未記入です（行が一つもありません）。",
                          f"content/{a.path} の groups に施策と行（本文の節、工程、KPI）を書いてください。",
                          [a.label, "empty"])
    for unit in text_units(doc):
        if unit.kind == "appendix" and unit.loc.file in empty:
            continue  # reported once above
        start = 0
        while (i := unit.text.find(PLACEHOLDER, start)) >= 0:
            start = i + len(PLACEHOLDER)
            loc = Loc(unit.loc.file, unit.loc.line, i + 1) if unit.kind == "prose" else unit.loc
            yield finding(loc, f"未記入です：「{_snippet(unit.text, i)}」",
                          f"この箇所を書き、「{PLACEHOLDER}」を消してください（書かない節は見出しごと削除します）。",
                          [unit.section, _snippet(unit.text, i)])
