"""DG6xx — Japanese text hygiene: residues of PDF extraction and deviations from the plan's terms."""

from __future__ import annotations

import re
import unicodedata
from typing import Iterator

from ..model import Document, Finding, Loc
from .registry import finding, rule
from .text import TextUnit, sentences, text_units, without_markup

ALLOWED_LETTER_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "LATIN", "FULLWIDTH LATIN", "HALFWIDTH KATAKANA",
                          "IDEOGRAPHIC ITERATION MARK")  # 々 as in 様々、次々期
JP = r"\u3040-\u30ff\u3400-\u9fff"


# Characters DG601 never reports (ASCII, kana, CJK ideographs, full-width ASCII, half-width
# katakana, CJK punctuation but 〆): only the rest is looked up in the Unicode database.
# tests/test_checks.py proves the shortcut loses nothing over every code point.
ALWAYS_ALLOWED = (r"\x00-\x7f\u3000-\u3005\u3007-\u3020\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
                  r"\uff01-\uff5e\uff61-\uff9f")
_TO_LOOK_UP = re.compile(f"[^{ALWAYS_ALLOWED}]")


def _at(unit: TextUnit, col: int) -> Loc:
    return Loc(unit.loc.file, unit.loc.line, col + 1) if unit.kind in ("prose",) else unit.loc


def _word(text: str, i: int) -> str:
    return text[max(0, i - 6): i + 7].strip()


@rule("DG601", "日本語の中に他の文字体系の文字がない",
       protects="日本語の中に他の文字体系の文字（キリル文字、ギリシャ文字など）が紛れ込んでいないことを確かめます（原文の抽出で「デジタルデバйд」となっていた例）。")
def unexpected_scripts(doc: Document) -> Iterator[Finding]:
    """No letter of an unexpected script (Cyrillic, Greek, Hangul, …) stands in the text: such a
    letter is a residue of PDF extraction (the seed had 「デジタルデバйд」 for デジタルデバイド)
    and looks almost right on screen."""
    for unit in text_units(doc):
        for m in _TO_LOOK_UP.finditer(unit.text):
            i, ch = m.start(), m.group(0)
            if not unicodedata.category(ch).startswith("L"):
                continue
            name = unicodedata.name(ch, "")
            if name.startswith(ALLOWED_LETTER_SCRIPTS):
                continue
            script = name.split(" ")[0] if name else f"U+{ord(ch):04X}"
            yield finding(_at(unit, i), f"「{_word(unit.text, i)}」に {script} の文字「{ch}」（U+{ord(ch):04X}）が混じっています。",
                          "PDF からの抽出などで紛れ込んだ文字です。正しい文字に打ち直してください。",
                          [unit.section, _word(unit.text, i)])


FULLWIDTH_ALNUM = re.compile(r"[０-９Ａ-Ｚａ-ｚ]+")


@rule("DG602", "本文の数字・英字は半角", "warning",
       protects="本文の数字・英字が半角であることを確かめます（全角だと検索や数字の検査が働きません）。")
def fullwidth_alphanumerics(doc: Document) -> Iterator[Finding]:
    """Digits and Latin letters in running text are half-width (2020年度, e-Gov), as the plan
    writes them; full-width ones (２０２０年度) break searching, sorting and the checks that read
    numbers."""
    for unit in text_units(doc):
        for m in FULLWIDTH_ALNUM.finditer(unit.text):
            yield finding(_at(unit, m.start()), f"全角の英数字「{m.group(0)}」があります。",
                          f"半角で「{unicodedata.normalize('NFKC', m.group(0))}」と書いてください。", [unit.section, m.group(0)])


SPACE_PATTERNS = [
    # 「別紙1　…」「図1　…」「表2　…」 keep the space after their label
    (re.compile(rf"(?<!別紙)(?<!図)(?<!表)(?<![\d,.])\d[\d,.]*[ \u3000]+(?=[{JP}%％])"), "数字と単位の間"),
    (re.compile(rf"(?<=[{JP}])[ \u3000]+(?=\d)"), "日本語と数字の間"),
    (re.compile(r"\d,[ \u3000]+\d{3}\b"), "数字の中"),
]


