"""Every content problem stops the load with a Japanese message naming the file and line."""

from __future__ import annotations

import pytest

from dgdocs.checks import run_checks
from dgdocs.load import LoadError, load


def load_errors(root) -> list:
    with pytest.raises(LoadError) as info:
        load(root)
    return info.value.findings


def only(findings, code):
    hits = [f for f in findings if f.code == code]
    assert hits, f"no {code} in {[str(f) for f in findings]}"
    return hits


def test_the_miniature_content_loads(mini):
    doc = load(mini)
    assert [c.id for c in doc.chapters] == ["basics", "work"]
    assert doc.values["counts.total"].value == 4860


def test_yaml_syntax_error_names_file_and_line(make_content):
    root = make_content("""
    -- data/counts.yaml --
    section: purpose
    figures:
      - {id: total, label: 所管する手続, value: 4860
      - {id: online, label: x, value: 1}
    """)
    f = only(load_errors(root), "DG003")[0]
    assert f.loc.file == "data/counts.yaml" and f.loc.line == 4
    assert "YAML" in f.message and f.hint


def test_chapter_saved_as_shift_jis(make_content):
    root = make_content()
    path = root / "chapters/02.md"
    path.write_bytes("# II. 取組 {#work}\n\n本文です。\n".encode("shift_jis"))
    f = only(load_errors(root), "DG001")[0]
    assert f.loc.file == "chapters/02.md" and f.loc.line == 1
    assert "UTF-8" in f.message and "Shift_JIS" in f.message


def test_emptied_yaml_file(make_content):
    root = make_content()
    (root / "kpis.yaml").write_text("", encoding="utf-8")
    f = only(load_errors(root), "DG002")[0]
    assert f.loc.file == "kpis.yaml" and "空" in f.message


def test_missing_and_wrong_typed_fields(make_content):
    root = make_content("""
    -- data/counts.yaml --
    section: purpose
    figures:
      - {id: total, label: 所管する手続}
      - {id: online, label: オンライン化済み, value: たくさん}
    """)
    findings = only(load_errors(root), "DG004")
    assert any(f.loc.line == 3 and "value" in f.message for f in findings)
    assert any(f.loc.line == 4 and "数値" in f.message for f in findings)


def test_unknown_key_is_reported_with_its_line(make_content):
    root = make_content("""
    -- kpis.yaml --
    lines:
      - id: k-rate
        section: period
        text: オンライン利用率
        kpis:
          - id: k-rate
            indicater: 綴りの誤り
    """)
    f = only(load_errors(root), "DG005")[0]
    assert f.loc == f.loc.__class__("kpis.yaml", 7, 9)
    assert "indicater" in f.message and "indicator" in f.hint


def test_unknown_reference_is_an_error_not_an_empty_string(make_content):
    root = make_content("""
    -- chapters/02.md --
    # II. 取組 {#work}

    手続は{{counts.totl}}種類、KPI は次のとおり。

    {{kpi: no-such-line}}
    """)
    findings = only(load_errors(root), "DG007")
    assert any(f.loc.line == 3 and f.loc.col == 4 and "counts.totl" in f.message and "counts.total" in f.hint
               for f in findings)
    assert any(f.loc.line == 5 and "no-such-line" in f.message for f in findings)


def test_quarter_that_does_not_exist(make_content):
    root = make_content("""
    -- appendices/beppyo-1.yaml --
    number: 1
    title: 工程表
    kind: roadmap
    groups:
      - title: オンライン化
        section: online
        rows:
          - id: r1
            title: 手続
            section: procedures
            tasks:
              - {label: 改修, from: 2021Q5, to: 2022Q2, quote: オンライン化を進める}
    """)
    f = only(load_errors(root), "DG008")[0]
    assert f.loc.file == "appendices/beppyo-1.yaml" and f.loc.line == 12
    assert "Q5" in f.message


def test_period_outside_the_plan_must_be_marked(make_content):
    # a check (DG305) since the loader became a package of readers: it compares two files
    root = make_content("""
    -- appendices/beppyo-1.yaml --
    number: 1
    title: 工程表
    kind: roadmap
    groups:
      - title: オンライン化
        section: online
        rows:
          - id: r1
            title: 手続
            section: procedures
            milestones:
              - {label: 完了, at: 2025, quote: オンライン化を進める}
              - {label: 完了, at: 2026, quote: オンライン化を進める, beyond_plan: true}
              - {label: 開始, at: 2019-06, quote: オンライン化を進める}
    """)
    findings = [f for f in run_checks(load(root)).findings if f.code == "DG305"]
    assert [f.loc.line for f in findings] == [12, 14]
    assert "beyond_plan" in findings[0].hint and "before_plan" in findings[1].hint


def test_row_without_schedule_must_say_so(make_content):
    root = make_content("""
    -- appendices/beppyo-1.yaml --
    number: 1
    title: 工程表
    kind: roadmap
    groups:
      - title: オンライン化
        section: online
        rows:
          - {id: r1, title: 手続, section: procedures}
    """)
    f = only(load_errors(root), "DG004")[0]
    assert f.loc.line == 8 and "本文に工程の記載なし" in f.hint


def test_unknown_sections_and_kpis_in_yaml(make_content):
    root = make_content("""
    -- appendices/beppyo-1.yaml --
    number: 1
    title: 工程表
    kind: roadmap
    groups:
      - title: オンライン化
        section: onlin
        rows:
          - {id: r1, title: 手続, section: procedures, kpis: [k-rat], schedule: 本文に工程の記載なし}
    """)
    findings = only(load_errors(root), "DG007")
    assert {f.loc.line for f in findings} == {5, 8}
    assert any("onlin" in f.message for f in findings) and any("k-rat" in f.message for f in findings)


