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


# ----------------------------------------------------------- output that content cannot forge

FORGING = '''
-- data/counts.yaml --
section: purpose
unit: 種類
"note\\n::error file=src/app.py,line=1::forged\\r::warning::cr\\e[2J": 1
figures:
  - {id: total, label: 所管する手続, value: 4860}
  - {id: online, label: オンライン化済み, value: 577, part_of: total}
  - {id: offline, label: オンライン化されていない手続, value: 4283, part_of: total}
'''


def github_lines(out: str) -> list[dict]:
    """Each line of --format github, parsed as GitHub parses a workflow command."""
    lines = out.split("\n")
    assert lines[-1] == ""
    parsed = []
    for line in lines[:-1]:
        assert line.startswith(("::error ", "::warning ", "::notice ")), line
        assert "\r" not in line and "\x1b" not in line
        head, sep, message = line[2:].partition("::")
        assert sep
        props = dict(p.split("=", 1) for p in head.split(" ", 1)[1].split(","))
        assert set(props) <= {"file", "line", "col", "title"}, props  # no forged property
        assert props["title"].startswith("DG")
        parsed.append(dict(props, message=message))
    return parsed


def test_github_annotations_cannot_be_forged_by_a_yaml_key(make_content, capsys):
    root = make_content(FORGING)
    assert main(["--content", str(root), "check", "--format", "github"]) == 1
    (hit,) = github_lines(capsys.readouterr().out)
    assert hit["file"].endswith("/data/counts.yaml") and hit["line"] == "3"
    assert "⟨U+000A⟩::error file=src/app.py" in hit["message"] and "⟨U+001B⟩" in hit["message"]


def test_github_annotations_cannot_be_forged_by_a_file_name(make_content, capsys):
    root = make_content()
    (root / "chapters" / "x,line=9::a\n::error file=evil.md").write_text("# VIII. 外 {#outside}\n", "utf-8")
    assert main(["--content", str(root), "check", "--format", "github"]) == 1
    hits = github_lines(capsys.readouterr().out)
    assert any("evil.md" in h["file"] and "x%2Cline=9%3A%3Aa⟨U+000A⟩%3A%3Aerror file=evil.md" in h["file"] for h in hits), hits


