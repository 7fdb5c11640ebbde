"""DG4xx — cross-references: appendices, KPIs, footnotes, links and the table of contents."""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterator

from .. import markup, references
from ..model import Document, Finding, Loc, Section
from .registry import finding, rule
from .cache import per_document
from .text import lines_by_section, nfkc, prose_lines, sentences, subtree_ids, text_units

APPENDIX_INDEX_LINE = re.compile(r"^\s*-\s*別紙\s*(?P<n>\d+)\s*[\s\u3000]*(?P<title>.+?)\s*$")


def _appendix_numbers(text: str) -> list[tuple[int, int]]:
    return [(int(nfkc(m.group("n"))), m.start()) for m in markup.APPENDIX_RE.finditer(text)]


@rule("DG401", "本文の「別紙N」が存在する",
       protects="本文の「別紙N」（他の文書の「…実行計画別紙N」を除く）が実在することを確かめます。")
def appendix_mentions_exist(doc: Document) -> Iterator[Finding]:
    """Every 「別紙N」 the plan refers to (not 「…実行計画別紙N」, another document's) exists in
    content/appendices, so every such link on the site leads somewhere."""
    have = {a.number for a in doc.appendices}
    for unit in text_units(doc):
        for n, col in _appendix_numbers(unit.text):
            if n not in have:
                loc = Loc(unit.loc.file, unit.loc.line, col + 1) if unit.kind == "prose" else unit.loc
                yield finding(loc, f"「別紙{n}」がありません（あるのは {'、'.join(f'別紙{x}' for x in sorted(have)) or 'なし'}）。",
                              f"content/appendices/beppyo-{n}.yaml を作るか、番号を確かめてください。", [unit.section, f"別紙{n}"])


def _rows_by_appendix(doc: Document) -> dict[int, set[str]]:
    return {a.number: {r.section for r in a.rows()} for a in doc.appendices}


@rule("DG402", "本文が別紙に載せるとした項目に別紙の行がある",
       protects="本文が「詳細は別紙N」とした項目（「1)から9)については別紙2」など）に、その別紙の行があることを確かめます。")
def appendix_rows_for_what_the_prose_places_there(doc: Document) -> Iterator[Finding]:
    """When the prose says the details of its items are in 別紙N (「詳細については別紙4…を参照」,
    「1)から9)については別紙2…を、10)については別紙6…を参照」), each of those items has a row
    in that appendix (a row whose section is the item or lies inside it).

    A project added to the prose without its roadmap row, or a row dropped from an appendix
    while the text still sends the reader there, is reported.
    """
    rows = _rows_by_appendix(doc)
    for ch, sec, n, line in prose_lines(doc):
        if APPENDIX_INDEX_LINE.match(line):
            continue  # the list of appendices in VII (checked by DG407)
        for s in sentences(nfkc(line)):
            mentioned = _appendix_numbers(s)
            if not mentioned:
                continue
            targets: list[tuple[int, Section]] = []
            ranged = list(re.finditer(r"(\d+)\)(?:から(\d+)\))?については別紙(\d+)", s))
            if ranged:
                for m in ranged:
                    lo, hi, num = int(m.group(1)), int(m.group(2) or m.group(1)), int(m.group(3))
                    for child in sec.children:
                        k = markup.marker_kind(child.heading.marker)
                        if k and k.name == "number_paren" and lo <= k.ordinal(child.heading.marker) <= hi:
                            targets.append((num, child))
            else:
                for num, _ in mentioned:
                    targets.extend((num, c) for c in (sec.children or (sec,)))
            for num, target in targets:
                if num not in rows:
                    continue  # DG401
                inside = subtree_ids(target)
                if not rows[num] & inside:
                    yield finding(Loc(ch.path, n), f"本文は「{target.heading.text}」の詳細を別紙{num}に載せるとしていますが、別紙{num}にその行がありません。",
                                  f"content/appendices/beppyo-{num}.yaml に section: {target.id} の行を加えてください（工程の記載がなければ schedule: 本文に工程の記載なし）。",
                                  [target.id, f"別紙{num}"])


@rule("DG403", "KPI が本文にちょうど一度置かれ、置かれた節が登録簿と一致する",
       protects="KPI 登録簿のすべての KPI 行が本文にちょうど一度置かれ、置かれた節が登録簿の section と一致することを確かめます。")
