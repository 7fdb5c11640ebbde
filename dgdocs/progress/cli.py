"""``dgdocs progress sheet`` and ``dgdocs progress import``: the 照会票 out and back.

``sheet`` writes one workbook (outside content/, by default into build/progress/).
``import`` reads returned workbooks, validates every cell, prints every problem at once and
what would change; only with ``--write``, and only when everything is valid, it writes
``content/progress/<quarter>.yaml`` — never silently over entries of an existing file
(``--replace`` says so).  Exit status: 0 done, 1 problems in the workbooks or content, 2 misuse.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import re
import sys
import tempfile
from pathlib import Path

from ..model import Finding, Loc, Period
from .quarter import in_plan, parse_quarter, quarter_text


_CELL = re.compile(r"^(?P<book>.*) (?P<sheet>[^ !]+)!(?P<col>[A-Z]+)(?P<row>\d+)$")


def _order(f: Finding) -> tuple:
    """Workbook, sheet, then row and column in reading order (F9 before F10)."""
    m = _CELL.match(f.loc.file)
    if m is None:
        return (f.loc.file, "", 0, "", f.loc.line, f.code, f.message)
    return (m["book"], m["sheet"], int(m["row"]), m["col"].rjust(3), 0, f.code, f.message)


def _print(findings: list[Finding]) -> None:
    from ..diagnostics import as_text  # workbook cells are untrusted: no control character reaches the terminal

    for f in sorted(findings, key=_order):
        print(as_text(f), file=sys.stderr)


def _load(content: str):
    from ..build import Session
    from ..diagnostics import LoadError
    try:
        return Session(content).load()
    except LoadError as exc:
        _print(exc.findings)
        print(f"\ncontent/ を読み込めませんでした（{len(exc.findings)} 件の問題）。先に直してください。", file=sys.stderr)
        return None


def _quarter(text: str, doc) -> Period | None:
    try:
        q = parse_quarter(text)
    except ValueError as exc:
        print(f"エラー: --as-of: {exc}。", file=sys.stderr)
        return None
    if not in_plan(q, doc.plan):
        print(f"エラー: --as-of {q.text} は計画期間（{doc.plan.period_from}〜{doc.plan.period_to}年度）の外です。",
              file=sys.stderr)
        return None
    return q


def write_atomically(path: Path, data: bytes) -> None:
    """Write *path* whole or not at all (a temporary file beside it, then a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cmd_sheet(args: argparse.Namespace) -> int:
    from .sheet import default_name, write_sheet
    doc = _load(args.content)
    if doc is None:
        return 1
    q = _quarter(args.as_of, doc)
    if q is None:
        return 2
    numbers = sorted(set(args.appendix)) if args.appendix else None
    missing = [n for n in numbers or [] if doc.appendix(n) is None]
    if missing:
        print(f"エラー: 別紙{'・'.join(map(str, missing))}は計画にありません（あるのは "
              f"{'・'.join(a.label for a in doc.appendices)}）。", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else Path("build") / "progress" / default_name(q, numbers)
    if out.suffix.lower() != ".xlsx":
        print(f"エラー: --out は .xlsx のファイル名にしてください（いまは {out}）。", file=sys.stderr)
        return 2
    write_atomically(out, write_sheet(doc, q, numbers))
    print(f"{out} に {quarter_text(q)}（{q.text}）の照会票を出力しました。")
    return 0


def _describe(key: tuple[str, ...]) -> str:
    kind = key[0]
    if kind == "task":
        return f"行「{key[1]}」の工程「{key[2]}」"
    if kind == "milestone":
        return f"行「{key[1]}」のマイルストーン「{key[2]}」"
    if kind == "row":
        return f"行「{key[1]}」"
    if kind == "actual":
        return f"KPI「{key[1]}」の実績（{key[2]}）"
    return f"KPI「{key[1]}」"


def _brief(e: dict | None) -> str:
    if e is None:
        return "（なし）"
    skip = ("label",)
    return "、".join(f"{k}={v}" for k, v in e.items() if k not in skip)


def cmd_import(args: argparse.Namespace) -> int:
    from ..yamlsrc import parse_yaml
    from .answers import merge
    from .dump import dump_plain, plain
    from .merge import overlay
    from ..load.progress import read_evaluation
    from .status import evaluation
    from .workbook import read_book

    doc = _load(args.content)
    if doc is None:
        return 1
    q = _quarter(args.as_of, doc)
    if q is None:
        return 2
    evaluated_on = None
    if args.evaluated_on:
        try:
            evaluated_on = _dt.date.fromisoformat(args.evaluated_on)
        except ValueError:
            print(f"エラー: --evaluated-on は 2021-07-20 のように書いてください（いまは {args.evaluated_on}）。", file=sys.stderr)
            return 2
    paths = [Path(p) for p in args.files]
    names = [p.name for p in paths]
    problems: list[Finding] = []
    answers = []
    for path, name in zip(paths, names):
        res = read_book(doc, q, path, name if names.count(name) == 1 else str(path))
        problems += res.problems
        answers += res.answers
        for note in res.notes:
            print(f"お知らせ: {note}", file=sys.stderr)
    merged = merge(doc, q, answers)
    problems += merged.problems
    existing = evaluation(doc, q.first)
    target = Path(doc.root) / "progress" / f"{q.text}.yaml"
    rel = f"progress/{q.text}.yaml"
    plan = overlay(plain(existing, doc) if existing else None, plain(merged.evaluation, doc),
                   {"evaluated_on": evaluated_on, "body": args.body, "note": args.note}, doc)
    text = dump_plain(plan.data)
    if not problems:  # the file to be written must load as every progress file does
        node, syntax = parse_yaml(text, rel)
        check: list[Finding] = list(syntax)
        if node is not None:
            read_evaluation(node, rel, check)
        problems += check
    if problems:
        _print(problems)
        print(f"\n照会票に {len(problems)} 件の問題があるため取り込みません。何も書き込んでいません。"
              "各部局に直してもらい、すべてのブックをもう一度まとめて取り込んでください。", file=sys.stderr)
        return 1
    print(f"{quarter_text(q)}（{q.text}）: ブック {len(paths)} 冊、回答 {len(merged.chosen)} 行"
          f"（うち前回のまま {merged.carried} 行）。")
    for c in plan.added:
        print(f"  追加: {_describe(c.key)}: {_brief(c.new)}")
    for c in plan.changed:
        print(f"  変更: {_describe(c.key)}: {_brief(c.old)} → {_brief(c.new)}")
    for k, old, new in plan.meta_changed:
        print(f"  変更: {k}: {old} → {new}")
    if plan.unchanged:
        print(f"  変わらないもの: {plan.unchanged} 件")
    if plan.empty:
        print(f"{rel} に変更はありません。")
        return 0
    if not args.write:
        print(f"\nまだ書き込んでいません。{rel} に書き込むには --write を付けて実行してください。")
        return 0
    if existing is not None and (plan.changed or plan.meta_changed) and not args.replace:
        _print([Finding("DG026", "error", Loc(rel), f"{rel} は既にあり、上の「変更」の {len(plan.changed) + len(plan.meta_changed)} 件を書き換えることになります。",
                        "変更を確かめたうえで上書きするなら --replace を付けて実行してください（追加だけなら付けなくても書き込みます）。")])
        print("\n何も書き込んでいません。", file=sys.stderr)
        return 1
    pdir = target.parent
    if pdir.is_symlink() or (pdir.exists() and not pdir.resolve().is_relative_to(Path(doc.root))):
        print(f"エラー: {pdir} が content/ の外を指しているため書き込みません。", file=sys.stderr)
        return 1
    write_atomically(target, text.encode("utf-8"))
    print(f"\n{rel} に書き込みました。dgdocs check で計画との整合を確かめてください。")
    return 0


def add_commands(sub) -> None:
    """Register ``dgdocs progress sheet|import`` on the CLI's subparsers."""
    p = sub.add_parser("progress", help="四半期評価の照会票（Excel）を作る・取り込む",
                       description="第VI章の四半期評価：各部局に送る照会票を作り、返ってきた照会票を取り込む。")
    ps = p.add_subparsers(dest="progress_command", required=True)
    s = ps.add_parser("sheet", help="照会票（.xlsx）を作る（別紙ごとのシートと KPI のシート）")
    s.add_argument("--as-of", required=True, metavar="QUARTER", help="評価する四半期（例: 2021Q1。Q1 は4〜6月）")
    s.add_argument("--appendix", type=int, action="append", metavar="N", help="この別紙だけ（繰り返し可。既定: すべて）")
    s.add_argument("--out", metavar="FILE", help="出力するファイル（既定: build/progress/照会票_<四半期>.xlsx）")
    s.set_defaults(func=cmd_sheet)
    i = ps.add_parser("import", help="返ってきた照会票を検査し、進捗ファイルに取り込む",
                      description="すべてのセルを検査し、問題をまとめて表示する。--write を付け、問題がないときだけ "
                                  "content/progress/<四半期>.yaml に書き込む。")
    i.add_argument("files", nargs="+", metavar="FILE.xlsx", help="返ってきた照会票（複数可。同じ四半期のもの）")
    i.add_argument("--as-of", required=True, metavar="QUARTER", help="評価する四半期（例: 2021Q1）")
    i.add_argument("--write", action="store_true", help="問題がなければ進捗ファイルに書き込む")
    i.add_argument("--replace", action="store_true", help="既にある進捗ファイルの項目を書き換えてもよい")
    i.add_argument("--evaluated-on", metavar="DATE", help="評価の日付（例: 2021-07-20）")
    i.add_argument("--body", metavar="TEXT", help="評価の主体（例: CIO・PMO）")
    i.add_argument("--note", metavar="TEXT", help="評価についての注記")
    i.set_defaults(func=cmd_import)
