"""Cross-references: section ids unique, and every name in YAML and every reference in the
prose (values, directives, footnotes) naming something that exists."""

from __future__ import annotations


from .. import markup, references
from ..directives import DIRECTIVES, known as known_directives
from ..formatting import FormatError, format_value
from ..model import (
    Document, Loc,
)
from .files import Context


def validate_references(ctx: Context, doc: Document) -> None:
    """Every reference in the prose names something that exists and can be formatted."""
    for ch in doc.chapters:
        for sec in ch.sections():
            _validate_text_refs(ctx, doc, sec.body, ch.path, sec.body_line)
        for fn in ch.footnotes:
            _validate_text_refs(ctx, doc, fn.text, ch.path, fn.loc.line, directives=False)
            if markup.FOOTNOTE_REF_RE.search(fn.text):
                ctx.err("DG007", fn.loc, "脚注の中に脚注は書けません。", "脚注の文から [^…] を外してください。")
    for line in doc.kpi_lines:
        for t in line.text:
            for use in references.scan_references(t):
                if use.kind in ("value", "directive", "malformed"):
                    ctx.err("DG007", line.loc, f"KPI 行「{line.id}」の text に参照 {{{{…}}}} は書けません。",
                            "KPI の文言はそのまま書きます（値は target などの項目に書きます）。")


def _validate_text_refs(ctx: Context, doc: Document, text: str, rel: str, first_line: int,
                        directives: bool = True) -> None:
    for use in references.scan_references(text, first_line):
        loc = Loc(rel, use.line, use.col)
        if use.kind == "malformed":
            ctx.err("DG007", loc, f"参照の書き方が違います: {use.name}",
                    "値は {{ファイル名.id}} または {{ファイル名.id|書式}}、KPI は {{kpi: 行のid}}、表は {{table: ファイル名.表のid}} と書きます。")
        elif use.kind == "value":
            dv = doc.values.get(use.name)
            if dv is None:
                close = [k for k in doc.values if k.split(".")[0] == use.name.split(".")[0]]
                hint = (f"同じファイルにある名前: {', '.join(sorted(close)[:8])}" if close
                        else f"content/data/ のファイル名で始めてください（例: {', '.join(sorted(doc.values)[:3])}）。")
                ctx.err("DG007", loc, f"参照「{use.name}」に当たる値がありません。", hint)
                continue
            try:
                format_value(dv.value, use.arg or None)
            except FormatError as exc:
                ctx.err("DG007", loc, f"参照「{use.name}」をこの書式で表示できません: {exc}", "書式を確かめてください（README の参照の書き方）。")
        elif use.kind == "directive":
            if not directives:
                ctx.err("DG007", loc, "ここには {{kpi: …}} や {{table: …}} は書けません。", "段落として本文に書いてください。")
            elif use.name not in DIRECTIVES:
                ctx.err("DG007", loc, f"「{{{{{use.name}: …}}}}」という指示はありません。",
                        f"使える指示: {known_directives()}")
            elif DIRECTIVES[use.name].resolve(doc, use.arg) is None:
                ctx.err("DG007", loc, *DIRECTIVES[use.name].missing(doc, use.arg))


def validate_ids(ctx: Context, doc: Document) -> None:
    """Section ids are unique; YAML files name sections, KPIs and tables that exist."""
    sections: dict[str, Loc] = {}
    for ch in doc.chapters:
        for sec in ch.sections():
            h = sec.heading
            if h.id in sections:
                ctx.err("DG006", h.loc, f"見出しの id「{h.id}」が重複しています（最初は {sections[h.id]}）。",
                        "id は計画全体で一意にしてください。")
            else:
                sections[h.id] = h.loc

    def need_section(sid: str | None, loc: Loc, what: str) -> None:
        if sid and sid not in sections:
            ctx.err("DG007", loc, f"{what}の節「{sid}」が本文にありません。",
                    "本文の見出しの {#id} を書いてください（見出しの id を変えたときはここも直します）。")

    kpi_ids = {k.id for k in doc.kpis()}
    for line in doc.kpi_lines:
        need_section(line.section, line.loc, f"KPI 行「{line.id}」")
        for k in line.kpis:
            if k.target and k.target.of and k.target.of not in doc.values:
                ctx.err("DG007", k.target.loc, f"KPI「{k.id}」の母数「{k.target.of}」がデータにありません。",
                        "content/data/reference.yaml などの {ファイル名.id} を書いてください。")
    for fs in doc.figure_sets:
        need_section(fs.section, fs.loc, f"data/{fs.name}.yaml")
    for t in doc.budget_tables:
        need_section(t.section, t.loc, f"表「{t.key}」")
        for row in t.rows:
            need_section(row.section, row.loc, f"表「{t.key}」の行「{row.id}」")
    row_ids: dict[str, Loc] = {}
    for a in doc.appendices:
        for t in a.tables:
            if doc.budget_table(t) is None:
                ctx.err("DG007", a.loc, f"{a.label}の表「{t}」がデータにありません。", "content/data/ の表の名前を書いてください。")
        if a.inventory and doc.figure_set(a.inventory) is None:
            ctx.err("DG007", a.loc, f"{a.label}の inventory「{a.inventory}」がデータにありません。",
                    "content/data/ のファイル名（拡張子なし）を書いてください。")
        for g in a.groups:
            need_section(g.section, g.loc, f"{a.label}の施策「{g.title}」")
            for row in g.rows:
                need_section(row.section, row.loc, f"{a.label}の行「{row.id}」")
                for item in (*row.tasks, *row.milestones, *((row.amount,) if row.amount else ())):
                    need_section(item.quote_section, item.loc, f"{a.label}の行「{row.id}」の引用（quote_section）")
                if row.id in row_ids:
                    ctx.err("DG006", row.loc, f"行の id「{row.id}」が重複しています（最初は {row_ids[row.id]}）。",
                            "別紙をまたいで一意にしてください。")
                row_ids[row.id] = row.loc
                for k in row.kpis:
                    if k not in kpi_ids:
                        ctx.err("DG007", row.loc, f"{a.label}の行「{row.id}」の KPI「{k}」が kpis.yaml にありません。",
                                "kpis.yaml の kpis の id を書いてください。")
    if doc.errata:
        for e in doc.errata.entries:
            need_section(e.section, e.loc, f"正誤「{e.id}」")