def test_text_output_never_prints_control_characters(make_content, capsys):
    root = make_content(FORGING)
    assert main(["--content", str(root), "check"]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\r" not in out
    assert not any(line.startswith("::") for line in out.split("\n"))
    assert "⟨U+001B⟩" in out and "⟨U+000A⟩" in out  # shown, not hidden


# ------------------------------------------------------------------ seeing and accepting findings (issue 13)

ACCEPT = """
-- chapters/01.md --
# I. 基本事項 {#basics}

## (1) 目的 {#purpose}

本計画は4860種類の手続を扱う。

{{table: budget.system}}

## (2) 計画期間 {#period}

2020年度から2024年度までとする。

{{kpi: k-rate}}
-- accepted.yaml --
accepted:
  - code: DG202
    subject: [purpose, 4860種類]
    reason: 原文どおり（テストの理由）。
"""


def test_check_accepted_lists_the_accepted_findings_with_their_reasons(make_content, capsys):
    root = make_content(ACCEPT)
    assert main(["--content", str(root), "check"]) == 0
    out = capsys.readouterr().out
    assert "受け入れ済み 1 件" in out and "原文どおり（テストの理由）" not in out and "--accepted" in out
    assert main(["--content", str(root), "check", "--accepted"]) == 0
    out = capsys.readouterr().out
    assert "chapters/01.md:5:5: warning DG202:" in out
    assert "受け入れの理由（accepted.yaml:2:5）: 原文どおり（テストの理由）。" in out


def test_a_reader_that_closes_the_pipe_gets_no_traceback(mini):
    """`dgdocs check --format json | head`: the pipe's reader is gone before dgdocs writes (its
    read end is closed first, so the write fails every time, not by chance)."""
    import os
    import subprocess
    import sys
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run([sys.executable, "-m", "dgdocs", "--content", str(mini), "check", "--format", "json"],
                              stdout=write, stderr=subprocess.PIPE, text=True)
    finally:
        os.close(write)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "BrokenPipeError" not in proc.stderr, proc.stderr


def test_the_command_ends_without_the_interpreters_tear_down_with_its_output_and_status(mini):
    """cli.run (``python -m dgdocs``, the console script): once main returns, the process ends
    at once, without freeing a build's heap object by object (≈ 0.09 s after a PDF build) — its
    output flushed, its status main's; an exit handler registered before it does not run."""
    import subprocess
    import sys
    code = "import atexit; atexit.register(print, 'TEAR-DOWN'); from dgdocs.cli import run; run()"
    clean = subprocess.run([sys.executable, "-c", code, "--content", str(mini), "check"], capture_output=True, text=True)
    assert clean.returncode == 0 and "エラー 0 件" in clean.stdout, clean.stdout + clean.stderr
    break_total(mini)
    broken = subprocess.run([sys.executable, "-c", code, "--content", str(mini), "check", "--format", "json"],
                            capture_output=True, text=True)
    assert broken.returncode == 1
    assert json.loads(broken.stdout)["findings"][0]["code"] == "DG101"  # all of it, flushed
    assert "TEAR-DOWN" not in clean.stdout + broken.stdout


def test_a_draft_build_prints_the_findings_it_publishes_despite(mini, tmp_path, capsys):
    out = tmp_path / "build"
    break_total(mini)
    assert main(["--content", str(mini), "build", "--html", "--draft", "--out", str(out)]) == 0
    got = capsys.readouterr()
    assert "data/budget.yaml:10:" in got.err and "DG101" in got.err
    assert "案として。検査の指摘を残したまま：エラー 1 件" in got.out
    # built again without a change: not rebuilt, but still says what it was published despite
    assert main(["--content", str(mini), "build", "--html", "--draft", "--out", str(out)]) == 0
    got = capsys.readouterr()
    assert "は最新です" in got.out and "DG101" in got.err and "指摘を残したまま" in got.err


def test_check_does_not_import_the_commands_at_the_edges():
    """`dgdocs check` runs on every revision in CI: it loads neither the importer nor openpyxl
    (the 照会票), which are registered in full only when asked for."""
    import subprocess
    import sys

    from conftest import CONTENT, ROOT
    code = ("import sys; from dgdocs.cli import main; rc = main(['--content', sys.argv[1], 'check']);"
            "print(sorted(m for m in sys.modules if m.startswith(('dgdocs.importer', 'dgdocs.scaffold', 'openpyxl',"
            " 'dgdocs.progress.sheet', 'weasyprint', 'jinja2'))))")
    out = subprocess.run([sys.executable, "-c", code, str(CONTENT)], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout + out.stderr


def test_check_imports_no_renderer_and_no_library_of_the_renderers():
    """A fresh `dgdocs check` (≤ 0.3 s, `make bench`) reads the plan's source lines: it imports
    neither mistune (the Markdown renderer, dgdocs.markdown_html), nor Babel (numbers are
    grouped by Python's format; Babel's locale data alone took ≈ 20 ms), nor Jinja2 or any
    module of dgdocs.render.  Each of them once crept onto the check path unnoticed."""
    import subprocess
    import sys

    from conftest import CONTENT, ROOT
    code = ("import sys; from dgdocs.cli import main; rc = main(['--content', sys.argv[1], 'check']);"
            "print(rc, sorted(m for m in sys.modules if m.split('.')[0] in ('mistune', 'babel', 'jinja2', 'markupsafe',"
            " 'weasyprint') or m.startswith(('dgdocs.render', 'dgdocs.markdown_html'))))")
    out = subprocess.run([sys.executable, "-c", code, str(CONTENT)], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip().splitlines()[-1] == "0 []", out.stdout + out.stderr