@rule("DG603", "数字と単位の間に空白がない",
       protects="数字と単位の間、日本語と数字の間、数字の中に空白がないことを確かめます（PDF からの抽出の名残）。")
def spaces_around_numbers(doc: Document) -> Iterator[Finding]:
    """No space between a number and its unit (「2020 年度」「1, 135 万件」): a residue of PDF
    extraction that also breaks line-breaking and searching.  The labels 「別紙1　…」「図1　…」
    「表1　…」 keep their separator, and the address of a link or an image is no text."""
    for unit in text_units(doc, with_headings=True):
        text = without_markup(unit.text)
        for rx, where in SPACE_PATTERNS:
            for m in rx.finditer(text):
                snippet = _word(text, m.start() + 1)
                yield finding(_at(unit, m.start()), f"{where}に空白があります（「{snippet}」）。",
                              "空白を削除してください。", [unit.section, snippet])


PAIRS = [("「", "」"), ("『", "』"), ("【", "】"), ("［", "］")]
PARENS = ("(（", ")）")  # half- and full-width parentheses are mixed in the plan; they pair with each other


LABEL_PAREN_RE = re.compile(r"(?<![(0-9A-Za-z])(?:\d{1,2}|[a-z])\)")  # the labels 1) and a) are not brackets


BRACKET_CHARS = re.compile("[" + re.escape("".join(o + c for o, c in PAIRS) + "".join(PARENS)) + "]")


def _unbalanced(text: str) -> str | None:
    marks = BRACKET_CHARS.findall(LABEL_PAREN_RE.sub("", text))  # only the brackets matter
    for open_, close in PAIRS + [PARENS]:
        depth = 0
        for ch in marks:
            if ch in open_:
                depth += 1
            elif ch in close:
                depth -= 1
                if depth < 0:
                    return f"閉じ「{ch}」に対応する開き"
        if depth > 0:
            return f"開き「{open_[0]}」に対応する閉じ"
    return None


@rule("DG604", "括弧「」（）の対応が取れている",
       protects="段落ごとに「」（）などの括弧の対応が取れていることを確かめます（半角と全角の丸括弧は対にしてよい）。")
def balanced_brackets(doc: Document) -> Iterator[Finding]:
    """In every paragraph, each 「 has its 」 and each （ or ( its ） or ) (the plan mixes
    full- and half-width parentheses, so those pair with each other)."""
    for unit in text_units(doc):
        problem = _unbalanced(without_markup(unit.text))
        if problem:
            # pin the finding to the sentence that is unbalanced by itself, if there is one
            snippet = next((s.strip() for s in sentences(unit.text) if _unbalanced(without_markup(s))), unit.text.strip())
            yield finding(unit.loc, f"括弧の対応が取れていません（{problem}がありません）：「{snippet[:60]}{'…' if len(snippet) > 60 else ''}」",
                          "括弧を補うか削除してください。計画の原文どおりであれば accepted.yaml で受け入れます。",
                          [unit.section, snippet])


@rule("DG605", "用語が用語集の表記と一致する",
       protects="用語が用語集（content/terms.yaml）の表記と一致することを確かめます。用語集は計画自身の表記から始めています。")
def term_dictionary(doc: Document) -> Iterator[Finding]:
    """Terms are spelled as the plan spells them (content/terms.yaml, started from the plan's
    own usage: デジタル・ガバメント, ワンスオンリー, e-Gov …): a variant spelling is reported with
    the preferred one."""
    terms = [t for t in doc.terms if t.kind == "用語"]  # 表記 entries are DG608's
    variants = [re.escape(v) for t in terms for v in t.variants if v]
    if not variants:
        return
    any_variant = re.compile("|".join(variants))  # one scan tells which units need a closer look
    for unit in text_units(doc):
        if not any_variant.search(unit.text):
            continue
        for term in terms:
            for variant in term.variants:
                start = 0
                while (i := unit.text.find(variant, start)) >= 0:
                    start = i + len(variant)
                    if term.preferred in unit.text[max(0, i - len(term.preferred)): i + len(term.preferred) + len(variant)] \
                            and variant in term.preferred:
                        continue  # the variant is part of the preferred spelling here
                    yield finding(_at(unit, i), f"「{variant}」は用語集では「{term.preferred}」と書きます。",
                                  f"「{term.preferred}」に直してください（用語集: {term.loc}）。計画の原文どおりであれば accepted.yaml で受け入れます。",
                                  [unit.section, variant, unit.text.strip()[:80]])


