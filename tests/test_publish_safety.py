"""Publishing never loses data: the output directory cannot be pointed at the sources, an
interrupted swap is finished by the next build, stale temporaries go, builds take turns,
and PDF workers end with the build that started them."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from dgdocs.cli import main
from dgdocs.publish import JOURNAL, PublishError, build_lock, check_output_dir, publish, recover

from conftest import ROOT


def tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != ".lock"}


def build_cli(content, out, *extra) -> list[str]:
    return ["--content", str(content), "build", "--html", "--data", "--out", str(out), *extra]


# ------------------------------------------------------------ where a build may write

def test_a_build_symlink_to_content_is_refused_and_content_survives(mini, tmp_path, capsys):
    before = tree_digest(mini)
    link = tmp_path / "build"
    link.symlink_to(mini)
    assert main(build_cli(mini, link)) == 2
    err = capsys.readouterr().err
    assert "シンボリックリンク" in err and str(link) in err
    assert tree_digest(mini) == before


@pytest.mark.parametrize("where", ["content", "content/data", "repo", "repo/dgdocs", "repo/templates"])
def test_an_output_directory_on_the_sources_is_refused(mini, where, capsys):
    out = {"content": mini, "content/data": mini / "data", "repo": ROOT, "repo/dgdocs": ROOT / "dgdocs",
           "repo/templates": ROOT / "templates"}[where]
    before = tree_digest(mini)
    assert main(build_cli(mini, out)) == 2
    err = capsys.readouterr().err
    assert "出力しません" in err or "指定してください" in err
    assert tree_digest(mini) == before


def test_an_output_that_contains_the_content_is_refused(mini):
    with pytest.raises(PublishError) as info:
        check_output_dir(mini.parent, mini, ("html",))
    assert "含みます" in info.value.message


def test_a_target_folder_that_is_a_symlink_or_a_file_is_refused(mini, tmp_path, capsys):
    out = tmp_path / "build"
    out.mkdir()
    (out / "data").symlink_to(mini / "data")
    before = tree_digest(mini)
    assert main(build_cli(mini, out)) == 2
    assert "シンボリックリンク" in capsys.readouterr().err
    assert tree_digest(mini) == before
    (out / "data").unlink()
    (out / "html").write_text("a stray file")
    assert main(build_cli(mini, out)) == 2
    assert "ファイルです" in capsys.readouterr().err


def test_an_unwritable_output_is_a_clear_error(mini, tmp_path, monkeypatch, capsys):
    import tempfile

    def refuse(*a, **kw):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    assert main(build_cli(mini, tmp_path / "build")) == 1
    err = capsys.readouterr().err
    assert "書き込めません" in err and "権限" in err and "Traceback" not in err


def test_an_oversized_source_date_epoch_is_a_clear_error(mini, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999999999")
    assert main(build_cli(mini, tmp_path / "build")) == 2
    assert "SOURCE_DATE_EPOCH" in capsys.readouterr().err


# ------------------------------------------------------------ interrupted publishing

KILL_AT_RENAME = textwrap.dedent("""
    import os, signal, sys
    from dgdocs import publish as p
    outputs = {t: {"index.html": b"new " + t.encode(), "sub/x.txt": b"new"} for t in ("data", "html", "pdf")}
    real, calls = os.replace, []
    def replace(a, b):
        calls.append((a, b))
        if len(calls) == int(sys.argv[2]):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(a, b)
    p.os.replace = replace
    p.publish(outputs, sys.argv[1])
