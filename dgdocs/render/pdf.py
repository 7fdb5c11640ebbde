"""Print-quality PDFs: the plan (本文), each 別紙, the KPI一覧, and all in one (一括版).

The print HTML of every job is made here (:mod:`.pdfjobs`, cheap, deterministic) and the jobs
run in worker processes (:mod:`.workers`), where :mod:`.pdfwriter` lays them out with
WeasyPrint and :mod:`.pdfplan` puts the PDFs together.  WeasyPrint is never imported in
this process.  The graph of one build::

    chapter I … chapter VII ──▶ front matter (cover, 目次, 決定・改定の経緯) ──┬──▶ honbun.pdf
    the folio sample (the chapter pages' folios are made from it: .pdffolios) ─┤    (and ▼)
    別紙1 … 別紙6, KPI一覧 (each its own PDF) ────────────────────────────────┴──▶ ikkatsu.pdf
    the evaluation reports hyoka-<quarter>.pdf (content/progress/; each its own PDF, in no other)

Every job's inputs are hashed (:func:`_fingerprint`: its print HTML — which holds its
footnote numbers —, the print CSS, dgdocs' version, SOURCE_DATE_EPOCH); a job whose hash is
that of the previous build is taken from it (``build/pdf/.jobs.json`` and ``.parts/``, the
chapters' own PDFs).  A chapter's layout does not depend on its page numbers (its folios are
stamped on when the plan is put together), so an edit of one chapter lays out that chapter,
and the front matter only if a heading's page number changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .. import __version__
from ..model import Document
from .outputs import ALL_PDF, KPI_PDF, PLAN_PDF, appendix_pdf  # noqa: F401  (re-exported)
from .pdffolios import SAMPLE as FOLIO_SAMPLE
from .pdfjobs import Printer, print_jobs, single_plan_job, source_date, web_places  # noqa: F401  (re-exported)
from .pdfwriter import (  # noqa: F401  (re-exported: the WeasyPrint side of the PDFs)
    BASE_URL, STATIC, Laid, PdfError, PrintJob, make_fetcher, render_job, render_one, render_pdf,
)
from .workers import Run, Scheduler, StatusLine, Task, start_pool  # noqa: F401

INDEX = ".jobs.json"
PARTS = ".parts"
#: the estimated seconds of a job of a first build: a fixed part and so much per byte of
#: print HTML (measured on the plan's jobs, 2026-12: 0.06 s + 30 µs a byte, chapters and
#: articles alike), to schedule the longest first
SECONDS_PER_JOB = 0.06
SECONDS_PER_BYTE = 3e-5
SECONDS_PER_PAGE = 0.09  # a page of the plan, laid out and written
SECONDS_PER_PAGE_LANDSCAPE = 0.3  # a page of a 工程表 or the KPI一覧
TOC_ENTRIES_PER_PAGE = 44  # the 目次's entries on a page, to guess the front matter's page count


#: the modules whose code makes the PDFs from the print HTML (a change re-lays out every job)
LAYOUT_CODE = ("pdfwriter", "pdfcss", "justify", "pdftags", "pdftable", "pdfmerge", "pdffonts", "pdfstamp", "pdfplan",
               "pdfleader", "pdfsubset", "pdfstream", "pdffolios", "pdfhtml", "weasypatch")
_CODE: list[bytes] = []


def _subsetter() -> bytes:
    """Which font subsetter WeasyPrint will use: HarfBuzz's where ``libharfbuzz-subset`` opens
    (as WeasyPrint opens it), fontTools' otherwise — the two write other bytes."""
    import ctypes
    try:
        ctypes.CDLL("libharfbuzz-subset.so.0")
    except OSError:
        return b"fonttools"
    return b"harfbuzz"


def _code() -> bytes:
    """dgdocs' layout code, the pinned dependencies (WeasyPrint's version among them) and the
    font subsetter."""
    if not _CODE:
        from ..paths import PROJECT
        here = Path(__file__).parent
        h = hashlib.sha256(_subsetter())
        for name in LAYOUT_CODE:
            h.update((here / f"{name}.py").read_bytes())
        constraints = PROJECT / "constraints.txt"
        if constraints.is_file():
            h.update(constraints.read_bytes())
        _CODE.append(h.digest())
    return _CODE[0]


