"""The print jobs of the evaluation reports: ``hyoka-<quarter>.pdf``, one per evaluation in
``content/progress/`` (none when there is none).

Each report is a print job of its own, with its own template (``print/hyoka.html``) and its
own stylesheet (``hyoka-print.css``): its layout depends on nothing of the plan's print jobs,
and theirs on nothing of it.  Its links to the plan name the plan's PDFs (``kpi-ichiran.pdf#kpi-…``,
``beppyo-2.pdf#row-…``), which stand beside it in ``build/pdf/``.  A report of quarter *q* reads
only the evaluations up to *q* (:mod:`.report`), so an old report's print HTML — and so its PDF,
reused from the previous build — stays the same when later quarters are added.
"""

from __future__ import annotations

from typing import Iterator

from ..model import Document
from . import common
from .common import Addresses
from .outputs import KPI_PDF, PLAN_PDF, appendix_pdf, report_pdf
from .pdfwriter import PrintJob
from .report import actual_text, evaluation_report


def plan_pdf_of(doc: Document) -> dict[str, str]:
    """Which PDF holds each page of the plan (slug → file name)."""
    files = {ch.id: PLAN_PDF for ch in doc.chapters}
    files.update({a.slug: appendix_pdf(a.number) for a in doc.appendices})
    files["kpis"] = KPI_PDF
    return files


def report_print_jobs(doc: Document, banner: str, created: str, epoch: int,
                      quarters: list[str] | None = None, env=None) -> Iterator[PrintJob]:
    """One print job per evaluation (or per one of *quarters*), newest first (the report a
    reader waits for).  *env*: the Jinja environment to render with (a new one if None)."""
    if not doc.progress:
        return
    env = env or common.make_env()
    a = Addresses(doc, local=set(), files=plan_pdf_of(doc))
    for ev in reversed(doc.progress):
        if quarters is not None and ev.as_of.value.text not in quarters:
            continue
        report = evaluation_report(doc, ev, for_print=True)
        title = report.title
        subject = f"{doc.plan.title}の四半期評価（{report.quarter}）：工程表と KPI の進捗"
        html = env.get_template("print/hyoka.html").render(
            doc=doc, plan=doc.plan, report=report, a=a, banner=banner, created=created, pdf_title=title,
            pdf_subject=subject, for_print=True, hlevel=2, actual_text=actual_text)
        yield PrintJob(report_pdf(ev.as_of.value.text), title, subject, html, epoch)
