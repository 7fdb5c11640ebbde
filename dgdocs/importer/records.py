"""What the importer decides and what it leaves to a person.

Every automatic correction is a :class:`Fix` (it becomes an entry of the imported
``errata.yaml`` with its source line), every correction applied to many lines alike is
counted under a rule (:data:`RULES`, the ``rules`` of ``errata.yaml``), and everything the
importer could not decide by a rule is an :class:`Ask` (an item of the import report, with
the source line and, once written, the place in the new content directory).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Fix:
    kind: str  # label, script, split, footnote, list, space, kpi, markup
    line: int  # source line the seed stands on
    seed: str  # the source's wording (a substring of that line; a split quotes two lines)
    corrected: str
    reason: str
    section: str = ""  # heading id where the corrected text stands (filled in when ids are known)


@dataclass
class Ask:
    code: str  # DG8xx, see dgdocs.importer.report
    line: int  # source line (0 when it concerns the whole text)
    message: str
    hint: str
    where: str = ""  # file:line in the imported content (filled in by the writer)


# The rules of errata.yaml: (id, description, reason).  Only rules that touched a line are written.
RULES: dict[str, tuple[str, str]] = {
    "R1": ("日本語の文字（仮名・漢字・全角記号）に接する空白を削除した（例: 「2020 年度」→「2020年度」、「1, 135 万件」→「1,135万件」）。"
           "英単語どうしの間の空白は残した。",
           "PDF 抽出で、字形の切り替わる位置や数字の前後に空白が入っていた。"),
    "R2": ("行頭の「・」を箇条書きの記号として扱い、Markdown の箇条書き（「- 」）にした。",
           "抽出テキストでは箇条書きの記号「・」が本文の文字として残っていた。"),
    "R3": ("見出しの階層を、抽出テキストの「#」の数ではなく計画自体の見出し記号（I. → (1) → ア. → ① → 1) → a) → (ア)）の"
           "現れる順から組み立て直し、太字の指定を外した。",
           "抽出テキストの「#」の数や太字は見出しの階層と合っていなかった。"),
    "R4": ("ページ下部の脚注の区切り線（「---」）を削除した。", "改ページと脚注の区切り線が本文中の区切りとして抽出されていた。"),
    "R5": ("KPI 行（「KPI：…」）を KPI 登録簿（kpis.yaml）に移し、本文からは {{kpi: …}} で参照するようにした。"
           "「KPI :」「*KPI*：」などの表記の揺れと斜体の指定は、表示の際に「KPI：」に統一される。",
           "KPI の文言を一箇所で管理し、本文と KPI 一覧を同じデータから描画するため（文言は変更していない）。"),
    "R6": ("タブ区切りの表を data/ の YAML に移し、本文からは {{table: …}} で参照するようにした。",
           "表の数字を一箇所で管理し、本文の表とオープンデータを同じデータから描画するため（数字は変更していない）。"),
    "R7": ("表紙を plan.yaml（題名、決定・改定の日付と決定機関）に移し、目次を削除した（目次は見出しから生成される）。",
           "表紙と目次は計画の本文ではなく、サイトと PDF が plan.yaml と見出しから作る。"),
    "R8": ("空行を挟まずに続く行のうち、前の行が句点で終わらないものを、前の行と同じ段落としてつないだ。",
           "抽出テキストでは、PDF の1行ごとに改行が入っていた（段落の途中の改行）。"),
}


@dataclass
class Log:
    fixes: list[Fix] = field(default_factory=list)
    asks: list[Ask] = field(default_factory=list)
    rule_lines: dict[str, set[int]] = field(default_factory=dict)

    def fix(self, kind: str, line: int, seed: str, corrected: str, reason: str) -> Fix:
        f = Fix(kind, line, seed, corrected, reason)
        self.fixes.append(f)
        return f

    def ask(self, code: str, line: int, message: str, hint: str) -> Ask:
        a = Ask(code, line, message, hint)
        self.asks.append(a)
        return a

    def rule(self, rule_id: str, *lines: int) -> None:
        self.rule_lines.setdefault(rule_id, set()).update(n for n in lines if n)
