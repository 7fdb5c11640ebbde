"""The ``dgdocs`` command: build, check, diff, serve, progress.

Messages for editors are Japanese and name the file and line; the exit status is 1
when the content has errors and 2 when the command itself was misused.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Finding


class _Diagnostics:
    """dgdocs.diagnostics (and with it the model), imported when first used: a build that is
    up to date ends without them (its answer within 0.1 s)."""

    def __getattr__(self, name):
        from . import diagnostics as module
        return getattr(module, name)


diagnostics = _Diagnostics()
from .safetext import printable  # noqa: E402


def _print_findings(findings: list[Finding], stream=None) -> None:
    for f in findings:
        print(diagnostics.as_text(f), file=stream or sys.stderr)


def pdf_warning_findings(warnings: list[str]) -> list[Finding]:
    """WeasyPrint's warnings (``job: message``, each once) as DG950 findings at the PDF they came from."""
    from .model import Finding, Loc
    out = []
    for w in dict.fromkeys(warnings):
        job, _, message = w.partition(": ")
        out.append(Finding("DG950", "warning", Loc(f"pdf/{job}"), f"PDF の組版で WeasyPrint が警告しました: {message}",
                           "公開する前にこの PDF を開いて確かめてください。フォントにない字なら字を、CSS ならテンプレートを直し、"
                           "ライブラリが足りなければ make pdf で入れ直します。"))
    return out


def _summary(report) -> str:
    parts = [f"エラー {len(report.errors)} 件", f"警告 {len(report.warnings)} 件"]
    if report.accepted:
        parts.append(f"受け入れ済み {len(report.accepted)} 件")
    return "、".join(parts)


def _print_accepted(report) -> None:
    """The accepted findings with the reasons the ministry gave (``check --accepted``)."""
    print(f"\n受け入れ済みの指摘 {len(report.accepted)} 件（content/accepted.yaml）:")
    for f, a in report.accepted:
        print(diagnostics.as_text(f))
        print(f"  ✓ 受け入れの理由（{a.loc}）: {printable(a.reason)}")


def cmd_check(args: argparse.Namespace) -> int:
    from .build import Session
    from .checks import RULES

    if args.list_rules:
        for code, r in sorted(RULES.items()):
            print(f"{code}  {r.severity:<7}  {r.title}")
        return 0
    t0 = time.perf_counter()
    session = Session(args.content)
    try:
        session.load()
    except diagnostics.LoadError as exc:
        report_findings, report = exc.findings, None
    else:
        report = session.check(set(args.rule) if args.rule else None)
        report_findings = report.findings
    took = time.perf_counter() - t0
    if args.format == "json":
        out = {"findings": [diagnostics.as_json(f) for f in report_findings],
               "accepted": [dict(diagnostics.as_json(f), reason=a.reason) for f, a in (report.accepted if report else [])],
               "seconds": round(took, 3)}
        print(json.dumps(out, ensure_ascii=False, indent=2))
    elif args.format == "github":
        for f in report_findings:
            print(diagnostics.as_github(f, args.content))
    else:
        _print_findings(report_findings, sys.stdout)
        if report is not None and args.accepted and report.accepted:
            _print_accepted(report)
        if report is None:
            print(f"\ncontent/ を読み込めませんでした（{len(report_findings)} 件の問題）。")
        else:
            print(f"\n検査しました：{len(RULES)} 規則、{_summary(report)}（{took:.2f} 秒）")
            if report.accepted and not args.accepted:
                print("受け入れ済みの指摘とその理由は dgdocs check --accepted（make check ACCEPTED=1）で一覧できます。")
            if report_findings:
                print("計画の原文どおりで直さない指摘は、理由を書いて content/accepted.yaml で受け入れます"
                      "（subject は --format json の出力から写します）。")
    if report is None:
        return 1
    return 1 if report.failed(args.strict) else 0


def cmd_build(args: argparse.Namespace) -> int:
    from .build import PublishError, build_lock, check_output_dir, recover

    targets = [t for t in ("html", "data", "pdf") if getattr(args, t)] or ["html"]
    out = Path(args.out)
    problem = _source_date_problem()
    if problem:
        print(f"エラー: {problem}", file=sys.stderr)
        return 2
    try:
        check_output_dir(out, args.content, tuple(targets))
    except PublishError as exc:  # refused: the command was pointed at the wrong place
        print(f"エラー: {exc.message}", file=sys.stderr)
        return 2
    try:
        with build_lock(out):
            for what in recover(out):
                print(f"{out}/: {what}。", file=sys.stderr)
            return _build_locked(args, targets, out)
    except PublishError as exc:
        print(f"エラー: {exc.message}", file=sys.stderr)
        return 1


