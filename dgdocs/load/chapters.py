"""The chapters: Markdown files split at their headings into the section tree, footnotes lifted out."""

from __future__ import annotations

import hashlib

from .. import markup
from ..model import (
    Chapter, Footnote, Heading, Loc, Section,
)
from ..names import reserved_id
from .files import Context, read_text


def _derived_id(parent: str, title: str) -> str:
    return f"{parent}-h{hashlib.sha1(title.encode()).hexdigest()[:6]}"


def read_chapter(ctx: Context, rel: str, where: Loc | None = None) -> Chapter | None:
    text = read_text(ctx, rel, where)
    if text is None:
        return None
    lines = text.split("\n")
    headings = markup.scan_headings(text)
    if not headings:
        ctx.err("DG009", Loc(rel, 1), "章のファイルに見出しがありません。",
                "1行目に「# I. 基本事項 {#basics}」のような章の見出しを書いてください。")
        return None
    first = headings[0]
    if first.level != 1 or any(l.strip() for l in lines[: first.line - 1]):
        ctx.err("DG009", Loc(rel, 1), "章のファイルは章の見出し（# で始まる行）から始めてください。",
                "見出しより前の文章は、どの節にも属さないため表示できません。")
    elif first.id is None and first.raw_id is None:
        ctx.err("DG009", Loc(rel, first.line), "章の見出しに id（{#…}）がありません。",
                "章の id はそのページのファイル名になります。「# I. 基本事項 {#basics}」のように、"
                "半角英小文字・数字・ハイフンの id を付けてください。")
    for h in headings[1:]:
        if h.level == 1:
            ctx.err("DG009", Loc(rel, h.line), "1つのファイルに章の見出し（#）が2つあります。",
                    "章ごとにファイルを分けてください（plan.yaml の chapters に追加します）。")
    for h in headings:
        why = reserved_id(h.id) if h.id else None
        if why:
            ctx.err("DG012", Loc(rel, h.line), f"見出しの id「{h.id}」は{why}として予約されています。",
                    "ほかの id を付けてください（そのままではサイトのページや部品と重なり、上書きされます）。")
    # footnote definitions are lifted out of the bodies
    footnotes: list[Footnote] = []
    fn_lines: set[int] = set()
    for n, line in markup.iter_lines_outside_fences(text):
        fm = markup.FOOTNOTE_DEF_RE.match(line)
        if fm:
            footnotes.append(Footnote(label=fm.group("label"), text=fm.group("text").strip(), loc=Loc(rel, n)))
            fn_lines.add(n)
    # sections: (heading line, body first line, body last line) in order
    nodes: list[tuple[markup.HeadingLine, int, int]] = []
    prev_level = 0
    for i, h in enumerate(headings):
        if h.level > prev_level + 1 and prev_level:
            ctx.err("DG009", Loc(rel, h.line),
                    f"見出しの階層が飛んでいます（{'#' * prev_level} の次に {'#' * h.level}）。",
                    "「#」の数は計画の階層（I. → (1) → ア. → ① → 1) → a) → (ア)）の深さに合わせ、1段ずつ下げてください。")
        prev_level = h.level
        if h.raw_id is not None and h.id is None:
            ctx.err("DG009", Loc(rel, h.line), f"見出しの id「{h.raw_id}」に使えない文字があります。",
                    "id は半角英小文字・数字・ハイフン（例: {#gov-platform}）で書いてください。")
        end = headings[i + 1].line - 1 if i + 1 < len(headings) else len(lines)
        nodes.append((h, h.line + 1, end))
    # build the tree with a stack of open sections; a section closes at the next heading of its level or above
    result_root: Section | None = None
    open_: list[tuple[Heading, int, int, list[Section]]] = []

    def close_until(level: int) -> None:
        nonlocal result_root
        while open_ and open_[-1][0].level >= level:
            h, b0, b1, kids = open_.pop()
            body_lines = [("" if (b0 + k) in fn_lines else lines[b0 + k - 1]) for k in range(0, max(0, b1 - b0 + 1))]
            body = "\n".join(body_lines).strip("\n")
            lead = 0
            for bl in body_lines:
                if bl.strip():
                    break
                lead += 1
            sec = Section(heading=h, body=body, body_line=b0 + lead, children=tuple(kids))
            if open_:
                open_[-1][3].append(sec)
            else:
                result_root = sec

    for hl, b0, b1 in nodes:
        close_until(hl.level)
        parent = open_[-1][0].id if open_ else ""
        hid = hl.id or _derived_id(parent or rel, hl.title)
        heading = Heading(id=hid, marker=hl.marker, title=hl.title, level=hl.level, loc=Loc(rel, hl.line),
                          explicit_id=hl.id is not None)
        open_.append((heading, b0, b1, []))
    close_until(1)
    if result_root is None:  # pragma: no cover - guarded above
        return None
    return Chapter(path=rel, root=result_root, footnotes=tuple(footnotes), source=text)
