"""The pipeline: load → check → render → publish, in one :class:`Session`.

The CLI (``dgdocs build``, ``check``, ``diff``), the preview (``dgdocs serve``) and the
benchmark all run the pipeline through a Session, so that its rules live in one place:
the document is loaded once; the checks run on it; **errors block publishing unless the
session is a draft** (and a draft says 「案」 on every page); every requested output is
rendered in memory before anything is written; :mod:`dgdocs.publish` then writes them to a
temporary directory and swaps them in through a journal, so a failed or interrupted build
leaves the previous build as it was (or completes the swap next time).  Nothing is ever
written into ``content/``.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .paths import PACKAGE, PROJECT, TEMPLATES
from .publish import MANIFEST, PublishError, build_lock, check_output_dir, publish, recover, swap_pending  # noqa: F401

if TYPE_CHECKING:  # the model is imported when a build needs it: not for a build that is up to date
    from .model import Document

TARGETS = ("html", "data", "pdf")
DRAFT_BANNER = "案（検査で指摘のある作業中の版です。公表用ではありません）"


@dataclass
class BuildResult:
    doc: Document
    outputs: dict[str, dict[str, bytes]]  # target → {relative path: bytes}
    timings: dict[str, float] = field(default_factory=dict)
    reused: list[str] = field(default_factory=list)  # PDFs taken unchanged from the previous build
    pdf_warnings: list[str] = field(default_factory=list)  # WeasyPrint's, of the jobs laid out now


class Session:
    """One run of the pipeline over one content directory.

    *draft*: publish even when the checks found errors, marked 「案」 on every page.
    *base_url*: the absolute URL where ``html/`` is published (canonical links, sitemap.xml);
    refused with ValueError unless it is an absolute http(s) URL.  *out*: the ``build/``
    directory, whose unchanged PDFs are reused and into which :meth:`publish` swaps.
    """

    def __init__(self, content: str | Path, *, draft: bool = False, base_url: str | None = None,
                 out: str | Path | None = None):
        if base_url:  # the renderers (and Jinja) are imported only when a session renders: not for `check`
            from .render.html import normalise_base_url
            base_url = normalise_base_url(base_url)
        self.content = content
        self.draft = draft
        self.base_url = base_url or None
        self.out = Path(out) if out is not None else None
        self.doc: Document | None = None
        self.report = None  # dgdocs.checks.Report, once checked

    # -- load and check
    def load(self) -> Document:
        """Load (and validate) ``content/``; raises :class:`~dgdocs.diagnostics.LoadError`."""
        from .load import load

        self.doc = load(self.content)
        self.report = None
        return self.doc

    @property
    def document(self) -> Document:
        return self.doc if self.doc is not None else self.load()

    def check(self, codes: set[str] | None = None):
        """Run the check rules (all, or those of *codes*) on the document: a Report."""
        from .checks import run_checks

        self.report = run_checks(self.document, codes)
        return self.report

    @property
    def blocked(self) -> bool:
        """Whether the checks forbid publishing: errors, unless this is a draft."""
        report = self.report if self.report is not None else self.check()
        return bool(report.errors) and not self.draft

    @property
    def banner(self) -> str:
        return DRAFT_BANNER if self.draft else ""

    # -- render
    def site(self, env=None):
        """The HTML site of the document (:class:`dgdocs.render.html.Site`: one file at a time)."""
        from .render.html import Site

        return Site(self.document, banner=self.banner, base_url=self.base_url, env=env)

    def start_pdfs(self, pool=None, status=None):
        """Start laying out the PDFs now (in the worker processes of *pool*), before the checks
        run here; :meth:`render` collects them.  *status*: the terminal's status line
        (dgdocs.render.workers.StatusLine).  A build the checks block simply drops them."""
        from .render.pdf import PdfRun  # WeasyPrint itself is imported only by the workers

        self._reused: list[str] = []
        evaluations = getattr(self, "_evaluations", None)
        self._pdfs = PdfRun(self.document, self.banner, previous=(self.out / "pdf") if self.out else None,
                            reused=self._reused, pool=pool, base_url=self.base_url, status=status,
                            reports_later=evaluations is not None and evaluations.pdf)
        return self._pdfs

    def cancel_started(self) -> None:
        """Give up what :meth:`start_pdfs` and :meth:`start_evaluations` started
        (the checks block publishing)."""
        pdfs = getattr(self, "_pdfs", None)
        self._pdfs = None
        if pdfs is not None:
            pdfs.cancel()
        evaluations = getattr(self, "_evaluations", None)
        self._evaluations = None
        if evaluations is not None:
            evaluations.cancel()

    def start_evaluations(self, targets: Iterable[str]) -> "Evaluations | None":
        """Start making the quarterly evaluations' report pages (and their print jobs) beside
        this process, before the checks run here; :meth:`render` collects them.  Call
        it before :meth:`start_pdfs` (a child is forked only while this process runs one thread)."""
        targets = set(targets)
        self._evaluations = None
        if "html" not in targets or not self.document.progress:
            return None
        from .render.html import Site

        facts = _PendingFacts.for_pdfs(self.document) if "pdf" in targets else None
        site = Site(self.document, banner=self.banner, base_url=self.base_url, pdf_facts=facts)
        self._evaluations = Evaluations(site, targets, facts, self.banner, self.base_url)
        return self._evaluations

    def render(self, targets: Iterable[str] = ("html",), pool=None, status=None) -> "BuildResult":
        """Every file of the *targets* in memory (nothing is written).  *pool*: the PDF
        renderer's worker pool, if the caller started it early (dgdocs.render.workers)."""
        pdfs = getattr(self, "_pdfs", None)
        evaluations = getattr(self, "_evaluations", None)
        self._pdfs = self._evaluations = None
        result = build(self.content, targets, banner=self.banner, previous=self.out, doc=self.document, pool=pool,
                       base_url=self.base_url, pdfs=pdfs, status=status, evaluations=evaluations)
        if pdfs is not None:
            result.reused.extend(self._reused)
        return result

    # -- publish
    def flags(self) -> str:
        return ("draft" if self.draft else "") + (f"|base-url={self.base_url}" if self.base_url else "")

    def fingerprint(self, targets: Iterable[str]) -> str:
        return input_fingerprint(self.content, targets, self.flags())

    def up_to_date(self, targets: Iterable[str], fingerprint: str) -> bool:
        return self.out is not None and is_up_to_date(self.out, fingerprint, targets)

    def publish(self, outputs: dict[str, dict[str, bytes]], fingerprint: str | None = None) -> None:
        """Swap *outputs* into ``out`` (and record the inputs' fingerprint of an up-to-date build)."""
        publish(outputs, self.out, content=self.content)
        if fingerprint is not None:
            write_manifest(self.out, fingerprint)

    # -- compare (the 新旧対照表)
    def compare(self, old: "Session", old_label: str, new_label: str):
        """The :class:`~dgdocs.diff.Comparison` of *old* → this session's document."""
        from .diff import compare

        return compare(old.document, self.document, old_label, new_label)

    def render_diff(self, cmp, order: str = "new-left", pdf: bool = True) -> dict[str, bytes]:
        """The files of ``build/diff/`` (HTML, and the PDF unless *pdf* is false)."""
        from .render.pdf import source_date
        from .render.shinkyu import render_diff

        return render_diff(cmp, order, pdf=pdf, content_root=self.content,
                           created=source_date(self.document).isoformat())


