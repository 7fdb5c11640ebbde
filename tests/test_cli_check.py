"""`dgdocs check` and the build's refusal to publish content with errors (unless a draft)."""

from __future__ import annotations

import json

from dgdocs.cli import main


def break_total(root):
    path = root / "data" / "budget.yaml"
    path.write_text(path.read_text("utf-8").replace("value: 711", "value: 712"), "utf-8")


def test_check_passes_on_clean_content(mini, capsys):
    assert main(["--content", str(mini), "check"]) == 0
    assert "エラー 0 件" in capsys.readouterr().out


def test_check_fails_naming_file_and_line(mini, capsys):
    break_total(mini)
    assert main(["--content", str(mini), "check"]) == 1
    out = capsys.readouterr().out
    assert "data/budget.yaml:10:" in out and "DG101" in out and "→" in out


def test_check_json_and_github_formats(mini, capsys):
    break_total(mini)
    assert main(["--content", str(mini), "check", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    f = data["findings"][0]
    assert (f["code"], f["file"], f["line"], f["severity"]) == ("DG101", "data/budget.yaml", 10, "error")
    assert f["subject"] and f["hint"]
    assert main(["--content", str(mini), "check", "--format", "github"]) == 1
    line = capsys.readouterr().out.strip().splitlines()[0]
    assert line.startswith(f"::error file={mini}/data/budget.yaml,line=10,") and "title=DG101::" in line


def test_warnings_fail_only_when_strict(mini, capsys):
    p = mini / "chapters" / "01.md"
    p.write_text(p.read_text("utf-8").replace("{{counts.total|nogroup}}", "4860"), "utf-8")  # DG202 warning
    assert main(["--content", str(mini), "check"]) == 0
    assert main(["--content", str(mini), "check", "--strict"]) == 1


def test_build_refuses_to_publish_content_with_errors(mini, tmp_path, capsys):
    out = tmp_path / "build"
    break_total(mini)
    assert main(["--content", str(mini), "build", "--html", "--out", str(out)]) == 1
    assert "出力しません" in capsys.readouterr().err
    assert not (out / "html").exists()


def test_a_draft_is_published_and_says_an_on_every_page(mini, tmp_path):
    out = tmp_path / "build"
    break_total(mini)
    assert main(["--content", str(mini), "build", "--html", "--draft", "--out", str(out)]) == 0
    pages = sorted((out / "html").glob("*.html"))
    assert pages
    for page in pages:
        assert '<div class="draft-banner" role="note">案' in page.read_text("utf-8"), page.name


def test_list_rules(capsys):
    assert main(["check", "--list-rules"]) == 0
    assert "DG101" in capsys.readouterr().out
