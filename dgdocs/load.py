"""Read ``content/`` once and build the :class:`~dgdocs.model.Document`.

The loader is the only code that reads the content directory.  It validates every
file against its schema (the readers below) and collects *all* problems before it
gives up; each problem is a :class:`~dgdocs.model.Finding` with the file and line and
a Japanese message that says what to do.  Codes DG0xx are the loader's:

DG001 文字コード · DG002 ファイルがない・空 · DG003 YAML の構文 · DG004 必須キー・型 ·
DG005 知らないキー・重複キー · DG006 id の重複 · DG007 参照先がない ·
DG008 期間の書き方・計画期間 · DG009 見出しの書き方 · DG010 content/ の外を指すパス ·
DG011 大きさの上限（ファイル、行、入れ子、値の数） · DG012 予約された id
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import markup
from .names import reserved_id
from .formatting import FormatError, format_value
from .model import (
    Acceptance, Amount, Appendix, Baseline, BudgetRow, BudgetTable, Chapter, CitationRef, DataValue, Document, Errata,
    ErrataRule, Erratum, Figure, FigureSet, Finding, Footnote, Group, Heading, Kpi, KpiLine, Loc, Milestone, Period,
    Plan, Revision, Row, Section, SourceFile, Target, Task, Term,
)
from .yamlsrc import Reader, YamlSyntaxError, YNode, parse_yaml
import datetime as _dt


class LoadError(Exception):
    """The content cannot be loaded; ``findings`` says every reason."""

    def __init__(self, findings: list[Finding]):
        self.findings = sorted(findings, key=lambda f: (f.loc.file, f.loc.line, f.loc.col, f.code))
        super().__init__("\n".join(str(f) for f in self.findings))


NO_SCHEDULE = "本文に工程の記載なし"


@dataclass
class _Ctx:
    root: Path
    problems: list[Finding]
    texts: dict[str, str] | None = None  # every file read (rel → text)

    @property
    def r(self) -> Reader:
        return Reader(self.problems)

    def err(self, code: str, loc: Loc, message: str, hint: str) -> None:
        self.problems.append(Finding(code, "error", loc, message, hint))


# ------------------------------------------------------------------ files

# Work is bounded on any input: no content file of a plan comes near these.
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_LINE_CHARS = 20_000


def content_path(ctx: _Ctx, rel: str, where: Loc | None = None) -> Path | None:
    """*rel* as a path inside ``content/``, or None (reported, DG010) when it leads outside:
    an absolute path, ``..``, or a symbolic link whose target is outside ``content/``."""
    loc = where or Loc(rel)
    parts = rel.replace("\\", "/").split("/")
    if rel.startswith(("/", "~")) or re.match(r"^[A-Za-z]:", rel) or ".." in parts or "\\" in rel:
        ctx.err("DG010", loc, f"パス「{rel}」は content/ の外を指しています。",
                "content/ からの相対パス（例: chapters/01-basics.md）で書いてください。「..」や絶対パスは使えません。")
        return None
    path = ctx.root / rel
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        ctx.err("DG010", loc, f"{rel} のシンボリックリンクをたどれません（循環しています）。",
                "シンボリックリンクをやめ、ファイルそのものを content/ に置いてください。")
        return None
    if not real.is_relative_to(ctx.root):
        ctx.err("DG010", loc, f"{rel} はシンボリックリンクで content/ の外を指しています。",
                "content/ の外のファイルは読みません。ファイルそのものを content/ に置いてください。")
        return None
    return path


def read_text(ctx: _Ctx, rel: str, where: Loc | None = None) -> str | None:
    """The text of ``content/<rel>`` (UTF-8, LF line ends), or None with the problem reported.
    *where* is the place that named the file (plan.yaml's chapter list), for the messages."""
    path = content_path(ctx, rel, where)
    if path is None:
        return None
    loc = where or Loc(rel)
    if path.is_dir():
        ctx.err("DG002", loc, f"{rel} はファイルではなくディレクトリです。",
                "ファイル名を確かめてください（content/ からの相対パスです）。")
        return None
    if not path.is_file():
        what = "が通常のファイルではありません" if path.exists() else "がありません"
        ctx.err("DG002", loc, f"ファイル {rel} {what}。".replace(" が", "が"),
                "ファイル名と場所を確かめてください（content/ からの相対パスです）。")
        return None
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            ctx.err("DG011", Loc(rel), f"{rel} が大きすぎます（{size:,} バイト。上限 {MAX_FILE_BYTES:,} バイト）。",
                    "ファイルを分けてください（章なら節ごとに、データならファイルごとに）。壊れたファイルでないかも確かめてください。")
            return None
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except PermissionError:
        ctx.err("DG002", Loc(rel), f"{rel} を読む権限がありません。",
                "ファイルの権限を確かめてください（例: chmod u+r）。")
        return None
    except OSError as exc:
        ctx.err("DG002", Loc(rel), f"{rel} を読めません（{exc.strerror or type(exc).__name__}）。",
                "ファイルとディスクの状態を確かめてください。")
        return None
    if len(data) > MAX_FILE_BYTES:  # grew while we looked
        ctx.err("DG011", Loc(rel), f"{rel} が大きすぎます（上限 {MAX_FILE_BYTES:,} バイト）。", "ファイルを分けてください。")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        guess = ""
        for enc, name in (("shift_jis", "Shift_JIS"), ("euc_jp", "EUC-JP")):
            try:
                data.decode(enc)
                guess = f"（{name} で保存されているようです）"
                break
            except UnicodeDecodeError:
                pass
        ctx.err("DG001", Loc(rel, line), f"文字コードが UTF-8 ではありません{guess}。",
                "エディタで「UTF-8」を選んで保存し直してください。")
        return None
    text = text.replace("\r\n", "\n")
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        ctx.err("DG001", Loc(rel, line), "改行コードが CR だけの行があります（古い Mac の形式）。",
                "エディタで改行コードを「LF」（または CRLF）にして保存し直してください。")
        return None
    for n, line_text in enumerate(text.split("\n"), 1):
        if len(line_text) > MAX_LINE_CHARS:
            ctx.err("DG011", Loc(rel, n), f"{rel} の {n} 行目が長すぎます（{len(line_text):,} 字。上限 {MAX_LINE_CHARS:,} 字）。",
                    "段落や表の行を分けてください。壊れたファイルでないかも確かめてください。")
            return None
    if ctx.texts is not None:
        ctx.texts[rel] = text
    return text


def read_yaml(ctx: _Ctx, rel: str, required: bool = True) -> YNode | None:
    if not required and not (ctx.root / rel).exists() and not (ctx.root / rel).is_symlink():
        return None
    text = read_text(ctx, rel)
    if text is None:
        return None
    try:
        node, problems = parse_yaml(text, rel)
    except YamlSyntaxError as exc:
        ctx.problems.append(exc.finding)
        return None
    ctx.problems.extend(problems)
    if node is None:
        ctx.err("DG002", Loc(rel, 1), f"{rel} が空です。",
                "内容が消えていないか確かめてください（git で直前の版と比べられます）。")
    return node


# ------------------------------------------------------------------ plan

# fiscal years a plan period may name (a year outside is a typing error, not a plan)
PLAN_YEARS = range(1989, 2201)
MAX_PLAN_YEARS = 30


def _read_plan(ctx: _Ctx) -> tuple[Plan | None, list[tuple[str, Loc]]]:
    node = read_yaml(ctx, "plan.yaml")
    if node is None:
        return None, []
    r = ctx.r
    m = r.mapping(node, "plan.yaml", ["title", "organisation", "plan_period", "revisions", "chapters"],
                  ["title", "organisation", "plan_period", "revisions", "chapters"])
    if m is None:
        return None, []
    title = r.get(m, "title", str, "plan.yaml", "")
    org = r.get(m, "organisation", str, "plan.yaml", "")
    pf, pt = 2020, 2024
    if "plan_period" in m:
        pm = r.mapping(m["plan_period"], "plan_period", ["from", "to"], ["from", "to"])
        if pm:
            pf = r.get(pm, "from", int, "plan_period", pf)
            pt = r.get(pm, "to", int, "plan_period", pt)
            for key, year in (("from", pf), ("to", pt)):
                if year not in PLAN_YEARS:
                    ctx.err("DG008", pm[key].loc if key in pm else m["plan_period"].loc,
                            f"計画期間の {key} の年度 {year} は範囲外です（{PLAN_YEARS.start}〜{PLAN_YEARS.stop - 1}）。",
                            "西暦の4桁で書いてください（例: from: 2020、to: 2024）。")
            if pf in PLAN_YEARS and pt in PLAN_YEARS and not 0 <= pt - pf < MAX_PLAN_YEARS:
                ctx.err("DG008", m["plan_period"].loc, f"計画期間が {pf}〜{pt} 年度になっています。",
                        f"from は to 以前の年度で、期間は {MAX_PLAN_YEARS} 年度以内です。年度を確かめてください。")
                pf, pt = 2020, 2024
            if pf not in PLAN_YEARS or pt not in PLAN_YEARS:
                pf, pt = 2020, 2024
    revisions = []
    for rn in r.seq(m, "revisions", "plan.yaml"):
        rm = r.mapping(rn, "改定履歴の項目", ["kind", "date", "body", "summary"], ["kind", "date", "body"])
        if rm is None:
            continue
        date = r.get(rm, "date", _dt.date, "改定履歴", None)
        if date is None:
            continue
        revisions.append(Revision(r.get(rm, "kind", str, "改定履歴", ""), date, r.get(rm, "body", str, "改定履歴", ""),
                                  r.get(rm, "summary", str, "改定履歴", ""), rn.loc))
    if not revisions and "revisions" in m:
        ctx.err("DG004", m["revisions"].loc, "改定履歴（revisions）が空です。", "少なくとも決定の日付を書いてください。")
    for a, b in zip(revisions, revisions[1:]):
        if b.date <= a.date:
            ctx.err("DG004", b.loc, "改定履歴が日付の古い順に並んでいません。", "決定、改定の順に、古いものから書いてください。")
    chapters = [(c, n.loc) for n in r.seq(m, "chapters", "plan.yaml") if (c := r.check_type(n, str, "chapters の項目"))]
    if not revisions:
        return None, chapters
    return Plan(title, org, pf, pt, tuple(revisions), node.loc), chapters


# ------------------------------------------------------------------ chapters

def _derived_id(parent: str, title: str) -> str:
    return f"{parent}-h{hashlib.sha1(title.encode()).hexdigest()[:6]}"


def _read_chapter(ctx: _Ctx, rel: str, where: Loc | None = None) -> Chapter | None:
    text = read_text(ctx, rel, where)
    if text is None:
        return None
    lines = text.split("\n")
    headings = markup.scan_headings(text)
    if not headings:
        ctx.err("DG009", Loc(rel, 1), "章のファイルに見出しがありません。",
                "1行目に「# I. 基本事項 {#basics}」のような章の見出しを書いてください。")
        return None
    first = headings[0]
    if first.level != 1 or any(l.strip() for l in lines[: first.line - 1]):
        ctx.err("DG009", Loc(rel, 1), "章のファイルは章の見出し（# で始まる行）から始めてください。",
                "見出しより前の文章は、どの節にも属さないため表示できません。")
    elif first.id is None and first.raw_id is None:
        ctx.err("DG009", Loc(rel, first.line), "章の見出しに id（{#…}）がありません。",
                "章の id はそのページのファイル名になります。「# I. 基本事項 {#basics}」のように、"
                "半角英小文字・数字・ハイフンの id を付けてください。")
    for h in headings[1:]:
        if h.level == 1:
            ctx.err("DG009", Loc(rel, h.line), "1つのファイルに章の見出し（#）が2つあります。",
                    "章ごとにファイルを分けてください（plan.yaml の chapters に追加します）。")
    for h in headings:
        why = reserved_id(h.id) if h.id else None
        if why:
            ctx.err("DG012", Loc(rel, h.line), f"見出しの id「{h.id}」は{why}として予約されています。",
                    "ほかの id を付けてください（そのままではサイトのページや部品と重なり、上書きされます）。")
    # footnote definitions are lifted out of the bodies
    footnotes: list[Footnote] = []
    fn_lines: set[int] = set()
    for n, line in markup.iter_lines_outside_fences(text):
        fm = markup.FOOTNOTE_DEF_RE.match(line)
        if fm:
            footnotes.append(Footnote(fm.group("label"), fm.group("text").strip(), Loc(rel, n)))
            fn_lines.add(n)
    # sections: (heading line, body first line, body last line) in order
    nodes: list[tuple[markup.HeadingLine, int, int]] = []
    prev_level = 0
    for i, h in enumerate(headings):
        if h.level > prev_level + 1 and prev_level:
            ctx.err("DG009", Loc(rel, h.line),
                    f"見出しの階層が飛んでいます（{'#' * prev_level} の次に {'#' * h.level}）。",
                    "「#」の数は計画の階層（I. → (1) → ア. → ① → 1) → a) → (ア)）の深さに合わせ、1段ずつ下げてください。")
        prev_level = h.level
        if h.raw_id is not None and h.id is None:
            ctx.err("DG009", Loc(rel, h.line), f"見出しの id「{h.raw_id}」に使えない文字があります。",
                    "id は半角英小文字・数字・ハイフン（例: {#gov-platform}）で書いてください。")
        end = headings[i + 1].line - 1 if i + 1 < len(headings) else len(lines)
        nodes.append((h, h.line + 1, end))
    # build the tree with a stack of open sections; a section closes at the next heading of its level or above
    result_root: Section | None = None
    open_: list[tuple[Heading, int, int, list[Section]]] = []

    def close_until(level: int) -> None:
        nonlocal result_root
        while open_ and open_[-1][0].level >= level:
            h, b0, b1, kids = open_.pop()
            body_lines = [("" if (b0 + k) in fn_lines else lines[b0 + k - 1]) for k in range(0, max(0, b1 - b0 + 1))]
            body = "\n".join(body_lines).strip("\n")
            lead = 0
            for bl in body_lines:
                if bl.strip():
                    break
                lead += 1
            sec = Section(h, body, b0 + lead, tuple(kids))
            if open_:
                open_[-1][3].append(sec)
            else:
                result_root = sec

    for hl, b0, b1 in nodes:
        close_until(hl.level)
        parent = open_[-1][0].id if open_ else ""
        hid = hl.id or _derived_id(parent or rel, hl.title)
        heading = Heading(hid, hl.marker, hl.title, hl.level, Loc(rel, hl.line), explicit_id=hl.id is not None)
        open_.append((heading, b0, b1, []))
    close_until(1)
    if result_root is None:  # pragma: no cover - guarded above
        return None
    return Chapter(rel, result_root, tuple(footnotes), text)


# ------------------------------------------------------------------ data

def _figure_set(ctx: _Ctx, name: str, rel: str, m: dict[str, YNode]) -> FigureSet:
    r = ctx.r
    r.mapping(YNode(m, Loc(rel, 1)), rel, ["section", "unit", "figures"], ["figures"])
    unit = r.get(m, "unit", str, rel, "")
    figs = []
    for fn in r.seq(m, "figures", rel):
        fm = r.mapping(fn, "数値（figures の項目）",
                       ["id", "label", "value", "unit", "part_of", "ratio_of", "source", "as_of"], ["id", "label", "value"])
        if fm is None:
            continue
        fid = r.get(fm, "id", str, "数値", "")
        value = r.get(fm, "value", "number", f"数値「{fid}」", None)
        if not fid or value is None:
            continue
        ratio = None
        if "ratio_of" in fm:
            rv = r.get(fm, "ratio_of", list, f"数値「{fid}」", None)
            if rv is not None and len(rv) == 2 and all(isinstance(x.value, str) for x in rv):
                ratio = (rv[0].value, rv[1].value)
            elif rv is not None:
                ctx.err("DG004", fm["ratio_of"].loc, "ratio_of は [分子のid, 分母のid] の2つで書いてください。",
                        "例: ratio_of: [reduction, base]")
        figs.append(Figure(name, fid, r.get(fm, "label", str, f"数値「{fid}」", ""), value,
                           r.get(fm, "unit", str, f"数値「{fid}」", unit), fn.loc,
                           r.get(fm, "part_of", str, f"数値「{fid}」"), ratio,
                           r.get(fm, "source", str, f"数値「{fid}」", ""), r.get(fm, "as_of", _dt.date, f"数値「{fid}」")))
    figs = list(r.unique(figs, lambda f: f.id, lambda f: f.loc, f"{rel} の数値 id"))
    ids = {f.id for f in figs}
    for f in figs:
        for ref in ([f.part_of] if f.part_of else []) + list(f.ratio_of or ()):
            if ref not in ids:
                ctx.err("DG007", f.loc, f"数値「{f.id}」が参照する「{ref}」が {rel} にありません。",
                        f"{rel} にある id（{', '.join(sorted(ids))}）から選んでください。")
    return FigureSet(name, r.get(m, "section", str, rel), tuple(figs), Loc(rel, 1))


def _budget_tables(ctx: _Ctx, name: str, rel: str, m: dict[str, YNode]) -> list[BudgetTable]:
    r = ctx.r
    tables = []
    tn = m.get("tables")
    if tn is None or not tn.is_map:
        ctx.err("DG004", Loc(rel, 1), f"{rel} の tables はマッピングで書いてください。", "tables: の下に表の id を並べます。")
        return []
    for tid, node in tn.value.items():
        tm = r.mapping(node, f"表「{tid}」",
                       ["title", "unit", "section", "category_label", "fiscal_year", "rows", "total"],
                       ["title", "unit", "category_label", "fiscal_year", "rows", "total"])
        if tm is None:
            continue
        rows = []
        for rn in r.seq(tm, "rows", f"表「{tid}」"):
            rm = r.mapping(rn, f"表「{tid}」の行", ["id", "label", "value", "section"], ["id", "label", "value"])
            if rm is None:
                continue
            v = r.get(rm, "value", "number", f"表「{tid}」の行", None)
            rid = r.get(rm, "id", str, f"表「{tid}」の行", "")
            if v is None or not rid:
                continue
            rows.append(BudgetRow(rid, r.get(rm, "label", str, "行", ""), v, rn.loc, r.get(rm, "section", str, "行")))
        rows = list(r.unique(rows, lambda x: x.id, lambda x: x.loc, f"表「{tid}」の行 id"))
        total = None
        if "total" in tm:
            om = r.mapping(tm["total"], f"表「{tid}」の合計", ["label", "value"], ["label", "value"])
            if om is not None:
                v = r.get(om, "value", "number", f"表「{tid}」の合計", None)
                if v is not None:
                    total = BudgetRow("total", r.get(om, "label", str, "合計", "合計"), v, tm["total"].loc)
        if total is None:
            continue
        tables.append(BudgetTable(name, tid, r.get(tm, "title", str, f"表「{tid}」", ""), r.get(tm, "unit", str, "表", ""),
                                  r.get(tm, "category_label", str, "表", ""), r.get(tm, "fiscal_year", int, "表", 0),
                                  r.get(tm, "section", str, "表"), tuple(rows), total, node.loc))
    return tables


def _citation_refs(ctx: _Ctx, rel: str, m: dict[str, YNode]) -> list[CitationRef]:
    """Reference data for the citations (DG410): each document's official dates, verified by an editor."""
    r, out = ctx.r, []
    for cn in r.seq(m, "citations", rel):
        cm = r.mapping(cn, "引用の参照データ（citations の項目）", ["title", "dates", "number", "source"],
                       ["title", "source"])
        if cm is None:
            continue
        dates = r.items(cm, "dates", _dt.date, "引用の参照データ")
        number = r.get(cm, "number", str, "引用の参照データ", "")
        if not dates and not number:
            ctx.err("DG004", cn.loc, "引用の参照データに dates も number もありません。",
                    "出典で確かめた公式の日付（dates）か法令番号（number）を書いてください。")
        if not r.get(cm, "source", str, "引用の参照データ", "").strip():
            ctx.err("DG004", cn.loc, "引用の参照データには出典（source）が必要です。",
                    "日付や番号を確かめた公式の文書・ページを書いてください。")
        out.append(CitationRef(r.get(cm, "title", str, "引用の参照データ", ""), dates, number,
                               r.get(cm, "source", str, "引用の参照データ", ""), cn.loc))
    return out


def _read_data(ctx: _Ctx) -> tuple[list[FigureSet], list[BudgetTable], list[CitationRef]]:
    sets, tables, refs = [], [], []
    ddir = ctx.root / "data"
    for path in sorted(ddir.glob("*.yaml")) if ddir.is_dir() else []:
        rel = f"data/{path.name}"
        name = path.stem
        if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            ctx.err("DG004", Loc(rel), f"データファイル名「{path.name}」は参照名に使えません。",
                    "ファイル名は半角英小文字・数字・下線にしてください（参照は {{ファイル名.id}} です）。")
            continue
        node = read_yaml(ctx, rel)
        if node is None:
            continue
        if not node.is_map:
            ctx.err("DG004", node.loc, f"{rel} はマッピングで書いてください。", "「figures:」または「tables:」で始めます。")
            continue
        if "tables" in node.value:
            ctx.r.mapping(node, rel, ["tables"], ["tables"])
            tables.extend(_budget_tables(ctx, name, rel, node.value))
        elif "citations" in node.value:
            ctx.r.mapping(node, rel, ["citations"], ["citations"])
            refs.extend(_citation_refs(ctx, rel, node.value))
        else:
            sets.append(_figure_set(ctx, name, rel, node.value))
    return sets, tables, refs


def _namespace(plan: Plan | None, sets: list[FigureSet], tables: list[BudgetTable]) -> dict[str, DataValue]:
    ns: dict[str, DataValue] = {}
    if plan:
        ns["plan.title"] = DataValue("plan.title", plan.title, plan.loc)
        ns["plan.organisation"] = DataValue("plan.organisation", plan.organisation, plan.loc)
        ns["plan.period_from"] = DataValue("plan.period_from", plan.period_from, plan.loc)
        ns["plan.period_to"] = DataValue("plan.period_to", plan.period_to, plan.loc)
        ns["plan.decided"] = DataValue("plan.decided", plan.decision.date, plan.decision.loc)
        ns["plan.revised"] = DataValue("plan.revised", plan.latest.date, plan.latest.loc)
    for fs in sets:
        for f in fs.figures:
            ns[f.key] = DataValue(f.key, f.value, f.loc, f.unit)
    for t in tables:
        for row in t.rows + (t.total,):
            key = f"{t.key}.{row.id}"
            ns[key] = DataValue(key, row.value, row.loc, t.unit)
    return ns


# ------------------------------------------------------------------ KPIs

def _number_field(r: Reader, m: dict[str, YNode], key: str, what: str):
    return r.get(m, key, "number", what)


def _read_kpis(ctx: _Ctx) -> list[KpiLine]:
    rel = "kpis.yaml"
    node = read_yaml(ctx, rel)
    if node is None:
        return []
    r = ctx.r
    m = r.mapping(node, rel, ["lines"], ["lines"])
    if m is None:
        return []
    out = []
    for ln in r.seq(m, "lines", rel):
        lm = r.mapping(ln, "KPI 行", ["id", "section", "kind", "text", "kpis"], ["id", "section", "text", "kpis"])
        if lm is None:
            continue
        lid = r.get(lm, "id", str, "KPI 行", "")
        what = f"KPI 行「{lid}」"
        section = r.get(lm, "section", str, what, "")
        kind = r.get(lm, "kind", str, what, "")
        if kind and kind not in ("進捗", "効果"):
            ctx.err("DG004", lm["kind"].loc, f"{what}の kind は「進捗」か「効果」です（いまは「{kind}」）。",
                    "計画が種別を書いていないときは kind を省きます。")
        tn = lm.get("text")
        texts: list[str] = []
        if tn is not None and tn.is_seq:
            texts = [t for t in (r.check_type(x, str, f"{what}の text") for x in tn.value) if t]
        elif tn is not None:
            t = r.check_type(tn, str, f"{what}の text")
            texts = [t] if t else []
        kpis = []
        for kn in r.seq(lm, "kpis", what):
            km = r.mapping(kn, "KPI", ["id", "indicator", "kind", "baseline", "target", "status", "note"], ["id", "indicator"])
            if km is None:
                continue
            kid = r.get(km, "id", str, "KPI", "")
            kw = f"KPI「{kid}」"
            baseline = target = None
            if "baseline" in km:
                bm = r.mapping(km["baseline"], f"{kw}の baseline", ["value", "unit", "fiscal_year", "text"])
                if bm is not None:
                    baseline = Baseline(_number_field(r, bm, "value", kw), r.get(bm, "unit", str, kw, ""),
                                        r.get(bm, "fiscal_year", int, kw), r.get(bm, "text", str, kw, ""), km["baseline"].loc)
            if "target" in km:
                tm = r.mapping(km["target"], f"{kw}の target",
                               ["value", "unit", "qualifier", "basis", "by", "by_text", "beyond_plan", "percent", "of"])
                if tm is not None:
                    target = Target(_number_field(r, tm, "value", kw), r.get(tm, "unit", str, kw, ""),
                                    r.get(tm, "qualifier", str, kw, ""), r.get(tm, "basis", str, kw, ""),
                                    r.get(tm, "by", int, kw), r.get(tm, "by_text", str, kw, ""),
                                    bool(r.get(tm, "beyond_plan", bool, kw, False)), _number_field(r, tm, "percent", kw),
                                    r.get(tm, "of", str, kw), km["target"].loc)
            kpis.append(Kpi(kid, lid, section, r.get(km, "indicator", str, kw, ""), r.get(km, "kind", str, kw, kind),
                            baseline, target, r.get(km, "status", str, kw, ""), r.get(km, "note", str, kw, ""), kn.loc))
        if not kpis:
            ctx.err("DG004", ln.loc, f"{what}に指標（kpis）がありません。", "少なくとも1つの指標を書いてください。")
        out.append(KpiLine(lid, section, kind, tuple(texts), tuple(kpis), ln.loc))
    out = list(r.unique(out, lambda k: k.id, lambda k: k.loc, "KPI 行の id"))
    list(r.unique([k for line in out for k in line.kpis], lambda k: k.id, lambda k: k.loc, "KPI の id"))
    return out


# ------------------------------------------------------------------ periods

_PERIOD_FORMS = "2020（年度）, 2020Q1〜2020Q4（四半期：Q1=4〜6月）, 2021-04（月）, cy2020（暦年）"


def parse_period(value: Any) -> Period:
    """Parse the period notation of the appendices (raises ValueError with a Japanese message)."""
    text = str(value).strip()
    if isinstance(value, int) or re.fullmatch(r"\d{4}", text):
        y = int(text)
        return Period(text, "fiscal_year", (y, 1), (y, 4))
    m = re.fullmatch(r"(\d{4})Q(\d+)", text)
    if m:
        y, q = int(m.group(1)), int(m.group(2))
        if not 1 <= q <= 4:
            raise ValueError(f"四半期「Q{q}」はありません（Q1〜Q4 です。Q1 は4〜6月、Q4 は翌年1〜3月）")
        return Period(text, "quarter", (y, q), (y, q))
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        if not 1 <= mo <= 12:
            raise ValueError(f"{mo}月はありません")
        fy = y if mo >= 4 else y - 1
        q = (mo - 4) % 12 // 3 + 1
        return Period(text, "month", (fy, q), (fy, q))
    m = re.fullmatch(r"cy(\d{4})", text)
    if m:
        y = int(m.group(1))
        return Period(text, "calendar_year", (y - 1, 4), (y, 3))
    raise ValueError(f"期間「{text}」の書き方が違います")


# ------------------------------------------------------------------ appendices

def _period(ctx: _Ctx, node: YNode | None, what: str) -> Period | None:
    if node is None or node.value is None:
        return None
    try:
        return parse_period(node.value if not isinstance(node.value, _dt.date) else node.value.isoformat())
    except ValueError as exc:
        ctx.err("DG008", node.loc, f"{what}: {exc}。", f"使える書き方: {_PERIOD_FORMS}")
        return None


def _check_plan_period(ctx: _Ctx, plan: Plan | None, first: Period, last: Period | None, before: bool, beyond: bool,
                       loc: Loc, what: str) -> None:
    if plan is None:
        return
    lo, hi = plan.period_from, plan.period_to
    starts_before = first.nominal_years[0] < lo
    ends_after = last is not None and last.nominal_years[1] > hi
    if starts_before and not before:
        ctx.err("DG008", loc, f"{what}は計画期間（{lo}〜{hi}年度）より前に始まっています（{first.text}）。",
                "計画期間の前のことであれば before_plan: true を書いてください。日付の誤りなら直してください。")
    if ends_after and not beyond:
        ctx.err("DG008", loc, f"{what}は計画期間（{lo}〜{hi}年度）より後に及んでいます（{last.text}）。",
                "計画期間の後のことであれば beyond_plan: true を書いてください。日付の誤りなら直してください。")
    if before and not starts_before:
        ctx.err("DG008", loc, f"{what}に before_plan: true がありますが、計画期間内に始まっています（{first.text}）。",
                "before_plan を削除してください。")
    if beyond and not ends_after and last is not None:
        ctx.err("DG008", loc, f"{what}に beyond_plan: true がありますが、計画期間内に終わっています（{last.text}）。",
                "beyond_plan を削除してください。")


def _read_appendix(ctx: _Ctx, rel: str, plan: Plan | None) -> Appendix | None:
    node = read_yaml(ctx, rel)
    if node is None:
        return None
    r = ctx.r
    m = r.mapping(node, rel, ["number", "title", "kind", "description", "tables", "inventory", "groups"],
                  ["number", "title", "kind", "groups"])
    if m is None:
        return None
    number = r.get(m, "number", int, rel, 0)
    kind = r.get(m, "kind", str, rel, "roadmap")
    if kind not in ("roadmap", "list"):
        ctx.err("DG004", m["kind"].loc, f"kind は roadmap（工程表）か list（一覧）です（いまは「{kind}」）。", "どちらかを書いてください。")
        kind = "roadmap"
    groups = []
    for gn in r.seq(m, "groups", rel):
        gm = r.mapping(gn, "施策（groups の項目）", ["title", "section", "rows"], ["title", "section", "rows"])
        if gm is None:
            continue
        rows = []
        for rn in r.seq(gm, "rows", "施策"):
            rm = r.mapping(rn, "行（rows の項目）",
                           ["id", "title", "section", "kpis", "status", "note", "amount", "tasks", "milestones", "schedule"],
                           ["id", "title", "section"])
            if rm is None:
                continue
            rid = r.get(rm, "id", str, "行", "")
            what = f"行「{rid}」"
            tasks, milestones = [], []
            for tn in r.seq(rm, "tasks", what):
                tm = r.mapping(tn, f"{what}の工程（tasks）",
                               ["label", "from", "to", "quote", "before_plan", "beyond_plan"], ["label", "from", "quote"])
                if tm is None:
                    continue
                start = _period(ctx, tm.get("from"), f"{what}の工程の from")
                end = _period(ctx, tm.get("to"), f"{what}の工程の to")
                if start is None:
                    continue
                if end is not None and end.last < start.first:
                    ctx.err("DG008", tn.loc, f"{what}の工程は終わり（{end.text}）が始まり（{start.text}）より前です。",
                            "from と to を確かめてください。")
                before = bool(r.get(tm, "before_plan", bool, what, False))
                beyond = bool(r.get(tm, "beyond_plan", bool, what, False))
                _check_plan_period(ctx, plan, start, end or start, before, beyond, tn.loc, f"{what}の工程")
                tasks.append(Task(r.get(tm, "label", str, what, ""), start, end, r.get(tm, "quote", str, what, ""),
                                  before, beyond, tn.loc))
            for mn in r.seq(rm, "milestones", what):
                mm = r.mapping(mn, f"{what}のマイルストーン",
                               ["label", "at", "quote", "before_plan", "beyond_plan"], ["label", "at", "quote"])
                if mm is None:
                    continue
                at = _period(ctx, mm.get("at"), f"{what}のマイルストーンの at")
                if at is None:
                    continue
                before = bool(r.get(mm, "before_plan", bool, what, False))
                beyond = bool(r.get(mm, "beyond_plan", bool, what, False))
                _check_plan_period(ctx, plan, at, at, before, beyond, mn.loc, f"{what}のマイルストーン")
                milestones.append(Milestone(r.get(mm, "label", str, what, ""), at, r.get(mm, "quote", str, what, ""),
                                            before, beyond, mn.loc))
            amount = None
            if "amount" in rm:
                am = r.mapping(rm["amount"], f"{what}の amount", ["value", "unit", "fiscal_year", "quote"],
                               ["value", "unit", "quote"])
                if am is not None and (v := r.get(am, "value", "number", what)) is not None:
                    amount = Amount(v, r.get(am, "unit", str, what, ""), r.get(am, "fiscal_year", int, what),
                                    r.get(am, "quote", str, what, ""), rm["amount"].loc)
            schedule = r.get(rm, "schedule", str, what, "")
            if kind == "roadmap" and not tasks and not milestones and not schedule:
                ctx.err("DG004", rn.loc, f"{what}に工程（tasks / milestones）も schedule もありません。",
                        f"本文に工程が書かれていなければ「schedule: {NO_SCHEDULE}」と書いてください。推測で日付を入れないでください。")
            kpis = r.items(rm, "kpis", str, what)
            rows.append(Row(rid, r.get(rm, "title", str, what, ""), r.get(rm, "section", str, what, ""), kpis,
                            r.get(rm, "status", str, what, ""), r.get(rm, "note", str, what, ""), amount,
                            tuple(tasks), tuple(milestones), schedule, rn.loc))
        groups.append(Group(r.get(gm, "title", str, "施策", ""), r.get(gm, "section", str, "施策", ""), tuple(rows), gn.loc))
    tables = r.items(m, "tables", str, rel)
    return Appendix(number, r.get(m, "title", str, rel, ""), kind, r.get(m, "description", str, rel, ""), tables,
                    r.get(m, "inventory", str, rel), tuple(groups), rel, node.loc)


def _read_appendices(ctx: _Ctx, plan: Plan | None) -> list[Appendix]:
    adir = ctx.root / "appendices"
    out = []
    for path in sorted(adir.glob("*.yaml")) if adir.is_dir() else []:
        a = _read_appendix(ctx, f"appendices/{path.name}", plan)
        if a is not None:
            out.append(a)
    out = list(ctx.r.unique(out, lambda a: str(a.number), lambda a: a.loc, "別紙の番号"))
    return sorted(out, key=lambda a: a.number)


# ------------------------------------------------------------------ errata

def _read_errata(ctx: _Ctx) -> Errata | None:
    rel = "errata.yaml"
    node = read_yaml(ctx, rel, required=False)
    if node is None:
        return None
    r = ctx.r
    m = r.mapping(node, rel, ["seed", "rules", "entries"], ["seed", "entries"])
    if m is None:
        return None
    rules = []
    for rn in r.seq(m, "rules", rel):
        rm = r.mapping(rn, "一括修正（rules の項目）", ["id", "description", "reason", "seed_lines"],
                       ["id", "description", "reason", "seed_lines"])
        if rm is None:
            continue
        lines = r.items(rm, "seed_lines", int, "rules")
        rules.append(ErrataRule(r.get(rm, "id", str, "rules", ""), r.get(rm, "description", str, "rules", ""),
                                r.get(rm, "reason", str, "rules", ""), lines, rn.loc))
    entries = []
    for en in r.seq(m, "entries", rel):
        em = r.mapping(en, "正誤（entries の項目）", ["id", "kind", "section", "seed_line", "seed", "corrected", "reason"],
                       ["id", "kind", "section", "seed_line", "seed", "corrected", "reason"])
        if em is None:
            continue
        entries.append(Erratum(r.get(em, "id", str, "entries", ""), r.get(em, "kind", str, "entries", ""),
                               r.get(em, "section", str, "entries", ""), r.get(em, "seed_line", int, "entries", 0),
                               r.get(em, "seed", str, "entries", ""), r.get(em, "corrected", str, "entries", ""),
                               r.get(em, "reason", str, "entries", ""), en.loc))
    entries = list(r.unique(entries, lambda e: e.id, lambda e: e.loc, "正誤の id"))
    seed = r.get(m, "seed", str, rel, "")
    return Errata(seed, tuple(rules), tuple(entries), node.loc, _read_source(ctx, seed, m.get("seed", node).loc))


def _read_source(ctx: _Ctx, name: str, loc: Loc) -> tuple[str, ...]:
    """The lines of ``source/<name>``, the extracted text the errata cite (kept in the repository)."""
    if not name:
        return ()
    if "/" in name or "\\" in name or name.startswith("."):
        ctx.err("DG004", loc, f"seed「{name}」はファイル名だけを書いてください。",
                "抽出テキストは content/source/ に置き、errata.yaml の seed にはそのファイル名を書きます。")
        return ()
    rel = f"source/{name}"
    if not (ctx.root / rel).is_file():
        ctx.err("DG002", loc, f"正誤の元になった抽出テキスト {rel} がありません。",
                "公表 PDF から抽出したテキストを content/source/ に置いてください（正誤の行番号はこのファイルの行です）。")
        return ()
    text = read_text(ctx, rel)
    return tuple(text.split("\n")) if text is not None else ()


# ------------------------------------------------------------------ check inputs

def _optional_list(ctx: _Ctx, rel: str, key: str) -> list[YNode]:
    """The items of an optional file that holds one list under *key* (accepted.yaml, terms.yaml)."""
    node = read_yaml(ctx, rel, required=False)
    if node is None:
        return []
    m = ctx.r.mapping(node, rel, [key], [key])
    return ctx.r.seq(m or {}, key, rel)


def _read_acceptances(ctx: _Ctx) -> list[Acceptance]:
    r = ctx.r
    out = []
    for an in _optional_list(ctx, "accepted.yaml", "accepted"):
        am = r.mapping(an, "受け入れ（accepted の項目）", ["code", "subject", "reason"], ["code", "subject", "reason"])
        if am is None:
            continue
        subject = r.items(am, "subject", str, "受け入れ", keep_empty=True)
        reason = r.get(am, "reason", str, "受け入れ", "")
        if not reason.strip():
            ctx.err("DG004", an.loc, "受け入れには理由（reason）が必要です。", "なぜ計画のとおりで良いのかを書いてください。")
        out.append(Acceptance(r.get(am, "code", str, "受け入れ", ""), subject, reason, an.loc))
    return out


def _read_terms(ctx: _Ctx) -> list[Term]:
    r = ctx.r
    out = []
    for tn in _optional_list(ctx, "terms.yaml", "terms"):
        tm = r.mapping(tn, "用語（terms の項目）",
                       ["preferred", "variants", "note", "kind", "basis", "followed_by", "not_in"], ["preferred", "variants"])
        if tm is None:
            continue
        variants = r.items(tm, "variants", str, "用語")
        kind = r.get(tm, "kind", str, "用語", "用語")
        basis = r.get(tm, "basis", str, "用語", "")
        if kind not in ("用語", "表記"):
            ctx.err("DG004", tm["kind"].loc, f"用語の kind は「用語」か「表記」です（いまは「{kind}」）。",
                    "計画の用語は「用語」（DG605）、一つの語の書き分けは「表記」（DG608）と書きます。")
        elif kind == "表記" and not basis.strip():
            ctx.err("DG004", tn.loc, f"表記「{r.get(tm, 'preferred', str, '用語', '')}」に basis がありません。",
                    "どの基準（「公用文作成の考え方」など）がなぜこの表記を採るのかを basis に書いてください。")
        out.append(Term(r.get(tm, "preferred", str, "用語", ""), variants, r.get(tm, "note", str, "用語", ""), tn.loc,
                        kind, basis, r.items(tm, "followed_by", str, "用語"), r.items(tm, "not_in", str, "用語")))
    return out


# ------------------------------------------------------------------ cross-validation

def _validate_references(ctx: _Ctx, doc: Document) -> None:
    """Every reference in the prose names something that exists and can be formatted."""
    kpi_lines = {k.id for k in doc.kpi_lines}
    tables = {t.key for t in doc.budget_tables}
    for ch in doc.chapters:
        for sec in ch.sections():
            _validate_text_refs(ctx, doc, sec.body, ch.path, sec.body_line, kpi_lines, tables)
        for fn in ch.footnotes:
            _validate_text_refs(ctx, doc, fn.text, ch.path, fn.loc.line, kpi_lines, tables, directives=False)
            if markup.FOOTNOTE_REF_RE.search(fn.text):
                ctx.err("DG007", fn.loc, "脚注の中に脚注は書けません。", "脚注の文から [^…] を外してください。")
    for line in doc.kpi_lines:
        for t in line.text:
            for use in markup.scan_references(t):
                if use.kind in ("value", "directive", "malformed"):
                    ctx.err("DG007", line.loc, f"KPI 行「{line.id}」の text に参照 {{{{…}}}} は書けません。",
                            "KPI の文言はそのまま書きます（値は target などの項目に書きます）。")


def _validate_text_refs(ctx: _Ctx, doc: Document, text: str, rel: str, first_line: int, kpi_lines: set[str],
                        tables: set[str], directives: bool = True) -> None:
    for use in markup.scan_references(text, first_line):
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
            elif use.name == "kpi":
                if use.arg not in kpi_lines:
                    ctx.err("DG007", loc, f"KPI 行「{use.arg}」が kpis.yaml にありません。",
                            "kpis.yaml の lines の id を書いてください（綴りを確かめてください）。")
            elif use.name == "table":
                if use.arg not in tables:
                    ctx.err("DG007", loc, f"表「{use.arg}」がデータにありません。",
                            f"使える表: {', '.join(sorted(tables)) or '（なし）'}")
            else:
                ctx.err("DG007", loc, f"「{{{{{use.name}: …}}}}」という指示はありません。",
                        f"使える指示: {', '.join(markup.DIRECTIVES)}")


def _validate_ids(ctx: _Ctx, doc: Document) -> None:
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


# ------------------------------------------------------------------ entry point

def load(root: str | Path) -> Document:
    """Load and validate ``content/``; raise :class:`LoadError` listing every problem."""
    ctx = _Ctx(Path(root).resolve(), [], {})
    if not ctx.root.is_dir():
        raise LoadError([Finding("DG002", "error", Loc(str(root)), "content ディレクトリがありません。",
                                 "リポジトリの最上位で実行しているか確かめてください。")])
    plan, chapter_paths = _read_plan(ctx)
    chapters = [c for c in (_read_chapter(ctx, p, loc) for p, loc in chapter_paths) if c]
    sets, tables, citation_refs = _read_data(ctx)
    kpi_lines = _read_kpis(ctx)
    appendices = _read_appendices(ctx, plan)
    errata = _read_errata(ctx)
    acceptances = _read_acceptances(ctx)
    terms = _read_terms(ctx)
    cdir = ctx.root / "chapters"
    chapter_files = tuple(f"chapters/{p.name}" for p in sorted(cdir.glob("*.md"))) if cdir.is_dir() else ()
    if plan is None or (ctx.problems and any(p.severity == "error" for p in ctx.problems)):
        raise LoadError(ctx.problems or [Finding("DG002", "error", Loc("plan.yaml"), "plan.yaml を読めませんでした。",
                                                 "plan.yaml を確かめてください。")])
    doc = Document(str(ctx.root), plan, tuple(chapters), tuple(sets), tuple(tables), tuple(kpi_lines),
                   tuple(appendices), errata, _namespace(plan, sets, tables), tuple(acceptances), tuple(terms),
                   chapter_files, tuple(SourceFile(rel, text) for rel, text in ctx.texts.items()), tuple(citation_refs))
    _validate_ids(ctx, doc)
    _validate_references(ctx, doc)
    if ctx.problems:
        raise LoadError(ctx.problems)
    return doc