def kpis_are_placed(doc: Document) -> Iterator[Finding]:
    """Every KPI line of kpis.yaml appears exactly once in the prose ({{kpi: id}}), in the
    section its ``section`` names.  An unplaced KPI would be in the KPI table but nowhere in
    the plan; a doubled one would be counted twice."""
    placed: dict[str, list[tuple[str, Loc]]] = {}
    for ch in doc.chapters:
        for sec in ch.sections():
            for use in references.scan_references(sec.body, sec.body_line):
                if use.kind == "directive" and use.name == "kpi":
                    placed.setdefault(use.arg, []).append((sec.id, Loc(ch.path, use.line)))
    for line in doc.kpi_lines:
        uses = placed.get(line.id, [])
        if not uses:
            yield finding(line.loc, f"KPI 行「{line.id}」が本文のどこにも置かれていません。",
                          f"節「{line.section}」の本文に {{{{kpi: {line.id}}}}} と書いてください。", [line.id, "unplaced"])
        for sid, loc in uses[1:]:
            yield finding(loc, f"KPI 行「{line.id}」が本文に2回以上置かれています（最初は {uses[0][1]}）。",
                          "どちらか一方を削除してください。", [line.id, "twice"])
        if uses and uses[0][0] != line.section:
            yield finding(uses[0][1], f"KPI 行「{line.id}」は節「{uses[0][0]}」に置かれていますが、kpis.yaml では節「{line.section}」です。",
                          "kpis.yaml の section を置いた節の id に直してください。", [line.id, uses[0][0], line.section])


@rule("DG404", "脚注が定義され、使われている",
       protects="脚注の番号 [^n] に脚注の文があり、脚注の文が参照されていることを確かめます。")
def footnotes_defined_and_used(doc: Document) -> Iterator[Finding]:
    """Every footnote mark [^n] of a chapter has its text ([^n]: …) in the same chapter, every
    footnote text is referred to, and no label is defined twice."""
    for ch in doc.chapters:
        defined = Counter(f.label for f in ch.footnotes)
        for f in ch.footnotes:
            if defined[f.label] > 1 and f is not next(x for x in ch.footnotes if x.label == f.label):
                yield finding(f.loc, f"脚注 [^{f.label}] が2回定義されています。", "番号を付け直してください。", [ch.path, f.label, "twice"])
        used: set[str] = set()
        texts = [(sec.body, sec.body_line) for sec in ch.sections()]
        kpi_texts = {line.id: line for line in doc.kpi_lines}
        for body, first in texts:
            for use in references.scan_references(body, first):
                if use.kind == "footnote":
                    used.add(use.name)
                    if use.name not in defined:
                        yield finding(Loc(ch.path, use.line, use.col), f"脚注 [^{use.name}] の本文（[^{use.name}]: …）がこの章にありません。",
                                      "章の末尾に脚注の文を書いてください。", [ch.path, use.name, "undefined"])
                if use.kind == "directive" and use.name == "kpi" and use.arg in kpi_texts:
                    for t in kpi_texts[use.arg].text:
                        for m in references.FOOTNOTE_REF_RE.finditer(t):
                            used.add(m.group("label"))
                            if m.group("label") not in defined:
                                yield finding(Loc(ch.path, use.line), f"KPI 行「{use.arg}」の脚注 [^{m.group('label')}] の本文がこの章にありません。",
                                              "章の末尾に脚注の文を書いてください。", [ch.path, m.group("label"), "undefined"])
        for f in ch.footnotes:
            if f.label not in used:
                yield finding(f.loc, f"脚注 [^{f.label}] はどこからも参照されていません。",
                              "本文に [^…] を置くか、脚注を削除してください。", [ch.path, f.label, "unused"])


@rule("DG420", "脚注のラベルが、表示される通し番号と合い、一度だけ使われている", "warning",
       protects="脚注は計画の初めからの通し番号（注1、注2 …）で表示されます。ラベル [^n] の数字がその番号と違うとき、"
                "同じラベルが別の章でも使われているとき、同じ脚注が2回呼ばれているときに知らせます。")
