"""One diagnostics surface: every problem is a Finding, every stopping problem a DgdocsError,
and the CLI (text, json, github) and the preview show findings through the same functions."""

from __future__ import annotations

import io
import json

import pytest

from conftest import write_tree
from dgdocs import diagnostics
from dgdocs.cli import main
from dgdocs.diagnostics import DgdocsError, LoadError
from dgdocs.load import load
from dgdocs.model import Finding, Loc
from dgdocs.render.pdfwriter import PdfError
from dgdocs.serve import Preview
from dgdocs.yamlsrc import YamlSyntaxError

F = Finding("DG604", "error", Loc("chapters/01.md", 5, 3), "括弧「」が閉じていません。", "閉じてください。", ("purpose", "「"))


def test_one_json_shape_with_the_place_both_whole_and_apart():
    assert diagnostics.as_json(F) == {
        "code": "DG604", "severity": "error", "file": "chapters/01.md", "line": 5, "col": 3,
        "where": "chapters/01.md:5:3", "message": "括弧「」が閉じていません。", "hint": "閉じてください。",
        "subject": ["purpose", "「"], "detail": ""}


def test_text_and_github_forms():
    assert diagnostics.as_text(F) == "chapters/01.md:5:3: error DG604: 括弧「」が閉じていません。\n  → 閉じてください。"
    assert diagnostics.as_text(F, indent="  ").splitlines()[1] == "    → 閉じてください。"
    assert diagnostics.as_github(F, "content/") == (
        "::error file=content/chapters/01.md,line=5,col=3,title=DG604::括弧「」が閉じていません。 → 閉じてください。")


def test_every_stopping_problem_is_a_dgdocs_error_carrying_findings():
    for cls in (LoadError, YamlSyntaxError, PdfError):
        assert issubclass(cls, DgdocsError)
    assert LoadError([F]).findings == [F] and PdfError(F).finding == F
    # the loader's findings come in file order
    later = Finding("DG003", "error", Loc("kpis.yaml", 1), "x", "y")
    assert LoadError([later, F]).findings == [F, later]


def test_a_failure_that_is_not_the_contents_is_named_by_its_type():
    f = diagnostics.from_exception(KeyError("x"), "index.html", "index.html を描画できません")
    assert (f.code, f.severity, str(f.loc), f.message) == ("KeyError", "error", "index.html", "index.html を描画できません")


def test_cli_json_and_the_preview_show_a_finding_the_same_way(mini, capsys):
    write_tree(mini, """
    -- chapters/02.md --
    # II. 取組 {#work}

    ## (1) オンライン化 {#online}

    詳細は別紙1を参照する（閉じない。

    ### ア. 手続 {#procedures}

    2021年度から2022年度にかけて改修し、2022年10月に運用を開始する[^1]。

    [^1]: 脚注の文。
    """)
    assert main(["--content", str(mini), "check", "--format", "json"]) == 1
    cli = json.loads(capsys.readouterr().out)["findings"]
    p = Preview(mini, out=io.StringIO(), watch_templates=False)
    p.rebuild()
    shown = p.status("work.html")["findings"]
    assert shown and all(f in cli for f in shown)
    assert {tuple(sorted(f)) for f in cli} == {tuple(sorted(diagnostics.as_json(F)))}


def test_a_content_that_cannot_be_loaded_raises_one_error_with_every_problem(make_content):
    root = make_content("""
    -- kpis.yaml --
    lines: [
    -- data/counts.yaml --
    figures:
      - {id: total, label: x, value: many}
    """)
    with pytest.raises(DgdocsError) as exc:
        load(root)
    assert {f.code for f in exc.value.findings} >= {"DG003", "DG004"}
