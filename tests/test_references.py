"""One reference grammar: the scanner that gives the loader and the checks their file:line
sees exactly the references mistune renders — never one inside code — and every directive is
registered once (dgdocs.directives)."""

from __future__ import annotations

from collections import Counter

import mistune
import pytest

from dgdocs.directives import DIRECTIVES
from dgdocs.load import LoadError, load
from dgdocs.markdown_html import plan_plugin
from dgdocs.references import code_spans, lines_outside_code_blocks, scan_references

_AST = mistune.create_markdown(renderer=None, plugins=["table", plan_plugin])


def rendered_references(text: str) -> Counter:
    """What mistune (with our plugin) turns into references: the renderer's view."""
    out: Counter = Counter()

    def walk(tokens):
        for t in tokens:
            if t["type"] == "dg_ref":
                out[("value", t["attrs"]["path"], t["attrs"]["fmt"] or "")] += 1
            elif t["type"] == "dg_directive":
                out[("directive", t["attrs"]["name"], t["attrs"]["arg"])] += 1
            elif t["type"] == "dg_fnref":
                out[("footnote", t["attrs"]["label"], "")] += 1
            walk(t.get("children", ()))

    walk(_AST(text))
    return out


def scanned_references(text: str) -> Counter:
    return Counter((u.kind, u.name, u.arg) for u in scan_references(text) if u.kind != "malformed")


TRICKY = {
    "code span": "値は `{{nope.x}}` と書く。{{counts.total}}種類",
    "double backticks": "``{{nope.x}} ` {{nope.y}}`` と {{counts.total}}",
    "escaped backtick": "\\`{{counts.total}}\\` は参照",
    "unclosed backtick": "`{{counts.total}} の前の ` は閉じない` ``",
    "fenced code": "前\n\n```\n{{nope.x}}\n{{kpi: nope}}\n```\n\n後[^1]",
    "indented code": "前\n\n    {{nope.x}}\n    {{kpi: nope}}\n\n後{{counts.total}}",
    "indented continuation": "前の段落\n    {{counts.total}} は段落の続き",
    "list item paragraph": "- 項目\n\n  {{counts.total}} は項目の段落\n\n- 次\n\n      {{nope.x}} は項目の中のコード",
    "span across lines": "行1 `{{nope.x}}\n{{nope.y}}` 行2 {{counts.total}}",
    "directive": "前\n\n{{kpi: k-rate}}\n\n{{ table : budget.system }}",
}


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_the_scanner_sees_what_mistune_renders(name):
    text = TRICKY[name]
    assert scanned_references(text) == rendered_references(text)


def test_the_scanner_agrees_with_mistune_on_the_whole_plan(doc):
    for ch in doc.chapters:
        for sec in ch.sections():
            assert scanned_references(sec.body) == rendered_references(sec.body), sec.id
        for fn in ch.footnotes:
            assert scanned_references(fn.text) == rendered_references(fn.text), (ch.id, fn.label)


def test_code_is_never_scanned():
    assert code_spans("a `b` c ``d`e`` f") == [(2, 5), (8, 15)]
    assert [n for n, _ in lines_outside_code_blocks("a\n\n    code\n    more\n\nb", 1)] == [1, 2, 5, 6]
    assert scan_references("`{{nope.x}}` と ``{{kpi: x}}``") == []


def test_a_reference_in_inline_code_renders_as_written_and_does_not_stop_the_build(make_content, tmp_path):
    from dgdocs.build import build
    root = make_content("""
    -- chapters/02.md --
    # II. 取組 {#work}

    ## (1) オンライン化 {#online}

    参照は `{{nope.x}}` のように書く。詳細は別紙1を参照。

        {{nope.y}}

    ### ア. 手続 {#procedures}

    2021年度から2022年度にかけて改修し、2022年10月に運用を開始する[^1]。

    [^1]: 脚注の文。
    """)
    doc = load(root)  # no DG007
    page = build(root, ["html"], doc=doc).outputs["html"]["work.html"].decode()
    assert "<code>{{nope.x}}</code>" in page and "{{nope.y}}" in page


def test_outside_code_an_unknown_reference_still_stops_the_build(make_content):
    root = make_content("""
    -- chapters/02.md --
    # II. 取組 {#work}

    ## (1) オンライン化 {#online}

    `コード` の後の {{nope.x}} は参照。詳細は別紙1を参照。

    ### ア. 手続 {#procedures}

    2021年度から2022年度にかけて改修し、2022年10月に運用を開始する[^1]。

    [^1]: 脚注の文。
    """)
    with pytest.raises(LoadError) as exc:
        load(root)
    assert [(f.code, f.loc.line, f.loc.col) for f in exc.value.findings] == [("DG007", 5, 11)]


def test_every_directive_is_registered_once_with_all_it_needs(doc):
    assert set(DIRECTIVES) == {"kpi", "table"}
    for d in DIRECTIVES.values():
        assert d.title and d.usage.startswith("{{" + d.name + ":")
        assert d.resolve(doc, "no-such-thing") is None
        message, hint = d.missing(doc, "no-such-thing")
        assert "no-such-thing" in message and hint
    assert DIRECTIVES["table"].data_file("budget.system") == "budget"
    assert DIRECTIVES["kpi"].data_file("k-rate") is None


def test_an_unknown_directive_names_the_registered_ones(make_content):
    root = make_content("""
    -- chapters/01.md --
    # I. 基本事項 {#basics}

    ## (1) 目的 {#purpose}

    本計画は{{counts.total|nogroup}}種類の手続を扱う。

    {{table: budget.system}}

    {{chart: budget.system}}

    ## (2) 計画期間 {#period}

    2020年度から2024年度までとする。

    {{kpi: k-rate}}
    """)
    with pytest.raises(LoadError) as exc:
        load(root)
    (f,) = exc.value.findings
    assert "「{{chart: …}}」という指示はありません" in f.message and f.hint == "使える指示: kpi, table"
