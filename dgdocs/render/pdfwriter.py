"""The WeasyPrint side of the PDFs: lay out a print job and write its PDF, in a worker process.

WeasyPrint, imported only here and only when a job is rendered, fetches nothing but files
of the project's ``templates/static`` and ``content`` directories: the fetcher of
:func:`make_fetcher` refuses every other URL (``file:///etc/…``, ``http(s)://…``) and the
build stops with an error that names the content file using it.

The print jobs themselves are plain records (:class:`PrintJob`), made by :mod:`.pdfjobs` (the
plan's chapters and front matter, the appendices, the KPI一覧) and :mod:`.shinkyu` (the
新旧対照表); a job gives back a :class:`Laid` (its PDF and the facts of its layout).
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from ..errors import DgdocsError  # (not ..diagnostics: the workers need no model)
from ..paths import STATIC

if TYPE_CHECKING:
    from ..model import Finding

BASE_URL = str(STATIC) + "/"
#: how a TOC entry's page number stands in the front matter's HTML until the front's own
#: page count is known (dgdocs.render.pdfjobs writes it, :func:`render_front` fills it in)
PAGE_MARK = "\u27e6{}\u27e7"  # ⟦anchor⟧
DATA_IMAGES = ("data:image/svg+xml;base64,", "data:image/png;base64,", "data:image/jpeg;base64,")


class PdfError(DgdocsError):
    """A PDF could not be made; ``finding`` says why and where."""

    def __init__(self, finding: Finding):
        super().__init__([finding])


@dataclass(frozen=True)
class PrintJob:
    name: str  # output file name, or "file.pdf#part" for a piece of a PDF put together later
    title: str  # PDF title (window title)
    subject: str
    html: str  # the complete print HTML
    epoch: int  # SOURCE_DATE_EPOCH for this PDF (fontTools stamps font subsets with it)
    label: str = ""  # page label prefix, as printed in the folios (別紙1-); "" for none


@dataclass(frozen=True)
class Laid:
    """What a job gives back: its PDF and the facts of its layout that other jobs need."""

    name: str
    data: bytes
    pages: int
    anchors: dict  # anchor → 0-based page
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0  # CPU time of the job (the next build schedules the longest first)


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
            if parsed.scheme == "data" and url.startswith(DATA_IMAGES):
                # our own 工程表 grid (dgdocs.render.roadmap), the logo the loader checked and the 図 as
                # checked (an SVG rebuilt by dgdocs.svgsafe): data inside the print HTML, which
                # reaches no file and no network; content cannot write a URL there, only dgdocs can
                return super().fetch(url, headers)
            if parsed.scheme != "file":
                raise PermissionError(f"外部の URL は読み込みません: {url}")
            path = Path(unquote(parsed.path)).resolve()
            if not any(path == r or r in path.parents for r in roots):
                raise PermissionError(f"プロジェクトの外のファイルは読み込みません: {url}")
            return super().fetch(url, headers)

    return ConfinedFetcher()


def render_pdf(job: PrintJob, content_root: str) -> bytes:
    """The PDF of a print job, laid out in this process (the 新旧対照表, tests)."""
    return render_job(job, content_root).data


class _Collect(logging.Handler):
    """Keeps WeasyPrint's warnings (a missing glyph, an unsupported property, …): the official
    PDFs are made without any, and the tests assert it."""

    def __init__(self, into: list[str]):
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record.getMessage())


def import_weasyprint():
    """``import weasyprint``, without the ≈ 20 library searches of its first import.

    WeasyPrint 70 opens Pango, HarfBuzz, fontconfig … trying several names for each
    (``weasyprint.text.ffi._dlopen``: ``libgobject-2.0-0``, ``gobject-2.0-0``, …,
    ``libgobject-2.0.so.0``); cffi hands every name that does not open at once to
    ``ctypes.util.find_library``, which on Linux runs ``ldconfig -p`` (and gcc, ld) in a
    subprocess: ≈ 0.3 s of the worker's start, ≈ 0.2 s of it CPU in the subprocesses.  With
    the search answering "not found", each library is opened under the name the dynamic
    loader knows it by (``libgobject-2.0.so.0`` — the same file).  Where that fails (a system
    without those names) WeasyPrint is imported again with the search as it was."""
    import sys

    if "weasyprint" in sys.modules:
        return sys.modules["weasyprint"]
    import ctypes.util

    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import contextlib
        import io
        with _FontToolsOnFirstUse(), contextlib.redirect_stdout(io.StringIO()):  # its "could not import" advice, for the second try
            import weasyprint
    except OSError:
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
        ctypes.util.find_library = search
        with _FontToolsOnFirstUse():
            import weasyprint
    finally:
        ctypes.util.find_library = search
    return weasyprint


class _FontToolsOnFirstUse:
    """While WeasyPrint is imported: fontTools' subsetter and variable-font instancer imported
    when WeasyPrint first uses them, not with it.

    ``weasyprint.pdf.fonts`` imports ``fontTools.subset`` (its subsetter where HarfBuzz's cannot
    subset) and ``fontTools.varLib.instancer`` (for variable fonts): ≈ 110 modules, ≈ 0.1 s of
    every worker's start, and the start of the first worker is the beginning of the way to the
    PDFs after an edit.  The print fonts need neither (HarfBuzz subsets BIZ UD明朝/ゴシック; they
    have no variation axes).  ``fontTools.subset`` is given as a module that loads on its first
    attribute (:class:`importlib.util.LazyLoader`); the instancer's one function, which
    WeasyPrint imports by name, as a function that imports the instancer when called.  The
    stand-in leaves ``sys.modules`` when WeasyPrint has been imported: anything importing the
    instancer afterwards gets the real module."""

    NAME = "fontTools.varLib.instancer"

    def __enter__(self):
        import importlib.util
        import sys
        import types

        self.shim = None
        if "fontTools.subset" in sys.modules or self.NAME in sys.modules:
            return self  # imported already: nothing to defer
        try:
            spec = importlib.util.find_spec("fontTools.subset")
        except ImportError:
            spec = None
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return self  # WeasyPrint's own import says what is missing
        spec.loader = importlib.util.LazyLoader(spec.loader)
        subset = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = subset
        spec.loader.exec_module(subset)
        import fontTools
        fontTools.subset = subset

        def instantiateVariableFont(*args, **kwargs):  # noqa: N802  (fontTools' name)
            from fontTools.varLib import instancer
            return instancer.instantiateVariableFont(*args, **kwargs)

        self.shim = types.ModuleType(self.NAME, "stands for fontTools' instancer while WeasyPrint is imported")
        self.shim.instantiateVariableFont = instantiateVariableFont
        sys.modules[self.NAME] = self.shim
        return self

    def __exit__(self, *exc):
        import sys

        if self.shim is not None and sys.modules.get(self.NAME) is self.shim:
            del sys.modules[self.NAME]
        return False


def install_layers() -> None:
    """Our layers over WeasyPrint, in the process that lays out (idempotent)."""
    from . import cffitypes, justify, pdfcss, pdfhtml, pdfleader, pdfstream, pdfsubset, pdftable, pdftags
    cffitypes.install()  # a C type name parsed with the typedefs it names, not with all of WeasyPrint's
    pdfhtml.install()  # the print HTML parsed by the standard library's tokenizer where it is well-formed
    pdfcss.install()  # print.css parsed once per worker
    pdfstream.install()  # streams deflated at zlib's default level (pydyf: 9, twice the time for 1 %)
    pdfsubset.install()  # one C array type for the font subsetter, not one per glyph count
    justify.install()  # 両端揃え of Japanese lines (WeasyPrint widens only spaces)
    pdftags.install()  # TOC/TOCI, Note/Reference: the structure types WeasyPrint does not give
    pdftable.install()  # 「…（続き）」 on a 工程表 page that continues a group
    pdfleader.install()  # the 目次's leader dots drawn as one run of text a line, not a text box a dot


_FONT_CONFIG = None


def font_config():
    """One WeasyPrint font configuration per process: the fonts found once, for every job."""
    global _FONT_CONFIG
    if _FONT_CONFIG is None:
        from weasyprint.text.fonts import FontConfiguration
        _FONT_CONFIG = FontConfiguration()
    return _FONT_CONFIG


def _layout(html: str, content_root: str, epoch: int, warnings: list[str], tagged: bool = True, ids: str = ""):
    """(WeasyPrint document, its PDF bytes): *html* laid out and written; *ids*: the prefix of
    the structure elements' IDs (unique per job, for the PDFs put together from several)."""
    weasyprint = import_weasyprint()
    from weasyprint.urls import FatalURLFetchingError

    from . import pdftags
    install_layers()
    pdftags.ID_PREFIX = ids
    fetcher = make_fetcher(allowed_roots(content_root))
    # fontTools stamps every font subset with SOURCE_DATE_EPOCH, or with the current time
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    options = dict(pdf_variant="pdf/ua-1" if tagged else None, attachments=[], uncompressed_pdf=False)
    handler = _Collect(warnings)
    logging.getLogger("weasyprint").addHandler(handler)
    try:
        document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(font_config=font_config())
        return document, document.write_pdf(pdf_identifier=_identifier(html), **options)
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


