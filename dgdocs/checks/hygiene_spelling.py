"""DG608–DG609 — one spelling per word (表記ゆれ).

A plan revised by many hands writes one word two ways: 全て and すべて, サーバー and サーバ,
取組 and 取り組み.  DG608 reads the curated dictionary (the 表記 entries of content/terms.yaml,
each with the form the government's style guide prefers and why: 「公用文作成の考え方」
(2022年 文化審議会建議) and the rules it follows — 常用漢字表, 「公用文における漢字使用等について」
(平成22年内閣訓令第1号), 「送り仮名の付け方」, 「外来語の表記」); DG609 finds variants the
dictionary does not know yet: a katakana word with and without its final 「ー」 or its
「・」, a compound noun with and without its okurigana (取り組み/取組).  Both report a word only
when the plan writes it more than one way.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterator

from ..model import Document, Finding, Term
from .registry import finding, rule
from .cache import per_document
from .units import UnitView, views


def _find_all(text: str, word: str) -> Iterator[int]:
    start = 0
    while word and (i := text.find(word, start)) >= 0:
        yield i
        start = i + 1


def _covered(text: str, i: int, n: int, contexts: tuple[str, ...]) -> bool:
    """Whether text[i:i+n] lies inside an occurrence of one of *contexts*."""
    for ctx in contexts:
        for j in _find_all(text[max(0, i - len(ctx)): i + n + len(ctx)], ctx):
            j += max(0, i - len(ctx))
            if j <= i and i + n <= j + len(ctx):
                return True
    return False


def term_uses(term: Term, unit: UnitView) -> dict[str, list[int]]:
    """form → columns where the unit writes it (a variant inside the preferred form, inside a
    context of ``not_in``, or not followed as ``followed_by`` asks, does not count)."""
    text = unit.plain
    out: dict[str, list[int]] = {}
    preferred = list(_find_all(text, term.preferred))
    if preferred:
        out[term.preferred] = preferred
    for v in term.variants:
        cols = []
        for i in _find_all(text, v):
            if _covered(text, i, len(v), (term.preferred,) + term.not_in):
                continue
            if term.followed_by and not any(text.startswith(f, i + len(v)) for f in term.followed_by):
                continue
            cols.append(i)
        if cols:
            out[v] = cols
    return out


@per_document
def spellings(doc: Document) -> tuple[tuple[Term, dict[str, list[tuple[UnitView, int]]]], ...]:
    """Every 表記 entry with where the plan writes each of its forms (once per run)."""
    entries = [t for t in doc.terms if t.kind == "表記"]
    by_word: dict[str, list[int]] = defaultdict(list)
    for n, term in enumerate(entries):
        for w in (term.preferred,) + term.variants:
            if w:
                by_word[w].append(n)
    forms: list[dict[str, list[tuple[UnitView, int]]]] = [defaultdict(list) for _ in entries]
    if by_word:
        # one scan of each unit for every word of the dictionary, then a closer look at its entries
        by_first: dict[str, list[str]] = defaultdict(list)
        for w in by_word:
            by_first[w[0]].append(w)
        # a lookahead finds every starting place, overlapping ones too (「サーバ」 inside 「サーバー」)
        words = re.compile("(?=(?:" + "|".join(re.escape(w) for w in sorted(by_word, key=len, reverse=True)) + "))")
        for unit in views(doc):
            hit = {n for m in words.finditer(unit.plain) for w in _words_at(m, by_first) for n in by_word[w]}
            for n in sorted(hit):
                for form, cols in term_uses(entries[n], unit).items():
                    forms[n][form].extend((unit, c) for c in cols)
    return tuple((term, dict(f)) for term, f in zip(entries, forms))


def _words_at(m: re.Match, by_first: dict[str, list[str]]) -> list[str]:
    """The dictionary words that start where *m* does (a shorter one may hide in a longer)."""
    i = m.start()
    return [w for w in by_first.get(m.string[i], ()) if m.string.startswith(w, i)]


def _counts(forms: dict[str, list]) -> str:
    return "、".join(f"「{f}」{len(uses)}箇所" for f, uses in forms.items())


@rule("DG608", "一つの語を二通りに書かない（用語集の表記）",
       protects="計画が一つの語を二通りに書いているとき（すべて／全て、サーバ／サーバー、取り組み／取組 など）、用語集（content/terms.yaml の kind: 表記）の、政府の表記の基準（「公用文作成の考え方」とそれが従う常用漢字表・「公用文における漢字使用等について」など）が採る形と、その理由を示して知らせます。")
def one_spelling_per_word(doc: Document) -> Iterator[Finding]:
    """A word of the 表記 dictionary that the plan writes in more than one form is reported at
    each use of a form other than the preferred one, with the preferred form and the
    reason the style guide gives (``basis``).  A word the plan always writes one way is
    consistent and not reported here, whichever form it is."""
    for term, forms in spellings(doc):
        if len(forms) < 2:
            continue
        for form, uses in forms.items():
            if form == term.preferred:
                continue
            others = "」「".join(f for f in forms if f != form)
            for unit, col in uses:
                yield finding(unit.at(col),
                              f"「{form}」と書いていますが、計画は同じ語を「{others}」とも書いています（{_counts(forms)}）。"
                              f"政府の表記の基準では「{term.preferred}」です：{term.basis}",
                              f"「{term.preferred}」に揃えてください（用語集: {term.loc}）。計画の原文どおりであれば accepted.yaml で受け入れます。",
                              [unit.section, form, unit.text.strip()[:80]])


# ------------------------------------------------------------------ variants the dictionary does not know

KATAKANA_WORD = re.compile(r"[ァ-ヶー]+(?:・[ァ-ヶー]+)*")
# a compound noun with okurigana: 取り組み, 見積り, 申し込み (kanji, a kana of the い/え rows, kanji, and
# optionally such a kana or 「もり」「わせ」), used as a noun: followed by a particle or a closing bracket
OKURI = "いきしちひみりえけせめれぎじび"  # not に・て・で…: particles, not okurigana
OKURIGANA_NOUN = re.compile(
    rf"(?<![一-龯々ァ-ヶ])(?P<word>[一-龯々][{OKURI}][一-龯々](?:[{OKURI}]|もり|わせ)?|[一-龯々]{{2}}(?:[{OKURI.replace('し', '').replace('じ', '')}]|もり|わせ))"
    r"(?=[をがはのもへ」）)]|や(?!す))")  # not 「利用し」「開発しやすい」: verbs of する
MIN_KATAKANA = 3


@per_document
def detected_variants(doc: Document) -> tuple[tuple[str, str, dict[str, list[tuple[UnitView, int]]]], ...]:
    """(kind of variation, preferred or "" , form → uses) for every word the plan writes more
    than one way that no 表記 or 用語 entry covers (once per run)."""
    known = {w for t in doc.terms for w in (t.preferred,) + t.variants}
    katakana: dict[str, list[tuple[UnitView, int]]] = defaultdict(list)
    nouns: dict[str, list[tuple[UnitView, int]]] = defaultdict(list)
    for unit in views(doc):
        text = unit.plain
        for m in KATAKANA_WORD.finditer(text):
            if len(m.group(0)) >= MIN_KATAKANA:
                katakana[m.group(0)].append((unit, m.start()))
        for m in OKURIGANA_NOUN.finditer(text):
            nouns[m.group("word")].append((unit, m.start()))
    out = []
    seen: set[str] = set()
    for word in sorted(katakana):
        for other, why, preferred in ((word + "ー", "語末の長音", word + "ー"), (word.replace("・", ""), "中点", "")):
            if other == word or other not in katakana or {word, other} & known or word in seen:
                continue
            seen |= {word, other}
            out.append((why, preferred, {other: katakana[other], word: katakana[word]}))
    by_skeleton: dict[str, list[str]] = defaultdict(list)
    for word in sorted(nouns):
        if re.search(f"[{OKURI}もわ]", word):
            by_skeleton[re.sub(r"[ぁ-ん]", "", word)].append(word)
    for skeleton, forms in sorted(by_skeleton.items()):
        bare = _bare_uses(doc, skeleton)
        variants = {f: nouns[f] for f in forms}
        if bare:
            variants[skeleton] = bare
        if len(variants) >= 2 and not set(variants) & known:
            out.append(("送り仮名", "", variants))
    return tuple(out)


def _is_kanji(ch: str) -> bool:
    return "一" <= ch <= "龯" or ch == "々"


def _bare_uses(doc: Document, skeleton: str) -> list[tuple[UnitView, int]]:
    """Where the compound is written without okurigana, standing alone as a noun: not inside a
    longer kanji compound, and followed by a particle or by neither kanji nor kana (「取組を」
    「取組、」 but not 「取組む」「取組方針」)."""
    out = []
    for u in views(doc):
        text = u.plain
        if skeleton not in text:
            continue
        for i in _find_all(text, skeleton):
            before = text[i - 1] if i else ""
            after = text[i + len(skeleton)] if i + len(skeleton) < len(text) else ""
            if before and _is_kanji(before):
                continue
            if after in "をがはのもやへ" and after or not (after and (_is_kanji(after) or "ぁ" <= after <= "ん")):
                out.append((u, i))
    return out


@rule("DG609", "一つの語を二通りに書かない（用語集にない表記ゆれ）", "warning",
       protects="用語集にない語でも、計画が二通りに書いている語（語末の「ー」の有無、「・」の有無、名詞の送り仮名の有無：取り組み／取組）を知らせます。どちらに揃えるかを決めたら、用語集（content/terms.yaml）に kind: 表記 として加えます。")
def detected_spelling_variants(doc: Document) -> Iterator[Finding]:
    """Words the dictionary does not cover but the plan writes two ways: a katakana word with
    and without its final 「ー」 (「外来語の表記」, which 「公用文作成の考え方」 follows, writes
    the long vowel: サーバー), with and without its 「・」, a compound noun with and without
    its okurigana.  The less used form is reported at each use (for 「ー」, the form without
    it); the editor settles the word by adding it to content/terms.yaml."""
    for why, preferred, forms in detected_variants(doc):
        target = preferred or max(forms, key=lambda f: (len(forms[f]), f))
        for form, uses in sorted(forms.items()):
            if form == target:
                continue
            for unit, col in uses:
                basis = "「外来語の表記」（平成3年内閣告示第2号）は英語の語末の -er などを長音符号「ー」で書くことを原則とする。" \
                    if why == "語末の長音" else f"計画で多く使われているのは「{target}」です。"
                yield finding(unit.at(col), f"「{form}」と「{target}」が混在しています（{why}、{_counts(forms)}）。{basis}",
                              "どちらかに揃え、用語集（content/terms.yaml）に kind: 表記 として加えてください。計画の原文どおりであれば accepted.yaml で受け入れます。",
                              [unit.section, form, unit.text.strip()[:80]])
