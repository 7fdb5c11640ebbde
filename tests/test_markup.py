"""The Markdown layer: heading markers and ids, the reference syntax, and hostile input."""

from __future__ import annotations

import re

import pytest

from dgdocs.markdown_html import PlanMarkdown
from dgdocs.markup import marker_kind, parse_heading, safe_href
from dgdocs.references import scan_references


class Ctx:
    def value(self, path, fmt):
        return {"counts.total": "4,860"}[path]

    def directive(self, name, arg):
        return f'<div class="{name}">{arg}</div>\n'

    def footnote_ref(self, label):
        return f'<sup>{label}</sup>'

    def appendix_href(self, n):
        return f"beppyo-{n}.html" if 1 <= n <= 6 else None

    def figure(self, src, alt, title):
        return None  # no figure is known: its alternative text stands for it

    def table(self, body, caption):
        return f"<table>\n{body}</table>\n"


@pytest.fixture
def md():
    return PlanMarkdown(Ctx())


@pytest.mark.parametrize("line, level, marker, title, hid", [
    ("# I. 基本事項 {#basics}", 1, "I.", "基本事項", "basics"),
    ("## (1) 目的 {#purpose}", 2, "(1)", "目的", "purpose"),
    ("### ア. 行政手続 {#a}", 3, "ア.", "行政手続", "a"),
    ("#### ① 検討状況 {#b}", 4, "①", "検討状況", "b"),
    ("##### 1) 販売代理店 {#c}", 5, "1)", "販売代理店", "c"),
    ("###### a) 現状と課題(As Is) {#d}", 6, "a)", "現状と課題(As Is)", "d"),
    ("####### (ア) 利用者が享受する具体的なベネフィット {#e}", 7, "(ア)", "利用者が享受する具体的なベネフィット", "e"),
    ("## 見出しだけ", 2, "", "見出しだけ", None),
])
def test_headings_carry_the_plans_own_markers(line, level, marker, title, hid):
    h = parse_heading(line, 1)
    assert (h.level, h.marker, h.title, h.id) == (level, marker, title, hid)


def test_marker_kinds_rank_the_plans_hierarchy():
    ranks = [marker_kind(m).rank for m in ["I.", "(1)", "ア.", "①", "1)", "a)", "(ア)"]]
    assert ranks == [1, 2, 3, 4, 5, 6, 7]
    assert marker_kind("イ.").ordinal("イ.") == 2 and marker_kind("(3)").label(4) == "(4)"


def test_references_render_formatted_values(md):
    assert md.inline("{{counts.total}}種類") == "4,860種類"
    assert md.block("{{kpi: k-rate}}") == '<div class="kpi">k-rate</div>\n'


def test_references_are_found_with_line_and_column():
    uses = scan_references("前文\n手続は{{ counts.total | nogroup }}種類[^1]\n{{table: budget.system}}\n[^1]: 注", 10)
    assert [(u.kind, u.line, u.col, u.name, u.arg) for u in uses] == [
        ("value", 11, 4, "counts.total", "nogroup"),
        ("footnote", 11, 34, "1", ""),
        ("directive", 12, 1, "table", "budget.system"),
    ]


def test_appendix_mentions_link_except_another_documents_appendix(md):
    out = md.inline("別紙4を参照。デジタル・ガバメント実行計画別紙1に記載。別紙9は存在しない。")
    assert '<a class="beppyo" href="beppyo-4.html">別紙4</a>' in out
    assert "実行計画別紙1" in out and "beppyo-1" not in out
    assert "beppyo-9" not in out


HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<iframe src="https://evil.example/"></iframe>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "<javascript:alert(1)>",
    "[data](data:text/html;base64,PHNjcmlwdD4=)",
    "![x](https://evil.example/pixel.png)",
    "![x](file:///etc/passwd)",
    '<a href="x" onclick="alert(1)" rel="attachment">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "[x](//evil.example/path)",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_never_becomes_active_html(md, text):
    out = md.block(text)
    assert not re.search(r"<(script|iframe|img|div|object|embed|style)\b", out, re.I), out
    assert not re.search(r"\son\w+\s*=", out.replace("&quot;", '"')) or "&lt;" in out, out
    hrefs = re.findall(r'href="([^"]*)"', out)
    assert all(not h.lower().startswith(("javascript", "data", "//", "file")) for h in hrefs), out
    assert 'rel="attachment"' not in out


def test_safe_links_stay_links(md):
    out = md.inline("[総務省](https://www.soumu.go.jp/) と [KPI](kpis.html#kpi-x)")
    assert '<a href="https://www.soumu.go.jp/" rel="noopener noreferrer" class="external">総務省</a>' in out
    assert '<a href="kpis.html#kpi-x">KPI</a>' in out


@pytest.mark.parametrize("url, ok", [
    ("https://a.example/", True), ("mailto:a@example.jp", True), ("page.html#x", True), ("#frag", True),
    ("javascript:x", False), (" javascript:x", False), ("vbscript:x", False), ("data:x", False), ("//host/x", False),
])
def test_safe_href(url, ok):
    assert (safe_href(url) is not None) == ok


def test_angle_bracket_labels_of_the_plan_are_text(md):
    assert md.block("<特別徴収税額通知（特別徴収義務者用）>") == "<p>&lt;特別徴収税額通知（特別徴収義務者用）&gt;</p>\n"


def test_an_underline_does_not_make_a_heading(md):
    assert not re.search(r"<h[1-6]", md.block("本文\n---\n\n本文\n==="))
