"""Where the two sides of a 新旧対照表 come from: a content directory or a git revision.

A git revision (``HEAD~1``, a branch, a tag, a commit) is read with
``git archive <commit> <content path>`` and unpacked into a temporary directory; the
working tree, the index and the refs are never touched.  The content path inside the
repository is the one of the ``--content`` directory (``content`` by default).

An argument that names an existing directory is a directory; anything else is a git
revision (so a directory wins over a branch of the same name).
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path


# the content of a plan is a few hundred kilobytes; a revision far larger is not a plan (and is
# unpacked in memory)
MAX_REVISION_BYTES = 200 * 1024 * 1024


class SourceError(Exception):
    """The revision or directory cannot be used; the message is for editors (Japanese)."""


@dataclass(frozen=True)
class Source:
    path: Path  # the content directory to load
    label: str  # how the page names it: 「HEAD~1（0123456789ab）」 or the directory as given
    commit: str | None = None


def _git(args: list[str], cwd: Path, binary: bool = False) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, text=not binary)
    except FileNotFoundError:
        raise SourceError("git が見つかりません。git をインストールするか、比べる版を content ディレクトリで指定してください。") from None


def _repo_of(content: Path) -> tuple[Path, str]:
    """(repository top level, path of the content directory inside it)."""
    content = content.resolve()
    start = content if content.is_dir() else content.parent
    while not start.is_dir():
        start = start.parent
    top = _git(["rev-parse", "--show-toplevel"], start)
    if top.returncode != 0:
        raise SourceError(f"{start} は git のリポジトリの中にありません。比べる版は content ディレクトリで指定してください。")
    root = Path(top.stdout.strip()).resolve()
    try:
        rel = content.relative_to(root).as_posix()
    except ValueError:
        raise SourceError(f"content ディレクトリ {content} がリポジトリ {root} の外にあります。") from None
    return root, rel


def resolve(spec: str, content: str | Path, workdir: Path) -> Source:
    """The content directory of *spec*: the directory itself, or the git revision unpacked under *workdir*."""
    if Path(spec).is_dir():
        return Source(Path(spec), spec)
    root, rel = _repo_of(Path(content))
    commit = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{spec}^{{commit}}"], root)
    if commit.returncode != 0 or not commit.stdout.strip():
        raise SourceError(f"「{spec}」はディレクトリでも git のリビジョン（コミット、ブランチ、タグ）でもありません。")
    sha = commit.stdout.strip()
    listing = _git(["ls-tree", "-r", "-l", "--end-of-options", sha, "--", rel], root)
    sizes = [int(f.split()[3]) for f in listing.stdout.splitlines() if len(f.split()) > 3 and f.split()[3].isdigit()]
    if sum(sizes) > MAX_REVISION_BYTES:
        raise SourceError(f"リビジョン {spec}（{sha[:12]}）の {rel}/ が大きすぎます（{sum(sizes):,} バイト。"
                          f"上限 {MAX_REVISION_BYTES:,} バイト）。比べる版を確かめてください。")
    archive = _git(["archive", "--format=tar", sha, "--", rel], root, binary=True)
    if archive.returncode != 0:
        raise SourceError(f"リビジョン {spec}（{sha[:12]}）に {rel}/ がありません。")
    dest = workdir / sha[:12]
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        members = [m for m in tar.getmembers() if m.isfile() or m.isdir()]  # no links, no devices
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, members=members, filter="data")
        else:  # pragma: no cover - Python without extraction filters
            tar.extractall(dest, members=members)
    return Source(dest / rel, f"{spec}（{sha[:12]}）", sha)
