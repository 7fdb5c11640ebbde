"""Print-quality PDFs with WeasyPrint: the plan (本文), each 別紙, the KPI一覧, and all in one.

The print HTML of every PDF is made first (cheap, deterministic); WeasyPrint, imported
only here and only when PDFs are asked for, then lays them out.  WeasyPrint fetches
nothing but files of the project's ``templates/static`` and ``content`` directories:
:class:`ConfinedFetcher` refuses every other URL (``file:///etc/…``, ``http(s)://…``)
and the build stops with an error that names the content file using it.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from markupsafe import Markup as Safe

from .. import __version__
from ..model import Document, Finding, Loc
from . import common
from .common import Addresses
from .html import DocumentMarkup, appendix_view, kpi_appendix_rows, kpi_groups, toc_entries

STATIC = common.TEMPLATES / "static"
BASE_URL = str(STATIC) + "/"

PLAN_PDF = "honbun.pdf"
ANNEX = "annex"  # the print job of the appendices and the KPI一覧 (cut into their PDFs)
KPI_PDF = "kpi-ichiran.pdf"
ALL_PDF = "ikkatsu.pdf"


def appendix_pdf(number: int) -> str:
    return f"beppyo-{number}.pdf"


class PdfError(Exception):
    """A PDF could not be made; ``finding`` says why and where."""

    def __init__(self, finding: Finding):
        super().__init__(str(finding))
        self.finding = finding


@dataclass(frozen=True)
class PartSpec:
    """One PDF cut out of a laid-out print document: the pages from its anchor on."""

    name: str  # output file name
    anchor: str  # id of the element its first page holds
    title: str
    subject: str


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


def source_date(doc: Document) -> _dt.datetime:
    """The date stamped into the PDFs: SOURCE_DATE_EPOCH if set, else the latest revision date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit() and int(epoch) <= 253402300799:  # the CLI refuses other values
        return _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc)
    d = doc.plan.latest.date
    return _dt.datetime(d.year, d.month, d.day, tzinfo=_dt.timezone(_dt.timedelta(hours=9)))


def print_jobs(doc: Document, banner: str = "") -> list[PrintJob]:
    """The print HTML of every PDF (no WeasyPrint here)."""
    return list(iter_print_jobs(doc, banner))


def iter_print_jobs(doc: Document, banner: str = ""):
    """The print jobs one by one, the longest layout first (the appendices and the KPI一覧, then
    the plan), so that each can start in a worker as soon as its HTML is made."""
    env = common.make_env()
    files = {ch.id: PLAN_PDF for ch in doc.chapters}
    files.update({a.slug: appendix_pdf(a.number) for a in doc.appendices})
    files["kpis"] = KPI_PDF
    created = source_date(doc).isoformat()
    epoch = int(source_date(doc).timestamp())
    plan = doc.plan
    base = {"doc": doc, "plan": plan, "banner": banner, "created": created, "common": common, "for_print": True,
            "section_path": lambda sid: _section_path(doc, sid)}
    from . import roadmap
    base["roadmap"] = roadmap

    def chapters_html(dm: DocumentMarkup) -> list:
        return [(ch, Safe(dm.chapter_html(ch)[0])) for ch in doc.chapters]

    def job(name: str, template: str, title: str, subject: str, local: set[str], body_class: str, **kw) -> PrintJob:
        a = Addresses(doc, local=local, files=files)
        dm = DocumentMarkup(doc, a, env, footnotes="inline")
        ctx = dict(base, a=a, pdf_title=title, pdf_subject=subject, body_class=body_class, **kw)
        if "chapters" in kw:
            ctx["chapters"] = chapters_html(dm)
        if "toc" in kw:
            ctx["toc"] = toc_entries(doc, a)
        parts = kw.get("part_specs", ())
        return PrintJob(name, title, subject, env.get_template(template).render(**ctx), epoch, parts)

    # the appendices and the KPI一覧: one layout, one PDF per article; each article's links
    # to the others name the other file, as they will be separate PDFs
    parts, specs = [], []
    for ap in doc.appendices:
        a = Addresses(doc, local={ap.slug}, files=files)
        parts.append({"a": a, "view": appendix_view(doc, ap, a)})
        specs.append(PartSpec(appendix_pdf(ap.number), ap.slug, f"{plan.title}　{ap.label}　{ap.title}",
                              f"{plan.title} {ap.label} {ap.title}"))
    a = Addresses(doc, local={"kpis"}, files=files)
    dm = DocumentMarkup(doc, a, env, footnotes="inline")
    parts.append({"a": a, "view": None, "groups": kpi_groups(doc),
                  "kpi_line_html": dm.kpi_line_text})
    specs.append(PartSpec(KPI_PDF, "kpis", f"{plan.title}　KPI一覧", f"{plan.title} KPI一覧"))
    yield job(ANNEX, "print/annex.html", f"{plan.title}　別紙・KPI一覧", f"{plan.title} 別紙・KPI一覧",
              {p.anchor for p in specs}, "annex", parts=parts, kpi_rows=kpi_appendix_rows(doc), part_specs=tuple(specs))
    chapter_slugs = {ch.id for ch in doc.chapters}
    yield job(PLAN_PDF, "print/plan.html", plan.title, f"{plan.title}（本文）", chapter_slugs, "plan",
              chapters=True, toc=True, cover_subtitle="")


def _section_path(doc: Document, sid: str) -> str:
    from .html import _section_path as sp
    return sp(doc, sid)


# ------------------------------------------------------------------ WeasyPrint

def allowed_roots(content_root: str) -> tuple[Path, ...]:
    return (STATIC.resolve(), Path(content_root).resolve())


