"""The 目次's leader dots drawn as one run of text a line (dgdocs.render.pdfleader): the page
looks exactly as WeasyPrint's one-box-a-dot leaders make it, with one text object a leader."""

from __future__ import annotations

import re

import pytest

from dgdocs.render import pdfleader

import pdfread

TOC = """<html lang="ja"><head><style>
@page { size: 120mm 80mm; margin: 10mm; } body { margin: 0; font-family: "BIZ UDMincho"; font-size: 10pt; }
li { list-style: none; } a { color: black; text-decoration: none; }
a::after { content: leader(".") attr(data-page); }
</style></head><body><ol>
<li><a href="#a" data-page="5">I. 基本事項</a></li>
<li><a href="#b" data-page="12">(1) 目的</a></li>
<li><a href="#c" data-page="123">(2) 長い見出しが次の行に折り返すほど長い場合でも点線は最後の行の終わりから番号まで続く</a></li>
</ol><p id="a">a</p><p id="b">b</p><p id="c">c</p></body></html>"""


def _lay_out(installed: bool) -> bytes:
    import weasyprint

    try:
        if installed:
            pdfleader.install()
        else:
            pdfleader.uninstall()
        return weasyprint.HTML(string=TOC).write_pdf()
    finally:
        pdfleader.uninstall()


def _text_objects(data: bytes) -> int:
    import io

    import pikepdf
    pdf = pikepdf.open(io.BytesIO(data))
    return sum(len(re.findall(rb"\bT[Jj]\b", page.obj.Contents.read_bytes())) for page in pdf.pages)


def _glyphs(data: bytes) -> list[tuple[str, float, float]]:
    """Every character drawn (pdfminer.six): its text and where it stands, in reading order."""
    import io

    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    out = []

    def walk(item):
        if isinstance(item, LTChar):
            out.append((item.get_text(), item.x0, item.y0))
        elif hasattr(item, "__iter__"):
            for child in item:
                walk(child)
    for page in extract_pages(io.BytesIO(data)):
        walk(page)
    return sorted(out, key=lambda g: (-round(g[2], 1), g[1]))


def test_leaders_look_the_same_with_one_text_object_a_line():
    theirs, ours = _lay_out(installed=False), _lay_out(installed=True)
    # the same characters at the same places (a dot's place from the run's advances, not its
    # own text matrix: within a hundredth of a point, 1/1000 of an em at 10 pt)
    a, b = _glyphs(theirs), _glyphs(ours)
    assert [g[0] for g in a] == [g[0] for g in b] and sum(g[0] == "." for g in a) > 80
    assert max(abs(x[1] - y[1]) + abs(x[2] - y[2]) for x, y in zip(a, b)) < 0.02
    # WeasyPrint shows each dot by itself (dozens a line); here each leader is shown at once
    leader_dots = sum(g[0] == "." for g in a) - 1  # all but the 「.」 of 「I.」
    assert _text_objects(theirs) - _text_objects(ours) == leader_dots - 3
    dots = [l.text for l in pdfread.pages(ours)[0].lines if "..." in l.text]
    assert len(dots) == 3 and [re.search(r"(\d+)$", t.replace(" ", "")).group(1) for t in dots] == ["5", "12", "123"]


def test_only_the_pinned_weasyprint_is_patched(monkeypatch):
    import weasyprint
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with pytest.raises(RuntimeError, match="WeasyPrint 70.0"):
        pdfleader.install()