KINDS_OF_INVISIBLE = {
    "Cc": "制御文字", "Cf": "書式制御（書字方向の上書き、ゼロ幅文字など）", "Zl": "行区切り", "Zp": "段落区切り",
    "Co": "私用領域の文字", "Cs": "サロゲート", "Cn": "未定義の文字",
}


@rule("DG610", "見えない文字・制御文字がない",
       protects="制御文字（NUL、ESC など）、書字方向の上書き（U+202E など）、ゼロ幅文字、文中の BOM、行区切り（U+2028）のように、"
                "画面に見えないのに文の意味や表示を変えてしまう文字がないことを確かめます。")
def invisible_characters(doc: Document) -> Iterator[Finding]:
    """No invisible or control character stands in any content file (Markdown, YAML, comments
    included): NUL, ESC, VT, U+0085, bidi overrides and isolates, zero-width characters, a BOM
    inside the text, line and paragraph separators, private-use and unassigned code points,
    blank Hangul fillers.  Each reorders or hides what a reviewer reads ("Trojan source") or
    drives a terminal; the plan needs none.  Tabs and newlines are fine."""
    import unicodedata as ud

    from ..safetext import describe, invisible

    for src in doc.sources:
        if src.path.startswith("source/") or src.text.isprintable():
            continue  # the extracted source text is shown as it was extracted (tabs included)
        for n, line in enumerate(src.text.split("\n"), 1):
            if line.isprintable():
                continue
            for i, ch in enumerate(line):
                if invisible(ch):
                    kind = KINDS_OF_INVISIBLE.get(ud.category(ch), "見えない文字")
                    near = "".join(c for c in line[max(0, i - 8): i + 9] if not invisible(c))
                    yield finding(Loc(src.path, n, i + 1), f"見えない文字 {describe(ch)} があります（{kind}。「{near}」のあたり）。",
                                  "削除してください（エディタで見えないため、カーソルを左右に動かして探します）。"
                                  "計画に必要な文字であれば、理由を書いて accepted.yaml で受け入れます。",
                                  [src.path, f"U+{ord(ch):04X}", near])


@rule("DG611", "表計算ソフトで式になる文字で始まる値がない", "warning",
       protects="オープンデータの CSV に出る文言（KPI の指標・注記、表の区分など）が「=」「+」「-」「@」で始まらないことを確かめます"
                "（Excel で式として実行されるおそれがあります。CSV では先頭に「'」を付けて無害にしますが、元の文言を直すのが確実です）。")
def formula_like_text(doc: Document) -> Iterator[Finding]:
    """No text that goes into the CSV files starts like a spreadsheet formula (``=HYPERLINK(…)``,
    ``@SUM(…)``, ``+``, ``-``, a tab, CR, or their full-width forms): the CSV writer neutralises
    such cells with an apostrophe (OWASP), but text of a plan never needs to start so, and a
    reviewer should see where it does."""
    from ..safetext import FORMULA_START

    for unit in text_units(doc, with_headings=False):
        if unit.kind in ("data", "kpi") and unit.text.startswith(FORMULA_START):
            yield finding(unit.loc, f"「{unit.text[:30]}」は表計算ソフトで式として読まれる文字で始まっています。",
                          "先頭の記号を削るか、全角の記号・言葉に書き換えてください（CSV では先頭に「'」を付けて出力します）。",
                          [unit.text[:60]])
