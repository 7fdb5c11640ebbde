"""The import report (``import-report.md`` in the new content directory): what was imported,
what was corrected automatically (the errata), and — first — what a person has to decide.

Codes (stable):

========  =====================================================================
DG801     the extracted text cannot be read (encoding, binary, size)
DG802     the output directory cannot be written (not empty, a file, a link)
DG803     what the text does not say and the command needs (organisation, period)
DG804     the imported directory does not load (a defect of dgdocs: please report)
DG811     a heading's number or level does not fit its neighbours
DG812     a heading's number can be read two ways
DG813     a heading and the table of contents disagree
DG814     a paragraph ends without a full stop and may continue in the next
DG815     a letter of another script that the text does not say how to correct
DG816     a KPI whose target, deadline or indicator could not be read
DG817     a table that could not become data
DG818     a footnote without its mark, or a mark without its text
DG819     the cover or the list of appendices lacks something (a revision's body …)
DG820     lines of the front matter that were not imported
========  =====================================================================
"""

from __future__ import annotations

from collections import Counter

from .records import Log

KIND_NAMES = {"label": "見出し記号", "script": "他の文字体系の文字", "split": "改ページで分かれた文", "footnote": "脚注",
              "list": "番号付きの項目", "space": "語の中の空白", "kpi": "KPI 行の続き", "markup": "Markdown の記号",
              "punctuation": "和文の約物"}


def render(log: Log, *, source: str, lines: int, out: str, counts: dict[str, int], seconds: float) -> str:
    asks = sorted(log.asks, key=lambda a: (a.line, a.code))
    by_kind = Counter(f.kind for f in log.fixes)
    out_lines = [
        "# 取り込みの報告（dgdocs import）", "",
        f"- 原文: `{source}`（{lines} 行）→ content ディレクトリ `{out}`（{seconds:.2f} 秒）",
        f"- 取り込んだもの: 章 {counts['chapters']}、見出し {counts['headings']}、段落と箇条書き {counts['paragraphs']}、"
        f"KPI 行 {counts['kpi_lines']}（指標 {counts['kpis']}）、表 {counts['tables']}（うちデータ {counts['data_tables']}）、"
        f"脚注 {counts['footnotes']}、別紙 {counts['appendices']}（中身は未記入）",
        f"- 自動で直したもの: 一括の修正 {len(log.rule_lines)} 規則（{sum(len(v) for v in log.rule_lines.values())} 行）と"
        f"個別の修正 {len(log.fixes)} 件。すべて `errata.yaml` にあり、サイトの「原文からの修正一覧」に表示されます。",
        f"- **人が決めること: {len(asks)} 件**（下の一覧）。未記入の箇所（別紙の中身など）は "
        f"`dgdocs --content {out} check` が DG510 として一覧します。", "",
        "## 人が決めること", "",
    ]
    if not asks:
        out_lines += ["ありません。", ""]
    for i, a in enumerate(asks, 1):
        where = f"原文 {a.line} 行" if a.line else "原文全体"
        if a.where:
            where += f" → `{a.where}`"
        out_lines += [f"{i}. **{a.code}** {where}  ", f"   {a.message}  ", f"   → {a.hint}", ""]
    out_lines += ["## 自動で直したこと", "", "| 種類 | 件数 |", "|---|---|"]
    for kind, n in sorted(by_kind.items(), key=lambda kv: -kv[1]):
        out_lines.append(f"| {KIND_NAMES.get(kind, kind)}（{kind}） | {n} |")
    for rid, lines_ in sorted(log.rule_lines.items()):
        out_lines.append(f"| 規則 {rid}（errata.yaml の rules） | {len(lines_)} 行 |")
    out_lines += ["", "修正の一つひとつ（抽出テキストの記載、修正後の記載、理由）は `errata.yaml` を見てください。", ""]
    return "\n".join(out_lines)