def footnote_labels_follow_the_numbering(doc: Document) -> Iterator[Finding]:
    """Every output numbers the notes through the plan in the order they are first called
    (dgdocs.load.numbering), whatever their labels.  A numeric label that is not that number
    ([^9] shown as 注2), a label used again in another chapter, or a note called twice (the
    second call shows only its number) reads differently in the source than in the plan."""
    from ..load.numbering import footnote_calls

    first_chapter: dict[str, str] = {}
    kpi_lines = {line.id: line for line in doc.kpi_lines}
    for ch in doc.chapters:
        for f in sorted(ch.footnotes, key=lambda f: f.number):
            if f.label.isdigit() and int(f.label) != f.number:
                yield finding(f.loc, f"脚注 [^{f.label}] は計画の{f.number}番目の脚注のため「注{f.number}」と表示されます（ラベルと番号が違います）。",
                              f"ラベルを [^{f.number}] に直してください（本文の [^{f.label}] も）。表示の番号はラベルによらず、計画の初めからの通し番号です。",
                              [ch.path, f.label, f"number={f.number}"])
            if f.label in first_chapter and first_chapter[f.label] != ch.path:
                yield finding(f.loc, f"脚注のラベル [^{f.label}] は {first_chapter[f.label]} でも使われています（ここでは「注{f.number}」と表示されます）。",
                              "ラベルは計画全体で一度だけ使ってください（表示の番号は通し番号です）。", [ch.path, f.label, "reused"])
            first_chapter.setdefault(f.label, ch.path)
        calls = Counter(footnote_calls(ch, kpi_lines))
        for f in ch.footnotes:
            if calls[f.label] > 1:
                yield finding(f.loc, f"脚注 [^{f.label}]（注{f.number}）が本文で{calls[f.label]}回呼ばれています（2回目からは番号だけを表示します）。",
                              "同じ注を2回示すときは「注{n}参照」のように本文に書くか、脚注を分けてください。".replace("{n}", str(f.number)),
                              [ch.path, f.label, "called-twice"])


