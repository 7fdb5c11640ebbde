"""Print-quality PDFs: the plan (本文), each 別紙, the KPI一覧, and all in one.

The print HTML of every PDF is made here first (cheap, deterministic) and handed, job by
job, to worker processes (:mod:`.workers`) where :mod:`.pdfwriter` lays it out with
WeasyPrint; :class:`PdfRun` collects the PDFs, reuses those whose inputs did not change,
and merges the combined PDF.  WeasyPrint is never imported in this process.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from markupsafe import Markup as Safe

from .. import __version__
from ..model import Document
from . import common, phrases, roadmap, yakumono
from .common import Addresses, source_date  # noqa: F401  (source_date: re-exported)
from .outputs import ALL_PDF, ANNEX, KPI_PDF, PLAN_PDF, appendix_pdf  # noqa: F401  (re-exported)
from .pdfwriter import (  # noqa: F401  (re-exported: the WeasyPrint side of the PDFs)
    BASE_URL, STATIC, PartSpec, PdfError, PrintJob, make_fetcher, render_job, render_one, render_pdf,
)
from .reportprint import report_print_jobs
from .views import DocumentMarkup, appendix_view, kpi_appendix_rows, kpi_groups, toc_entries
from .workers import start_pool
def print_jobs(doc: Document, banner: str = "", base_url: str | None = None) -> list[PrintJob]:
    """The print HTML of every PDF (no WeasyPrint here)."""
    return list(iter_print_jobs(doc, banner, base_url))


def web_places(appendix_slug: str, label: str, base_url: str | None) -> str:
    """Where a print reader finds what the printed 工程表 leaves out (the quotes of the plan):
    the web page of the appendix and the open data, as web addresses when the site's address
    is known (``--base-url``), else as their places in the publication."""
    if base_url:
        from urllib.parse import urljoin
        return f"{urljoin(base_url, appendix_slug + '.html')}、オープンデータ {urljoin(base_url, '../data/roadmaps.json')}"
    return f"ウェブ版の{label}のページ（html/{appendix_slug}.html）、オープンデータ（data/roadmaps.json）"


def iter_print_jobs(doc: Document, banner: str = "", base_url: str | None = None):
    """The print jobs one by one, the longest layout first (the appendices and the KPI一覧, then
    the plan), so that each can start in a worker as soon as its HTML is made."""
    env = common.make_env()
    files = {ch.id: PLAN_PDF for ch in doc.chapters}
    files.update({a.slug: appendix_pdf(a.number) for a in doc.appendices})
    files["kpis"] = KPI_PDF
    created = source_date(doc).isoformat()
    epoch = int(source_date(doc).timestamp())
    plan = doc.plan
    logo = plan.theme.logo
    logo_data = (f"data:{logo.media_type};base64,{base64.b64encode(logo.data).decode('ascii')}" if logo else None)
    base = {"doc": doc, "plan": plan, "banner": banner, "created": created, "for_print": True, "logo_data": logo_data,
            "section_path": doc.outline.path_text}

    def chapters_html(dm: DocumentMarkup) -> list:
        return [(ch, Safe(yakumono.keep_last_line(dm.chapter_html(ch)[0]))) for ch in doc.chapters]

    def job(name: str, template: str, title: str, subject: str, local: set[str], body_class: str, **kw) -> PrintJob:
        a = Addresses(doc, local=local, files=files)
        dm = DocumentMarkup(doc, a, env, footnotes="inline")
        ctx = dict(base, a=a, pdf_title=title, pdf_subject=subject, body_class=body_class, **kw)
        if "chapters" in kw:
            ctx["chapters"] = chapters_html(dm)
        if "toc" in kw:
            ctx["toc"] = toc_entries(doc, a)
            # the appendices and the KPI一覧 are PDFs of their own (and parts of 一括版), numbered
            # 別紙1-1…, KPI一覧-1…: their first folio is known without laying them out
            ctx["annex_toc"] = [{"text": f"{ap.label}　{ap.title}", "href": a.appendix(ap.number),
                                 "folio": f"{ap.label}-1"} for ap in doc.appendices] + \
                [{"text": "KPI一覧", "href": a.page("kpis"), "folio": "KPI一覧-1"}]
        parts = kw.get("part_specs", ())
        html = yakumono.tighten(env.get_template(template).render(**ctx))  # 約物の詰め
        html = phrases.mark_html(html, mode="print")  # headings, TOC, captions, cells break between phrases
        return PrintJob(name, title, subject, html, epoch, parts)

    # the appendices and the KPI一覧: one layout, one PDF per article; each article's links
    # to the others name the other file, as they will be separate PDFs
    parts, specs = [], []
    for ap in doc.appendices:
        a = Addresses(doc, local={ap.slug}, files=files)
        parts.append({"a": a, "view": appendix_view(doc, ap, a), "legend_web": web_places(ap.slug, ap.label, base_url)})
        specs.append(PartSpec(appendix_pdf(ap.number), ap.slug, f"{plan.title}　{ap.label}　{ap.title}",
                              f"{plan.title} {ap.label} {ap.title}", f"{ap.label}-"))
    a = Addresses(doc, local={"kpis"}, files=files)
    dm = DocumentMarkup(doc, a, env, footnotes="inline")
    parts.append({"a": a, "view": None, "groups": kpi_groups(doc),
                  "kpi_line_html": dm.kpi_line_text})
    specs.append(PartSpec(KPI_PDF, "kpis", f"{plan.title}　KPI一覧", f"{plan.title} KPI一覧", "KPI一覧-"))
    grid = roadmap.make_grid(plan)
    base["grid_image"] = roadmap.grid_data_url(grid, roadmap.PrintColumns())
    yield job(ANNEX, "print/annex.html", f"{plan.title}　別紙・KPI一覧", f"{plan.title} 別紙・KPI一覧",
              {p.anchor for p in specs}, "annex", parts=parts, kpi_rows=kpi_appendix_rows(doc), part_specs=tuple(specs))
    chapter_slugs = {ch.id for ch in doc.chapters}
    yield job(PLAN_PDF, "print/plan.html", plan.title, f"{plan.title}（本文）", chapter_slugs, "plan",
              chapters=True, toc=True, cover_subtitle="")
    # the quarterly evaluation reports (content/progress/): print jobs of their own (dgdocs.render.reportprint)
    yield from report_print_jobs(doc, banner, created, epoch)


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
                 reused: list[str] | None = None, pool=None, base_url: str | None = None):
        self.doc = doc
        self.previous = previous
        self.reused = reused if reused is not None else []
        self.fingerprints: dict[str, str] = {}
        self.order: list[str] = []
        self.out: dict[str, bytes] = {}
        self.futures = []
        self.warnings: list[str] = []  # WeasyPrint's warnings, job by job
        self.own_pool = None
        for job in iter_print_jobs(doc, banner, base_url):
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
        self.futures.append(pool.submit(render_one, (job, self.doc.root)))
        return pool

    def result(self) -> dict[str, bytes]:
        try:
            for future in self.futures:
                files, warnings = future.result()
                self.warnings.extend(warnings)
                for name, data in files:
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
                reused: list[str] | None = None, pool=None, warnings: list[str] | None = None) -> dict[str, bytes]:
    """Every PDF as bytes (plus the ``.inputs`` fingerprints used to skip unchanged ones);
    WeasyPrint's warnings are added to *warnings*."""
    run = PdfRun(doc, banner, previous, reused, pool)
    out = run.result()
    if warnings is not None:
        warnings.extend(run.warnings)
    return out


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
