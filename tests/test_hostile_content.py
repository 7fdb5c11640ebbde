"""Content is untrusted: a pull request may carry any file.  Each case feeds the hostile or
broken input and asserts the clear error (code, file:line, Japanese) — never a traceback, a
file of the machine read, a page replaced, or a build that does not end."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dgdocs.checks import run_checks
from dgdocs.load import MAX_FILE_BYTES, MAX_LINE_CHARS, LoadError, load

from conftest import ROOT


def load_errors(root) -> list:
    with pytest.raises(LoadError) as info:
        load(root)
    return info.value.findings


def only(findings, code):
    hits = [f for f in findings if f.code == code]
    assert hits, f"no {code} in {[str(f) for f in findings]}"
    return hits


# ----------------------------------------------------------- paths stay inside content/

@pytest.mark.parametrize("path", ["/etc/passwd", "../secret.md", "chapters/../../secret.md", "C:/x.md"])
def test_a_chapter_path_outside_content_is_refused_naming_the_plan_line(make_content, path, tmp_path):
    (tmp_path / "secret.md").write_text("# I. 秘密 {#secret}\n\n外の文書。\n", "utf-8")
    root = make_content()
    plan = (root / "plan.yaml").read_text("utf-8")
    (root / "plan.yaml").write_text(plan.replace("chapters/02.md]", f"{path!s}]"), "utf-8")
    f = only(load_errors(root), "DG010")[0]
    assert f.loc.file == "plan.yaml" and f.loc.line == 7
    assert path in f.message and "content/ の外" in f.message and f.hint


def test_a_symlink_out_of_content_is_refused_and_its_target_never_read(make_content, tmp_path):
    secret = tmp_path / "shadow"
    secret.write_text("root:$6$secret-hash:19000:0:99999:7:::\n", "utf-8")
    root = make_content()
    (root / "data" / "evil.yaml").symlink_to(secret)
    findings = load_errors(root)
    f = only(findings, "DG010")[0]
    assert f.loc.file == "data/evil.yaml" and "シンボリックリンク" in f.message
    assert not any("secret-hash" in str(x) for x in findings)


def test_a_symlinked_directory_out_of_content_is_refused(make_content, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "beppyo-2.yaml").write_text("number: 2\n", "utf-8")
    root = make_content()
    (root / "appendices" / "more").symlink_to(outside)
    (root / "appendices" / "beppyo-2.yaml").symlink_to(outside / "beppyo-2.yaml")
    only(load_errors(root), "DG010")


def test_a_symlink_inside_content_is_fine(make_content):
    root = make_content()
    (root / "chapters" / "02.md").rename(root / "chapters" / "real-02.md")
    (root / "chapters" / "02.md").symlink_to("real-02.md")
    assert [c.id for c in load(root).chapters] == ["basics", "work"]


def test_the_errata_source_must_be_a_plain_name_inside_content_source(make_content):
    root = make_content("""
    -- errata.yaml --
    seed: ../../etc/passwd
    entries: []
    """)
    f = only(load_errors(root), "DG004")[0]
    assert f.loc.file == "errata.yaml" and f.loc.line == 1 and "ファイル名だけ" in f.message


# ----------------------------------------------------------- reserved names

@pytest.mark.parametrize("hid", ["index", "kpis", "search", "zenbun", "errata", "source", "beppyo-3"])
def test_a_chapter_id_equal_to_a_page_of_the_site_is_refused(make_content, hid):
    root = make_content(f"""
    -- chapters/02.md --
    # II. 取組 {{#{hid}}}

    ## (1) オンライン化 {{#online}}

    本文。

    ### ア. 手続 {{#procedures}}

    2021年度から2022年度にかけて改修し、2022年10月に運用を開始する[^1]。

    [^1]: 脚注の文。
    """)
    f = only(load_errors(root), "DG012")[0]
    assert f.loc == f.loc.__class__("chapters/02.md", 1) and hid in f.message and "ページ名" in f.message


@pytest.mark.parametrize("hid", ["main", "search-q", "fn-1", "kpi-k-rate", "row-r1", "basics-fn-1"])
def test_a_section_id_equal_to_an_id_of_the_templates_is_refused(make_content, hid):
    root = make_content()
    ch = root / "chapters" / "01.md"
    ch.write_text(ch.read_text("utf-8").replace("{#period}", f"{{#{hid}}}"), "utf-8")
    f = only(load_errors(root), "DG012")[0]
    assert f.loc.file == "chapters/01.md" and f.loc.line == 9 and hid in f.message


def test_a_chapter_heading_without_an_id_is_an_error_not_a_page_with_a_hash_name(make_content):
    root = make_content()
    ch = root / "chapters" / "02.md"
    ch.write_text(ch.read_text("utf-8").replace("# II. 取組 {#work}", "# II. 取組"), "utf-8")
    f = only(load_errors(root), "DG009")[0]
    assert f.severity == "error" and f.loc.file == "chapters/02.md" and f.loc.line == 1 and "id" in f.message


# ----------------------------------------------------------- bounded work: YAML

BILLION_LAUGHS = textwrap.dedent("""\
    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
    h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
    i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
    """)


@pytest.mark.parametrize("text, line", [
    (BILLION_LAUGHS, 2),
    ("section: purpose\nfigures: &x [*x]\n", 2),
    ("section: &s purpose\nunit: *s\nfigures: []\n", 2),
])
def test_yaml_aliases_are_refused_where_they_stand(make_content, text, line):
    root = make_content()
    (root / "data" / "bomb.yaml").write_text(text, "utf-8")
    f = only(load_errors(root), "DG003")[0]
    assert f.loc.file == "data/bomb.yaml" and f.loc.line == line and "別名" in f.message


@pytest.mark.parametrize("text", ["x: " + "[" * 600 + "]" * 600 + "\n",
                                  "".join("  " * i + f"k{i}:\n" for i in range(600)) + "  " * 600 + "v: 1\n"])
def test_deep_nesting_is_a_clear_error_not_a_recursion_error(make_content, text):
    root = make_content()
    (root / "data" / "deep.yaml").write_text(text, "utf-8")
    findings = load_errors(root)
    f = next(f for f in findings if f.loc.file == "data/deep.yaml")
    assert f.code in ("DG011", "DG003") and f.loc.line >= 1


def test_a_file_over_the_size_limit_is_refused_unread(make_content):
    root = make_content()
    big = root / "chapters" / "02.md"
    big.write_text("# II. 取組 {#work}\n\n" + ("あ" * 1000 + "\n\n") * (MAX_FILE_BYTES // 3000 + 10), "utf-8")
    f = only(load_errors(root), "DG011")[0]
    assert f.loc.file == "chapters/02.md" and "大きすぎます" in f.message and f.hint


def test_a_line_over_the_length_limit_is_refused_with_its_line(make_content):
    root = make_content()
    ch = root / "chapters" / "02.md"
    ch.write_text(ch.read_text("utf-8") + "\n" + "x" * (MAX_LINE_CHARS + 1) + "\n", "utf-8")
    f = only(load_errors(root), "DG011")[0]
    assert f.loc.file == "chapters/02.md" and f.loc.line == 13 and "長すぎます" in f.message


HOSTILE_LINES = {
    "braces": "{{" * 9_999, "spaced-braces": "{{ " * 6_666, "links": "[a" * 9_999, "footnotes": "[^a" * 6_666,
    "images": "![" * 9_999, "link-urls": "[a](b" + " c" * 9_990, "brackets": "[]" * 9_999, "emphasis": "*a" * 9_999,
    "directive": "{{kpi:" + " " * 19_990, "mixed": "{{a[^b[c(d「e" * 1_666,
}


def test_pathological_lines_are_handled_in_linear_time(make_content, tmp_path):
    """Each line is at the length limit and repeated: with a quadratic pattern (the old
    reference, link and footnote patterns) these took minutes each; linear, the whole
    check and render take about a second.  The child process has a generous deadline only
    so that a regression fails instead of hanging CI."""
    root = make_content()
    ch = root / "chapters" / "02.md"
    body = "\n\n".join(line for line in HOSTILE_LINES.values() for _ in range(3))
    ch.write_text(ch.read_text("utf-8") + "\n" + body + "\n", "utf-8")
    code = textwrap.dedent(f"""
        from dgdocs.load import load
        from dgdocs.checks import run_checks
        from dgdocs.render.html import render_site
        doc = load({str(root)!r})
        report = run_checks(doc)
        site = render_site(doc)
        print("ok", len(site))
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("ok")


