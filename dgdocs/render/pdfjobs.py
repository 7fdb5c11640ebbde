"""The print HTML of every PDF job (made in the build's own process, no WeasyPrint here).

The PDFs are laid out in pieces that do not depend on each other (dgdocs.render.pdf puts them
together):

* **the plan by chapter** — every chapter starts on a new page, so its layout depends on
  nothing before it but its page numbers; a chapter job is the chapter's print HTML without
  the folio (print/plan_chapter.html).  The front matter (cover, 目次, 決定・改定の経緯) is laid
  out once the chapters' page counts and heading pages are known (:class:`FrontSpec`), and the
  folios are stamped on the chapter pages when the plan is put together;
* **one job per article** of the annex: each 別紙 and the KPI一覧, each its own PDF, numbered
  別紙1-1 …, KPI一覧-1 … (their links to the others name the other file).

:func:`single_plan_job` is the plan as one WeasyPrint document (print/plan.html) — the layout
the chapter-by-chapter plan must equal (tests/test_pdf_parallel.py) and the reference of
``make bench``.  A new print document (the quarterly evaluation report, say) is one more
:class:`PrintJob` from :func:`article_jobs`'s kind of function: give it its output name, and
it is scheduled, reused when unchanged and reported like the others.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from markupsafe import Markup as Safe

from ..model import Document
from . import common, phrases, roadmap, yakumono
from .common import Addresses, source_date
from .outputs import KPI_PDF, PLAN_PDF, appendix_pdf
from .pdfwriter import PAGE_MARK, PrintJob
from .views import DocumentMarkup, appendix_view, kpi_appendix_rows, kpi_groups, toc_entries

def web_places(appendix_slug: str, label: str, base_url: str | None) -> str:
    """Where a print reader finds what the printed 工程表 leaves out (the quotes of the plan):
    the web page of the appendix and the open data, as web addresses when the site's address
    is known (``--base-url``), else as their places in the publication."""
    if base_url:
        from urllib.parse import urljoin
        return f"{urljoin(base_url, appendix_slug + '.html')}、オープンデータ {urljoin(base_url, '../data/roadmaps.json')}"
    return f"ウェブ版の{label}のページ（html/{appendix_slug}.html）、オープンデータ（data/roadmaps.json）"


@dataclass(frozen=True)
class FrontSpec:
    """The plan's front matter, laid out after the chapters (:func:`dgdocs.render.pdfwriter.render_front`).

    ``html`` holds a :data:`PAGE_MARK` for the page number of every TOC entry; ``anchors``
    are those entries' anchors, each in its chapter (``chapter_of``)."""

    job: PrintJob
    anchors: tuple[str, ...]
    chapter_of: tuple[tuple[str, str], ...]  # (anchor, chapter id)


