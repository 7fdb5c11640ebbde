"""両端揃え: the inter-character justification layer over WeasyPrint's line justification
(dgdocs.render.justify), its rules and its effect on a laid-out page of the pinned WeasyPrint."""

from __future__ import annotations

import logging

import pytest

from dgdocs.render import justify
from dgdocs.render.justify import gap_allowed, gaps_of

import pdfread


@pytest.mark.parametrize("a, b, allowed", [
    ("総", "務", True),          # between 和字
    ("る", "ー", True),          # before a prolonged sound mark (it only may not start a line)
    ("る", "。", False),         # never before 句点
    ("う", "、", False),         # never before 読点
    ("画", "」", False),         # never before a closing bracket
    ("「", "デ", False),         # never after an opening bracket
    ("」", "の", True),          # after a closing bracket
    ("。", "オ", True),          # after 句点
    ("ル", "・", False),         # never around 中点
    ("・", "ガ", False),
    ("…", "…", False),          # 「……」 is one sign
    ("—", "—", False),
    ("G", "o", False),          # inside a Latin word
    ("2", "0", False),          # inside a number
    ("1", ",", False),
    ("年", "2", True),           # 和欧間隔
    ("0", "年", True),
    (" ", "A", True),           # a space counts once: after it,
    ("A", " ", False),          # not before it
])
def test_which_boundaries_may_widen(a, b, allowed):
    assert gap_allowed(a, b) is allowed


def test_a_footnote_call_stays_on_its_character():
    assert gaps_of([("る", False), ("1", True), ("。", False)]) == [False, False]


def test_only_the_pinned_weasyprint_is_patched(monkeypatch):
    import weasyprint
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with pytest.raises(RuntimeError, match="WeasyPrint 70.0"):
        justify.install()


PARAGRAPHS = """<html lang="ja"><head><style>
@page { size: 120mm 200mm; margin: 10mm; } body { margin: 0; }
p { font-family: "BIZ UDMincho"; font-size: 10pt; line-height: 18pt; margin: 0 0 6pt; text-align: justify; }
</style></head><body>
<p>総務省においては、4860種類の手続を所管しており、うち、577種類のオンライン利用が可能となっている。オンライン利用が可能となっていない2398種類のうち、19種類の手続については、オンライン化を予定しており、その際、添付書類の提出、本人確認及び手数料納付も含めオンラインで実施できるようにすることを原則として検討を行っている。</p>
<p>「デジタル・ガバメント実行計画」（令和元年12月20日閣議決定）の策定を受け、<a id="x" href="#x">総務省</a>におけるデジタル・ガバメントの実現に向けた具体的な方策について網羅的に取りまとめるものである。e-Govの電子申請とAPIの利用拡大を行う。</p>
</body></html>"""

RIGHT = (120 - 10) / 25.4 * 72  # the right edge of the text area, in points


def _lay_out(installed: bool) -> tuple[list[pdfread.Line], list[str]]:
    import weasyprint

    logged: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            logged.append(record.getMessage())

    handler = Keep(logging.WARNING)
    logging.getLogger("weasyprint").addHandler(handler)
    try:
        if installed:
            justify.install()
        else:
            justify.uninstall()
        data = weasyprint.HTML(string=PARAGRAPHS).write_pdf()
    finally:
        justify.uninstall()
        logging.getLogger("weasyprint").removeHandler(handler)
    return list(pdfread.pages(data)[0].lines), logged


def test_japanese_lines_reach_the_right_margin_and_last_lines_stay_natural():
    lines, logged = _lay_out(installed=True)
    assert not logged, logged
    assert len(lines) >= 8
    ends = [l.text[-1] for l in lines]
    last = [i for i, e in enumerate(ends) if e == "。"]  # each paragraph ends with 。 (and only there here)
    inner = [l for i, l in enumerate(lines) if i not in last]
    assert inner and all(abs(l.x1 - RIGHT) < 0.5 for l in inner), [(l.text, RIGHT - l.x1) for l in inner]
    assert all(lines[i].x1 < RIGHT - 10 for i in last)  # flush left, not spread
    # nothing is lost or reordered by the spacing
    text = "".join(l.text for l in lines)
    assert "4860種類" in text and "令和元年12月20日" in text and "e-Govの電子申請" in text


def test_without_the_layer_the_same_lines_are_ragged():
    lines, logged = _lay_out(installed=False)
    assert not logged
    short = [l for l in lines if l.text[-1] != "。" and l.x1 < RIGHT - 3]
    assert short  # WeasyPrint alone does not spread Japanese lines (its issue 2269)


def test_no_line_starts_with_a_closing_bracket_or_punctuation():
    lines, _ = _lay_out(installed=True)
    assert not [l.text for l in lines if l.text[0] in justify.CLOSING | justify.PUNCTUATION]