def test_heading_levels_may_not_skip(make_content):
    root = make_content("""
    -- chapters/02.md --
    # II. 取組 {#work}

    ### ア. 手続 {#procedures}

    本文。
    """)
    f = only(load_errors(root), "DG009")[0]
    assert f.loc.line == 3 and "飛んで" in f.message


def test_duplicate_heading_ids(make_content):
    root = make_content("""
    -- chapters/02.md --
    # II. 取組 {#work}

    ## (1) オンライン化 {#online}

    ### ア. 手続 {#procedures}

    ## (2) 別の節 {#online}
    """)
    f = only(load_errors(root), "DG006")[0]
    assert f.loc == f.loc.__class__("chapters/02.md", 7, 0) and "chapters/02.md:3" in f.message


def test_all_problems_are_collected_before_failing(make_content):
    root = make_content("""
    -- chapters/02.md --
    # II. 取組 {#work}

    {{counts.nothing}}
    -- kpis.yaml --
    lines:
      - id: k-rate
        section: nowhere
        text: x
        kpis: [{id: k-rate, indicator: x}]
    """)
    files = {f.loc.file for f in load_errors(root)}
    assert {"chapters/02.md", "kpis.yaml"} <= files


def test_unsafe_yaml_tags_are_refused(make_content):
    root = make_content("""
    -- data/counts.yaml --
    section: !!python/object/apply:os.system ["echo hacked"]
    figures: []
    """)
    f = only(load_errors(root), "DG003")[0]
    assert f.loc.file == "data/counts.yaml"


# ------------------------------------------------------------------ messages an editor can act on (issue 13)

@pytest.mark.parametrize("text, line, said", [
    ("lines:\n  x:\n    a: 1\n   b: 2\n", 4, "キー（「名前:」）があるはずの場所"),
    ("lines:\n  - id: a\n  - id: b\n  kpis: x\n", 4, "リストの項目"),
    ("lines: a: b\n", 1, "ここには「キー: 値」を書けません"),
    ("lines:\n\t- id: a\n", 2, "タブ文字があります"),
    ("lines: [a, b\n", 2, "「,」か、閉じの「]」がありません"),
    ("lines: \"abc\n", 2, "引用符"),
    ("lines: @a\n", 1, "「@」"),
])
def test_yaml_syntax_errors_are_said_in_japanese_and_the_parser_keeps_its_words_in_json(make_content, text, line, said):
    from dgdocs.diagnostics import as_json, as_text
    root = make_content(f"-- kpis.yaml --\n{text}")
    f = only(load_errors(root), "DG003")[0]
    assert (f.loc.file, f.loc.line) == ("kpis.yaml", line)
    assert said in f.message and not any(w in as_text(f) for w in ("did not find", "mapping values", "found ")), as_text(f)
    assert as_json(f)["detail"] and as_json(f)["detail"].isascii()  # PyYAML's own English, for whoever needs it


def test_a_valid_key_at_the_wrong_indentation_is_hinted_as_indentation(make_content):
    root = make_content("""
    -- kpis.yaml --
    lines:
      - id: k-rate
        section: period
        text: オンライン利用率、2021年度末までに100%
        kpis:
          - id: k-rate
            indicator: オンライン利用率
            target:
              value: 100
              unit: "%"
              note: 目標の補足
              colour: 赤
    """)
    note, colour = only(load_errors(root), "DG005")
    assert note.message == "KPI「k-rate」の target に知らないキー「note」があります。"  # 「の target に」, spaced
    assert "「note」は" in note.hint and "KPI" in note.hint and "字下げ" in note.hint
    assert "用語" not in note.hint and "行（rows の項目）" not in note.hint  # only this file's records
    assert "綴り" in colour.hint and "字下げ" not in colour.hint


def test_citation_reference_data_needs_a_source_and_a_date_or_number(make_content):
    """content/data/citations.yaml pins only what an editor verified: no entry without its
    source, none without an official date or law number, and dates are dates."""
    root = make_content("""
    -- data/citations.yaml --
    citations:
      - title: デジタル・ガバメント実行計画
        dates: [2019-12-20]
      - title: 官民データ活用推進基本法
        source: 政府CIOポータル
      - title: 電子決裁移行加速化方針
        dates: [平成30年7月20日]
        source: 官報
    """)
    found = load_errors(root)
    missing = only(found, "DG004")
    assert any(f.loc == type(f.loc)("data/citations.yaml", 2, 5) and "source" in f.message for f in missing), \
        [str(f) for f in missing]
    assert any(f.loc.line == 4 and "dates も number もありません" in f.message for f in missing)
    assert any(f.loc.line == 7 and "日付" in f.message for f in missing)


def test_a_spelling_entry_needs_its_basis_and_a_known_kind(make_content):
    """A 表記 entry of terms.yaml says why the style guide prefers its form; kind is 用語 or 表記."""
    root = make_content("""
    -- terms.yaml --
    terms:
      - preferred: 全て
        variants: [すべて]
        kind: 表記
      - preferred: 更に
        variants: [さらに]
        kind: 表記ゆれ
        basis: 副詞は漢字で書く。
    """)
    found = only(load_errors(root), "DG004")
    assert any(f.loc.file == "terms.yaml" and f.loc.line == 2 and "basis" in f.message for f in found), [str(f) for f in found]
    assert any(f.loc.line == 7 and "「用語」か「表記」" in f.message for f in found), [str(f) for f in found]