def build(content: str | Path, targets: Iterable[str] = ("html",), *, banner: str = "",
          previous: Path | None = None, doc: Document | None = None, pool=None,
          base_url: str | None = None, pdfs=None, status=None, evaluations: "Evaluations | None" = None) -> BuildResult:
    """Load ``content/`` once (unless *doc* is given) and render every target in memory
    (nothing is written): the rendering step of :class:`Session`.

    *previous* is the current ``build/`` directory: PDFs whose inputs did not change
    are reused from it instead of being rendered again.  *pool* is the process pool of the
    PDF renderer, if the caller started it early (see dgdocs.render.workers.start_pool).
    *base_url* is the absolute URL where ``html/`` is published: canonical links and sitemap.xml.
    *pdfs*: the PDF run already started (:meth:`Session.start_pdfs`); *status*: the status line.
    *evaluations*: the evaluations' outputs already being rendered (:meth:`Session.start_evaluations`).
    """
    targets = list(targets)
    for target in targets:
        if target not in TARGETS:
            raise ValueError(f"unknown target {target!r}")
    t0 = time.perf_counter()
    if doc is None:
        from .load import load
        doc = load(content)
    result = BuildResult(doc, {}, {"load": time.perf_counter() - t0})
    if "pdf" in targets and pdfs is None:
        # first, so that the worker processes lay out the PDFs while the rest is rendered here
        from .render.pdf import PdfRun  # WeasyPrint itself is imported only by the workers
        pdfs = PdfRun(doc, banner, previous=(previous / "pdf") if previous else None, reused=result.reused,
                      pool=pool, base_url=base_url, status=status)

    if evaluations is not None and ("html" not in targets or evaluations.pdf != ("pdf" in targets)
                                    or evaluations.data_too != ("data" in targets)):
        evaluations.cancel()
        raise ValueError("the evaluations were started for other targets")

    def render_html(facts=None, again=False):
        from .render.html import render_site
        t = time.perf_counter()
        given = evaluations if not again else None
        result.outputs["html"] = render_site(doc, banner=banner, base_url=base_url, pdf_facts=facts,
                                             site=given.site if given else None, reports=given)
        result.timings["html"] = time.perf_counter() - t

    pending = None
    if "html" in targets:
        # each PDF link says the size and page count of its file (pagemeta.FileFacts), known
        # once the PDFs are made: the site is rendered now, while the workers lay them out,
        # with a mark in their place, filled in after
        if pdfs is not None:
            pending = evaluations.facts if evaluations is not None else _PendingFacts.for_pdfs(doc)
        render_html(pending)
    if "data" in targets:  # (after the site: the evaluations' part may come from beside, with the report pages)
        from .render.data import render_data
        t = time.perf_counter()
        result.outputs["data"] = render_data(doc, progress=evaluations.data() if evaluations and evaluations.data_too
                                             else None)
        result.timings["data"] = time.perf_counter() - t
    if pdfs is not None and pdfs.reports_later:  # the reports' print jobs, made beside
        pdfs.add_reports(evaluations.print_jobs() if evaluations is not None else pdfs.printer.report_jobs())
    if pdfs is not None:
        t = time.perf_counter()
        result.outputs["pdf"] = pdfs.result()
        result.pdf_warnings.extend(pdfs.warnings)
        result.timings["pdf"] = time.perf_counter() - t
        if pending is not None and not _PendingFacts.fill(result.outputs["html"], pdfs.facts()):
            render_html(pdfs.facts(), again=True)  # a mark did not come through as it went in: render again
    result.outputs = {t: result.outputs[t] for t in targets}
    return result