def warm_up() -> None:
    """Lay out and write one line in each of the print fonts: what every job needs first
    (the fonts found, HarfBuzz's subsetter and the PDF writer loaded) done once, in the
    worker that the others are forked from."""
    html = ('<html lang="ja"><head><title>-</title><link rel="stylesheet" href="print.css"></head><body>'
            '<p>計画。<b>見出し</b><span style="font-family: BIZ UDGothic">別紙1</span></p></body></html>')
    _layout(html, str(STATIC), 0, [])


def _anchors(document) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, page in enumerate(document.pages):
        for name in page.anchors:
            out.setdefault(name, i)
    return dict(sorted(out.items()))


def render_job(job: PrintJob, content_root: str, warnings: list[str] | None = None) -> Laid:
    """Lay out *job* and write its PDF: links into the sibling PDFs made relative, page labels
    set (别紙1-1 …), opening with the bookmarks shown.  WeasyPrint's warnings go to *warnings*."""
    from .pdfmerge import finish
    t0 = time.process_time()
    said: list[str] = []
    document, data = _layout(job.html, content_root, job.epoch, said, ids=f"{job.name}:")
    if warnings is not None:
        warnings.extend(said)
    data = finish(data, label=job.label)
    return Laid(job.name, data, len(document.pages), _anchors(document), tuple(f"{job.name}: {w}" for w in said),
                time.process_time() - t0)


