"""DG2xx — the prose against the data: figures typed in the text must agree with the data."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from .. import formatting
from ..model import Document, Finding, Kpi, Loc
from .registry import finding, rule
from .text import lines_by_section, nfkc, prose_lines, quantities, sentences, subtree_ids, without_references


def _data_scopes(doc: Document):
    """(name, section id, {unit: {value: key}}) for every figure set and budget table tied to a section."""
    for fs in doc.figure_sets:
        if fs.section:
            values: dict[str, dict[Decimal, str]] = {}
            for f in fs.figures:
                values.setdefault(f.unit, {})[Decimal(f.value)] = f.key
            yield f"data/{fs.name}.yaml", fs.section, values
    for t in doc.budget_tables:
        if t.section:
            values = {t.unit: {Decimal(r.value): f"{t.key}.{r.id}" for r in t.rows + (t.total,)}}
            yield f"表「{t.title}」", t.section, values


@rule("DG201", "データのある数値を本文に書くとき、データと一致する",
       protects="データファイルが属する節の本文に、そのデータの単位（種類、億円など）の数字が直接書かれているとき、データのどれかの値と一致することを確かめます。参照を使わずに打ち込んだ数字の誤りや、データだけを直した改定を見つけます。")
def prose_figures_match_data(doc: Document) -> Iterator[Finding]:
    """In the section a data file belongs to, every number written with that data's unit
    (種類, 億円, % …) is one of the data's values.

    Catches an editor who types a figure instead of a reference and types it wrong, or who
    changes the data but not the sentence that repeats it: a count of procedures, an amount
    of the expenditure tables.  Numbers given by references are always right and not checked.
    """
    outline = doc.outline
    for source, sid, values in _data_scopes(doc):
        if sid not in outline:
            continue
        scope = subtree_ids(outline.section(sid))
        units = list(values)
        for ch, sec, n, line in prose_lines(doc):
            if sec.id not in scope:
                continue
            for q in quantities(without_references(line), units):
                known = values.get(q.unit, {})
                if q.value not in known:
                    listed = "、".join(f"{formatting.grouped(v)}{q.unit}" for v in sorted(known))
                    yield finding(Loc(ch.path, n, q.start + 1),
                                  f"本文の「{q.text}」が {source} のどの値（{listed}）とも一致しません。",
                                  "データの値を参照（{{…}}）で書くか、数字を確かめてください。",
                                  [sid, q.text])


@rule("DG202", "データのある数値は参照で書く", "warning",
       protects="データと同じ数字が参照ではなく直接書かれているところを知らせます。いまは正しくても、次にデータを直したときに本文だけが古いまま残るためです。")
def prose_figures_use_references(doc: Document) -> Iterator[Finding]:
    """A number that equals a data value in the data's own section is written as a reference.

    A typed copy is right today and silently wrong after the next revision of the data;
    the reference keeps the prose and the tables in step.
    """
    outline = doc.outline
    for source, sid, values in _data_scopes(doc):
        if sid not in outline:
            continue
        scope = subtree_ids(outline.section(sid))
        for ch, sec, n, line in prose_lines(doc):
            if sec.id not in scope:
                continue
            for q in quantities(without_references(line), list(values)):
                key = values.get(q.unit, {}).get(q.value)
                if key:
                    yield finding(Loc(ch.path, n, q.start + 1), f"「{q.text}」は {source} の値（{key}）と同じ数字が直接書かれています。",
                                  f"{{{{{key}}}}} と参照で書いてください（データを直したときに本文も変わります）。",
                                  [sid, q.text])


def _kpi_values(k: Kpi) -> dict[str, set[Decimal]]:
    """unit → values the KPI's fields hold."""
    out: dict[str, set[Decimal]] = {}
    for part in (k.baseline, k.target):
        if part is not None and part.value is not None and part.unit:
            out.setdefault(part.unit, set()).add(Decimal(part.value))
    if k.target is not None and k.target.percent is not None:
        out.setdefault("%", set()).add(Decimal(k.target.percent))
    return out


@rule("DG203", "KPI の文言と登録簿の値が一致する",
       protects="KPI 行の文言（text）の数字と、KPI 登録簿の基準値・目標値（baseline / target）が一致することを確かめます。本文と KPI 一覧・オープンデータが同じことを言うようにします。")