class Evaluations:
    """The outputs of the quarterly evaluations (content/progress/) — each report's page
    (hyoka/<quarter>.html), their index, the progress open data and, in a PDF build, the
    reports' print jobs — made beside the build (dgdocs.render.beside.Shared) from before the
    checks run: a forked child starts on them at once, and the build joins in when its own
    pages are done, each taking the next from one queue.  They are the largest part of a site
    with eight quarters and depend on nothing else the build renders.  Where no child can be
    forked, :meth:`html`, :meth:`data` and :meth:`print_jobs` make them here."""

    def __init__(self, site, targets: Iterable[str], facts: "_PendingFacts | None" = None,
                 banner: str = "", base_url: str | None = None):
        from .render.beside import Shared

        self.site = site  # the Site the build renders its other pages with
        self.facts = facts  # the marks its PDF links carry until the PDFs are made (a PDF build)
        self.pdf = "pdf" in set(targets)
        self.data_too = "data" in set(targets)
        self.pages = site.report_files()
        self._print = (banner, base_url)
        self._printer = None
        quarters = [ev.as_of.value.text for ev in reversed(site.doc.progress)] if self.pdf else []
        # the print jobs first: the PDF workers lay them out (or find them unchanged) once they come
        self._shared = Shared([("print", q) for q in quarters] + [("page", p) for p in self.pages]
                              + ([("data", "progress")] if self.data_too else []), self._make)
        self._done: dict | None = None

    def _make(self, item):
        kind, key = item
        if kind == "page":
            return self.site.render(key)
        if kind == "data":
            from .render.data import progress_data
            return progress_data(self.site.doc)
        if self._printer is None:
            from .render.pdfjobs import Printer
            self._printer = Printer(self.site.doc, *self._print)
        return self._printer.report_jobs([key])[0]

    def _result(self) -> dict:
        if self._done is None:
            self._done = self._shared.result()
        return self._done

    def html(self) -> dict[str, bytes]:
        return {key: v for (kind, key), v in self._result().items() if kind == "page"}

    def data(self) -> dict[str, bytes]:
        """The progress open data (dgdocs.render.data.progress_data)."""
        return self._result()[("data", "progress")]

    def print_jobs(self) -> list:
        """The reports' print jobs (dgdocs.render.reportprint), newest first, for the PDF run."""
        return [v for (kind, _), v in self._result().items() if kind == "print"]

    def cancel(self) -> None:
        self._shared.cancel()