def _styles() -> bytes:
    """The print stylesheets (templates/static/*.css) as one digest, read once per run."""
    h = hashlib.sha256()
    for css in sorted(STATIC.glob("*.css")):
        h.update(css.read_bytes())
    return h.digest()


def _fingerprint(styles: bytes, *texts: str) -> str:
    """A job's key: dgdocs' version and layout code, *styles* (:func:`_styles`), *texts* (what
    the job lays out or puts together), SOURCE_DATE_EPOCH.  Reads no file: the keys of the
    pieces put together are made in the thread that feeds the workers, where each file read
    waited for the build's own thread (rendering the site) to give up the interpreter."""
    h = hashlib.sha256()
    h.update(__version__.encode())
    h.update(_code())
    for text in texts:
        h.update(text.encode("utf-8"))
        h.update(b"\0")
    h.update(styles)
    h.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    return h.hexdigest()


def _job_text(job: PrintJob) -> str:
    return "\n".join([job.name, job.title, job.subject, job.label, str(job.epoch), job.html])


class _Cache:
    """The previous build's jobs: ``.jobs.json`` (key → fingerprint, file, pages, anchors,
    seconds) and their PDFs."""

    def __init__(self, previous: Path | None):
        self.previous = previous
        self.index: dict = {}
        if previous is not None and (previous / INDEX).is_file():
            try:
                self.index = json.loads((previous / INDEX).read_text("utf-8")).get("jobs", {})
            except (ValueError, OSError):
                self.index = {}

    def cost(self, key: str, default: float, per_page: float) -> float:
        """The estimated seconds of a job: its page count in the previous build (the index holds
        only what the sources determine, so that a build's files are the same every time), or
        *default* (from the size of its print HTML)."""
        entry = self.index.get(key)
        return int(entry.get("pages", 0)) * per_page if isinstance(entry, dict) and entry.get("pages") else default

    def pages(self, key: str) -> int:
        entry = self.index.get(key)
        return int(entry.get("pages", 0)) if isinstance(entry, dict) else 0

    def get(self, key: str, fingerprint: str) -> Laid | None:
        entry = self.index.get(key)
        if not isinstance(entry, dict) or entry.get("fingerprint") != fingerprint:
            return None
        path = self.previous / entry["file"]
        if ".." in Path(entry["file"]).parts or not path.is_file():
            return None
        return Laid(key, path.read_bytes(), int(entry["pages"]), dict(entry.get("anchors", {})))


def _part_file(key: str) -> str:
    """The file of a job's PDF in build/pdf/: the published name, or .parts/… for a piece."""
    if "#" not in key:
        return key
    name, _, part = key.partition("#")
    return f"{PARTS}/{name.removesuffix('.pdf')}-{part}.pdf"


