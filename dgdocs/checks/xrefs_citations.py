"""DG408–DG410 — citations of other documents: one title, one date, one kind, one number.

The plan cites documents with their dates and numbers: 「デジタル・ガバメント実行計画」（令和元年
12月20日閣議決定）, 官民データ活用推進基本法（平成28年法律第16号）, 2018年7月に策定された
「電子決裁移行加速化方針」.  :func:`citations` builds the registry of every such citation
(title → date, issuing body and kind, law number) from the plan itself, once per run; the
rules then compare the citations of one title with each other (DG408), check the form of
each law number and date (DG409), and compare them with the official dates an editor has
pinned in ``content/data/citations.yaml`` (DG410).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterator

from ..model.record import record
from ..model import Document, Finding, Loc
from .datetext import DateExpr, date_expressions, dated_units
from .registry import finding, rule
from .cache import per_document
from .units import UnitView, views

# the kinds of decision a citation names, longest first (「最終改定」 before 「改定」)
KINDS = ("閣議決定", "閣僚会議決定", "最終改定", "申合せ", "申し合わせ", "決定", "改定", "改正", "通知", "策定")
LAW_NUMBER = re.compile(
    r"(?P<era>明治|大正|昭和|平成|令和)?(?P<n>元|\d{1,4})年(?P<body>[^\s\d()第年]{0,12}?)"
    r"(?P<kind>法律|政令|府令|省令|規則|訓令|告示|条例)(?P<dai>第)?(?P<num>\d{1,4})(?P<go>号)?")
TITLE_END_LAW = re.compile(r"(?:法律|法|政令|令|規則|訓令|告示|条例)$")
LEADING_CONJUNCTION = re.compile(r"^(?:及び|並びに|又は|若しくは|また、?)")


@record(slots=False)
class Citation:
    title: str
    loc: Loc
    section: str
    written: str  # the citation as written: 「title」（…）
    date: DateExpr | None  # the date of the cited document (None: the citation gives none)
    body: str  # the issuing body and kind as written after the date: 「各府省官房長等申合せ」
    kind: str  # one of KINDS, or "" when the citation names none
    number: str  # the law number as written: 「令和元年法律第16号」
    number_match: re.Match | None
    mention: bool  # a date written before the title (「2018年7月に策定された「…」」), not in brackets


def pairs(text: str, opening: str, closing: str) -> dict[int, int]:
    """opening column → closing column of every matched pair, nesting counted, in one pass."""
    out, stack = {}, []
    for i, ch in enumerate(text):
        if ch == opening:
            stack.append(i)
        elif ch == closing and stack:
            out[stack.pop()] = i
    return out


TITLE_BACK = 80  # a name written without 「」 is looked for this far back from its bracket


def _law_title(text: str, end: int) -> str:
    """The name of a law written without 「」 before column *end*: back to the last 、。 or bracket."""
    lo = max(0, end - TITLE_BACK)
    start = max(text.rfind(c, lo, end) for c in "、。「」()") + 1
    name = text[max(start, lo):end].strip()
    for lead in ("においては", "では", "は"):
        if lead in name:
            name = name.rsplit(lead, 1)[1]
    return LEADING_CONJUNCTION.sub("", name.strip())


INSIDE_HEAD = 200  # the date, body and number of a citation stand at the start of its brackets


def _parse_inside(inside: str) -> tuple[DateExpr | None, str, str, str, re.Match | None]:
    """(date, body and kind, kind, law number, its match) of the text inside a citation's brackets."""
    head = inside[:INSIDE_HEAD].split("。", 1)[0]
    law = LAW_NUMBER.search(head)
    exprs = date_expressions(head)
    date = exprs[0] if exprs and exprs[0].start == 0 and exprs[0].day else None
    body = ""
    if date is not None:
        rest = head[date.after:]
        body = rest.split("。", 1)[0].strip()
    kind = next((k for k in KINDS if body.endswith(k)), "")
    number = law.group(0) if law else ""
    return date, body, kind, number, law


