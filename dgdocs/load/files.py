"""Reading ``content/``: paths confined to it, bounded sizes, encodings; YAML safely.

:class:`Context` carries the content root and the problems found so far; every reader of
the package takes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import re
from pathlib import Path

from ..diagnostics import Problems
from ..model import (
    Loc,
)
from .. import yamlcache
from ..yamlsrc import Reader, YamlSyntaxError, YNode


@dataclass
class Context:
    """What every reader shares: the content root, the problems found, the texts read."""


    root: Path
    problems: Problems
    texts: dict[str, str] | None = None  # every file read (rel → text)
    images: dict[str, object] = field(default_factory=dict)  # every image read (rel → ImageFile), once

    @property
    def r(self) -> Reader:
        from .fields import keys_elsewhere
        return Reader(self.problems, keys_elsewhere)  # made only when a key is unknown

    def err(self, code: str, loc: Loc, message: str, hint: str) -> None:
        self.problems.error(code, loc, message, hint)




# Work is bounded on any input: no content file of a plan comes near these.
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_LINE_CHARS = 20_000


def confine(root: Path, rel: str) -> tuple[Path | None, str, str]:
    """*rel* as a path inside *root* (``content/``), or (None, message, hint) when it leads
    outside: an absolute path, ``..``, or a symbolic link whose target is outside."""
    parts = rel.replace("\\", "/").split("/")
    if rel.startswith(("/", "~")) or re.match(r"^[A-Za-z]:", rel) or ".." in parts or "\\" in rel:
        return None, f"パス「{rel}」は content/ の外を指しています。", \
            "content/ からの相対パス（例: chapters/01-basics.md）で書いてください。「..」や絶対パスは使えません。"
    path = root / rel
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return None, f"{rel} のシンボリックリンクをたどれません（循環しています）。", \
            "シンボリックリンクをやめ、ファイルそのものを content/ に置いてください。"
    if not real.is_relative_to(root):
        return None, f"{rel} はシンボリックリンクで content/ の外を指しています。", \
            "content/ の外のファイルは読みません。ファイルそのものを content/ に置いてください。"
    return path, "", ""


def content_path(ctx: Context, rel: str, where: Loc | None = None) -> Path | None:
    """*rel* as a path inside ``content/``, or None (reported, DG010) when it leads outside."""
    path, message, hint = confine(ctx.root, rel)
    if path is None:
        ctx.err("DG010", where or Loc(rel), message, hint)
    return path


def read_bytes(ctx: Context, rel: str, where: Loc | None = None, limit: int = MAX_FILE_BYTES) -> bytes | None:
    """The bytes of ``content/<rel>`` (at most *limit*), or None with the problem reported:
    outside content/ (DG010), missing, a directory, unreadable (DG002), too large (DG011)."""
    path = content_path(ctx, rel, where)
    if path is None:
        return None
    loc = where or Loc(rel)
    if path.is_dir():
        ctx.err("DG002", loc, f"{rel} はファイルではなくディレクトリです。",
                "ファイル名を確かめてください（content/ からの相対パスです）。")
        return None
    if not path.is_file():
        what = "が通常のファイルではありません" if path.exists() else "がありません"
        ctx.err("DG002", loc, f"ファイル {rel} {what}。".replace(" が", "が"),
                "ファイル名と場所を確かめてください（content/ からの相対パスです）。")
        return None
    try:
        size = path.stat().st_size
        if size > limit:
            ctx.err("DG011", Loc(rel), f"{rel} が大きすぎます（{size:,} バイト。上限 {limit:,} バイト）。",
                    "ファイルを分けてください（章なら節ごとに、データならファイルごとに）。壊れたファイルでないかも確かめてください。")
            return None
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except PermissionError:
        ctx.err("DG002", Loc(rel), f"{rel} を読む権限がありません。",
                "ファイルの権限を確かめてください（例: chmod u+r）。")
        return None
    except OSError as exc:
        ctx.err("DG002", Loc(rel), f"{rel} を読めません（{exc.strerror or type(exc).__name__}）。",
                "ファイルとディスクの状態を確かめてください。")
        return None
    if len(data) > limit:  # grew while we looked
        ctx.err("DG011", Loc(rel), f"{rel} が大きすぎます（上限 {limit:,} バイト）。", "ファイルを分けてください。")
        return None
    return data


def read_text(ctx: Context, rel: str, where: Loc | None = None) -> str | None:
    """The text of ``content/<rel>`` (UTF-8, LF line ends), or None with the problem reported.
    *where* is the place that named the file (plan.yaml's chapter list), for the messages."""
    data = read_bytes(ctx, rel, where)
    if data is None:
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        guess = ""
        for enc, name in (("shift_jis", "Shift_JIS"), ("euc_jp", "EUC-JP")):
            try:
                data.decode(enc)
                guess = f"（{name} で保存されているようです）"
                break
            except UnicodeDecodeError:
                pass
        ctx.err("DG001", Loc(rel, line), f"文字コードが UTF-8 ではありません{guess}。",
                "エディタで「UTF-8」を選んで保存し直してください。")
        return None
    text = text.replace("\r\n", "\n")
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        ctx.err("DG001", Loc(rel, line), "改行コードが CR だけの行があります（古い Mac の形式）。",
                "エディタで改行コードを「LF」（または CRLF）にして保存し直してください。")
        return None
    for n, line_text in enumerate(text.split("\n"), 1):
        if len(line_text) > MAX_LINE_CHARS:
            ctx.err("DG011", Loc(rel, n), f"{rel} の {n} 行目が長すぎます（{len(line_text):,} 字。上限 {MAX_LINE_CHARS:,} 字）。",
                    "段落や表の行を分けてください。壊れたファイルでないかも確かめてください。")
            return None
    if ctx.texts is not None:
        ctx.texts[rel] = text
    return text


def read_yaml(ctx: Context, rel: str, required: bool = True) -> YNode | None:
    if not required and not (ctx.root / rel).exists() and not (ctx.root / rel).is_symlink():
        return None
    text = read_text(ctx, rel)
    if text is None:
        return None
    try:
        node, problems = yamlcache.parse(text, rel)  # parse_yaml, kept between builds
    except YamlSyntaxError as exc:
        ctx.problems.append(exc.finding)
        return None
    ctx.problems.extend(problems)
    if node is None:
        ctx.err("DG002", Loc(rel, 1), f"{rel} が空です。",
                "内容が消えていないか確かめてください（git で直前の版と比べられます）。")
    return node
