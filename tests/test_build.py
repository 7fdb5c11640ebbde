"""Whole-pipeline behaviour: a miniature plan builds; a failed build leaves build/ as it was;
the same sources give the same bytes; nothing is written into content/."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from dgdocs.build import PublishError, build, publish
from dgdocs.cli import main


def tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_miniature_plan_builds_into_pages(mini, tmp_path, capsys):
    out = tmp_path / "build"
    assert main(["--content", str(mini), "build", "--html", "--data", "--out", str(out)]) == 0
    html = out / "html"
    assert sorted(p.name for p in html.glob("*.html")) == [
        "basics.html", "beppyo-1.html", "index.html", "kpis.html", "search.html", "work.html", "zenbun.html"]
    index = (html / "index.html").read_text("utf-8").replace("<wbr>", "")
    assert '<html lang="ja">' in index and "テスト計画" in index
    assert "平成30年6月22日" in index and "令和2年3月31日改定" in index
    assert 'href="basics.html#purpose"' in index  # table of contents
    basics = (html / "basics.html").read_text("utf-8").replace("<wbr>", "")  # phrase breaks in captions
    assert "本計画は4860種類の手続を扱う。" in basics
    assert "<caption>【経費（単位：億円）】</caption>" in basics and ">711<" in basics
    assert '<a class="kpi-label" href="kpis.html#kpiline-k-rate">KPI</a>：オンライン利用率、2021年度末までに100%' in basics
    assert 'rel="next" href="work.html"' in basics
    work = (html / "work.html").read_text("utf-8").replace("<wbr>", "")
    assert '<a class="beppyo" href="beppyo-1.html">別紙1</a>' in work
    assert 'href="#fn-1"' in work and 'id="fn-1"' in work and "脚注の文。" in work
    kpis = (html / "kpis.html").read_text("utf-8").replace("<wbr>", "")
    assert 'id="kpi-k-rate"' in kpis and "100%" in kpis and "2021年度末までに" in kpis
    appendix = (html / "beppyo-1.html").read_text("utf-8").replace("<wbr>", "")
    assert "2021年度第1四半期（4〜6月）〜2022年度第2四半期（7〜9月）" in appendix
    assert (out / "data" / "kpis.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_content_is_never_written(mini, tmp_path):
    before = tree_digest(mini)
    assert main(["--content", str(mini), "build", "--html", "--data", "--out", str(tmp_path / "b")]) == 0
    assert tree_digest(mini) == before


def test_same_sources_give_the_same_bytes(mini):
    a = build(mini, ["html", "data"]).outputs
    b = build(mini, ["html", "data"]).outputs
    assert a == b


BREAKAGES = {
    "yaml-syntax": ("kpis.yaml", lambda p: p.write_text(p.read_text("utf-8").replace("text: オンライン", "text: [オンライン"), "utf-8"),
                    "kpis.yaml:"),
    "shift-jis-chapter": ("chapters/02.md", lambda p: p.write_bytes(p.read_text("utf-8").encode("shift_jis")),
                          "chapters/02.md:"),
    "emptied-yaml": ("data/counts.yaml", lambda p: p.write_text("", "utf-8"), "data/counts.yaml"),
}


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_a_failed_build_leaves_the_previous_build_untouched(mini, tmp_path, capsys, name):
    out = tmp_path / "build"
    assert main(["--content", str(mini), "build", "--html", "--data", "--out", str(out)]) == 0
    before = tree_digest(out)
    rel, breaker, where = BREAKAGES[name]
    breaker(mini / rel)
    capsys.readouterr()
    assert main(["--content", str(mini), "build", "--html", "--data", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert where in err and "ビルドを中止しました" in err
    assert tree_digest(out) == before


def test_failure_while_publishing_keeps_the_old_outputs(mini, tmp_path):
    out = tmp_path / "build"
    publish(build(mini, ["html"]).outputs, out)
    before = tree_digest(out)

    def explode(tmp):
        raise OSError("disk full")

    with pytest.raises(PublishError) as info:
        publish({"html": {"index.html": b"new"}}, out, before_swap=explode)
    assert "disk full" in info.value.message and "前回のまま" in info.value.message
    assert tree_digest(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".tmp-")]


def test_publish_refuses_paths_outside_the_output(tmp_path):
    with pytest.raises(ValueError):
        publish({"html": {"../escape.html": b"x"}}, tmp_path / "build")
    assert not (tmp_path / "escape.html").exists()


def test_a_session_blocks_publishing_on_errors_unless_it_is_a_draft(make_content):
    from dgdocs.build import DRAFT_BANNER, Session
    root = make_content("""
    -- chapters/02.md --
    # II. 取組 {#work}

    ## (1) オンライン化 {#online}

    詳細は別紙1を参照する（閉じない。

    ### ア. 手続 {#procedures}

    2021年度から2022年度にかけて改修し、2022年10月に運用を開始する[^1]。

    [^1]: 脚注の文。
    """)
    final, draft = Session(root), Session(root, draft=True)
    assert final.check().errors and final.blocked and final.banner == ""
    assert draft.check().errors and not draft.blocked and draft.banner == DRAFT_BANNER
    assert "案" in draft.render(["html"]).outputs["html"]["work.html"].decode()


def test_a_session_refuses_a_base_url_that_is_not_absolute(mini):
    from dgdocs.build import Session
    with pytest.raises(ValueError):
        Session(mini, base_url="/plan/html/")
    assert Session(mini, base_url="https://example.go.jp/plan").base_url == "https://example.go.jp/plan/"
