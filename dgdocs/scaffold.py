"""``dgdocs new DIR --org …``: a new plan with the standard structure of a 府省 plan.

It writes chapters I–VII with their usual sections (:mod:`dgdocs.standard`), an empty KPI
registry and the appendices listed in VII, each empty.  Every part that is still to be
written holds the placeholder 【未記入】 and a line saying what belongs there, so that
``dgdocs check`` lists what is left to write (DG510, with file:line) and the plan can only be
published as a draft until then — while ``dgdocs --content DIR build --draft`` works at once.

The decision date is not known when a plan is started: plan.yaml carries the first day of
the plan period with a 【未記入】 decision body, and DG510 reports it until it is filled in.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import sys
from pathlib import Path

from .contentdir import ContentDirError, dump_yaml, write_directory
from .diagnostics import as_text
from .standard import APPENDICES, CHAPTERS, PLACEHOLDER, StdSection, default_title, fill


class ScaffoldError(ValueError):
    """A wrong argument of ``dgdocs new`` (the message is Japanese and says what to do)."""


def _heading(level: int, marker: str, title: str, sid: str) -> str:
    return f"{'#' * level} {marker} {title} {{#{sid}}}"


def _section_lines(sec: StdSection, level: int, org: str) -> list[str]:
    out = [_heading(level, sec.marker, fill(sec.title, org), sec.id), "", f"{PLACEHOLDER}{sec.hint}", ""]
    for child in sec.children:
        out += _section_lines(child, level + 1, org)
    return out


def chapter_files(org: str) -> dict[str, str]:
    files = {}
    for ch in CHAPTERS:
        lines = [_heading(1, ch.marker, fill(ch.title, org), ch.id), ""]
        if ch.hint:
            lines += [f"{PLACEHOLDER}{ch.hint}", ""]
        for sec in ch.sections:
            lines += _section_lines(sec, 2, org)
        if ch.id == "roadmap":
            lines += [f"- 別紙{a.number}\u3000{a.title}" for a in APPENDICES] + [""]
        files[ch.file] = "\n".join(lines).rstrip("\n") + "\n"
    return files


def plan_yaml(org: str, title: str, period_from: int, period_to: int, decided: _dt.date | None) -> str:
    revision = {"kind": "決定", "date": decided or _dt.date(period_from, 4, 1), "body": PLACEHOLDER}
    if decided is None:
        revision["summary"] = f"{PLACEHOLDER}決定の日付と決定機関を書いてください（日付は仮に計画期間の初日としています）。"
    data = {"title": title, "organisation": org, "plan_period": {"from": period_from, "to": period_to},
            "revisions": [revision], "chapters": [ch.file for ch in CHAPTERS]}
    return dump_yaml(data, "計画の表紙・基本情報（dgdocs new が作成）\n"
                           "revisions: 決定・改定の履歴（古い順）。決定の日付（date）と決定機関（body）を書き、【未記入】を消してください。\n"
                           "chapters: 章の順序（content/ からの相対パス）") + THEME_HELP


THEME_HELP = """
# 任意: サイトでの呼び方、問い合わせ先、色とロゴ（README「組織に合わせる」）
# short_name: 〇〇省                 # 本文の見出しや表の説明で使う短い名前（既定は organisation）
# site_name: 〇〇省デジタル・ガバメント中長期計画   # サイトの見出しの名前（既定は title）
# contact:                           # 各ページの末尾に表示する問い合わせ先（実在の連絡先だけを書く）
#   name: 大臣官房〇〇課
#   email: info@example.go.jp
#   url: https://www.example.go.jp/contact/
# theme:
#   accent: "#00458f"                # リンクや見出しの色（白地で 4.5:1 以上のコントラストが必要）
#   accent_bg: "#eef3f9"             # accent の文字を載せる淡い地の色
#   logo: figures/logo.svg           # content/ の中の PNG・JPEG・SVG（SVG はスクリプト・外部参照なし）
#   print_font: mincho               # PDF の本文の書体: mincho（BIZ UD明朝）または gothic（BIZ UDゴシック）
"""


def appendix_yaml(number: int, title: str, kind: str) -> str:
    what = "一覧" if kind == "list" else "工程表"
    data = {"number": number, "title": title, "kind": kind,
            "description": f"{PLACEHOLDER}この{what}の行を groups に書いてください（各行は本文の節と KPI を名指しします）。",
            "groups": []}
    return dump_yaml(data, f"別紙{number} {title}（dgdocs new が作成した空の{what}）\n"
                           "書き方は README の「別紙（工程表）」を参照。行を書いたら description の【未記入】を消してください。")


KPIS_YAML = dump_yaml({"lines": []}, "KPI 登録簿（本文の「KPI：」行と KPI 一覧は、すべてここから描画されます）\n"
                                     "lines に KPI 行を加え、本文には {{kpi: 行のid}} と書きます（README の「参照の書き方」）。")


def scaffold(org: str, title: str | None = None, period_from: int | None = None, period_to: int | None = None,
             decided: _dt.date | None = None, today: _dt.date | None = None) -> dict[str, str]:
    """The files of a new content directory (relative path → text)."""
    org = (org or "").strip()
    if not org or "\n" in org or len(org) > 60 or PLACEHOLDER in org:
        raise ScaffoldError("--org には組織名（例: 経済産業省）を1行で書いてください。")
    title = (title or default_title(org)).strip()
    if not title or "\n" in title:
        raise ScaffoldError("--title は1行で書いてください。")
    today = today or _dt.date.today()
    if period_from is None:
        period_from = today.year if today.month >= 4 else today.year - 1
    if period_to is None:
        period_to = period_from + 4
    if not (2000 <= period_from <= period_to <= 2100):
        raise ScaffoldError(f"計画期間 {period_from}〜{period_to}年度 は正しくありません。--from と --to に年度を西暦で"
                            "（--from 2021 --to 2025 のように、始まりが終わり以前になるよう）指定してください。")
    files = {"plan.yaml": plan_yaml(org, title, period_from, period_to, decided), "kpis.yaml": KPIS_YAML}
    files.update(chapter_files(org))
    for a in APPENDICES:
        files[f"appendices/beppyo-{a.number}.yaml"] = appendix_yaml(a.number, a.title, a.kind)
    return files


# ----------------------------------------------------------------------- command

def register(sub: argparse._SubParsersAction) -> None:
    n = sub.add_parser("new", help="新しい計画の content ディレクトリを標準の構成で作る（未記入の箇所は check が一覧）",
                       description="府省の中長期計画の標準の構成（I〜VII の章と節、空の KPI 登録簿、VII の別紙の一覧と空の別紙）を"
                                   "DIR に書き出す。書くべき箇所には【未記入】が入り、dgdocs check が DG510 として一覧する。")
    n.add_argument("dir", metavar="DIR", help="作る content ディレクトリ（空か、まだないこと）")
    n.add_argument("--org", required=True, help="組織名（例: 経済産業省）")
    n.add_argument("--title", help="計画の題名（既定: 「組織名デジタル・ガバメント中長期計画」）")
    n.add_argument("--from", dest="period_from", type=int, metavar="YEAR", help="計画期間の初年度（西暦。既定: 今年度）")
    n.add_argument("--to", dest="period_to", type=int, metavar="YEAR", help="計画期間の最終年度（西暦。既定: 初年度+4）")
    n.add_argument("--decided", type=_dt.date.fromisoformat, metavar="YYYY-MM-DD",
                   help="決定の日付（既定: 未記入。仮に計画期間の初日を入れる）")
    n.add_argument("--force", action="store_true", help="DIR が空でなくても、丸ごと置き換える")
    n.set_defaults(func=cmd_new)


def cmd_new(args: argparse.Namespace) -> int:
    out = Path(args.dir)
    try:
        files = scaffold(args.org, args.title, args.period_from, args.period_to, args.decided)
        write_directory(out, files, force=args.force)
    except ScaffoldError as exc:
        print(f"エラー: {exc}", file=sys.stderr)
        return 2
    except ContentDirError as exc:
        for f in exc.findings:
            print(as_text(f), file=sys.stderr)
        return 2
    sections = sum(f.count("\n#") for name, f in files.items() if name.endswith(".md"))
    print(f"{out}/ に新しい計画を作りました — 章 {len(CHAPTERS)}、節 {sections}、別紙 {len(APPENDICES)}（空）、KPI 登録簿（空）。\n"
          f"書くべき箇所には「{PLACEHOLDER}」が入っています。一覧: dgdocs --content {out} check\n"
          f"案として確かめる: dgdocs --content {out} build --draft")
    return 0
