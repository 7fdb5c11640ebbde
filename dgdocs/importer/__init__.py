"""``dgdocs import SOURCE.txt --out DIR``: a published plan, from the extracted text of its PDF,
as a content directory in the project's own format.

The pipeline, one module per step::

    source      read the text (UTF-8, bounded)
    frontmatter cover → plan.yaml, table of contents (read, then dropped)
    blocks      each line: heading candidate, paragraph, bullet, KPI, table row, footnote, rule
    cleanup     footnote marks, stray spaces (R1), domain names, misread letters (scripts)
    headings    the hierarchy rebuilt from the plan's own markers, misread markers corrected,
                stable readable ids (standard ids for the standard parts)
    assemble    page-break joins (pagebreaks), KPI lines (kpis), tables (tables), lists,
                footnotes (footnotes), the list of appendices
    writer      chapters, plan.yaml, kpis.yaml, data/, appendices/, errata.yaml, source/
    report      import-report.md: what a person has to decide

Every automatic correction is recorded in ``errata.yaml`` with its source line; everything
the importer could not decide by a rule is listed in the report — nothing is guessed
silently.  The directory is loaded back with the project's loader before it is moved into
place; a non-empty ``--out`` is refused unless ``--force``.
"""

from __future__ import annotations

import datetime as _dt
import re
import time
from dataclasses import dataclass
from pathlib import Path

from .. import standard
from ..contentdir import ContentDirError, write_directory
from ..model import Finding, Loc
from ..wareki import gregorian_year
from . import footnotes, report
from .assemble import Assembler
from .blocks import classify
from .cleanup import Cleaner
from .frontmatter import CoverRevision, read_front
from .headings import Toc, assign_ids, rebuild, walk
from .records import Ask, Fix, Log
from .scripts import find_misreads
from .source import SourceError, read_source
from .writer import Writer

REPORT = "import-report.md"