""")


def old_build(out: Path) -> dict[str, dict[str, bytes]]:
    outputs = {t: {"index.html": b"old " + t.encode(), "old-only.txt": b"old"} for t in ("data", "html", "pdf")}
    publish(outputs, out)
    return outputs


@pytest.mark.parametrize("kill_at", [2, 3, 4, 5, 6])
def test_a_build_killed_during_the_swap_is_completed_by_the_next_one(tmp_path, kill_at):
    """kill -9 at each rename of the swap (the journal's own rename is the first): the next
    publish — or any build — finds the journal and rolls the swap forward; build/ is then
    wholly new, never a mix, and no temporary is left behind."""
    out = tmp_path / "build"
    old_build(out)
    proc = subprocess.run([sys.executable, "-c", KILL_AT_RENAME, str(out), str(kill_at)], cwd=ROOT)
    assert proc.returncode == -signal.SIGKILL
    assert (out / JOURNAL).exists()
    done = recover(out)
    assert done and not (out / JOURNAL).exists()
    for t in ("data", "html", "pdf"):
        assert (out / t / "index.html").read_bytes() == b"new " + t.encode()
        assert not (out / t / "old-only.txt").exists()
    assert not list(out.glob(".tmp-*"))


def test_a_build_killed_before_the_swap_leaves_the_old_build_and_its_temporary_is_removed(tmp_path):
    out = tmp_path / "build"
    old_build(out)
    before = tree_digest(out)
    proc = subprocess.run([sys.executable, "-c", KILL_AT_RENAME, str(out), "1"], cwd=ROOT)
    assert proc.returncode == -signal.SIGKILL
    assert list(out.glob(".tmp-*")) and not (out / JOURNAL).exists()
    recover(out)
    assert not list(out.glob(".tmp-*"))
    assert tree_digest(out) == {k: v for k, v in before.items() if k != ".manifest"}


def test_a_half_swapped_build_is_never_taken_as_up_to_date(mini, tmp_path, capsys):
    out = tmp_path / "build"
    assert main(build_cli(mini, out)) == 0
    (out / JOURNAL).write_text(json.dumps({"tmp": ".tmp-gone", "targets": ["html"]}))
    from dgdocs.build import input_fingerprint, is_up_to_date
    assert not is_up_to_date(out, input_fingerprint(mini, ["html", "data"], ""), ["html", "data"])
    capsys.readouterr()
    assert main(build_cli(mini, out)) == 0
    assert "入れ替え" in capsys.readouterr().err and not (out / JOURNAL).exists()


# ------------------------------------------------------------ one build at a time

HOLD_LOCK = textwrap.dedent("""
    import sys
    from dgdocs.publish import build_lock
    with build_lock(sys.argv[1]):
        print("locked", flush=True)
        sys.stdin.readline()
""")


def test_a_second_build_waits_for_the_first_and_says_so(tmp_path):
    out = tmp_path / "build"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(out)], cwd=ROOT, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        said, saying, got = [], threading.Event(), threading.Event()

        def note(text):
            said.append(text)
            saying.set()

        def second():
            with build_lock(out, wait_message=note):
                got.set()

        t = threading.Thread(target=second)
        t.start()
        assert saying.wait(timeout=60)  # it says that it waits, before it can have the lock
        assert "待ちます" in said[0] and str(holder.pid) in said[0] and not got.is_set()
        holder.stdin.write("\n")
        holder.stdin.flush()
        t.join(timeout=60)
        assert got.is_set()
    finally:
        holder.kill()
        holder.wait()


# ------------------------------------------------------------ workers end with their build

START_POOL_AND_WAIT = textwrap.dedent("""
    import sys
    from dgdocs.render.workers import start_pool
    pool = start_pool(2)
    print(" ".join(map(str, pool.pids())), flush=True)  # started and warm
    sys.stdin.readline()
""")


def test_pdf_workers_exit_when_the_build_is_killed(tmp_path):
    """The workers inherit the build's stdout: reading it to the end returns only when every
    process holding it — the killed build and both workers — is gone."""
    proc = subprocess.Popen([sys.executable, "-c", START_POOL_AND_WAIT], cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    pids = [int(p) for p in proc.stdout.readline().split()]
    assert len(pids) == 2 and proc.pid not in pids
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    rest, _ = proc.communicate(timeout=120)  # EOF: every writer of the pipe has exited
    assert rest == ""