_MARKUP = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+|\[\^%s\]|!?\[([^\[\]\n]*)\]\([^()\s]*(?:\s+\"[^\"]*\")?\)|[*`]"
                     % references.FOOTNOTE_LABEL, re.M)


def quotable(text: str) -> str:
    """Text as the fidelity test compares it: NFKC, without white space, without Markdown
    (list marks, footnote calls, emphasis, the address of a link)."""
    return re.sub(r"\s+", "", nfkc(_MARKUP.sub(lambda m: m.group(1) or "", text)))


@per_document
def section_texts(doc: Document) -> dict[str, str]:
    """Each section's own prose as a reader reads it (references resolved; the KPI lines it
    places as their wording), :func:`quotable`; the heading is not part of it."""
    out = {sid: quotable("".join(line for _, _, _, line in lines)) for sid, lines in lines_by_section(doc).items()}
    for line in doc.kpi_lines:
        out[line.section] = out.get(line.section, "") + quotable("".join(line.text))
    return out


@rule("DG421", "別紙の引用（quote）が、その節の本文にそのままある",
       protects="別紙の工程・時期・金額の引用（quote）が、行の節（section。別の節から引いたときは quote_section）の本文に、"
                "そのまま（全角・半角と空白の違いを除いて一字一句）あることを確かめます。本文にない記載が別紙に入り込むのを防ぎます。")
def appendix_quotes_are_quotes(doc: Document) -> Iterator[Finding]:
    """A roadmap row's ``quote`` is 本文の記載をそのまま引用: after the normalisation of the
    fidelity test (NFKC, no white space, no footnote calls) it occurs in the prose of the
    row's section or of a section under it — or of ``quote_section`` when the plan states
    the date elsewhere.  An invented or paraphrased quote is reported with the section it
    was sought in, and the section where the plan does say it, if any."""
    own = section_texts(doc)
    outline = doc.outline
    for a in doc.appendices:
        for row in a.rows():
            items = [("工程", t) for t in row.tasks] + [("時期", m) for m in row.milestones]
            items += [("金額", row.amount)] if row.amount else []
            for kind, item in items:
                q = quotable(item.quote)
                sid = item.quote_section or row.section
                if not q or sid not in outline:
                    continue  # an empty quote is the loader's (DG004), an unknown section DG007
                if q in "".join(own.get(s.id, "") for s in outline.section(sid).walk()):
                    continue
                where = next((s for s, text in own.items() if q in text), None)
                label = getattr(item, "label", "") or kind
                key = "quote_section に書いた節" if item.quote_section else "行の節"
                hint = (f"本文では {outline.path_text(where)}（{where}）にあります。その節から引用したのであれば、"
                        f"この項目に quote_section: {where} を書いてください。" if where else
                        "本文の記載を一字一句そのまま（。や「」も）引用してください。本文に記載がなければ、その工程・時期を"
                        "推測で書かないでください。")
                yield finding(item.loc, f"{a.label}の行「{row.id}」の{kind}「{label}」の引用「{item.quote}」が、{key} "
                              f"{outline.path_text(sid)}（{sid}）の本文にありません。", hint, [row.id, label, item.quote])


# linear: the text excludes "[" (no rescans from nested starts), the title starts after a space
LINK_RE = re.compile(r"(?<!!)\[(?!\^)[^\[\]]*\]\((?P<url>[^)\s]+)(?:\s[^)]*)?\)")


@rule("DG405", "本文中のリンクの行き先がある",
       protects="本文中のサイト内リンク（#id、ページ名.html#id）の行き先があることを確かめます。")
def internal_links_resolve(doc: Document) -> Iterator[Finding]:
    """Markdown links inside the site (``#id``, ``page.html#id``, ``beppyo-N.html``, ``kpis.html#kpi-…``)
    lead to a section, page or KPI that exists."""
    sections = {s.id for s in doc.sections()}
    pages = {ch.id for ch in doc.chapters} | {a.slug for a in doc.appendices} | {"index", "kpis", "errata"}
    anchors = sections | {f"kpi-{k.id}" for k in doc.kpis()} | {f"kpiline-{l.id}" for l in doc.kpi_lines}
    for ch, sec, n, line in prose_lines(doc):
        for m in LINK_RE.finditer(line):
            url = m.group("url")
            if re.match(r"^[a-z][a-z0-9+.\-]*:", url, re.I) or url.startswith("//"):
                continue  # external: not ours to check
            page, _, frag = url.partition("#")
            ok = (not page or page.removesuffix(".html") in pages) and (not frag or frag in anchors or frag in pages)
            if not ok:
                yield finding(Loc(ch.path, n, m.start() + 1), f"リンク先「{url}」がありません。",
                              "見出しの id（{#…}）やページ名を確かめてください。", [sec.id, url])


ROMAN_ORDER = ["I.", "II.", "III.", "IV.", "V.", "VI.", "VII.", "VIII.", "IX.", "X."]


@rule("DG406", "目次（章の並び）が見出しと一致する",
       protects="目次（plan.yaml の章の並び）が章の番号（I. II. …）と一致し、content/chapters のすべてのファイルが載っていることを確かめます。")
def table_of_contents(doc: Document) -> Iterator[Finding]:
    """The table of contents is the chapter list of plan.yaml: its order matches the chapter
    numbers (I., II., …) and every chapter file in content/chapters is listed, so no chapter is
    missing from the 目次, the site or the PDF."""
    listed = {ch.path for ch in doc.chapters}
    for path in doc.chapter_files:
        if path not in listed:
            yield finding(Loc(path, 1), f"{path} が plan.yaml の chapters にないため、目次にも出力にも含まれません。",
                          "plan.yaml の chapters に加えるか、不要なら削除してください。", [path, "unlisted"])
    for i, ch in enumerate(doc.chapters):
        expected = ROMAN_ORDER[i] if i < len(ROMAN_ORDER) else ""
        if ch.heading.marker != expected:
            yield finding(ch.heading.loc, f"目次の{i + 1}番目の章の番号が「{ch.heading.marker or '（なし）'}」です（「{expected}」のはず）。",
                          "plan.yaml の chapters の順序か、章の見出しの番号を直してください。", [ch.path, ch.heading.marker])


@rule("DG407", "別紙の一覧（VII）が別紙と一致する",
       protects="VII の別紙の一覧が、すべての別紙を、別紙自身と同じ題名で挙げていることを確かめます。")
def appendix_list_matches(doc: Document) -> Iterator[Finding]:
    """The list of appendices in the prose (「- 別紙1　デジタル・ガバメント実現のための…」) names
    every appendix once, with the title the appendix itself carries."""
    by_number = {a.number: a for a in doc.appendices}
    listed: dict[int, Loc] = {}
    for ch, sec, n, line in prose_lines(doc):
        m = APPENDIX_INDEX_LINE.match(line)
        if not m:
            continue
        num, title = int(m.group("n")), m.group("title").strip()
        listed[num] = Loc(ch.path, n)
        a = by_number.get(num)
        if a and nfkc(a.title) != nfkc(title):
            yield finding(Loc(ch.path, n), f"別紙{num}の題名が本文の一覧では「{title}」、別紙では「{a.title}」です。",
                          f"どちらかに揃えてください（{a.loc}）。", [f"別紙{num}", title, a.title])
    if listed:
        for a in doc.appendices:
            if a.number not in listed:
                yield finding(a.loc, f"{a.label}「{a.title}」が本文の別紙の一覧にありません。",
                              "VII の一覧に加えてください。", [a.label, "unlisted"])
