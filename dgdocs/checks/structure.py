"""DG5xx — structure: the plan's numbering (I. (1) ア. ① 1) a) (ア)) and references to it."""

from __future__ import annotations

import re
from typing import Iterator

from .. import markup
from ..model import Document, Finding, Loc, Section
from .registry import finding, rule
from .text import prose_lines


def _check_siblings(parent_text: str, children: list[Section]) -> Iterator[Finding]:
    kinds = [markup.marker_kind(c.heading.marker) for c in children]
    named = [(c, k) for c, k in zip(children, kinds) if k]
    for c, k in zip(children, kinds):
        if k is None:
            yield finding(c.heading.loc, f"見出し「{c.heading.text}」に計画の番号（I. (1) ア. ① 1) a) (ア)）がありません。",
                          "同じ階層の見出しと同じ種類の番号を付けてください。", [c.id, "no-marker"], severity="warning")
    if not named:
        return
    first_kind = named[0][1]
    for c, k in named[1:]:
        if k.name != first_kind.name:
            yield finding(c.heading.loc, f"「{c.heading.text}」の番号の種類（{k.example}）が、同じ階層の他の見出し（{first_kind.example}）と違います。",
                          f"「{parent_text}」の下の見出しは {first_kind.example} の形で揃えてください。", [c.id, c.heading.marker])
    expected = 1
    for c, k in named:
        if k.name != first_kind.name:
            continue
        ordinal = k.ordinal(c.heading.marker)
        if ordinal != expected:
            what = "重複しています" if ordinal < expected else "飛んでいます"
            yield finding(c.heading.loc, f"「{c.heading.text}」の番号が{what}（ここは {k.label(expected)} のはず）。",
                          "番号を付け直してください（見出しの {#id} は変えずに、番号だけを直します）。",
                          [c.id, c.heading.marker, f"expected={k.label(expected)}"])
        expected = ordinal + 1


@rule("DG501", "見出しの番号が順に並び、階層に合っている",
       protects="見出しの番号がどの階層でも順に並び（飛び・重複なし）、同じ種類で、計画の階層（I. → (1) → ア. → ① → 1) → a) → (ア)）に合っていることを確かめます。")
def heading_numbering(doc: Document) -> Iterator[Finding]:
    """At every level, siblings are numbered in order from the first label, with no gap and no
    duplicate, and all with the same kind of label; a child's label kind lies deeper in the
    plan's hierarchy (I. → (1) → ア. → ① → 1) → a) → (ア)) than its parent's.  The chapters
    themselves are numbered I., II., … across the files."""
    yield from _check_siblings("計画", [ch.root for ch in doc.chapters])
    for ch in doc.chapters:
        for sec in ch.sections():
            if sec.children:
                yield from _check_siblings(sec.heading.text, list(sec.children))
            pk = markup.marker_kind(sec.heading.marker)
            for c in sec.children:
                ck = markup.marker_kind(c.heading.marker)
                if pk and ck and ck.rank <= pk.rank:
                    yield finding(c.heading.loc, f"「{c.heading.text}」（{ck.example}）が「{sec.heading.text}」（{pk.example}）の下にありますが、番号の階層が逆です。",
                                  "計画の階層は I. → (1) → ア. → ① → 1) → a) → (ア) の順です。見出しの # の数を確かめてください。",
                                  [c.id, c.heading.marker, sec.heading.marker])


LABEL_TOKEN = r"(?:\(\d{1,2}\)|\d{1,2}\)|[a-z]\)|\([ア-ン]\)|[ア-ン](?![ァ-ヶー])|[①-⑳])"
REFERENCE_RE = re.compile(r"(?P<dir>上記|前記|下記)(?P<labels>(?:" + LABEL_TOKEN + r")+)")
HALF_PARENS = str.maketrans({"（": "(", "）": ")"})
QUOTED_RE = re.compile(r"「(?P<label>[ア-ン]|[a-z]\)|\d{1,2}\))[\s　](?P<title>[^」]{2,40})」")


def _tokens(labels: str) -> list[str]:
    return re.findall(LABEL_TOKEN, labels)


def _core(token: str) -> str:
    return token.strip("().")


def _marker_core(sec: Section) -> str:
    return _core(sec.heading.marker)


