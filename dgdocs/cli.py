"""The ``dgdocs`` command: build, check, bench (and later diff, serve).

Messages for editors are Japanese and name the file and line; the exit status is 1
when the content has errors and 2 when the command itself was misused.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .load import LoadError, load
from .model import Finding


def _print_findings(findings: list[Finding], stream=None) -> None:
    for f in findings:
        print(str(f), file=stream or sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build, publish

    targets = [t for t in ("html", "data", "pdf") if getattr(args, t)] or ["html"]
    out = Path(args.out)
    t0 = time.perf_counter()
    try:
        result = build(args.content, targets, banner="案（作業中の版）" if args.draft else "", previous=out)
    except LoadError as exc:
        _print_findings(exc.findings)
        print(f"\nビルドを中止しました（{len(exc.findings)} 件の問題）。{out}/ は前回のままです。", file=sys.stderr)
        return 1
    except Exception as exc:  # a renderer failed: the previous build stays
        from .render.pdf import PdfError
        if isinstance(exc, PdfError):
            _print_findings([exc.finding])
            print(f"\nビルドを中止しました。{out}/ は前回のままです。", file=sys.stderr)
            return 1
        raise
    publish(result.outputs, out)
    took = time.perf_counter() - t0
    parts = ", ".join(f"{t}: {len(result.outputs[t])} files" for t in targets)
    reused = f"（変更のない PDF {len(result.reused)} 件は前回のものを使用）" if result.reused else ""
    print(f"{out}/ に出力しました — {parts}{reused}（{took:.2f} 秒）")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dgdocs", description="総務省デジタル・ガバメント中長期計画のビルドと検査")
    parser.add_argument("--content", default="content", help="content ディレクトリ（既定: content）")
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="HTML・PDF・オープンデータを build/ に出力する")
    b.add_argument("--html", action="store_true", help="HTML サイト（build/html）")
    b.add_argument("--pdf", action="store_true", help="PDF（build/pdf）")
    b.add_argument("--data", action="store_true", help="オープンデータ（build/data）")
    b.add_argument("--out", default="build", help="出力先（既定: build）")
    b.add_argument("--draft", action="store_true", help="検査でエラーがあっても「案」として出力する")
    b.set_defaults(func=cmd_build)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