def make_fetcher(roots: tuple[Path, ...]):
    """A WeasyPrint URL fetcher that serves only files under *roots*."""
    from weasyprint.urls import URLFetcher

    class ConfinedFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols=("file",), allow_redirects=False, fail_on_errors=True)

        def fetch(self, url, headers=None):
            parsed = urlparse(url)
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


def render_job(job: PrintJob, content_root: str) -> list[tuple[str, bytes]]:
    """Lay out *job* once and write its PDF, or one PDF per part (page ranges of the layout:
    each is tagged and numbered on its own)."""
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    fetcher = make_fetcher(allowed_roots(content_root))
    # fontTools stamps every font subset with SOURCE_DATE_EPOCH, or with the current time
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(job.epoch)
    options = dict(pdf_variant="pdf/ua-1", attachments=[], uncompressed_pdf=False)
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
        return split(whole, [Cut(p.name, a, b, p.title, p.subject) for p, a, b in zip(job.parts, starts, ends)])
    except FatalURLFetchingError as exc:
        cause = exc.__cause__ or exc
        url = str(cause).rsplit(": ", 1)[-1]
        raise PdfError(_locate_url(url, content_root, str(cause))) from None
    finally:
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


def _render_one(args: tuple[PrintJob, str]) -> list[tuple[str, bytes]]:
    job, root = args
    from .pdfmerge import base_uri, relink
    return [(name, relink(data, base_uri(str(STATIC)))) for name, data in render_job(job, root)]


from .workers import start_pool  # noqa: E402  (re-exported: the PDF renderer's pool)


def parts_of(doc: Document, rendered: dict[str, bytes]) -> list:
    from .pdfmerge import Part
    plan = doc.plan
    parts = [Part(PLAN_PDF, f"本文　{plan.title}", "", rendered[PLAN_PDF])]
    parts += [Part(appendix_pdf(a.number), f"{a.label}　{a.title}", f"{a.label}-", rendered[appendix_pdf(a.number)])
              for a in doc.appendices]
    parts.append(Part(KPI_PDF, "KPI一覧", "KPI一覧-", rendered[KPI_PDF]))
    return parts


class PdfRun:
    """The PDFs of one build, started as early as possible and collected when needed.

    The constructor submits each print job to the worker processes as soon as its HTML is
    made (the longest first), so the HTML site and the open data are rendered while
    WeasyPrint works; ``result`` waits, merges the combined PDF and returns every file.
    A PDF whose print HTML (and CSS, dgdocs, SOURCE_DATE_EPOCH) did not change is taken from
    *previous* instead.
    """

    def __init__(self, doc: Document, banner: str = "", previous: Path | None = None,
                 reused: list[str] | None = None, pool=None):
        self.doc = doc
        self.previous = previous
        self.reused = reused if reused is not None else []
        self.fingerprints: dict[str, str] = {}
        self.order: list[str] = []
        self.out: dict[str, bytes] = {}
        self.futures = []
        self.own_pool = None
        for job in iter_print_jobs(doc, banner):
            fp = _fingerprint(job)
            cached = {}
            for name in job.outputs:
                self.fingerprints[name] = fp
                self.order.append(name)
                cached[name] = _cached(name, fp, previous)
            if all(v is not None for v in cached.values()):
                self.out.update(cached)
                self.reused.extend(cached)
            else:
                pool = self._submit(pool, job)

    def _submit(self, pool, job: PrintJob):
        if pool is None:
            pool = self.own_pool = start_pool()
        self.futures.append(pool.submit(_render_one, (job, self.doc.root)))
        return pool

    def result(self) -> dict[str, bytes]:
        try:
            for future in self.futures:
                for name, data in future.result():
                    self.out[name] = data
        finally:
            if self.own_pool is not None:
                self.own_pool.shutdown()
        fingerprints = dict(self.fingerprints)
        fingerprints[ALL_PDF] = hashlib.sha256("".join(fingerprints[n] for n in self.order).encode()).hexdigest()
        combined = _cached(ALL_PDF, fingerprints[ALL_PDF], self.previous)
        if combined is None:
            from .pdfmerge import merge
            plan = self.doc.plan
            combined = merge(parts_of(self.doc, self.out), f"{plan.title}（本文・別紙・KPI一覧）",
                             f"{plan.title}（本文・別紙1〜6・KPI一覧）")
        else:
            self.reused.append(ALL_PDF)
        out = dict(self.out)
        out[ALL_PDF] = combined
        out[".inputs"] = "".join(f"{name}\t{fp}\n" for name, fp in sorted(fingerprints.items())).encode()
        return dict(sorted(out.items()))


def render_pdfs(doc: Document, banner: str = "", previous: Path | None = None,
                reused: list[str] | None = None, pool=None) -> dict[str, bytes]:
    """Every PDF as bytes (plus the ``.inputs`` fingerprints used to skip unchanged ones)."""
    return PdfRun(doc, banner, previous, reused, pool).result()


def _fingerprint(job: PrintJob) -> str:
    h = hashlib.sha256()
    h.update(__version__.encode())
    h.update(job.html.encode("utf-8"))
    for css in sorted(STATIC.glob("*.css")):
        h.update(css.read_bytes())
    h.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    return h.hexdigest()


def _cached(name: str, fingerprint: str, previous: Path | None) -> bytes | None:
    """The PDF of the previous build if its inputs (print HTML, CSS, dgdocs) are unchanged."""
    if previous is None:
        return None
    index = previous / ".inputs"
    pdf = previous / name
    if not index.is_file() or not pdf.is_file():
        return None
    known = dict(line.split("\t", 1) for line in index.read_text().splitlines() if "\t" in line)
    if known.get(name) != fingerprint:
        return None
    return pdf.read_bytes()
