"""Publishing into ``build/``: a checked place, one writer at a time, and a swap that an
interruption can never leave half done.

* **The place.** The output directory is never a symbolic link, never ``content/`` or inside
  it, never the repository itself or its sources (``dgdocs/``, ``templates/``, ``tests/``,
  ``.git``); its target folders (``html/``, ``pdf/`` …) are real directories.  A committed
  ``build → content`` link would otherwise make a build replace ``content/data``.
* **One writer.** ``build/.lock`` (``flock``) is held by the build that publishes; a second
  ``make pdf`` waits for it (and says so) instead of interleaving its files.
* **The swap.** Every output is written into ``build/.tmp-…/`` first.  Then a journal
  (``build/.swap``) names that directory and the targets, and each target is renamed into
  place.  A process killed at any point leaves either the journal — and the next publish, or
  any build that looks at ``build/``, rolls the swap forward from it (all new files were
  complete before the journal was written) — or no journal, and nothing in ``build/`` changed
  but a stale ``.tmp-…``, which is removed.  The manifest of the previous build is removed
  before the swap starts, so a half-swapped ``build/`` is never taken as up to date.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterator

from .paths import PROJECT

LOCK = ".lock"
JOURNAL = ".swap"
MANIFEST = ".manifest"
TMP_PREFIX = ".tmp-"
_SOURCES = ("content", "dgdocs", "templates", "tests", ".git", ".ci", "docs")


class PublishError(Exception):
    """Publishing is impossible or refused; ``message`` says why and what to do (Japanese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _within(path: Path, root: Path) -> bool:
    return path == root or path.is_relative_to(root)


def check_output_dir(out_root: str | Path, content: str | Path | None = None,
                     targets: tuple[str, ...] = ()) -> Path:
    """The output directory, resolved, or :class:`PublishError` when writing there could
    replace sources: a symlink, content/ or inside it, the repository or its sources."""
    out = Path(out_root)
    if out.is_symlink():
        raise PublishError(f"出力先 {out} はシンボリックリンクです（{os.readlink(out)} を指しています）。"
                           "リンクの先を上書きしないよう、出力しません。リンクを削除するか、別の --out を指定してください。")
    real = out.resolve()
    forbidden = [Path(content).resolve()] if content is not None else []
    forbidden += [PROJECT / name for name in _SOURCES]
    for src in forbidden:
        if _within(real, src):
            raise PublishError(f"出力先 {out} は {src} の中（または同じ場所）です。ソースを上書きしないよう、出力しません。"
                               "出力先には build/ など、ソースと別のディレクトリを指定してください。")
        if _within(src, real) and src.exists():
            raise PublishError(f"出力先 {out} は {src} を含みます。ソースと同じ場所には出力しません。"
                               "出力先には build/ など、ソースと別のディレクトリを指定してください。")
    if real == PROJECT:
        raise PublishError(f"出力先 {out} はリポジトリの最上位です。build/ などを指定してください。")
    for target in targets:
        final = out / target
        if final.is_symlink():
            raise PublishError(f"{final} はシンボリックリンクです。リンクの先を上書きしないよう、出力しません。リンクを削除してください。")
        if final.exists() and not final.is_dir():
            raise PublishError(f"{final} がディレクトリではなくファイルです。消してから（または別の --out で）実行し直してください。")
    return real


# ------------------------------------------------------------------ the lock

_held: dict[Path, int] = {}


@contextlib.contextmanager
def build_lock(out_root: str | Path, wait_message: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold ``out_root/.lock`` (re-entrant within the process); wait for another holder."""
    root = Path(out_root).resolve()
    if root in _held:
        _held[root] += 1
        try:
            yield
        finally:
            _held[root] -= 1
        return
    try:
        root.mkdir(parents=True, exist_ok=True)
        fd = os.open(root / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise PublishError(f"出力先 {root} に書き込めません（{exc.strerror or exc}）。"
                           "書き込みの権限とディスクの空きを確かめるか、別の --out を指定してください。") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "?"
            say = wait_message or (lambda text: print(text, file=sys.stderr, flush=True))
            say(f"別のビルド（プロセス {holder}）が {root} に出力しています。終わるのを待ちます…")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        _held[root] = 1
        try:
            yield
        finally:
            del _held[root]
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # releases the flock


# ------------------------------------------------------------------ the swap

def _roll_forward(root: Path, journal: Path) -> None:
    """Finish the swap the journal describes; every step can be repeated after a kill."""
    try:
        plan = json.loads(journal.read_text("utf-8"))
        tmp = root / plan["tmp"]
        targets = list(plan["targets"])
    except (OSError, ValueError, KeyError, TypeError):
        journal.unlink(missing_ok=True)  # unreadable: written by no complete publish
        return
    if not tmp.name.startswith(TMP_PREFIX) or tmp.parent != root:
        journal.unlink(missing_ok=True)
        return
    for target in targets:
        if "/" in target or target.startswith("."):
            continue
        new, final, old = tmp / target, root / target, tmp / f".old-{target}"
        if not new.exists():
            continue  # already in place
        if final.exists() or final.is_symlink():
            if old.exists():
                shutil.rmtree(old)
            os.replace(final, old)
        os.replace(new, final)
    journal.unlink(missing_ok=True)
    shutil.rmtree(tmp, ignore_errors=True)


def recover(out_root: str | Path) -> list[str]:
    """Repair what an interrupted publish left in *out_root* (call with the lock held):
    finish a journalled swap, remove stale temporaries.  Returns what was done (for messages)."""
    root = Path(out_root)
    done = []
    journal = root / JOURNAL
    if journal.exists():
        _roll_forward(root, journal)
        done.append("中断された出力の入れ替えを完了しました")
    if root.is_dir():
        (root / f"{JOURNAL}.new").unlink(missing_ok=True)  # a journal never completed: no swap began
        for stale in sorted(root.glob(f"{TMP_PREFIX}*")):
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)
            done.append(f"中断されたビルドの一時ファイル {stale.name} を削除しました")
    return done


def publish(outputs: dict[str, dict[str, bytes]], out_root: str | Path,
            before_swap: Callable[[Path], None] | None = None, content: str | Path | None = None,
            journalled: Callable[[Path], None] | None = None) -> None:
    """Write every output into a temporary directory, then swap the targets into place.

    *before_swap* (tests) is called with the temporary directory after everything was
    written and before anything in *out_root* changes; *journalled* (tests) right after the
    journal was written, before the first rename.
    """
    out_root = Path(out_root)
    check_output_dir(out_root, content, tuple(outputs))
    with build_lock(out_root):
        recover(out_root)
        try:
            tmp = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=out_root))
        except OSError as exc:
            raise PublishError(f"出力先 {out_root} に書き込めません（{exc.strerror or exc}）。"
                               "書き込みの権限とディスクの空きを確かめてください。") from None
        try:
            for target in sorted(outputs):
                base = tmp / target
                base.mkdir()
                for rel in sorted(outputs[target]):
                    if ".." in Path(rel).parts or Path(rel).is_absolute():
                        raise ValueError(f"refusing to write outside the output directory: {rel}")
                    path = base / rel
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(outputs[target][rel])
            if before_swap:
                before_swap(tmp)
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise PublishError(f"{out_root} に出力を書けませんでした（{exc.strerror or exc}）。"
                               f"{out_root}/ は前回のままです。ディスクの空きと権限を確かめてください。") from None
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        (out_root / MANIFEST).unlink(missing_ok=True)  # the old fingerprint no longer describes build/
        journal = out_root / JOURNAL
        pending = out_root / f"{JOURNAL}.new"
        pending.write_text(json.dumps({"tmp": tmp.name, "targets": sorted(outputs)}), "utf-8")
        with open(pending, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(pending, journal)
        if journalled:
            journalled(tmp)
        _roll_forward(out_root, journal)


def swap_pending(out_root: str | Path) -> bool:
    """True while a journalled swap is unfinished (the build directory is not to be trusted)."""
    return (Path(out_root) / JOURNAL).exists()