def _unit_citations(unit: UnitView) -> Iterator[Citation]:
    text = unit.nfkc
    parens = pairs(text, "(", ")")
    quotes = {close: open_ for open_, close in pairs(text, "「", "」").items()}
    for m in re.finditer(r"[」]?\(", text):
        open_ = m.end() - 1
        close = parens.get(open_)
        if close is None:
            continue
        inside = text[open_ + 1:close]
        date, body, kind, number, law = _parse_inside(inside)
        if date is None and not number:
            continue
        if m.group(0).startswith("」"):
            q = quotes.get(m.start())
            if q is None:
                continue
            title, first = text[q + 1:m.start()], q
        else:
            # a name written without 「」: a law before its number, or a document before its date
            title = _law_title(text, open_)
            if number and not TITLE_END_LAW.search(title):
                title = ""
            elif not number and (len(title) < 3 or not (kind or inside.strip() == date.text)):  # type: ignore[union-attr]
                continue  # a date in brackets after something that is not a title
            first = open_ - len(title)
        if law is not None and law.start() != 0 and date is None:
            continue  # 「…（…法律第N号…）」 where the number is not the citation's own
        yield Citation(title, unit.at_nfkc(first), unit.section, unit.written(first, close + 1), date, body, kind,
                       number, law, False)


MENTION_VERB = re.compile(r"に(?:策定|決定|閣議決定|改定)(?:した|された|し、|され、)?(?=「)")


def _mentions(unit: UnitView, exprs: tuple[DateExpr, ...]) -> Iterator[Citation]:
    """「2018年7月に策定された「電子決裁移行加速化方針」」: a date written before the title."""
    text = unit.nfkc
    quotes: dict[int, int] | None = None
    for e in exprs:
        m = MENTION_VERB.match(text, e.after)
        if m is None or e.month is None:
            continue
        if quotes is None:
            quotes = pairs(text, "「", "」")
        q = m.end()
        close = quotes.get(q)
        if close is None:
            continue
        yield Citation(text[q + 1:close], unit.at_nfkc(e.start), unit.section, unit.written(e.start, close + 1), e,
                       "", "", "", None, True)


@per_document
def citations(doc: Document) -> tuple[Citation, ...]:
    """The registry of the plan's citations, in the order they stand (once per run)."""
    out: list[Citation] = []
    dated = {id(unit): exprs for unit, exprs in dated_units(doc)}
    for unit in views(doc):
        if "(" in unit.nfkc:
            out.extend(_unit_citations(unit))
        if id(unit) in dated:
            out.extend(_mentions(unit, dated[id(unit)]))
    return tuple(out)


def _key(title: str) -> str:
    return re.sub(r"\s", "", title)


def _same_day(a: DateExpr, b: DateExpr) -> bool:
    """Whether two dates can be the same day, each at its own precision."""
    sa, sb = a.interval, b.interval
    return sa is not None and sb is not None and sa[0] <= sb[1] and sb[0] <= sa[1]


def _is_official(date: DateExpr, versions: tuple) -> bool:
    """Whether *date* names one of the official dates of a document's versions (DG410's data)."""
    span = date.interval
    return span is not None and any(span[0] <= d <= span[1] for d in versions)


@rule("DG408", "同じ文書の引用は、日付・種別・番号が一致する",
       protects="計画が同じ文書を何度か引用するとき（「デジタル・ガバメント実行計画」（令和元年12月20日閣議決定）など）、日付、決定の種別（閣議決定・申合せなど）、法令番号がどの引用でも一致することを確かめます。計画自身の引用から文書の一覧を作って比べます。")
def citations_agree(doc: Document) -> Iterator[Finding]:
    """Every citation of one title agrees with the first that gives the same fields: the date
    (at the precision each writes: 「2018年7月に策定された」 agrees with 「平成30年7月20日」),
    the kind of decision (閣議決定, 申合せ, 決定 by a named body) and the law number.

    The registry is the plan's own citations; a title cited once cannot disagree.  The later
    citation is reported, with the earlier one it contradicts.  Two dates that are both official
    dates of the document's versions (content/data/citations.yaml) cite two versions, not a slip.
    """
    official = {_key(r.title): r.dates for r in doc.citation_refs}
    by_title: dict[str, list[Citation]] = defaultdict(list)
    for c in citations(doc):
        if c.title:
            by_title[_key(c.title)].append(c)
    for cites in by_title.values():
        first_date = next((c for c in cites if c.date is not None and not c.mention), None) or \
            next((c for c in cites if c.date is not None), None)
        first_body = next((c for c in cites if c.body), None)
        first_number = next((c for c in cites if c.number), None)
        for c in cites:
            problems = []
            versions = official.get(_key(c.title), ())
            if first_date and c is not first_date and c.date and first_date.date and not _same_day(c.date, first_date.date) \
                    and not (_is_official(c.date, versions) and _is_official(first_date.date, versions)):
                problems.append((f"日付（{c.date.describe()}）", first_date, first_date.date.describe()))
            if first_body and c is not first_body and c.body and c.body != first_body.body:
                problems.append((f"種別・決定した機関（{c.body}）", first_body, first_body.body))
            if first_number and c is not first_number and c.number and c.number != first_number.number:
                problems.append((f"番号（{c.number}）", first_number, first_number.number))
            for what, other, theirs in problems:
                yield finding(c.loc, f"「{c.title}」の{what}が、{other.loc} の引用（{theirs}）と違います。",
                              "どちらの引用が正しいか確かめ、揃えてください。計画の原文どおりであれば accepted.yaml で受け入れます。",
                              [c.section, c.title, c.written, other.written])