def _paragraph_labels(sec: Section) -> set[str]:
    """Labels that start paragraphs of a section's body (①書面申請… → ①)."""
    out = set()
    for line in sec.body.split("\n"):
        m = re.match(r"^\s*(?:-\s*)?([①-⑳]|\(\d{1,2}\)|\d{1,2}\)|[a-z]\)|\([ア-ン]\))", line)
        if m:
            out.add(_core(m.group(1)))
    return out


def _resolves(start: Section, tokens: list[str]) -> bool:
    """Whether the label path *tokens* names something at or under *start*'s children."""
    if not tokens:
        return True
    head, rest = _core(tokens[0]), tokens[1:]
    for child in start.children:
        if _marker_core(child) == head and _resolves(child, rest):
            return True
    if len(tokens) == 1 and head in _paragraph_labels(start):
        return True
    return False


@rule("DG502", "「上記イ①」のような参照が、そこにある番号を指している",
       protects="「上記イ①」「「エ 周知・啓発の強化」」のように番号で指す参照が、実在する番号を指していることを確かめます。番号を振り直したときの直し忘れを見つけます。")
def label_references_resolve(doc: Document) -> Iterator[Finding]:
    """A reference by label — 「上記イ①に掲げる手続」「上記②の状況」「「エ 周知・啓発の強化」」 — names
    a label that exists in the enclosing part of the plan (a heading or a numbered paragraph).
    Renumbering a section without its references leaves them pointing nowhere; this rule says so."""
    outline = doc.outline
    texts = [(sec, Loc(ch.path, n), line) for ch, sec, n, line in prose_lines(doc)]
    for line in doc.kpi_lines:
        if line.section in outline:
            texts.extend((outline.section(line.section), line.loc, t) for t in line.text)
    for sec, loc, line in texts:
        text = line.translate(HALF_PARENS)  # not NFKC: it would turn ① into 1
        ancestors = outline.ancestors(sec.id)
        for m in REFERENCE_RE.finditer(text):
            tokens = _tokens(m.group("labels"))
            if any(_resolves(a, tokens) for a in ancestors) or _resolves_in_siblings(ancestors, tokens):
                continue
            near = ancestors[1] if len(ancestors) > 1 else ancestors[0]
            have = "、".join(c.heading.marker for c in near.children) or "なし"
            yield finding(loc, f"「{m.group(0)}」が指す番号がありません（「{near.heading.text}」の下の番号は {have}）。",
                          "番号を付け直したときに参照を直し忘れていないか確かめてください。計画の原文どおりであれば accepted.yaml で受け入れます。",
                          [sec.id, m.group(0)])
        for m in QUOTED_RE.finditer(text):
            label, title = m.group("label"), m.group("title").strip()
            matches = [s for a in ancestors for s in a.walk() if s.heading.title.strip() == title]
            if matches and not any(_core(s.heading.marker) == _core(label) for s in matches):
                actual = matches[0].heading.marker
                yield finding(loc, f"「{m.group(0)}」の番号「{label}」が、その見出しの番号「{actual}」と違います。",
                              f"「{actual} {title}」を指すのであれば番号を直してください。計画の原文どおりであれば accepted.yaml で受け入れます。",
                              [sec.id, m.group(0), actual])


def _resolves_in_siblings(ancestors: list[Section], tokens: list[str]) -> bool:
    # 「上記②」 inside a numbered paragraph refers to a paragraph label of the same section
    return bool(ancestors) and len(tokens) == 1 and _core(tokens[0]) in _paragraph_labels(ancestors[0])


@rule("DG503", "見出しに変わらない id がある", "warning",
       protects="見出しに変わらない id（{#…}）が付いていることを確かめます。id がないと題名から仮の id を作るため、題名を変えるとリンクや新旧対照表の対応が切れます。")
def headings_have_ids(doc: Document) -> Iterator[Finding]:
    """Every heading carries an explicit {#id}.  Without one, dgdocs derives an id from the
    title, which changes when the title does — and with it every link, KPI, appendix row and
    新旧対照表 alignment that names the section."""
    for sec in doc.sections():
        if not sec.heading.explicit_id:
            yield finding(sec.heading.loc, f"見出し「{sec.heading.text}」に id がありません（仮の id「{sec.id}」を使っています）。",
                          "見出しの行末に {#英小文字-の-名前} を付けてください（計画全体で一意）。", [sec.heading.text])