def _source_date_problem() -> str:
    """A Japanese message when SOURCE_DATE_EPOCH cannot be a date (else "")."""
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch:
        return ""
    if not epoch.isdigit() or not 315532800 <= int(epoch) <= 253402300799:  # 1980-01-01 … 9999-12-31
        return (f"環境変数 SOURCE_DATE_EPOCH「{epoch[:40]}」は日時として使えません。1980年1月1日（315532800）から"
                "9999年12月31日（253402300799）までの秒数（UNIX 時刻）を指定するか、設定を外してください。")
    return ""


def _build_locked(args: argparse.Namespace, targets: list[str], out: Path) -> int:
    t0 = time.perf_counter()
    pool = None
    if "pdf" in targets:  # first of all: the workers import WeasyPrint while we fingerprint, load and check
        from .render.workers import start_pool
        pool = start_pool()
    building = False
    try:
        from .build import Session

        try:
            session = Session(args.content, draft=args.draft, base_url=args.base_url, out=out)
        except ValueError:
            print(f"エラー: --base-url には http:// または https:// で始まる絶対 URL を指定してください（いまは {args.base_url}）。",
                  file=sys.stderr)
            return 2
        fingerprint = session.fingerprint(targets)
        if not args.force and session.up_to_date(targets, fingerprint):
            if pool is not None:
                pool.kill()  # nothing to lay out: the workers go at once, not when their start is done
                pool = None
            if session.draft:  # a draft says what it was published despite, every time
                _draft_findings(session)
            print(f"{out}/ は最新です（content/・テンプレート・dgdocs に変更がありません）（{time.perf_counter() - t0:.2f} 秒）")
            return 0
        building = True
        return _build(session, targets, t0, fingerprint, pool)
    finally:
        if pool is not None:
            if building:
                pool.shutdown(cancel_futures=True)
            else:
                pool.kill()


def _draft_findings(session) -> None:
    """The findings a draft is published despite (the up-to-date draft is not rebuilt, but says them)."""
    try:
        session.load()
    except diagnostics.LoadError:
        return  # not published: the previous build stays, and the next build shows why
    report = session.check()
    _print_findings(report.findings)
    if report.findings:
        print(f"（案）検査の指摘を残したまま出力した版です：{_summary(report)}。", file=sys.stderr)


