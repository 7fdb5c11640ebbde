"""What a government web page shows about itself: its description (the ``description`` meta
and the OGP tags), its breadcrumbs, the in-page contents of a long chapter, and the format,
size and page count of each PDF it links.

Everything comes from the content or from the built files; nothing is invented.  A
description is the plan's own first sentences (the first paragraph of the chapter, or of the
plan for the home page), an appendix's description, or a sentence made of the page's title.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Chapter, Document
from ..plaintext import TextRenderer
from .common import Page
from .phrases import segments

#: the length of a description (characters): search engines show about 120 Japanese characters
DESCRIPTION_MAX = 120
#: a chapter this long (characters of text) or with this many sections gets an in-page contents list
LONG_CHAPTER_CHARS = 3000
LONG_CHAPTER_SECTIONS = 10


def shorten(text: str, limit: int = DESCRIPTION_MAX) -> str:
    """*text* cut to at most *limit* characters, at the end of a sentence (「。」) when one
    ends in the first half, else with 「…」."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind("。", 0, limit)
    if cut >= limit // 2:
        return text[:cut + 1]
    out = ""
    for piece in segments(text):  # else at the last phrase boundary that fits
        if len(out) + len(piece) > limit - 1:
            break
        out += piece
    return (out or text[:limit - 1]).rstrip("、，, ") + "…"


def first_paragraph(doc: Document, chapter: Chapter, renderer: TextRenderer) -> str:
    for sec in chapter.sections():
        for block in renderer.section_blocks(chapter, sec):
            if block.kind == "para" and block.text.strip():
                return block.text
    return ""


def description(doc: Document, page: Page, renderer: TextRenderer) -> str:
    """The page's description, from the content."""
    plan = doc.plan
    if page.kind == "index":
        first = next((t for ch in doc.chapters if (t := first_paragraph(doc, ch, renderer))), "")
        return shorten(first) if first else f"{plan.title}（{plan.organisation}）の本文、別紙、KPI一覧。"
    if page.kind == "chapter":
        ch = next(c for c in doc.chapters if c.id == page.slug)
        first = first_paragraph(doc, ch, renderer)
        return shorten(first) if first else f"{plan.title}の{ch.heading.text}。"
    if page.kind == "appendix":
        a = next(x for x in doc.appendices if x.slug == page.slug)
        return shorten(f"{plan.title}の{a.label}「{a.title}」。{a.description or ''}")
    if page.kind == "kpis":
        return shorten(f"{plan.title}に記載された KPI（重要業績評価指標）の一覧。章・節ごとに、基準値・目標値・期限を計画の記載のとおり示す。")
    if page.kind == "fulltext":
        return shorten(f"{plan.title}の本文、別紙及び KPI 一覧を1ページにまとめたもの。")
    if page.kind == "errata":
        return shorten(f"{plan.title}の本文を公表 PDF の抽出テキストから作成する際に直した箇所の一覧（正誤）。")
    if page.kind == "source":
        return shorten(f"{plan.title}の公表 PDF から抽出したテキスト（行番号つき）。")
    return shorten(f"{plan.title}のサイト内検索。")


def breadcrumbs(home: Page, page: Page, parent: Page | None = None) -> list[tuple[str, str]]:
    """(text, href) from the home page to *page* (the last is the current page)."""
    if page.kind == "index":
        return []
    trail = [(home.short, home.file)]
    if parent is not None:
        trail.append((parent.short, parent.file))
    trail.append((page.title, page.file))
    return trail


def page_toc(chapter: Chapter) -> list[dict]:
    """The sections of a long chapter (levels 2 and 3) for its in-page contents list, or []."""
    secs = [s for s in chapter.sections() if s.heading.level in (2, 3)]
    size = sum(len(s.body) for s in chapter.sections())
    if size < LONG_CHAPTER_CHARS and len(secs) < LONG_CHAPTER_SECTIONS:
        return []
    out: list[dict] = []
    for s in secs:
        entry = {"id": s.heading.id, "text": s.heading.text, "children": []}
        if s.heading.level == 2 or not out:
            out.append(entry)
        else:
            out[-1]["children"].append(entry)
    return out


# ------------------------------------------------------------------------------ file facts

@dataclass(frozen=True)
class FileFacts:
    """What a download link says about its file: 「PDF 502KB・39ページ」."""

    format: str
    size: int | None = None  # bytes
    pages: int | None = None

    @property
    def label(self) -> str:
        parts = [self.format + (f" {human_size(self.size)}" if self.size is not None else "")]
        if self.pages is not None:
            parts.append(f"{self.pages}ページ")
        return "・".join(parts)


def human_size(size: int) -> str:
    """Bytes as Japanese government sites write them: 502KB, 1.2MB (1 KB = 1,024 bytes, rounded up)."""
    if size < 1024 * 1024:
        return f"{max(1, -(-size // 1024))}KB"
    return f"{size / (1024 * 1024):.1f}MB"


def pdf_facts(pdfs: dict[str, bytes]) -> dict[str, FileFacts]:
    """The size and page count of each built PDF (``{file name: bytes}``), read from the file."""
    import io

    import pikepdf

    out = {}
    for name, data in sorted(pdfs.items()):
        if name.endswith(".pdf"):
            with pikepdf.open(io.BytesIO(data)) as pdf:
                out[name] = FileFacts("PDF", len(data), len(pdf.pages))
    return out
