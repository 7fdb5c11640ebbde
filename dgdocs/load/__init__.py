"""Read ``content/`` once and build the :class:`~dgdocs.model.Document`.

The loader is the only code that reads the content directory.  It validates every
file against its schema and collects *all* problems before it gives up; each problem is a
:class:`~dgdocs.model.Finding` with the file and line and a Japanese message that says what
to do (recorded through :class:`dgdocs.diagnostics.Problems`, raised as one
:class:`~dgdocs.diagnostics.LoadError`).  One module per kind of content file:

* :mod:`.files` — paths confined to ``content/``, sizes bounded, encodings, YAML;
* :mod:`.fields` — the field spec of a record (keys, types, defaults; built by keyword);
* :mod:`.plan`, :mod:`.chapters`, :mod:`.data`, :mod:`.kpis`, :mod:`.appendices`,
  :mod:`.errata`, :mod:`.inputs` — one reader per content file kind;
* :mod:`.figures` — the 図 of the chapters and their image files, the captioned pipe tables;
* :mod:`.numbering` — one numbering through the plan: footnotes, 図, 表;
* :mod:`.xrefs` — cross-references between them (ids unique, names and references resolve).

The period notation of the appendices is :mod:`dgdocs.periods`; whether a period lies in
the plan period is a check (DG305, :mod:`dgdocs.checks.calendar`).  Codes DG0xx are the
loader's:

DG001 文字コード · DG002 ファイルがない・空 · DG003 YAML の構文 · DG004 必須キー・型 ·
DG005 知らないキー・重複キー · DG006 id の重複 · DG007 参照先がない ·
DG008 期間の書き方 · DG009 見出しの書き方 · DG010 content/ の外を指すパス ·
DG011 大きさの上限（ファイル、行、入れ子、値の数） · DG012 予約された id ·
DG013 進捗ファイル（content/progress/、:mod:`dgdocs.load.progress`）
"""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import LoadError, Problems
from ..model import Document, Finding, Loc, SourceFile
from ..periods import parse_period
from .progress import read_progress
from .appendices import NO_SCHEDULE, read_appendices
from .chapters import read_chapter
from .data import namespace, read_data
from .errata import read_errata
from .figures import read_figures
from .files import MAX_FILE_BYTES, MAX_LINE_CHARS, Context, read_yaml
from .inputs import read_acceptances, read_terms
from .kpis import read_kpis
from .numbering import number
from .plan import read_plan
from .xrefs import validate_ids, validate_references

__all__ = ["LoadError", "MAX_FILE_BYTES", "MAX_LINE_CHARS", "NO_SCHEDULE", "load", "parse_period"]


def load(root: str | Path) -> Document:
    """Load and validate ``content/``; raise :class:`LoadError` listing every problem."""
    ctx = Context(Path(root).resolve(), Problems(), {})
    if not ctx.root.is_dir():
        raise LoadError([Finding("DG002", "error", Loc(str(root)), "content ディレクトリがありません。",
                                 "リポジトリの最上位で実行しているか確かめてください。")])
    plan, chapter_paths = read_plan(ctx)
    chapters = [read_figures(ctx, c) for c in (read_chapter(ctx, p, loc) for p, loc in chapter_paths) if c]
    sets, tables, citation_refs = read_data(ctx)
    kpi_lines = read_kpis(ctx)
    chapters = number(chapters, kpi_lines)  # footnotes, 図 and 表 numbered through the plan
    appendices = read_appendices(ctx)
    errata = read_errata(ctx)
    acceptances = read_acceptances(ctx)
    terms = read_terms(ctx)
    # the quarterly evaluations, read through the same confined, bounded reader as every file
    progress = read_progress(ctx.root, ctx.problems, lambda rel: read_yaml(ctx, rel))
    cdir = ctx.root / "chapters"
    chapter_files = tuple(f"chapters/{p.name}" for p in sorted(cdir.glob("*.md"))) if cdir.is_dir() else ()
    if plan is None or ctx.problems.has_errors:
        raise LoadError(ctx.problems or [Finding("DG002", "error", Loc("plan.yaml"), "plan.yaml を読めませんでした。",
                                                 "plan.yaml を確かめてください。")])
    doc = Document(root=str(ctx.root), plan=plan, chapters=tuple(chapters), figure_sets=tuple(sets),
                   budget_tables=tuple(tables), kpi_lines=tuple(kpi_lines), appendices=tuple(appendices),
                   errata=errata, values=namespace(plan, sets, tables), acceptances=tuple(acceptances),
                   terms=tuple(terms), chapter_files=chapter_files,
                   sources=tuple(SourceFile(path=rel, text=text) for rel, text in ctx.texts.items()),
                   citation_refs=tuple(citation_refs), progress=progress)
    validate_ids(ctx, doc)
    validate_references(ctx, doc)
    if ctx.problems:
        raise LoadError(ctx.problems)
    return doc