# ----------------------------------------------------------- low: clear errors, no tracebacks

def test_lone_cr_line_endings_are_a_clear_error(make_content):
    root = make_content()
    (root / "chapters" / "02.md").write_bytes("# II. 取組 {#work}\r\r本文。\r".encode())
    f = only(load_errors(root), "DG001")[0]
    assert f.loc.file == "chapters/02.md" and f.loc.line == 1 and "CR" in f.message


def test_a_directory_where_a_chapter_file_is_expected(make_content):
    root = make_content()
    (root / "chapters" / "02.md").unlink()
    (root / "chapters" / "02.md").mkdir()
    f = only(load_errors(root), "DG002")[0]
    assert "ディレクトリ" in f.message and f.loc.file == "plan.yaml" and f.loc.line == 7


def test_an_unreadable_file_is_a_clear_error(make_content, monkeypatch):
    root = make_content()
    real_open = open

    def deny(path, *args, **kw):
        if str(path).endswith("kpis.yaml"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kw)

    monkeypatch.setattr("builtins.open", deny)
    f = only(load_errors(root), "DG002")[0]
    assert f.loc.file == "kpis.yaml" and "権限" in f.message and "chmod" in f.hint


@pytest.mark.parametrize("period, word", [("{from: 2020, to: 200000}", "範囲外"), ("{from: 2024, to: 2020}", "2024〜2020"),
                                          ("{from: 20, to: 24}", "範囲外")])