class PdfRun:
    """The PDFs of one build, started as early as possible and collected when needed.

    The constructor makes the print HTML and starts the jobs (in *pool*, or a pool of its
    own), so the HTML site and the open data are rendered while WeasyPrint works;
    ``result`` waits and returns every file.  *status*: the terminal's status line
    (:class:`~dgdocs.render.workers.StatusLine`), or None.
    """

    def __init__(self, doc: Document, banner: str = "", previous: Path | None = None,
                 reused: list[str] | None = None, pool=None, base_url: str | None = None, status=None,
                 reports_later: bool = False):
        self.doc = doc
        self.reused = reused if reused is not None else []
        self.warnings: list[str] = []  # WeasyPrint's warnings, job by job
        self.own_pool = None
        if pool is None:
            pool = self.own_pool = start_pool()
        self.cache = _Cache(previous)
        self.styles = _styles()
        self.fingerprints: dict[str, str] = {}
        self.printer = Printer(doc, banner, base_url)
        # *reports_later*: the evaluation reports' print jobs are made elsewhere meanwhile (in the
        # child of dgdocs.build.Evaluations) and given to add_reports()
        self.reports_later = reports_later and bool(doc.progress)
        self.scheduler = Scheduler(pool, self._tasks(), status, expecting=1 if self.reports_later else 0).start()

    # -- the graph
    def _job_task(self, job: PrintJob, label: str) -> Task:
        root = str(self.doc.root)

        def prepare(_):
            fp = self.fingerprints[job.name] = _fingerprint(self.styles, _job_text(job))
            return self.cache.get(job.name, fp) or Run(render_one, (job, root))
        per_page = SECONDS_PER_PAGE_LANDSCAPE if job.label else SECONDS_PER_PAGE
        return Task(job.name, label, self.cache.cost(job.name, SECONDS_PER_JOB + len(job.html) * SECONDS_PER_BYTE, per_page), (), prepare)

    def _tasks(self) -> list[Task]:
        doc, plan = self.doc, self.doc.plan
        chapters = self.printer.chapter_jobs()
        articles = self.printer.article_jobs()
        tasks = [self._job_task(j, f"本文 {ch.heading.marker.rstrip('.') or ch.id}")
                 for j, ch in zip(chapters, doc.chapters)]
        tasks += [self._job_task(j, label) for j, label in
                  zip(articles, [a.label for a in doc.appendices] + ["KPI一覧"])]
        if not self.reports_later:
            tasks += self._report_tasks(self.printer.report_jobs())
        chapter_keys = tuple(j.name for j in chapters)
        front_key, sample_key = f"{PLAN_PDF}#front", f"{PLAN_PDF}#folio-sample"
        article_keys = tuple(j.name for j in articles)
        root = str(doc.root)
        spec = self.printer.front()

        def chapter_pages(results) -> tuple[dict[str, int], int]:
            starts, n = {}, 0
            for ch, key in zip(doc.chapters, chapter_keys):
                starts[ch.id] = n
                n += results[key].pages
            return starts, n

        def front_guess() -> int:
            # the front's page count, to lay it out once: as in the previous build, or the cover, the
            # history and the TOC's pages; the result does not depend on it, a wrong guess lays the front
            # out twice.  44 entries a page: the plan's 81 entries take 2 pages, 10× its chapters' 738
            # take 17 (43.4 a page: with 43 the guess was 18)
            entries = len(spec.anchors) + len(doc.appendices) + 2
            return self.cache.pages(front_key) or 2 + -(-entries // TOC_ENTRIES_PER_PAGE)

        def prepare_front(results):
            starts, _ = chapter_pages(results)
            by_chapter = dict(spec.chapter_of)
            numbers = {x: starts[by_chapter[x]] + results[f"{PLAN_PDF}#{by_chapter[x]}"].anchors.get(x, 0)
                       for x in spec.anchors}
            fp = self.fingerprints[front_key] = _fingerprint(self.styles, _job_text(spec.job), json.dumps(numbers, sort_keys=True))
            from .pdfwriter import render_front_task
            return self.cache.get(front_key, fp) or Run(render_front_task, (spec.job, numbers, root, front_guess()))

        def prepare_sample(_):
            # the folios are made from it when the plan is put together (dgdocs.render.pdffolios):
            # it depends on nothing, and is the same in every build of the same CSS and code
            html = self.printer.folios(len(FOLIO_SAMPLE), FOLIO_SAMPLE)
            fp = self.fingerprints[sample_key] = _fingerprint(self.styles, html, str(self.printer.epoch))  # (its fonts carry the epoch)
            from .pdfwriter import render_folios_task
            return self.cache.get(sample_key, fp) or Run(render_folios_task, (html, root, self.printer.epoch))

        def pieces(results):
            from .pdfplan import PlanPieces
            front_pages, (_, pages) = results[front_key].pages, chapter_pages(results)
            return PlanPieces(f"本文　{plan.title}", results[front_key].data, front_pages,
                              tuple(results[k].data for k in chapter_keys), pages, results[sample_key].data,
                              self.printer.folios(pages, ((1, front_pages + 1),)), root, self.printer.epoch)

        plan_inputs = (front_key, sample_key, *chapter_keys)

        def prepare_plan(results):
            fp = self.fingerprints[PLAN_PDF] = _fingerprint(self.styles, *(self.fingerprints[k] for k in plan_inputs))
            from .pdfplan import assemble_plan
            return self.cache.get(PLAN_PDF, fp) or Run(assemble_plan, (
                PLAN_PDF, plan.title, f"{plan.title}（本文）", pieces(results)))

        def prepare_combined(results):
            fp = self.fingerprints[ALL_PDF] = _fingerprint(self.styles, *(self.fingerprints[k] for k in plan_inputs + article_keys))
            parts = [(appendix_pdf(a.number), f"{a.label}　{a.title}", f"{a.label}-", results[appendix_pdf(a.number)].data)
                     for a in doc.appendices]
            parts.append((KPI_PDF, "KPI一覧", "KPI一覧-", results[KPI_PDF].data))
            from .pdfplan import assemble_combined
            return self.cache.get(ALL_PDF, fp) or Run(assemble_combined, (
                ALL_PDF, f"{plan.title}（本文・別紙・KPI一覧）", f"{plan.title}（本文・別紙1〜6・KPI一覧）",
                pieces(results), parts))

        tasks.append(Task(front_key, "目次・表紙", 0.3 + 0.006 * len(spec.anchors), chapter_keys, prepare_front))
        tasks.append(Task(sample_key, "ページ番号", 0.05, (), prepare_sample))
        tasks.append(Task(PLAN_PDF, "本文の組み上げ", 0.3, plan_inputs, prepare_plan))
        tasks.append(Task(ALL_PDF, "一括版の組み上げ", 0.4, plan_inputs + article_keys, prepare_combined))
        return tasks

    def _report_tasks(self, jobs: list[PrintJob]) -> list[Task]:
        """The evaluation reports: PDFs of their own, in no other (dgdocs.render.reportprint)."""
        return [self._job_task(j, f"四半期評価 {j.name.removeprefix('hyoka-').removesuffix('.pdf')}") for j in jobs]

    def add_reports(self, jobs: list[PrintJob]) -> None:
        """The evaluation reports' print jobs, when this run was started with *reports_later*."""
        if not self.reports_later:
            raise RuntimeError("the reports were laid out with the other PDFs")
        self.reports_later = False
        self.scheduler.add(self._report_tasks(jobs))

    def cancel(self) -> None:
        """Give the PDFs up (the checks block the build): no further job is started."""
        self.scheduler.cancel()
        if self.own_pool is not None:
            self.own_pool.shutdown(cancel_futures=True)

    # -- the results
    def facts(self) -> dict:
        """What the site's links say of each published PDF: its size and page count
        (:class:`~dgdocs.render.pagemeta.FileFacts`), from this run's results."""
        from .pagemeta import FileFacts
        return {name: FileFacts("PDF", len(item.data), item.pages) for name, item in sorted(self._laid.items())
                if "#" not in name}

    def result(self) -> dict[str, bytes]:
        try:
            results = self.scheduler.wait()
        finally:
            if self.own_pool is not None:
                self.own_pool.shutdown()
        laid: dict[str, Laid] = dict(results)
        self._laid = laid
        out: dict[str, bytes] = {}
        index = {}
        for key in sorted(laid):
            item = laid[key]
            self.warnings.extend(item.warnings)
            file = _part_file(key)
            out[file] = item.data
            index[key] = {"fingerprint": self.fingerprints[key], "file": file, "pages": item.pages,
                          "anchors": item.anchors}
            if key in self.scheduler.reused:
                self.reused.append(file)
        out[INDEX] = json.dumps({"version": 1, "jobs": index}, ensure_ascii=False, indent=1, sort_keys=True).encode()
        return dict(sorted(out.items()))


def render_pdfs(doc: Document, banner: str = "", previous: Path | None = None,
                reused: list[str] | None = None, pool=None, warnings: list[str] | None = None) -> dict[str, bytes]:
    """Every PDF as bytes (plus the jobs' index and pieces used to skip unchanged ones);
    WeasyPrint's warnings are added to *warnings*."""
    run = PdfRun(doc, banner, previous, reused, pool)
    out = run.result()
    if warnings is not None:
        warnings.extend(run.warnings)
    return out
