"""The 図 and the captioned pipe tables of a chapter, and the image files the 図 show.

A 図 is ``![代替テキスト](../figures/a.png "題名")`` alone in its paragraph; its path is relative
to the chapter file (as Markdown has it: VS Code's preview and GitHub show the image too) and
must stay inside ``content/``.  The image is read and inspected once (:mod:`dgdocs.images`:
PNG, JPEG or SVG, the SVG sanitised) and kept in the model with its problems: a missing,
outside or unsafe image is a finding of ``check`` (DG504) at the chapter's line, never a load
error nor a renderer's — a draft can still be built, and shows the figure's text instead.
"""

from __future__ import annotations

import posixpath
import re

from .. import references
from ..images import ALLOWED, MAX_IMAGE_BYTES, TYPES, inspect
from ..model import Chapter, Illustration, ImageFile, Loc, TableCaption
from .files import Context, confine

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def _unusable(path: str, *problems: str) -> ImageFile:
    return ImageFile(path=path, media_type="", data=b"", width=0, height=0, problems=tuple(problems))


def resolve(chapter: str, src: str) -> tuple[str, str]:
    """(path inside content/, "") of an image written *src* in the chapter file *chapter*, or
    ("", why not)."""
    if _SCHEME.match(src) or src.startswith("//"):
        return "", f"「{src}」はサイトの外の画像です。画像は content/figures/ に置き、章のファイルからの相対パス（../figures/…）で書きます"
    if src.startswith(("/", "\\", "~")) or "\\" in src:
        return "", f"「{src}」は絶対パスです。章のファイルからの相対パス（../figures/…）で書いてください"
    if "?" in src or "#" in src:
        return "", f"「{src}」に ? や # があります。画像のファイル名だけを書いてください"
    rel = posixpath.normpath(posixpath.join(posixpath.dirname(chapter), src))
    if rel == ".." or rel.startswith("../"):
        return "", f"「{src}」は content/ の外を指しています"
    return rel, ""


def read_image(ctx: Context, chapter: str, src: str) -> ImageFile:
    """The image *src* of the chapter file *chapter*, read once per build (never raises)."""
    rel, why = resolve(chapter, src)
    if not rel:
        return _unusable("", why)
    if rel in ctx.images:
        return ctx.images[rel]
    image = _read(ctx, rel, src)
    ctx.images[rel] = image
    return image


def _read(ctx: Context, rel: str, src: str) -> ImageFile:
    path, message, _ = confine(ctx.root, rel)
    if path is None:
        return _unusable("", message.rstrip("。"))
    ext = posixpath.splitext(rel)[1]
    if ext.lower() not in TYPES:
        return _unusable(rel, f"拡張子「{ext or '（なし）'}」の画像は使えません（使えるのは {ALLOWED}）")
    if not path.is_file():
        name = posixpath.basename(rel)
        there = f"figures/{name}"
        hint = ""
        if there != rel and confine(ctx.root, there)[0] is not None and (ctx.root / there).is_file():
            hint = f"。content/figures/{name} はあります（章のファイルからは ../figures/{name} と書きます）"
        return _unusable(rel, f"画像ファイル content/{rel} がありません{hint}")
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_IMAGE_BYTES + 1)
    except OSError as exc:
        return _unusable(rel, f"content/{rel} を読めません（{exc.strerror or type(exc).__name__}）")
    found = inspect(data, ext)
    return ImageFile(path=rel, media_type=found.media_type, data=found.data, width=found.width, height=found.height,
                     problems=found.problems)


def read_figures(ctx: Context, ch: Chapter) -> Chapter:
    """*ch* with its 図 and captioned tables (numbered 0; :mod:`.numbering` numbers them)."""
    from dataclasses import replace

    figures, tables = [], []
    for sec in ch.sections():
        for use in references.scan_images(sec.body, sec.body_line):
            if use.standalone:
                figures.append(Illustration(number=0, src=use.src, alt=use.alt, caption=use.title,
                                            image=read_image(ctx, ch.path, use.src), loc=Loc(ch.path, use.line, use.col),
                                            section=sec.id))
        found, _ = references.scan_tables(sec.body, sec.body_line)
        tables += [TableCaption(number=0, title=t.caption, loc=Loc(ch.path, t.caption_line), section=sec.id)
                   for t in found if t.caption is not None]
    return replace(ch, illustrations=tuple(figures), tables=tuple(tables))