class ImportFailure(Exception):
    """The import cannot be done; ``findings`` says why and what to do (nothing was written)."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__("\n".join(str(f) for f in findings))


@dataclass
class ImportResult:
    out: Path
    counts: dict[str, int]
    fixes: list[Fix]
    asks: list[Ask]
    rule_lines: dict[str, set[int]]
    seconds: float

    @property
    def report(self) -> Path:
        return self.out / REPORT


def _fail(name: str, message: str, hint: str, code: str = "DG803", line: int = 0) -> ImportFailure:
    return ImportFailure([Finding(code, "error", Loc(name, line), message, hint)])


_ORG = re.compile(r"^(?P<org>.+?)(?:デジタル・ガバメント|デジタルガバメント)")
_PERIOD = re.compile(r"(?P<a>\d{4})年度から(?P<b>\d{4})年度まで")
_PERIOD_ERA = re.compile(r"(?P<ea>令和|平成)(?P<a>元|\d{1,2})年度から(?P<eb>令和|平成)(?P<b>元|\d{1,2})年度まで")


def _period(lines: tuple[str, ...], first: int, cleaner_free) -> tuple[int, int, int] | None:
    """(from, to, line) of the plan period the text states (「2020年度から2024年度までを…期間とする」)."""
    found = []
    for n, raw in enumerate(lines, first):
        text = cleaner_free(raw)
        m = _PERIOD.search(text)
        if m:
            found.append((int(m.group("a")), int(m.group("b")), n, "期間" in text))
            continue
        m = _PERIOD_ERA.search(text)
        if m:
            num = lambda s: 1 if s == "元" else int(s)  # noqa: E731
            found.append((gregorian_year(m.group("ea"), num(m.group("a"))), gregorian_year(m.group("eb"), num(m.group("b"))),
                          n, "期間" in text))
    found.sort(key=lambda f: (not f[3], f[2]))
    return found[0][:3] if found else None


def import_plan(source: str | Path, out: str | Path, org: str | None = None, period_from: int | None = None,
                period_to: int | None = None, force: bool = False) -> ImportResult:
    """Import the extracted text *source* into the new content directory *out*."""
    from ..load import LoadError, load
    from .spacing import tighten

    t0 = time.perf_counter()
    out = Path(out)
    try:
        src = read_source(source)
    except SourceError as exc:
        raise ImportFailure(exc.findings) from None
    log = Log()
    front = read_front(src.lines)
    if not front.body_start:
        raise _fail(src.name, "章の見出し（「I. 基本事項」のように、ローマ数字とピリオドで始まる行）が見つかりません。",
                    "公表された計画の PDF から抽出したテキストか確かめてください。")
    org = (org or "").strip() or (m.group("org").strip() if (m := _ORG.match(front.title or "")) else "")
    if not org:
        raise _fail(src.name, "表紙の題名から組織名を読み取れません。", "--org で組織名（例: --org 経済産業省）を指定してください。",
                    line=front.title_line)
    misreads = find_misreads(src.lines)
    cleaner = Cleaner(log, misreads)
    blocks = [b for n in range(front.body_start, len(src.lines) + 1) if (b := classify(n, src.lines[n - 1]))]
    heads = [(b, cleaner.clean(b.marked.title, b.line, b.raw)) for b in blocks if b.kind == "heading"]
    roots = rebuild(heads, Toc(front.toc), log)
    assign_ids(roots, org)
    stated = _period(src.lines[front.body_start - 1:], front.body_start, tighten)
    if period_from is None and period_to is None and stated is None:
        raise _fail(src.name, "計画期間（「2020年度から2024年度までを本計画の対象期間とする」のような記載）が本文にありません。",
                    "--from と --to で計画期間の初年度と最終年度を指定してください（例: --from 2021 --to 2025）。")
    pf = period_from if period_from is not None else stated[0]
    pt = period_to if period_to is not None else (stated[1] if stated else pf + 4)
    if not (2000 <= pf <= pt <= 2100):
        raise _fail(src.name, f"計画期間 {pf}〜{pt}年度 は正しくありません。", "--from と --to を確かめてください。")
    if stated and (pf, pt) != stated[:2]:
        log.ask("DG819", stated[2], f"本文の計画期間（{stated[0]}〜{stated[1]}年度）と、指定された計画期間（{pf}〜{pt}年度）が違います。"
                                                 "指定されたほうを plan.yaml に書きました。", "どちらが正しいか確かめてください。")

    body = Assembler(src.lines, cleaner, log, org, pt).run(blocks, roots)
    writer = Writer(roots, body, log, org)
    footnotes.place(body.footnotes, cleaner.refs, writer.chapter_of, log)
    chapter_by_line = {n.line: n.chapter for n in body.footnotes}
    for f in log.fixes:
        if f.kind == "footnote" and f.seed.lstrip().startswith("<sup>") and f.line in chapter_by_line:
            f.section = chapter_by_line[f.line]
    for node in walk(roots):
        if node.block.hashes != node.depth or node.block.bold or node.block.italic:
            log.rule("R3", node.line)
    log.rule("R7", *front.cover_lines, *front.toc_lines)
    for n, text in front.skipped:
        log.ask("DG820", n, f"表紙・目次の行「{text[:40]}」を取り込みませんでした。", "計画の本文であれば、該当する章に書き写してください。")

    title = front.title or standard.default_title(org)
    if not front.title:
        log.ask("DG819", 0, f"表紙の題名がないため、題名を「{title}」としました。", "plan.yaml の title を確かめてください。")
    revisions = sorted(front.revisions, key=lambda r: r.date)
    if revisions != front.revisions:
        log.ask("DG819", revisions[0].line, "表紙の決定・改定の日付が古い順に並んでいないため、日付の順に並べました。", "plan.yaml を確かめてください。")
    if not revisions or revisions[0].kind != "決定":
        log.ask("DG819", 0, "表紙に決定の日付がありません。仮に計画期間の初日を書き、決定機関を【未記入】としました。",
                "plan.yaml の revisions に決定の日付と決定機関を書いてください。")
        revisions.insert(0, CoverRevision("決定", _dt.date(pf, 4, 1), "", 0))
    for r in revisions:
        if not r.body:
            log.ask("DG819", r.line, f"表紙の{r.kind}（{r.date.isoformat()}）に決定機関が書かれていません。plan.yaml では【未記入】としました。",
                    f"{r.kind}をした機関（例: 決定と同じ機関）を plan.yaml の body に書いてください。")

    seed_name = src.name if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,100}", src.name) else "source.txt"
    files = writer.chapters()
    files["plan.yaml"] = writer.plan(title, (pf, pt), revisions)
    files["kpis.yaml"] = writer.kpis()
    if (budget := writer.budget()) is not None:
        files["data/budget.yaml"] = budget
    files.update(writer.appendices())
    files["errata.yaml"] = writer.errata(seed_name)
    files[f"source/{seed_name}"] = src.text
    for a in log.asks:
        a.where = writer.placement.where.get(a.line, "plan.yaml" if a.code == "DG819" else "")
    counts = {
        "chapters": len(roots), "headings": sum(1 for _ in walk(roots)),
        "paragraphs": sum(1 for items in body.items.values() for i in items if i.kind in ("para", "list", "olist")),
        "kpi_lines": len(body.kpis), "kpis": sum(1 for k in body.kpis for p in k.parsed if p is not None), "tables": len(body.tables),
        "data_tables": sum(1 for t in body.tables if t.data is not None), "footnotes": len(body.footnotes),
        "appendices": len({n for n, _, _ in body.appendices}),
    }
    seconds = time.perf_counter() - t0
    files[REPORT] = report.render(log, source=src.name, lines=len(src.lines), out=str(out), counts=counts, seconds=seconds)

    def verify(tmp: Path) -> None:
        try:
            load(tmp)
        except LoadError as exc:
            raise ImportFailure([Finding("DG804", "error", Loc(str(out)), "取り込んだ content ディレクトリを読み込めません"
                                         "（dgdocs import の不具合です。何も書き込んでいません）。",
                                         "この抽出テキストを添えて報告してください。読み込みの問題: "
                                         + " / ".join(str(f).split("\n")[0] for f in exc.findings[:5]))]) from None

    try:
        write_directory(out, files, force=force, verify=verify)
    except ContentDirError as exc:
        raise ImportFailure(exc.findings) from None
    return ImportResult(out, counts, log.fixes, log.asks, log.rule_lines, time.perf_counter() - t0)
