"""約物の詰め in the print markup (dgdocs.render.yakumono): where two marks meet, the half em
of white between them goes — the first mark of 「。）」「）」」「）「」 is marked ``yr``, the second
of 「「（」「・「」 ``yl`` —, the marks that meet stay on one line, and nothing else changes."""

from __future__ import annotations

import pytest

from dgdocs.render.yakumono import keep_last_line, tighten

YR = '<span class="yr">{}</span>'.format
YL = '<span class="yl">{}</span>'.format
NOBR = '<span class="nobr">{}</span>'.format


def body(text: str) -> str:
    return f"<html><head><title>「（題）」</title></head><body>{text}</body></html>"


@pytest.mark.parametrize("text, tight", [
    ("含む。）を", "含む" + NOBR(YR("。") + "）") + "を"),  # a stop before a closing bracket
    ("サイト）」は", "サイト" + NOBR(YR("）") + "」") + "は"),  # two closing brackets
    ("（注）「例」", "（注" + NOBR(YR("）") + "「") + "例」"),  # closing then opening
    ("「（仮称）」", NOBR("「" + YL("（")) + "仮称" + NOBR(YR("）") + "」")),  # opening then opening
    ("A・「B」", "A" + NOBR("・" + YL("「")) + "B」"),  # a middle dot before an opening bracket
    ("「計画」", "「計画」"),  # marks that do not meet
    ("計画、実施", "計画、実施"),
])
def test_the_white_between_two_marks_goes(text, tight):
    assert tighten(body(text)) == body(tight)


def test_marks_meet_across_a_link_or_emphasis_but_not_across_other_tags():
    assert tighten(body('「サイト」<a href="#x">（別紙）</a>')) == body(
        "「サイト" + YR("」") + '<a href="#x">（別紙）</a>')
    assert tighten(body("「サイト」<br>（別紙）")) == body("「サイト」<br>（別紙）")
    assert tighten(body("<strong>計画。</strong>）")) == body("<strong>計画" + YR("。") + "</strong>）")


def test_only_the_body_changes_and_tags_stay_as_they_are():
    html = '<html><head><title>「（題）」</title></head><body><p class="「（x）」">本文</p></body></html>'
    assert tighten(html) == html


def test_the_last_line_of_a_paragraph_holds_at_least_four_characters():
    assert keep_last_line("<p>計画を進める。</p>") == '<p>計画を' + NOBR("進める。") + "</p>"
    assert keep_last_line("<p>短い</p>") == "<p>短い</p>"
