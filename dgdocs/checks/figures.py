"""DG504–DG506 — the 図 and the tables of the prose: the image is there and safe, every 図 has
its alternative text and title, every pipe table its caption.

(DG5xx is the structure of the plan; a 図 and a 表 are parts of it, numbered through the plan.)
"""

from __future__ import annotations

import re
from typing import Iterator

from .. import references
from ..images import ALLOWED
from ..model import Document, Finding, Loc
from .registry import finding, rule

_NUMBERED = re.compile(r"^\s*[図表]\s*[0-9０-９]+")


def _hint(problems: tuple[str, ...]) -> str:
    text = "、".join(problems)
    if "ありません" in text or "外" in text or "絶対パス" in text:
        return ("画像を content/figures/ に置き、章のファイルからの相対パスで書いてください"
                "（例: ![代替テキスト](../figures/gaiyou.png \"題名\")）。")
    if "拡張子" in text or "中身は" in text or "壊れて" in text or "大きすぎ" in text or "画素数" in text:
        return f"画像を {ALLOWED} のどれかで保存し直してください（大きさは横2,000画素ほどで十分です）。"
    return ("スクリプト・外部への参照・アニメーションを含まない SVG を書き出し直してください"
            "（例: Inkscape の「プレーン SVG」、Illustrator の「SVG 1.1、CSS を属性として」）。公開される図からは取り除いてあります。")


@rule("DG504", "図の画像ファイルがあり、PNG・JPEG・SVG で、安全である",
       protects="本文の図（![…](…)）の画像ファイルが content/ の中にあり、PNG・JPEG・SVG のどれかで、SVG にスクリプトや"
                "外部への参照がないことを確かめます。なければ壊れた画像が公開され、危険な SVG はサイトの利用者を脅かします。")
def figure_images(doc: Document) -> Iterator[Finding]:
    """Every 図's image exists inside content/, is what its name says (PNG, JPEG or SVG, read
    from its bytes) and, if an SVG, holds nothing that runs or reaches out (the outputs ship it
    rebuilt from an allow-list either way; the editor's file is what this reports)."""
    for ch in doc.chapters:
        for fig in ch.illustrations:
            if fig.image.problems:
                what = "表示できません" if not fig.image.usable else "安全でない部分があります"
                yield finding(fig.loc, f"{fig.label}の画像「{fig.src}」は{what}：{'、'.join(fig.image.problems)}。",
                              _hint(fig.image.problems), [fig.section, fig.src, *fig.image.problems])


@rule("DG505", "図に代替テキストと題名があり、段落として1行で書かれている",
       protects="図に代替テキスト（画像を見られない人が読む説明。JIS X 8341-3）と題名があり、前後を空行で区切った1行に"
                "画像だけが書かれていることを確かめます。文の中の画像や脚注・KPI の文言の画像は図になりません。")
def figures_are_complete(doc: Document) -> Iterator[Finding]:
    """A 図 is ``![代替テキスト](../figures/a.png "題名")`` alone in its paragraph: it needs its
    alternative text (for those who cannot see it) and its title (the caption 「図N　題名」);
    its number is given by dgdocs, never typed.  An image inside a sentence, a list item, a
    footnote or a KPI line's wording is no 図 and is shown as its text only."""
    example = '![代替テキスト](../figures/gaiyou.png "題名")'
    for ch in doc.chapters:
        for sec in ch.sections():
            for use in references.scan_images(sec.body, sec.body_line):
                loc = Loc(ch.path, use.line, use.col)
                if not use.src:
                    yield finding(loc, "画像の書き方が違います（「![」の後が ![代替テキスト](パス \"題名\") の形になっていません）。",
                                  f"{example} の形で書いてください。画像でなければ「!」の前に「\\」を付けます。", [sec.id, "syntax"])
                elif not use.standalone:
                    yield finding(loc, f"画像「{use.src}」が文や箇条書きの中にあるため、図になりません（代替テキストだけが表示されます）。",
                                  f"前後を空行で区切った1行に、画像だけを {example} の形で書いてください。", [sec.id, use.src, "inline"])
        for fig in ch.illustrations:
            if not fig.alt:
                yield finding(fig.loc, f"{fig.label}（{fig.src}）に代替テキストがありません。",
                              "[ ] の中に、図が何を示しているかを文で書いてください（画像を見られない人が読みます）。",
                              [fig.section, fig.src, "alt"])
            if not fig.caption:
                yield finding(fig.loc, f"{fig.label}（{fig.src}）に題名がありません。",
                              f"パスの後に \"題名\" を書いてください（{example}）。「{fig.label}」の番号は自動で付きます。",
                              [fig.section, fig.src, "caption"])
            elif _NUMBERED.match(fig.caption):
                yield finding(fig.loc, f"{fig.label}の題名「{fig.caption}」に番号が書かれています（番号は自動で「{fig.label}」と付きます）。",
                              "題名から「図N」を削除してください（図を足したり削ったりしても番号がずれないように）。",
                              [fig.section, fig.src, fig.caption], severity="warning")
        for fn in ch.footnotes:
            for use in references.scan_images(fn.text, fn.loc.line):
                yield finding(fn.loc, f"脚注 [^{fn.label}] に画像「{use.src or '![…'}」があります（脚注には図を置けません）。",
                              "図は本文に、段落として1行で書いてください。", [ch.path, fn.label, "footnote"])
    for line in doc.kpi_lines:
        for text in line.text:
            if references.scan_images(text):
                yield finding(line.loc, f"KPI 行「{line.id}」の文言に画像があります（KPI の文言には図を置けません）。",
                              "図は本文に、段落として1行で書いてください。", [line.id, "kpi"])


@rule("DG506", "本文の表に題名（表：…）がある",
       protects="本文に書いた表（| … | の表）の上の行に「表：題名」があり、「表：」の行の下に表があることを確かめます。"
                "題名は「表N　題名」として表に付き、印刷では表から離れません。")
def tables_have_captions(doc: Document) -> Iterator[Finding]:
    """Every pipe table of the prose has its caption ``表：題名`` on the line above (shown as
    「表N　題名」, read first by a screen reader, kept with the table in print), and every such
    caption stands above a table.  A table without a caption is a warning; a caption without a
    table, or an empty one, is an error (it would print as a stray line of text)."""
    for ch in doc.chapters:
        for sec in ch.sections():
            tables, strays = references.scan_tables(sec.body, sec.body_line)
            for t in tables:
                if t.caption is None:
                    yield finding(Loc(ch.path, t.line), "表に題名がありません。",
                                  "表のすぐ上の行に「表：題名」と書いてください（番号「表N」は自動で付きます）。",
                                  [sec.id, t.header], severity="warning")
                elif not t.caption.strip():
                    yield finding(Loc(ch.path, t.caption_line), "「表：」の後に題名がありません。",
                                  "「表：情報システムの一覧」のように題名を書いてください。", [sec.id, "empty"])
                elif _NUMBERED.match(t.caption):
                    yield finding(Loc(ch.path, t.caption_line), f"表の題名「{t.caption}」に番号が書かれています（番号は自動で付きます）。",
                                  "題名から「表N」を削除してください。", [sec.id, t.caption], severity="warning")
            for c in strays:
                yield finding(Loc(ch.path, c.line), f"「表：{c.title}」の下に表がありません。",
                              "「表：題名」は表の見出しの行（| … |）のすぐ上に、空行を入れずに書いてください。",
                              [sec.id, c.title])
