"""The 新旧対照表 (issue 7): ``dgdocs diff OLD NEW`` between two revisions of the plan.

The fixture revisions ``tests/fixtures/revisions/v1`` → ``v2`` hold one change of every
kind (see their README.md).  The golden pages are in ``tests/test_diff/``: review the
diff whenever one changes, then ``pytest tests/test_diff.py --force-regen``.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import write_tree
from weasylogs import assert_no_logs
from dgdocs.cli import main
from dgdocs.diff import OMITTED, Comparison, Part, compare
from dgdocs.load import load
from dgdocs.render.shinkyu import render_diff, render_html
from dgdocs.textdiff import diff as text_diff

FIXTURES = Path(__file__).parent / "fixtures" / "revisions"
V1, V2 = FIXTURES / "v1", FIXTURES / "v2"


def cell(parts: tuple[Part, ...]) -> str:
    """A cell as text: changed runs in ［］, moved text in ～～, parts joined by ' / '."""
    out = []
    for p in parts:
        t = "".join(f"［{s.text}］" if s.changed else s.text for s in p.segs)
        out.append(f"～{t}～" if p.moved else t)
    return " / ".join(out)


def table(cmp: Comparison) -> list[tuple[str, str, str]]:
    return [(r.kind, cell(r.new), cell(r.old)) for r in cmp.rows]


@pytest.fixture
def revise(tmp_path):
    """revise(files) → a copy of v1 with the files of *files* (``-- path --`` headers) replaced."""
    def make(files: str) -> Path:
        root = tmp_path / "revised"
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(V1, root)
        return write_tree(root, files)
    return make


@pytest.fixture(scope="module")
def v1v2() -> Comparison:
    return compare(load(V1), load(V2), "v1", "v2")


# ----------------------------------------------------------------- the text

def test_inserted_sentence_is_underlined_alone(v1v2):
    assert ("block", "行政手続のオンライン化を着実に進める。［あわせて、添付書類の省略を図る。］",
            "行政手続のオンライン化を着実に進める。") in table(v1v2)


def test_changed_number_shows_in_the_prose_where_it_is_used(v1v2):
    # {{counts.total}} is resolved and formatted before comparing: the whole number is underlined
    assert ("block", "本計画は［4,912］種類の手続を扱う。詳細は別紙1を参照。",
            "本計画は［4,860］種類の手続を扱う。詳細は別紙1を参照。") in table(v1v2)
    table_row = next(r for r in table(v1v2) if r[1].startswith("【経費"))
    assert "整備経費｜［190］" in table_row[1] and "合計｜［723］" in table_row[1]
    assert "整備経費｜［178］" in table_row[2] and "合計｜［711］" in table_row[2]


def test_new_section_stands_against_shinsetsu(v1v2):
    assert ("added", "［(3) 情報システムの整備］ / ［情報システムをクラウドへ移行する。］", "（新設）") in table(v1v2)


def test_deleted_section_stands_against_kezuru(v1v2):
    assert ("removed", "（削る）", "［(4) 旧来の取組］ / ［紙による申請の受付を当面継続する。］") in table(v1v2)


def test_renumbered_section_pairs_with_its_old_self_by_id(v1v2):
    rows = table(v1v2)
    assert ("heading", "［(4)］ 推進体制", "［(3)］ 推進体制") in rows
    # its unchanged text is not shown again
    i = rows.index(("heading", "［(4)］ 推進体制", "［(3)］ 推進体制"))
    assert rows[i + 1] == ("omitted", OMITTED, OMITTED)


def test_moved_paragraph_says_where_it_went_and_came_from(v1v2):
    rows = table(v1v2)
    assert ("block", "（II(1)イ.「窓口」へ移動）", "～利用者の声を定期的に聴き、改善に活かす。～") in rows
    assert ("block", "～利用者の声を定期的に聴き、改善に活かす。～", "（II(1)ア.「手続」から移動）") in rows
    # the moved text is not also reported as deleted and inserted
    assert not any(r[0] in ("added", "removed") and "利用者の声" in r[1] + r[2] for r in rows)


def test_kpi_line_in_the_prose(v1v2):
    assert ("block", "KPI：オンライン利用率、［2022］年度末までに100%",
            "KPI：オンライン利用率、［2021］年度末までに100%") in table(v1v2)


def test_unchanged_text_collapses_and_headings_above_changes_stay(v1v2):
    rows = table(v1v2)
    assert rows[0] == ("heading", "I. 基本事項", "I. 基本事項")
    assert ("heading", "(2) 計画期間", "(2) 計画期間") in rows
    # the paragraph of (2) did not change: one （略） instead
    assert not any("2020年度から2024年度まで" in r[1] for r in rows)
    # never two （略） in a row
    assert all(not (a[0] == b[0] == "omitted") for a, b in zip(rows, rows[1:]))


# -------------------------------------------------------------- the figures

def test_figures_section_lists_every_changed_figure(v1v2):
    got = [(f.group, f.subject, f.item, cell(f.new), cell(f.old)) for f in v1v2.figures]
    assert got == [
        ("改定履歴", "令和3年3月31日改定", "全体", "［決定機関：テスト委員会　概要：情報システムの整備を追加］", "（新設）"),
        ("KPI", "オンライン利用率（k-rate）", "期限", "［2022］年度末までに", "［2021］年度末までに"),
        ("KPI", "KPI 行（k-rate）", "本文の記載", "KPI：オンライン利用率、［2022］年度末までに100%",
         "KPI：オンライン利用率、［2021］年度末までに100%"),
        ("経費", "【経費】（budget.system）", "整備経費", "［190］億円", "［178］億円"),
        ("経費", "【経費】（budget.system）", "合計", "［723］億円", "［711］億円"),
        ("数値", "所管する手続（data/counts.yaml の total）", "値", "［4,912］種類", "［4,860］種類"),
        ("別紙1", "手続のオンライン化", "工程「改修」",
         "2021年度第1四半期（4〜6月）〜2022年度第［4］四半期（［1〜3］月）",
         "2021年度第1四半期（4〜6月）〜2022年度第［2］四半期（［7〜9］月）"),
        ("別紙1", "手続のオンライン化", "時期「運用開始」", "［2023年4］月（◆）", "［2022年10］月（◆）"),
    ]


def test_kpi_target_value_change(revise):
    new = load(revise("""
        -- kpis.yaml --
        lines:
          - id: k-rate
            section: period
            text: オンライン利用率、2021年度末までに90%
            kpis:
              - id: k-rate
                indicator: オンライン利用率
                baseline: {value: 40, unit: "%", fiscal_year: 2019, text: 2019年度}
                target: {value: 90, unit: "%", qualifier: 以上, by: 2021, by_text: 2021年度末までに}
        """))
    cmp = compare(load(V1), new)
    got = {f.item: (cell(f.new), cell(f.old)) for f in cmp.figures}
    assert got["目標値"] == ("［90%以上］", "［100%］")
    assert got["基準値"] == ("［2019年度　40%］", "")
    assert ("block", "KPI：オンライン利用率、2021年度末までに［90］%", "KPI：オンライン利用率、2021年度末までに［100］%") \
        in table(cmp)


# ---------------------------------------------------------- no changes

def test_a_revision_against_itself_has_no_changes(doc):
    cmp = compare(doc, doc, "HEAD", "HEAD")
    assert table(cmp) == [("omitted", OMITTED, OMITTED)]
    assert cmp.figures == () and not cmp.has_changes
    page = render_html(cmp)
    assert "<ins" not in page and "<del" not in page and 'class="chg"' not in page
    assert "（略）" in page and "変更はありません。" in page


# ------------------------------------------------------------- the output

def test_golden_page_v1_to_v2(v1v2, file_regression):
    file_regression.check(render_html(v1v2), extension=".html", basename="shinkyu_v1_v2")


def test_golden_page_v1_to_v1(file_regression):
    doc = load(V1)
    file_regression.check(render_html(compare(doc, doc, "v1", "v1")), extension=".html", basename="shinkyu_v1_v1")


def test_page_names_both_revisions_and_the_note(v1v2):
    page = render_html(v1v2)
    assert "（傍線部分は改定部分）" in page
    assert '<th scope="row">改定後</th><td class="source">v2</td><td>令和3年3月31日改定（テスト委員会）' in page
    assert '<th scope="row">改定前</th><td class="source">v1</td><td>令和2年3月31日改定（テスト委員会）' in page
    assert page.index('class="h-new">改定後') < page.index('class="h-old">改定前')


def test_old_left_order_swaps_the_columns(v1v2):
    page = render_html(v1v2, order="old-left")
    assert page.index('class="h-old">改定前') < page.index('class="h-new">改定後')
    assert '<td class="old"><p class="p-para">本計画は<del class="chg">4,860</del>' in page


def test_same_inputs_same_bytes():
    a = render_diff(compare(load(V1), load(V2), "v1", "v2"), pdf=False)
    b = render_diff(compare(load(V1), load(V2), "v1", "v2"), pdf=False)
    assert a == b and set(a) == {"index.html", "diff.css"}


def test_content_is_escaped(revise):
    new = load(revise("""
        -- chapters/02.md --
        # II. 取組 {#work}

        ## (1) オンライン化 {#online}

        ### ア. 手続 {#procedures}

        オンライン化を進める<script>alert(1)</script>[^1]。

        利用者の声を定期的に聴き、改善に活かす。

        ### イ. 窓口 {#counter}

        窓口での案内を充実する。

        [^1]: 脚注の文。
        """))
    page = render_html(compare(load(V1), new, "<b>old</b>", "new"))
    assert "<script>" not in page and "<b>old" not in page
    assert '<ins class="chg">&lt;script&gt;alert(1)&lt;/script&gt;</ins>' in page
    assert "&lt;b&gt;old&lt;/b&gt;" in page


def test_a_section_that_changed_place_is_paired_and_noted(revise):
    swapped = revise("""
        -- chapters/01.md --
        # I. 基本事項 {#basics}

        ## (1) 計画期間 {#period}

        2020年度から2024年度までとする。

        {{kpi: k-rate}}

        ## (2) 目的 {#purpose}

        本計画は{{counts.total}}種類の手続を扱う。詳細は別紙1を参照。

        行政手続のオンライン化を着実に進める。

        {{table: budget.system}}

        ## (3) 推進体制 {#governance}

        総務省CIOの下で、全省を挙げて推進する。

        ## (4) 旧来の取組 {#legacy}

        紙による申請の受付を当面継続する。
        """)
    rows = table(compare(load(V1), load(swapped)))
    assert rows[:4] == [
        ("heading", "I. 基本事項", "I. 基本事項"),
        ("heading", "～［(1)］ 計画期間～ / （I(2)「計画期間」から移動）", "～［(2)］ 計画期間～"),
        ("omitted", OMITTED, OMITTED),
        ("heading", "［(2)］ 目的", "［(1)］ 目的"),
    ]
    assert ("moved", "（I(1)「計画期間」へ移動）", "～(2) 計画期間～") in rows


# ------------------------------------------------------------- text diff

@pytest.mark.parametrize("old, new, expected", [
    # numbers are underlined whole
    ("手続は4,860件", "手続は4,912件", [(0, "手続は"), (-1, "4,860"), (1, "4,912"), (0, "件")]),
    ("済みは577件", "済みは1,577件", [(0, "済みは"), (-1, "577"), (1, "1,577"), (0, "件")]),
    ("2024年度まで", "2025年度まで", [(-1, "2024"), (1, "2025"), (0, "年度まで")]),
    # a replaced kanji word is underlined whole, not the one character that differs
    ("具体的な方策について", "具体的な施策について", [(0, "具体的な"), (-1, "方策"), (1, "施策"), (0, "について")]),
    # a pure insertion is not widened into the word it joins
    ("の実現に向けた", "の早期実現に向けた", [(0, "の"), (1, "早期"), (0, "実現に向けた")]),
    # coincidental shared characters inside a rewritten phrase do not scatter the underline
    ("網羅的に取りまとめる", "体系的に整理する", [(-1, "網羅的に取りまとめ"), (1, "体系的に整理す"), (0, "る")]),
    ("同じ", "同じ", [(0, "同じ")]),
])
def test_text_diff_reads_as_phrases(old, new, expected):
    assert list(text_diff(old, new)) == expected


# ------------------------------------------------------------------ the CLI

def tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=dgdocs", "-c", "user.email=dgdocs@example.invalid",
                           "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                          cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path) -> Path:
    """A git repository whose content/ is v1 at tag v1 and v2 at HEAD."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    # shutil.copy, not copy2: fresh mtimes, or git may take a same-size file for unchanged
    shutil.copytree(V1, repo / "content", copy_function=shutil.copy)
    git(repo, "add", "content")
    git(repo, "commit", "-q", "-m", "v1")
    git(repo, "tag", "v1")
    shutil.rmtree(repo / "content")
    shutil.copytree(V2, repo / "content", copy_function=shutil.copy)
    git(repo, "add", "-A", "content")
    git(repo, "commit", "-q", "-m", "v2")
    assert git(repo, "status", "--porcelain") == ""
    assert "data/counts.yaml" in git(repo, "diff", "--name-only", "v1", "HEAD")
    return repo


