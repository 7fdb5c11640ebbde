"""Writing a new content directory (``dgdocs new``, ``dgdocs import``): all at once or not at all.

* Nothing is written into an existing, non-empty directory unless the editor said so
  (``--force``); then the directory is replaced as a whole, never merged file by file.
* The files are written into a temporary directory beside the target and renamed into
  place only when every one of them was written (and, for the importer, loaded back); an
  interrupted command leaves nothing half-written.
* YAML is emitted by PyYAML's safe dumper, so text taken from an untrusted source is
  always quoted where it has to be and can never become YAML structure.

Errors are :class:`~dgdocs.model.Finding` objects with the code DG802 (the output
directory) and a Japanese message that says what to do.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any, Callable

import yaml

from .model import Finding, Loc


class ContentDirError(Exception):
    """The output directory cannot be written; ``findings`` says why."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__("\n".join(str(f) for f in findings))


def _fail(out: Path, message: str, hint: str) -> ContentDirError:
    return ContentDirError([Finding("DG802", "error", Loc(str(out)), message, hint)])


def check_target(out: Path, force: bool) -> None:
    """Refuse a target that is a file, a symlink, or a non-empty directory (unless *force*)."""
    if out.is_symlink():
        raise _fail(out, f"出力先 {out} はシンボリックリンクです。", "実際のディレクトリを指定してください。")
    if out.exists() and not out.is_dir():
        raise _fail(out, f"出力先 {out} はディレクトリではありません（同じ名前のファイルがあります）。",
                    "別の名前を指定してください。")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise _fail(out, f"出力先 {out} は空ではありません。既存の内容を上書きしないよう、何も書き込みませんでした。",
                    "空のディレクトリか新しい名前を指定してください。既存の内容を丸ごと置き換えるときは --force を付けます。")
    if not out.parent.is_dir():
        raise _fail(out, f"出力先の親ディレクトリ {out.parent} がありません。", "先にディレクトリを作るか、パスを確かめてください。")


def write_directory(out: Path, files: dict[str, bytes | str], force: bool = False,
                    verify: Callable[[Path], None] | None = None) -> None:
    """Write *files* (relative POSIX path → content) as the directory *out*, atomically.

    *verify* is called with the complete temporary directory before it is moved into place;
    an exception from it leaves *out* untouched.
    """
    out = Path(out)
    check_target(out, force)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        for rel in sorted(files):
            p = PurePosixPath(rel)
            if p.is_absolute() or ".." in p.parts or not p.parts:
                raise ValueError(f"refusing to write outside the content directory: {rel}")
            path = tmp.joinpath(*p.parts)
            path.parent.mkdir(parents=True, exist_ok=True)
            data = files[rel]
            path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        if verify is not None:
            verify(tmp)
        old = None
        if out.exists():
            old = out.parent / f".{out.name}.old-{os.getpid()}"
            os.replace(out, old)
        os.replace(tmp, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


class Flow(list):
    """A list written on one line ([57, 59, 65]), for long lists of numbers."""


class _Dumper(yaml.SafeDumper):
    """The safe dumper, with exact decimals (35.1 stays 35.1) and no line folding."""


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))


def _flow(dumper: yaml.SafeDumper, value: Flow) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(value), flow_style=True)


_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_representer(Flow, _flow)


def dump_yaml(data: Any, header: str = "") -> str:
    """*data* as YAML (block style, keys in the given order), after a comment *header*."""
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000,
                     default_flow_style=False)
    head = "".join(f"# {line}".rstrip() + "\n" for line in header.strip("\n").split("\n")) if header else ""
    return head + body