def _citation_date_problem(c: Citation, doc: Document) -> str | None:
    if c.date is None:
        return None
    span = c.date.interval
    if span is None or not c.date.exists:
        return None  # an impossible date: DG302
    latest = doc.plan.latest.date
    if span[0] > latest:
        return f"日付（{c.date.describe()}）が計画の改定日（{latest.year}年{latest.month}月{latest.day}日）より後です"
    return None


def _number_problem(m: re.Match) -> str | None:
    if not m.group("era"):
        return "法令番号の年が西暦で書かれています（法令番号は「令和元年法律第16号」のように元号で書きます）"
    if not m.group("dai"):
        return "「第」がありません（「…年…第N号」の形で書きます）"
    if not m.group("go"):
        return "「号」がありません（「…年…第N号」の形で書きます）"
    if m.group("num").startswith("0"):
        return f"番号「{m.group('num')}」が 0 で始まっています"
    return None


@rule("DG409", "引用の法令番号・日付の形が正しい",
       protects="引用の法令番号が「令和元年法律第16号」の形（元号、「第」、「号」）で書かれていること、引用した文書の日付が計画の改定日より後でないことを確かめます（存在しない日付は DG302 が確かめます）。")
def citation_forms(doc: Document) -> Iterator[Finding]:
    """Each law number is written in the official form — 元号 and year, the kind (法律・政令・
    省令・訓令・告示 …), 「第」, the number and 「号」 (「令和元年法律第16号」) — and no cited
    document is dated after the plan's own latest revision (a citation cannot postdate the
    text that cites it).  Dates that do not exist are DG302's.
    """
    for c in citations(doc):
        problems = []
        if c.number_match is not None:
            p = _number_problem(c.number_match)
            if p:
                problems.append((f"法令番号「{c.number}」", p))
        p = _citation_date_problem(c, doc)
        if p:
            problems.append(("引用", p))
        for what, why in problems:
            yield finding(c.loc, f"「{c.title or c.written}」の{what}：{why}。",
                          "出典を確かめて直してください。計画の原文どおりであれば accepted.yaml で受け入れます。",
                          [c.section, c.written, why])


@rule("DG410", "引用の日付・番号が参照データの公式の日付・番号と一致する",
       protects="content/data/citations.yaml に編集者が出典で確かめた公式の日付（版ごとの決定・改定の日）や法令番号があるとき、計画の引用がそのどれかと一致することを確かめます。")
def citations_match_reference(doc: Document) -> Iterator[Finding]:
    """A citation of a document whose official dates (one per version) or law number an
    editor has pinned in content/data/citations.yaml, with the source where they were
    verified, names one of those dates (at the citation's precision) and that number.
    Documents without reference data are compared only with each other (DG408)."""
    refs = {_key(r.title): r for r in doc.citation_refs}
    for c in citations(doc):
        ref = refs.get(_key(c.title)) if c.title else None
        if ref is None:
            continue
        if c.date is not None and ref.dates and c.date.interval is not None:
            first, last = c.date.interval
            if not any(first <= d <= last for d in ref.dates):
                official = "、".join(f"{d.year}年{d.month}月{d.day}日" for d in ref.dates)
                yield finding(c.loc, f"「{c.title}」の日付（{c.date.describe()}）が、公式の日付（{official}）のどれとも一致しません。",
                              f"参照データ（{ref.loc}）の出典（source）で日付を確かめてください。計画の原文どおりであれば accepted.yaml で受け入れます。",
                              [c.section, c.written, official])
        if c.number and ref.number and re.sub(r"\s", "", c.number) != re.sub(r"\s", "", ref.number):
            yield finding(c.loc, f"「{c.title}」の法令番号（{c.number}）が公式の番号（{ref.number}）と違います。",
                          f"参照データ（{ref.loc}）の出典（source）で番号を確かめてください。",
                          [c.section, c.written, ref.number])