def test_an_impossible_plan_period_is_a_clear_error(make_content, period, word):
    root = make_content()
    plan = (root / "plan.yaml").read_text("utf-8")
    (root / "plan.yaml").write_text(plan.replace("{from: 2020, to: 2024}", period), "utf-8")
    f = only(load_errors(root), "DG008")[0]
    assert f.loc.file == "plan.yaml" and word in f.message


def test_the_shipped_content_passes_every_limit(doc):
    assert run_checks(doc).errors == []
    for path in (ROOT / "content").rglob("*"):
        assert not path.is_symlink(), path
        if path.is_file():
            assert path.stat().st_size <= MAX_FILE_BYTES
            assert max(map(len, path.read_text("utf-8").split("\n"))) <= MAX_LINE_CHARS, path
    assert os.sep + "content" in doc.root


def test_a_diff_against_a_revision_that_reads_outside_content_is_refused(make_content, tmp_path, capsys):
    """make diff loads both sides with the same loader: a hostile old revision cannot publish
    a file of the machine in the 新旧対照表."""
    from dgdocs.cli import main

    secret = tmp_path / "secret.md"
    secret.write_text("# I. 秘密 {#secret}\n\nSECRET-LINE\n", "utf-8")
    new = make_content()
    old = tmp_path / "old"
    import shutil
    shutil.copytree(new, old)
    plan = (old / "plan.yaml").read_text("utf-8")
    (old / "plan.yaml").write_text(plan.replace("chapters/02.md]", f"{secret}]"), "utf-8")
    assert main(["--content", str(new), "diff", str(old), "--no-pdf", "--out", str(tmp_path / "b")]) == 1
    err = capsys.readouterr().err
    assert "DG010" in err and "SECRET-LINE" not in err
    assert not (tmp_path / "b" / "diff").exists()