class Printer:
    """Makes the print HTML of one document's PDFs (one Jinja environment, one context)."""

    def __init__(self, doc: Document, banner: str = "", base_url: str | None = None):
        self.doc = doc
        self.base_url = base_url
        self.env = common.make_env()
        files = {ch.id: PLAN_PDF for ch in doc.chapters}
        files["index"] = PLAN_PDF
        files.update({a.slug: appendix_pdf(a.number) for a in doc.appendices})
        files["kpis"] = KPI_PDF
        self.files = files
        date = source_date(doc)
        self.epoch = int(date.timestamp())
        logo = doc.plan.theme.logo
        logo_data = f"data:{logo.media_type};base64,{base64.b64encode(logo.data).decode('ascii')}" if logo else None
        self.base = {"doc": doc, "plan": doc.plan, "banner": banner, "created": date.isoformat(),
                     "for_print": True, "logo_data": logo_data, "section_path": doc.outline.path_text}

    def addresses(self, local: set[str]) -> Addresses:
        return Addresses(self.doc, local=local, files=self.files)

    def render(self, template: str, **ctx) -> str:
        html = yakumono.tighten(self.env.get_template(template).render(**dict(self.base, **ctx)))  # 約物の詰め
        return phrases.mark_html(html, mode="print")  # headings, TOC, captions, cells break between phrases

    def job(self, name: str, template: str, title: str, subject: str, body_class: str, *, label: str = "",
            local: set[str], **kw) -> PrintJob:
        a = self.addresses(local)
        html = self.render(template, a=a, pdf_title=title, pdf_subject=subject, body_class=body_class, **kw)
        return PrintJob(name, title, subject, html, self.epoch, label=label)

    # -- the plan
    def chapter_body(self, dm: DocumentMarkup, ch) -> Safe:
        return Safe(yakumono.keep_last_line(dm.chapter_html(ch)[0]))

    def annex_toc(self, a: Addresses) -> list[dict]:
        # the appendices and the KPI一覧 are PDFs of their own (and parts of 一括版), numbered
        # 別紙1-1…, KPI一覧-1…: their first folio is known without laying them out
        return [{"text": f"{ap.label}　{ap.title}", "href": a.appendix(ap.number), "folio": f"{ap.label}-1"}
                for ap in self.doc.appendices] + [{"text": "KPI一覧", "href": a.page("kpis"), "folio": "KPI一覧-1"}]

    def chapter_jobs(self) -> list[PrintJob]:
        plan = self.doc.plan
        jobs = []
        for ch in self.doc.chapters:
            a = self.addresses({ch.id})
            dm = DocumentMarkup(self.doc, a, self.env, footnotes="inline")
            html = self.render("print/plan_chapter.html", a=a, pdf_title=plan.title, pdf_subject=f"{plan.title}（本文）",
                               body_class="plan", ch=ch, body=self.chapter_body(dm, ch))
            jobs.append(PrintJob(f"{PLAN_PDF}#{ch.id}", plan.title, f"{plan.title}（本文）", html, self.epoch))
        return jobs

    def folios(self, count: int, resets: tuple[tuple[int, int], ...]) -> str:
        """The HTML of *count* folio pages (print/folios.html); *resets*: (page, number printed
        on it) — (1, the first chapter page's number) for the plan's folios themselves, three
        numbers for the sample that dgdocs.render.pdffolios makes them from."""
        return self.env.get_template("print/folios.html").render(count=count, resets=resets)

    def front(self) -> FrontSpec:
        plan = self.doc.plan
        a = self.addresses({"index"})
        toc = toc_entries(self.doc, a)
        anchors = []
        for e in toc:
            anchor = e["href"].partition("#")[2]
            e["page"] = PAGE_MARK.format(anchor)
            anchors.append(anchor)
        # 決定・改定の経緯 is the front's last page: its number is the front's page count
        html = self.render("print/plan_front.html", a=a, pdf_title=plan.title, pdf_subject=f"{plan.title}（本文）",
                           body_class="plan", toc=toc, annex_toc=self.annex_toc(a), cover_subtitle="",
                           history_page=PAGE_MARK.format(""))
        outline = self.doc.outline
        chapter_of = tuple((x, outline.chapter(x).id) for x in anchors)
        return FrontSpec(PrintJob(f"{PLAN_PDF}#front", plan.title, f"{plan.title}（本文）", html, self.epoch),
                         tuple(anchors), chapter_of)

    def single_plan(self) -> PrintJob:
        """The plan as one WeasyPrint document: TOC numbers by target-counter, folios by counter(page)."""
        plan = self.doc.plan
        a = self.addresses({ch.id for ch in self.doc.chapters})
        dm = DocumentMarkup(self.doc, a, self.env, footnotes="inline")
        chapters = [(ch, self.chapter_body(dm, ch)) for ch in self.doc.chapters]
        html = self.render("print/plan.html", a=a, pdf_title=plan.title, pdf_subject=f"{plan.title}（本文）",
                           body_class="plan", chapters=chapters, toc=toc_entries(self.doc, a),
                           annex_toc=self.annex_toc(a), cover_subtitle="")
        return PrintJob(PLAN_PDF, plan.title, f"{plan.title}（本文）", html, self.epoch)

    # -- the annex: each 別紙 and the KPI一覧 a job of its own
    def article_jobs(self) -> list[PrintJob]:
        doc, plan = self.doc, self.doc.plan
        grid_image = roadmap.grid_data_url(roadmap.make_grid(plan), roadmap.PrintColumns())
        jobs = []
        for ap in doc.appendices:
            a = self.addresses({ap.slug})
            part = {"a": a, "view": appendix_view(doc, ap, a), "legend_web": web_places(ap.slug, ap.label, self.base_url)}
            jobs.append(self.job(appendix_pdf(ap.number), "print/annex.html", f"{plan.title}　{ap.label}　{ap.title}",
                                 f"{plan.title} {ap.label} {ap.title}", "annex", label=f"{ap.label}-", local={ap.slug},
                                 parts=[part], kpi_rows=kpi_appendix_rows(doc), grid_image=grid_image))
        a = self.addresses({"kpis"})
        dm = DocumentMarkup(doc, a, self.env, footnotes="inline")
        part = {"a": a, "view": None, "groups": kpi_groups(doc), "kpi_line_html": dm.kpi_line_text}
        jobs.append(self.job(KPI_PDF, "print/annex.html", f"{plan.title}　KPI一覧", f"{plan.title} KPI一覧", "annex",
                             label="KPI一覧-", local={"kpis"}, parts=[part], kpi_rows=kpi_appendix_rows(doc),
                             grid_image=grid_image))
        return jobs


    # -- the quarterly evaluation reports (content/progress/): one job each, independent of the plan's
    def report_jobs(self, quarters: list[str] | None = None) -> list[PrintJob]:
        """The evaluation reports' print jobs, newest first (those of *quarters*, if given)."""
        from .reportprint import report_print_jobs
        return list(report_print_jobs(self.doc, self.base["banner"], self.base["created"], self.epoch, quarters,
                                      self.env))


def single_plan_job(doc: Document, banner: str = "") -> PrintJob:
    return Printer(doc, banner).single_plan()


def print_jobs(doc: Document, banner: str = "", base_url: str | None = None) -> list[PrintJob]:
    """The print HTML of every published PDF made by WeasyPrint: the plan as one document
    (the layout the chapter-by-chapter plan equals), each article and each evaluation report."""
    printer = Printer(doc, banner, base_url)
    return [printer.single_plan(), *printer.article_jobs(), *printer.report_jobs()]