def render_front(job: PrintJob, numbers: dict[str, int], content_root: str, guess: int) -> Laid:
    """The plan's front matter (cover, 目次, 決定・改定の経緯).

    *numbers*: each TOC entry's page counted from the first chapter page (0 for that page);
    the entry without an anchor is the front's last page (決定・改定の経緯).
    The front's own page count F decides the printed numbers (F + n + 1), and the numbers
    could in principle change F (a longer number wrapping an entry): laid out with F =
    *guess*, then again with the F found until they agree."""
    from .pdfmerge import finish
    t0 = time.process_time()
    front = guess
    for _ in range(4):
        html = job.html.replace(PAGE_MARK.format(""), str(front))  # the front's last page
        for anchor, n in numbers.items():
            html = html.replace(PAGE_MARK.format(anchor), str(front + n + 1))
        said: list[str] = []
        document, data = _layout(html, content_root, job.epoch, said, ids=f"{job.name}:")
        if len(document.pages) == front:
            break
        front = len(document.pages)
    else:
        raise RuntimeError("the front matter's page count does not settle")
    return Laid(job.name, finish(data), front, _anchors(document), tuple(f"{job.name}: {w}" for w in said),
                time.process_time() - t0)


def render_folios(html: str, content_root: str, epoch: int) -> Laid:
    """Folio pages (templates/print/folios.html): blank pages that carry only the page number
    — the sample that dgdocs.render.pdffolios makes the plan's folios from, or those folios."""
    t0 = time.process_time()
    said: list[str] = []
    document, data = _layout(html, content_root, epoch, said, tagged=False)
    return Laid("folios", data, len(document.pages), {}, tuple(f"folios: {w}" for w in said),
                time.process_time() - t0)


def render_front_task(args) -> Laid:
    """A worker's job: :func:`render_front` of its arguments."""
    return render_front(*args)


def render_folios_task(args) -> Laid:
    """A worker's job: :func:`render_folios` of its arguments."""
    return render_folios(*args)


def _identifier(text: str) -> bytes:
    return hashlib.md5(text.encode("utf-8")).hexdigest().encode("ascii")


def _locate_url(url: str, content_root: str, message: str) -> Finding:
    """Name the content file (and line) that uses *url*."""
    from ..model import Finding, Loc

    root = Path(content_root)
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".md", ".yaml") or not path.is_file():
            continue
        for n, line in enumerate(path.read_text("utf-8", errors="replace").split("\n"), 1):
            if url and (url in line or unquote(url) in line or Path(unquote(urlparse(url).path)).name in line and "](" in line):
                return Finding("DG401", "error", Loc(str(path.relative_to(root)), n), message,
                               "画像などは content/ の中のファイルだけを、相対パスで参照してください。")
    return Finding("DG401", "error", Loc("(テンプレート)"), message, "templates/ の参照を確かめてください。")


def render_one(args: tuple[PrintJob, str]) -> Laid:
    """A worker's job: the PDF of *job* (links made relative) and WeasyPrint's warnings."""
    job, root = args
    return render_job(job, root)
