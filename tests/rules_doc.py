"""Generate docs/rules.md: one section per rule code, with an example finding taken from
the rule's own fixture, so the documentation never drifts from the rules.

    .venv/bin/python tests/rules_doc.py > docs/rules.md

(tests/test_rules_doc.py fails when docs/rules.md is out of date.)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from dgdocs.checks import RULES  # noqa: E402

SEVERITY = {"error": "エラー（公表を止める）", "warning": "警告（`--strict` ではエラー）", "info": "情報"}

LOADER_CODES = [
    ("DG001", "文字コードが UTF-8 でない", "エディタで UTF-8 を選んで保存し直す。"),
    ("DG002", "ファイルがない・空", "ファイル名と場所、内容が消えていないかを確かめる。"),
    ("DG003", "YAML の構文の誤り、使えないタグ", "よくある誤り（字下げのずれ、タブ、「: 」を含む値、閉じていない引用符・括弧）は日本語で何が違うかを示す。構文解析器の英語の原文は --format json の detail に残す。"),
    ("DG004", "必須のキーがない、値の型が違う", "メッセージが示すキーを書く・値の書き方を直す。"),
    ("DG005", "知らないキー、同じキーの重複", "綴りを確かめる（使えるキーを示します）。同じファイルの別の項目のキーなら、字下げのずれを知らせます。"),
    ("DG006", "id の重複", "見出し・KPI・別紙の行の id を一意にする。"),
    ("DG007", "参照先がない（値、KPI 行、表、節、KPI）", "名前の綴りを確かめる（近い名前を示します）。"),
    ("DG008", "期間の書き方の誤り（別紙の期間、終わりが始まりより前、plan.yaml の計画期間）", "2020 / 2020Q1 / 2021-04 / cy2020 の形で書く（計画期間の外は DG305）。"),
    ("DG009", "見出しの書き方（階層の飛び、id の文字、章の見出しとその id）", "# の数を1段ずつ、id は半角英小文字・数字・ハイフン。章には必ず id を付ける。"),
    ("DG010", "content/ の外を指すパス（絶対パス、..、外へのシンボリックリンク）", "ファイルそのものを content/ に置き、content/ からの相対パスで書く。"),
    ("DG011", "大きさの上限（ファイル 4 MB、1行 20,000 字、YAML の入れ子 40 段、値 200,000 個）", "ファイルや段落を分ける。壊れたファイルでないか確かめる。"),
    ("DG012", "予約された id（ページ名 index・kpis・beppyo-N など、テンプレートの id、自動で付ける id の形）", "ほかの id を付ける。"),
    ("DG013", "進捗ファイル（content/progress/）の名前・四半期・状況・速報値/確定値の誤り", "ファイル名を 2021Q1.yaml のように四半期にし、as_of と揃える。状況は 未着手・実施中・完了・遅延・中止・見直し から書く。"),
]

# `dgdocs progress import`: the returned 照会票 (Excel), located at workbook, sheet and cell
WORKBOOK_CODES = [
    ("DG020", "ブックとして読めない（.xls、パスワード付き、CSV の拡張子だけ変えたもの、壊れている、大きすぎる）", "Excel で .xlsx として保存し直す。パスワードを解除する。"),
    ("DG021", "照会票のシートではない、別の四半期・計画にない別紙の照会票", "その四半期の照会票（dgdocs progress sheet）で回答してもらう。"),
    ("DG022", "id が編集された・計画の記載と合わない・id のない行に回答がある・行の重複", "非表示の id 列と計画の記載を編集せず、配布した行に回答する。"),
    ("DG023", "セルの値の誤り（状況の選択肢、時期、日付、数値、速報値/確定値、そろわない実績）", "示されたセルを直す（直し方を示します）。"),
    ("DG024", "数式のセルに計算結果が保存されていない", "数式でなく値を入力する。"),
    ("DG025", "同じ行への、部局ごとに異なる回答（両方のセルを示します）", "どちらが正しいか確かめ、片方の照会票を直す。"),
    ("DG026", "既にある進捗ファイルの項目を書き換えることになる", "変更を確かめ、上書きするなら --replace を付ける。"),
]


def example(code: str) -> tuple[str, str] | None:
    from test_checks import FIXTURES, check_fixture
    for path in sorted(FIXTURES.glob(f"{code}-*.txt")):
        with tempfile.TemporaryDirectory() as tmp:
            report, _ = check_fixture(Path(tmp), path)
        for f in report.findings:
            if f.code == code:
                title = path.read_text("utf-8").split("\n", 1)[0].lstrip("# ")
                return title, str(f)
    return None


def render() -> str:
    out = ["# 検査の規則（`make check`）", "",
           "`make check`（`dgdocs check`）が確かめる規則の一覧です。このページは規則と、その試験用の例（tests/fixtures/checks/）",
           "から `tests/rules_doc.py` で生成しています。", "",
           "## 指摘の直し方・受け入れ方", "",
           "- 指摘は「ファイル:行:列: 重さ 規則コード: 内容」と、次の行の「→ 直し方」で表示されます。",
           "- 抽出の誤りや編集の誤りであれば、示された箇所を直します。",
           "- 計画の原文そのものの食い違いで、原文どおりとするときは、`content/accepted.yaml` に規則コード・subject・理由を書いて受け入れます。",
           "  subject は `dgdocs check --format json` の出力の `\"subject\"` をそのまま写します。subject には関わる数字や文そのものが入るため、",
           "  後でその数字や文が変わると受け入れは外れ、指摘が再び表示され、受け入れ自体も DG901 として報告されます。",
           "- `make html` / `make pdf` はエラーがあると出力しません。作業中の版を確かめるときは `make html DRAFT=1`（`dgdocs build --draft`）とし、",
           "  すべてのページに「案」と表示されます。", "",
           "| コード | 規則 | 重さ |", "|---|---|---|"]
    for code, r in sorted(RULES.items()):
        out.append(f"| [{code}](#{code.lower()}) | {r.title} | {SEVERITY[r.severity].split('（')[0]} |")
    out += ["", "読み込みの段階で報告されるもの（DG0xx、ビルドも検査も止まります）:", "", "| コード | 内容 | 直し方 |", "|---|---|---|"]
    out += [f"| {c} | {t} | {h} |" for c, t, h in LOADER_CODES]
    out += ["", "照会票（Excel）の取り込み（`dgdocs progress import`）で報告されるもの（DG02x、場所は「ブック シート!セル」。"
            "1つでもあれば何も書き込みません）:", "", "| コード | 内容 | 直し方 |", "|---|---|---|"]
    out += [f"| {c} | {t} | {h} |" for c, t, h in WORKBOOK_CODES]
    out += ["", "受け入れ自体の問題（DG9xx）: DG901 受け入れに当たる指摘がない（数字や文が変わった）、DG902 受け入れの規則コードがない。", ""]
    out += ["PDF の組版で報告されるもの（出力はします）: DG950 WeasyPrint が組版で警告した（フォントにない字、使えない CSS、"
            "フォントの部分化に HarfBuzz を使えない など。場所は PDF の名前）。公開する前にその PDF を開いて確かめ、"
            "字やテンプレートを直すか、`make pdf` で足りないライブラリを入れ直す。", ""]
    category = None
    for code, r in sorted(RULES.items()):
        if r.category != category:
            category = r.category
            out += [f"## DG{code[2]}xx {category}", ""]
        out += [f"### {code}", "", f"**{r.title}** — {SEVERITY[r.severity]}", "", r.protects, ""]
        ex = example(code)
        if ex:
            out += [f"例（{ex[0]}）:", "", "```", ex[1], "```", ""]
        out += ["<details><summary>開発者向けの説明</summary>", "", r.doc, "", "</details>", ""]
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
