"""``dgdocs import SOURCE.txt --out DIR [--org …] [--from Y --to Y] [--force]``."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    i = sub.add_parser("import", help="公表された計画の抽出テキストを content ディレクトリに取り込む（人が決めることは報告に一覧）",
                       description="公表 PDF から抽出したテキストを、この形式の content ディレクトリ（Markdown の章、YAML のデータ、"
                                   "KPI 登録簿、正誤）として DIR に書き出す。自動で直した箇所は errata.yaml に、人が決めることは "
                                   "DIR/import-report.md に書く。DIR が空でなければ何も書かない（--force で丸ごと置き換え）。")
    i.add_argument("source", metavar="SOURCE.txt", help="公表 PDF から抽出したテキスト（UTF-8）")
    i.add_argument("--out", required=True, metavar="DIR", help="作る content ディレクトリ（空か、まだないこと）")
    i.add_argument("--org", help="組織名（既定: 表紙の題名「○○デジタル・ガバメント中長期計画」から）")
    i.add_argument("--from", dest="period_from", type=int, metavar="YEAR", help="計画期間の初年度（既定: 本文の記載から）")
    i.add_argument("--to", dest="period_to", type=int, metavar="YEAR", help="計画期間の最終年度（既定: 本文の記載から）")
    i.add_argument("--force", action="store_true", help="DIR が空でなくても、丸ごと置き換える")
    i.set_defaults(func=cmd_import)


def cmd_import(args: argparse.Namespace) -> int:
    from ..diagnostics import as_text
    from . import ImportFailure, import_plan

    try:
        result = import_plan(args.source, args.out, org=args.org, period_from=args.period_from,
                             period_to=args.period_to, force=args.force)
    except ImportFailure as exc:
        for f in exc.findings:
            print(as_text(f), file=sys.stderr)
        code = exc.findings[0].code if exc.findings else ""
        return 2 if code in ("DG802", "DG803") else 1
    c = result.counts
    print(f"{result.out}/ に取り込みました — 章 {c['chapters']}、見出し {c['headings']}、KPI 行 {c['kpi_lines']}、"
          f"表 {c['tables']}（データ {c['data_tables']}）、脚注 {c['footnotes']}、別紙 {c['appendices']}（空）"
          f"（{result.seconds:.2f} 秒）\n"
          f"自動で直した箇所: 個別 {len(result.fixes)} 件と一括 {len(result.rule_lines)} 規則（{result.out}/errata.yaml）\n"
          f"人が決めること: {len(result.asks)} 件 → {result.report}\n"
          f"未記入の箇所の一覧: dgdocs --content {result.out} check\n"
          f"案として確かめる: dgdocs --content {result.out} build --draft")
    return 0
