"""The WeasyPrint side of the PDFs: lay out a print job and write its PDF (or the PDFs cut
out of it), in a worker process.

WeasyPrint, imported only here and only when a job is rendered, fetches nothing but files
of the project's ``templates/static`` and ``content`` directories: the fetcher of
:func:`make_fetcher` refuses every other URL (``file:///etc/…``, ``http(s)://…``) and the
build stops with an error that names the content file using it.

The print jobs themselves are plain records (:class:`PrintJob`), made by :mod:`.pdf` (the
plan, the appendices, the KPI一覧) and :mod:`.shinkyu` (the 新旧対照表).
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..diagnostics import DgdocsError
from ..model import Finding, Loc
from ..paths import STATIC
BASE_URL = str(STATIC) + "/"


class PdfError(DgdocsError):
    """A PDF could not be made; ``finding`` says why and where."""

    def __init__(self, finding: Finding):
        super().__init__([finding])


@dataclass(frozen=True)
class PartSpec:
    """One PDF cut out of a laid-out print document: the pages from its anchor on."""

    name: str  # output file name
    anchor: str  # id of the element its first page holds
    title: str
    subject: str
    label: str = ""  # page label prefix, as printed in the folios (別紙1-)


@dataclass(frozen=True)
class PrintJob:
    name: str  # output file name (or the name of the job, when it is cut into parts)
    title: str  # PDF title (window title)
    subject: str
    html: str  # the complete print HTML
    epoch: int  # SOURCE_DATE_EPOCH for this PDF (fontTools stamps font subsets with it)
    parts: tuple[PartSpec, ...] = ()  # when set: laid out once, written as one PDF per part

    @property
    def outputs(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parts) or (self.name,)


def allowed_roots(content_root: str) -> tuple[Path, ...]:
    return (STATIC.resolve(), Path(content_root).resolve())


def make_fetcher(roots: tuple[Path, ...]):
    """A WeasyPrint URL fetcher that serves only files under *roots*."""
    from weasyprint.urls import URLFetcher

    class ConfinedFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, fail_on_errors=True)

        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "data" and url.startswith("data:image/svg+xml;base64,"):
                return super().fetch(url, headers)  # our own 工程表 grid, made in dgdocs.render.roadmap
            if parsed.scheme != "file":
                raise PermissionError(f"外部の URL は読み込みません: {url}")
            path = Path(unquote(parsed.path)).resolve()
            if not any(path == r or r in path.parents for r in roots):
                raise PermissionError(f"プロジェクトの外のファイルは読み込みません: {url}")
            return super().fetch(url, headers)

    return ConfinedFetcher()


def render_pdf(job: PrintJob, content_root: str) -> bytes:
    """The PDF of a print job that is not cut into parts."""
    return dict(render_job(job, content_root))[job.name]


class _Collect(logging.Handler):
    """Keeps WeasyPrint's warnings (a missing glyph, an unsupported property, …): the official
    PDFs are made without any, and the tests assert it."""

    def __init__(self, into: list[str]):
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record.getMessage())


def render_job(job: PrintJob, content_root: str, warnings: list[str] | None = None) -> list[tuple[str, bytes]]:
    """Lay out *job* once and write its PDF, or one PDF per part (page ranges of the layout:
    each is tagged and numbered on its own).  WeasyPrint's warnings go to *warnings*."""
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    from . import justify, pdftable, pdftags
    justify.install()  # 両端揃え of Japanese lines (WeasyPrint widens only spaces)
    pdftags.install()  # TOC/TOCI, Note/Reference: the structure types WeasyPrint does not give
    pdftable.install()  # 「…（続き）」 on a 工程表 page that continues a group
    fetcher = make_fetcher(allowed_roots(content_root))
    # fontTools stamps every font subset with SOURCE_DATE_EPOCH, or with the current time
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(job.epoch)
    options = dict(pdf_variant="pdf/ua-1", attachments=[], uncompressed_pdf=False)
    handler = _Collect(warnings if warnings is not None else [])
    logging.getLogger("weasyprint").addHandler(handler)
    try:
        document = weasyprint.HTML(string=job.html, base_url=BASE_URL, url_fetcher=fetcher).render()
        if not job.parts:
            return [(job.name, document.write_pdf(pdf_identifier=_identifier(job.html), **options))]
        starts = []
        for part in job.parts:
            page = next((i for i, p in enumerate(document.pages) if part.anchor in p.anchors), None)
            if page is None:
                raise ValueError(f"{job.name}: no page holds #{part.anchor}")
            starts.append(page)
        # written once (one font subset for all), then cut into the parts' PDFs with their tags
        from .pdfmerge import Cut, split
        whole = document.write_pdf(pdf_identifier=_identifier(job.html), **options)
        ends = starts[1:] + [len(document.pages)]
        return split(whole, [Cut(p.name, a, b, p.title, p.subject, p.label) for p, a, b in zip(job.parts, starts, ends)])
    except FatalURLFetchingError as exc:
        cause = exc.__cause__ or exc
        url = str(cause).rsplit(": ", 1)[-1]
        raise PdfError(_locate_url(url, content_root, str(cause))) from None
    finally:
        logging.getLogger("weasyprint").removeHandler(handler)
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def _identifier(text: str) -> bytes:
    return hashlib.md5(text.encode("utf-8")).hexdigest().encode("ascii")


def _locate_url(url: str, content_root: str, message: str) -> Finding:
    """Name the content file (and line) that uses *url*."""
    root = Path(content_root)
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".md", ".yaml") or not path.is_file():
            continue
        for n, line in enumerate(path.read_text("utf-8", errors="replace").split("\n"), 1):
            if url and (url in line or unquote(url) in line or Path(unquote(urlparse(url).path)).name in line and "](" in line):
                return Finding("DG401", "error", Loc(str(path.relative_to(root)), n), message,
                               "画像などは content/ の中のファイルだけを、相対パスで参照してください。")
    return Finding("DG401", "error", Loc("(テンプレート)"), message, "templates/ の参照を確かめてください。")


def render_one(args: tuple[PrintJob, str]) -> tuple[list[tuple[str, bytes]], list[str]]:
    """A worker's job: the PDFs of *job* with their links made relative, and WeasyPrint's warnings."""
    job, root = args
    from .pdfmerge import base_uri, relink
    warnings: list[str] = []
    files = [(name, relink(data, base_uri(str(STATIC)))) for name, data in render_job(job, root, warnings)]
    return files, [f"{job.name}: {w}" for w in warnings]