def kpi_text_matches_fields(doc: Document) -> Iterator[Finding]:
    """Every figure in a KPI line's wording equals a baseline, target or percentage of its
    indicators, and every such value appears in the wording; a target that is no number
    (``target: {text: 全府省}``) stands in the wording as written.

    The prose shows the wording; the KPI table and the open data show the fields.  Both come
    from kpis.yaml, and this rule keeps them telling the same story.
    """
    for line in doc.kpi_lines:
        values: dict[str, set[Decimal]] = {}
        for k in line.kpis:
            for unit, vs in _kpi_values(k).items():
                values.setdefault(unit, set()).update(vs)
        text = "".join(line.text)
        found: dict[str, set[Decimal]] = {}
        for q in quantities(text, list(values)):
            found.setdefault(q.unit, set()).add(q.value)
            if q.value not in values.get(q.unit, set()):
                yield finding(line.loc, f"KPI 行「{line.id}」の文言の「{q.text}」が、登録簿の基準値・目標値（{_show(values)}）のどれとも一致しません。",
                              "文言（text）か、kpis の baseline / target を直してください。", [line.id, q.text])
        for unit, vs in values.items():
            for v in sorted(vs - found.get(unit, set())):
                yield finding(line.loc, f"KPI 行「{line.id}」の登録簿の値 {formatting.grouped(v)}{unit} が文言に書かれていません。",
                              "文言（text）か、kpis の baseline / target を直してください。", [line.id, f"{v}{unit}"])
        wording = nfkc(text).replace(" ", "")
        for k in line.kpis:
            t = k.target
            if t is not None and t.text and nfkc(t.text).replace(" ", "") not in wording:
                yield finding(t.loc, f"KPI「{k.id}」の目標「{t.text}」が、KPI 行「{line.id}」の文言にありません。",
                              "target の text には、KPI 行（text）に書かれている目標の言葉をそのまま書いてください。",
                              [line.id, k.id, t.text])


def _show(values: dict[str, set[Decimal]]) -> str:
    return "、".join(f"{formatting.grouped(v)}{u}" for u, vs in values.items() for v in sorted(vs)) or "なし"


@rule("DG204", "KPI の基準値・目標値が本文の記載と一致する",
       protects="KPI の基準値・目標値と同じ年度・単位の数字が、そのプロジェクトの本文にも書かれているとき、両者が一致することを確かめます（例: e-Gov の 2018年度の電子申請件数 1,135万件）。")
def kpi_values_match_prose(doc: Document) -> Iterator[Finding]:
    """Where the prose of a KPI's project states a figure for the KPI's year and unit, it is
    the KPI's baseline or target.

    Example: II(3)6) says 2018年度 e-Gov had 約1,135万件 applications, and the KPI's baseline
    is 1,135万件 (2018年度); a revision that changes one but not the other is reported.  A
    sentence counts when it names the year (○年度) and has a number with the KPI's unit.
    """
    outline = doc.outline
    for line in doc.kpi_lines:
        if line.section not in outline:
            continue
        scope = subtree_ids(outline.parent_section(line.section) or outline.section(line.section))
        texts = [(i, ch, n, text) for sid in scope for i, ch, n, text in lines_by_section(doc).get(sid, ())]
        texts = [(ch, n, text) for _, ch, n, text in sorted(texts, key=lambda t: t[0])]  # the plan's order
        for k in line.kpis:
            for label, part, year in (("基準値", k.baseline, k.baseline.fiscal_year if k.baseline else None),
                                      ("目標値", k.target, k.target.by if k.target else None)):
                if part is None or part.value is None or not part.unit or not year:
                    continue
                mentions = []
                for ch, n, text in texts:
                    for s in sentences(text):
                        if f"{year}年度" in s:
                            qs = quantities(s, [part.unit])
                            if qs:
                                mentions.append((ch, n, qs))
                if mentions and not any(q.value == Decimal(part.value) for _, _, qs in mentions for q in qs):
                    ch, n, qs = mentions[0]
                    yield finding(Loc(ch.path, n), f"KPI「{k.id}」の{label} {formatting.grouped(part.value)}{part.unit}（{year}年度）が、本文の記載（{'、'.join(q.text for q in qs)}）と一致しません。",
                                  f"本文と kpis.yaml（{part.loc}）のどちらが正しいか確かめてください。",
                                  [k.id, label, f"{part.value}{part.unit}", *(q.text for q in qs)])