class _PendingFacts(dict):
    """The file facts of the PDFs not yet made: each says a mark (``\ue000honbun.pdf\ue001``,
    private-use characters that nothing escapes or breaks) where its label will stand."""

    class Mark:
        def __init__(self, name: str):
            self.label = f"\ue000{name}\ue001"

    @classmethod
    def for_pdfs(cls, doc) -> "_PendingFacts":
        from .render.outputs import pdf_files
        return cls({f["file"]: cls.Mark(f["file"]) for f in pdf_files(doc)})

    @staticmethod
    def fill(html: dict[str, bytes], facts: dict) -> bool:
        """Put each PDF's label where its mark stands in the site's files; False when a mark is
        left over (or one of them no longer reads as it was written)."""
        import re
        marks = re.compile("\ue000([^\ue000\ue001]{1,80})\ue001".encode())
        for path, data in html.items():
            if "\ue000".encode() not in data:
                continue
            filled = marks.sub(lambda m: facts[m.group(1).decode()].label.encode() if m.group(1).decode() in facts
                               else m.group(0), data)
            if "\ue000".encode() in filled or "\ue001".encode() in filled:
                return False
            html[path] = filled
        return True


_SOURCE_DIRS = ("content", "templates", "dgdocs")


def input_fingerprint(content: str | Path, targets: Iterable[str], flags: str = "") -> str:
    """A hash of everything a build reads: content/, templates/, dgdocs' own code, the pinned
    dependencies, the targets and flags, and SOURCE_DATE_EPOCH.  Equal fingerprints give
    equal outputs (builds are deterministic), so an unchanged build can be skipped."""
    h = hashlib.sha256()
    roots = [Path(content).resolve(), TEMPLATES, PACKAGE]
    for root in roots:
        for path in _files(root):
            rel = str(path.relative_to(root))
            if path.is_symlink():
                # never read through a link (it may lead out of content/; the loader refuses those)
                h.update(b"L" + rel.encode() + b"\0" + os.readlink(path).encode() + b"\0")
                target = path.resolve()
                if not target.is_relative_to(root) or not target.is_file():
                    continue
            h.update(rel.encode() + b"\0")
            try:
                with open(path, "rb") as fh:
                    while chunk := fh.read(1 << 20):
                        h.update(chunk)
            except OSError as exc:  # unreadable: the loader reports it with the file's name
                h.update(f"unreadable {exc.errno}".encode())
    for extra in (PROJECT / "constraints.txt",):  # the pinned dependencies
        if extra.is_file():
            h.update(extra.read_bytes())
    h.update(f"{sorted(targets)}|{flags}|{os.environ.get('SOURCE_DATE_EPOCH', '')}".encode())
    return h.hexdigest()


def _files(root: Path) -> list[Path]:
    """Every file under *root*, sorted, without following symlinked directories."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        base = Path(dirpath)
        out += [base / name for name in filenames]
        out += [base / d for d in dirnames if (base / d).is_symlink()]
    return sorted(out)


def is_up_to_date(out_root: str | Path, fingerprint: str, targets: Iterable[str]) -> bool:
    out_root = Path(out_root)
    if swap_pending(out_root):
        return False
    manifest = out_root / MANIFEST
    if not manifest.is_file() or manifest.read_text().strip() != fingerprint:
        return False
    return all((out_root / t).is_dir() for t in targets)


def write_manifest(out_root: str | Path, fingerprint: str) -> None:
    tmp = Path(out_root) / f"{MANIFEST}.tmp"
    tmp.write_text(fingerprint + "\n")
    os.replace(tmp, Path(out_root) / MANIFEST)