def test_dgdocs_diff_between_two_git_revisions(repo, tmp_path, capsys):
    out = tmp_path / "build"
    before = git(repo, "status", "--porcelain")
    head = git(repo, "rev-parse", "HEAD").strip()
    assert main(["--content", str(repo / "content"), "diff", "HEAD~1", "HEAD", "--no-pdf", "--out", str(out)]) == 0
    assert "新旧対照表を出力しました" in capsys.readouterr().out
    assert sorted(p.name for p in (out / "diff").iterdir()) == ["diff.css", "index.html"]
    page = (out / "diff" / "index.html").read_text("utf-8")
    assert f"HEAD（{head[:12]}）" in page and "HEAD~1（" in page
    # the same table as from the directories
    assert page == render_html(compare(load(V1), load(V2), page_label(page, "改定前"), f"HEAD（{head[:12]}）"),
                               with_pdf=False)
    # the working tree, the index and the refs are untouched
    assert git(repo, "status", "--porcelain") == before
    assert git(repo, "rev-parse", "HEAD").strip() == head


def page_label(page: str, role: str) -> str:
    start = page.index(f'<th scope="row">{role}</th><td class="source">') + len(f'<th scope="row">{role}</th><td class="source">')
    return page[start:page.index("</td>", start)]


def test_dgdocs_diff_defaults_to_the_working_content(repo, tmp_path):
    out = tmp_path / "build"
    assert main(["--content", str(repo / "content"), "diff", "v1", "--no-pdf", "--out", str(out)]) == 0
    page = (out / "diff" / "index.html").read_text("utf-8")
    assert "v1（" in page and '<ins class="chg">4,912</ins>' in page