def _build(session, targets: list[str], t0: float, fingerprint: str, pool) -> int:
    out = session.out
    try:
        session.load()
    except diagnostics.LoadError as exc:
        _print_findings(exc.findings)
        print(f"\nビルドを中止しました（{len(exc.findings)} 件の問題）。{out}/ は前回のままです。", file=sys.stderr)
        return 1
    # the evaluation reports and their data on a second core meanwhile (forked first: one thread yet)
    session.start_evaluations(targets)
    status = None
    if "pdf" in targets:  # the workers lay out the PDFs while the checks run here
        from .render.workers import StatusLine
        status = StatusLine()
        session.start_pdfs(pool, status)
    report = session.check()
    if report.findings:
        _print_findings(report.findings)
    if session.blocked:
        session.cancel_started()
        print(f"\n検査でエラーがあるため出力しません（{_summary(report)}）。{out}/ は前回のままです。\n"
              "直してから実行するか、作業中の版として確かめるには --draft（make html DRAFT=1）を付けます。", file=sys.stderr)
        return 1
    try:
        result = session.render(targets, pool=pool, status=status)
    except diagnostics.DgdocsError as exc:  # a renderer failed (a PDF): the previous build stays
        _print_findings(exc.findings)
        print(f"\nビルドを中止しました。{out}/ は前回のままです。", file=sys.stderr)
        return 1
    session.publish(result.outputs, fingerprint)
    took = time.perf_counter() - t0
    parts = ", ".join(f"{t}: {len(result.outputs[t])} files" for t in targets)
    published = [n for n in result.reused if not n.startswith(".")]  # not the jobs' own pieces (.parts/)
    reused = f"（変更のない PDF {len(published)} 件は前回のものを使用）" if published else ""
    mark = "（案として）" if session.draft else ""
    if session.draft and report.findings:
        mark = f"（案として。検査の指摘を残したまま：{_summary(report)}。一覧は上のとおり）"
    print(f"{out}/ に出力しました{mark} — {parts}{reused}（{took:.2f} 秒）")
    if result.pdf_warnings:  # a missing glyph, an unsupported property, a fallback: the PDF is not as designed
        print(file=sys.stderr)
        _print_findings(pdf_warning_findings(result.pdf_warnings))
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    """新旧対照表 of OLD → NEW (git revisions or content directories) into OUT/diff/."""
    import tempfile

    from .build import PublishError, Session, check_output_dir
    from .revsource import SourceError, resolve

    out = Path(args.out)
    t0 = time.perf_counter()
    problem = _source_date_problem()
    if problem:
        print(f"エラー: {problem}", file=sys.stderr)
        return 2
    try:
        check_output_dir(out, args.content, ("diff",))
    except PublishError as exc:
        print(f"エラー: {exc.message}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="dgdocs-diff-") as tmp:
        sides = []
        for role, spec in (("改定前", args.old), ("改定後", args.new or args.content)):
            try:
                source = resolve(spec, args.content, Path(tmp) / ("old" if role == "改定前" else "new"))
            except SourceError as exc:
                print(f"エラー: {role}（{spec}）: {exc}", file=sys.stderr)
                return 2
            session = Session(source.path)
            try:
                session.load()
            except diagnostics.LoadError as exc:
                _print_findings(exc.findings)
                print(f"\n{role}（{source.label}）の content を読み込めません（{len(exc.findings)} 件の問題）。"
                      f"{out}/diff/ は前回のままです。", file=sys.stderr)
                return 1
            sides.append((session, source))
        (old, old_src), (new, new_src) = sides
        cmp = new.compare(old, old_src.label, new_src.label)
        try:
            files = new.render_diff(cmp, args.order, pdf=not args.no_pdf)
        except diagnostics.DgdocsError as exc:
            _print_findings(exc.findings)
            print(f"\n新旧対照表の PDF を作れませんでした。{out}/diff/ は前回のままです。", file=sys.stderr)
            return 1
    try:
        Session(args.content, out=out).publish({"diff": files})
    except PublishError as exc:
        print(f"エラー: {exc.message}", file=sys.stderr)
        return 1
    took = time.perf_counter() - t0
    what = f"本文の改定 {cmp.changed_rows} 箇所、数値・KPI・工程の変更 {len(cmp.figures)} 件" if cmp.has_changes else "変更なし"
    print(f"{out}/diff/ に新旧対照表を出力しました — {old_src.label} → {new_src.label}：{what}（{took:.2f} 秒）")
    return 0


def cmd_schemas(args: argparse.Namespace) -> int:
    """The JSON Schemas of the content files (for VS Code), made from the loader's field specs."""
    from .schemas import schema_files

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    files = schema_files()
    changed = [name for name, data in files.items() if not (out / name).is_file() or (out / name).read_bytes() != data]
    for name in changed:
        tmp = out / f".{name}.tmp"
        tmp.write_bytes(files[name])
        tmp.replace(out / name)
    print(f"{out}/ に JSON Schema {len(files)} 件（変更 {len(changed)} 件）を出力しました。")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import is_loopback, serve

    if not is_loopback(args.host):
        print(f"エラー: serve はループバック（127.0.0.1、::1、localhost）でのみ待ち受けます（いまは {args.host}）。",
              file=sys.stderr)
        return 2
    return serve(Path(args.content), args.host, args.port)


#: command → (module, its register function, the help line shown before the module is imported)
EDGE_COMMANDS = {
    "progress": ("dgdocs.progress.cli", "add_commands", "四半期評価の照会票（Excel）を作る・取り込む"),
    "new": ("dgdocs.scaffold", "register", "新しい計画の content ディレクトリを標準の構成で作る（未記入の箇所は check が一覧）"),
    "import": ("dgdocs.importer.command", "register",
               "公表された計画の抽出テキストを content ディレクトリに取り込む（人が決めることは報告に一覧）"),
}


def _command_of(argv: list[str]) -> str | None:
    """The subcommand named in *argv* (skipping ``--content DIR``), or None."""
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--content":
            i += 2
            continue
        if a.startswith("-"):
            i += 1
            continue
        return a
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dgdocs", description="府省のデジタル・ガバメント中長期計画のビルドと検査（content/ の計画を HTML・PDF・オープンデータに）")
    parser.add_argument("--content", default="content", help="content ディレクトリ（既定: content）")
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="HTML・PDF・オープンデータを build/ に出力する")
    b.add_argument("--html", action="store_true", help="HTML サイト（build/html）")
    b.add_argument("--pdf", action="store_true", help="PDF（build/pdf）")
    b.add_argument("--data", action="store_true", help="オープンデータ（build/data）")
    b.add_argument("--out", default="build", help="出力先（既定: build）")
    b.add_argument("--draft", action="store_true", help="検査でエラーがあっても「案」として出力する")
    b.add_argument("--force", action="store_true", help="入力に変更がなくてもビルドし直す")
    b.add_argument("--base-url", metavar="URL", default=None,
                   help="公開する html/ の絶対 URL（例: https://www.example.go.jp/plan/html/）。"
                        "指定すると各ページに canonical リンクを付け、sitemap.xml を出力する")
    b.set_defaults(func=cmd_build)

    s = sub.add_parser("serve", help="編集用のプレビュー（保存すると自動で再読み込み。検査の指摘をページに表示）",
                       description="content/ を読み込み、ローカルのサーバーでサイトを表示する。ファイルを保存すると"
                                   "影響するページを作り直し、ブラウザを再読み込みする。build/ と content/ には書き込まない。")
    s.add_argument("--host", default="127.0.0.1", help="待ち受けるアドレス（ループバックのみ。既定: 127.0.0.1）")
    s.add_argument("--port", type=int, default=8000, help="ポート番号（既定: 8000。0 なら空いている番号）")
    s.set_defaults(func=cmd_serve)

    d = sub.add_parser("diff", help="2つの版の新旧対照表（HTML・PDF）を build/diff/ に出力する",
                       description="OLD と NEW は git のリビジョン（HEAD~1、ブランチ、タグ）または content ディレクトリ。")
    d.add_argument("old", metavar="OLD", help="改定前の版（git のリビジョンまたはディレクトリ）")
    d.add_argument("new", metavar="NEW", nargs="?", default=None,
                   help="改定後の版（既定: --content のディレクトリ、つまり作業中の版）")
    d.add_argument("--order", choices=("new-left", "old-left"), default="new-left",
                   help="列の順（既定: new-left ＝ 左に改定後、右に改定前）")
    d.add_argument("--no-pdf", action="store_true", help="HTML だけを出力する（速い。WeasyPrint を使わない）")
    d.add_argument("--out", default="build", help="出力先（既定: build。diff/ の下に出力）")
    d.set_defaults(func=cmd_diff)

    c = sub.add_parser("check", help="整合性を検査する（エラーがあれば終了コード 1）")
    c.add_argument("--format", choices=["text", "json", "github"], default="text", help="出力の形式")
    c.add_argument("--strict", action="store_true", help="警告もエラーとして扱う")
    c.add_argument("--rule", action="append", metavar="CODE", help="この規則だけを実行する（繰り返し可）")
    c.add_argument("--list-rules", action="store_true", help="規則の一覧を表示する")
    c.add_argument("--accepted", action="store_true",
                   help="受け入れ済み（content/accepted.yaml）の指摘も、受け入れの理由とともに表示する")
    c.set_defaults(func=cmd_check)

    sc = sub.add_parser("schemas", help="content の YAML の JSON Schema（VS Code 用）を出力する",
                        description="読み込みの項目の定義から、content の各 YAML ファイルの JSON Schema を作る。"
                                    ".vscode/settings.json がこれを YAML 拡張機能に結びつける。")
    sc.add_argument("--out", default="docs/schemas", help="出力先（既定: docs/schemas）")
    sc.set_defaults(func=cmd_schemas)

    # The commands at the edges (the 照会票, dgdocs new, dgdocs import) are registered in full only
    # when they are the command asked for: their modules are heavy (openpyxl, the importer), and
    # `dgdocs check` in CI must not pay for them.  Otherwise each is listed with its help line.
    chosen = _command_of(sys.argv[1:] if argv is None else argv)
    for name, (module, register, help_text) in EDGE_COMMANDS.items():
        if chosen == name:
            getattr(importlib.import_module(module), register)(sub)
        else:
            sub.add_parser(name, help=help_text, add_help=False)

    args = parser.parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader closed the pipe (dgdocs check --format json | head): stop quietly; the
        # interpreter's last flush must not fail either, so stdout goes to /dev/null
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return code


def run() -> None:
    """The ``dgdocs`` command (its console script, ``python -m dgdocs``): :func:`main`, then
    the process ends without the interpreter's tear-down.

    A build leaves a large heap (the model, the site's pages, the PDFs' bytes), and the
    interpreter's finalisation frees it object by object: ≈ 0.09 s after a PDF build, which
    every build paid after its last file was written.  By the time :func:`main` returns,
    everything is written and closed (publishing renames complete directories into place; the
    PDF workers and the evaluations' child have been waited for; the only threads are daemons)
    and nothing registers an exit handler that writes; the output streams are flushed here, and
    the exit status is :func:`main`'s.  mypy ends the same way (``mypy.util.hard_exit``).  An
    exception, or Ctrl-C, ends as usual, with its traceback.  Tests call :func:`main`."""
    import os

    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that closed the pipe (see main)
            pass
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)


if __name__ == "__main__":
    run()