def test_a_failed_diff_leaves_the_previous_output(repo, tmp_path, capsys):
    out = tmp_path / "build"
    assert main(["--content", str(repo / "content"), "diff", "v1", "HEAD", "--no-pdf", "--out", str(out)]) == 0
    before = tree_digest(out)
    capsys.readouterr()
    assert main(["--content", str(repo / "content"), "diff", "no-such-rev", "--no-pdf", "--out", str(out)]) == 2
    assert "no-such-rev" in capsys.readouterr().err
    broken = tmp_path / "broken"
    shutil.copytree(V2, broken)
    (broken / "kpis.yaml").write_text("lines: [", "utf-8")
    assert main(["--content", str(repo / "content"), "diff", "v1", str(broken), "--no-pdf", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "kpis.yaml:" in err and "改定後" in err and "前回のまま" in err
    assert tree_digest(out) == before


def test_a_revision_without_content_is_reported(repo, tmp_path, capsys):
    (repo / "README").write_text("x", "utf-8")
    git(repo, "rm", "-q", "-r", "content")
    git(repo, "add", "README")
    git(repo, "commit", "-q", "-m", "no content")
    shutil.copytree(V2, repo / "content")  # the working tree still has one
    assert main(["--content", str(repo / "content"), "diff", "HEAD", "--no-pdf", "--out", str(tmp_path / "b")]) == 2
    assert "content/ がありません" in capsys.readouterr().err


# -------------------------------------------------------------------- PDF

@pytest.mark.pdf
@assert_no_logs
def test_pdf_is_a4_landscape_japanese_and_deterministic(v1v2):
    import io
    import re

    from pypdf import PdfReader

    a = render_diff(v1v2, pdf=True, content_root=V2, created="2021-03-31T00:00:00+09:00")["shinkyu.pdf"]
    b = render_diff(v1v2, pdf=True, content_root=V2, created="2021-03-31T00:00:00+09:00")["shinkyu.pdf"]
    assert a == b
    reader = PdfReader(io.BytesIO(a))
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    assert round(float(page.mediabox.width) / 72 * 25.4) == 297
    text = re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in reader.pages))
    for words in ("新旧対照表", "（傍線部分は改定部分）", "改定後", "改定前", "（新設）", "（削る）", "（略）",
                  "あわせて、添付書類の省略を図る。", "数値・KPI・工程表の変更"):
        assert words in text
    fonts = set()
    for p in reader.pages:
        for f in (p["/Resources"].get("/Font") or {}).values():
            fonts.add(str(f.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts and all(f.startswith("BIZ-UD") for f in fonts), fonts


def test_renumbering_is_not_reported_as_a_change_of_every_kpi(revise):
    # period (2) → (3): its KPI still belongs to the same section id
    renumbered = revise("""
        -- chapters/01.md --
        # I. 基本事項 {#basics}

        ## (1) 目的 {#purpose}

        本計画は{{counts.total}}種類の手続を扱う。詳細は別紙1を参照。

        行政手続のオンライン化を着実に進める。

        {{table: budget.system}}

        ## (2) 推進体制 {#governance}

        総務省CIOの下で、全省を挙げて推進する。

        ## (3) 計画期間 {#period}

        2020年度から2024年度までとする。

        {{kpi: k-rate}}

        ## (4) 旧来の取組 {#legacy}

        紙による申請の受付を当面継続する。
        """)
    assert compare(load(V1), load(renumbered)).figures == ()


def test_a_moved_paragraph_edited_on_the_way(revise):
    new = load(revise("""
        -- chapters/02.md --
        # II. 取組 {#work}

        ## (1) オンライン化 {#online}

        ### ア. 手続 {#procedures}

        オンライン化を進める[^1]。

        ### イ. 窓口 {#counter}

        窓口での案内を充実する。

        利用者の声を四半期ごとに聴き、改善に活かす。

        [^1]: 脚注の文。
        """))
    rows = table(compare(load(V1), new))
    assert ("block", "～利用者の声を［四半期ごと］に聴き、改善に活かす。～", "（II(1)ア.「手続」から移動）") in rows
    assert ("block", "（II(1)イ.「窓口」へ移動）", "～利用者の声を［定期的］に聴き、改善に活かす。～") in rows


def test_a_paragraph_moved_inside_its_section(revise):
    new = load(revise("""
        -- chapters/02.md --
        # II. 取組 {#work}

        ## (1) オンライン化 {#online}

        ### ア. 手続 {#procedures}

        利用者の声を定期的に聴き、改善に活かす。

        オンライン化を進める[^1]。

        ### イ. 窓口 {#counter}

        窓口での案内を充実する。

        [^1]: 脚注の文。
        """))
    rows = table(compare(load(V1), new))
    moved = [r for r in rows if "（この節の中で位置を移動）" in r[1] + r[2]]
    assert len(moved) == 2 and all("～" in r[1] + r[2] for r in moved)


# ------------------------------------------------------- the text compared

def test_sections_are_compared_as_the_reader_reads_them(revise):
    from dgdocs.plaintext import TextRenderer

    doc = load(revise("""
        -- chapters/02.md --
        # II. 取組 {#work}

        ## (1) オンライン化 {#online}

        ### ア. 手続 {#procedures}

        オンライン化を**進める**[^1]。手続は{{counts.online}}件、
        全体は{{counts.total|nogroup}}件。

        - 国の手続
          - 申請
        - 地方の手続

        1. 第一
        2. 第二

        ### イ. 窓口 {#counter}

        {{kpi: k-rate}}

        [^1]: 脚注の文。
        """))
    ch = doc.chapters[1]
    index = {s.id: s for s in ch.sections()}
    tr = TextRenderer(doc)
    assert [(b.kind, b.text) for b in tr.section_blocks(ch, index["procedures"])] == [
        ("para", "オンライン化を進める（注1）。手続は577件、全体は4860件。"),
        ("item", "・国の手続"),
        ("item", "　・申請"),
        ("item", "・地方の手続"),
        ("item", "1. 第一"),
        ("item", "2. 第二"),
        ("note", "（注1）脚注の文。"),
    ]
    assert [(b.kind, b.text) for b in tr.section_blocks(ch, index["counter"])] == [
        ("kpi", "KPI：オンライン利用率、2021年度末までに100%")]
