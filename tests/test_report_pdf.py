"""The evaluation report's PDF (hyoka-<quarter>.pdf), read back as its reader and a checker see it:
tagged PDF/UA with alternate text on every figure, BIZ UD fonts only, every link resolving (in the
report, and into the plan's PDFs beside it), no word from WeasyPrint, the same bytes from two
processes; and the PMO's round trip ending in the build of the report.  All progress is
fictional (架空の例)."""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

import pdfread
from conftest import ROOT, without_phrase_breaks, write_tree
from dgdocs.render.pdf import print_jobs
from dgdocs.render.pdfwriter import render_job
from progress_helpers import EXTRA, fill, run
from test_progress_import import DIVISION_1, NOTE
from test_report import LATER

pytestmark = pytest.mark.pdf

REPORT_FONTS = {"BIZ-UDGothic", "BIZ-UDGothic-Bold"}


@pytest.fixture(scope="module")
def report_pdf(progress_doc, progress_content) -> tuple[str, bytes]:
    """The latest report of the shipped plan with fictional progress, and WeasyPrint's warnings."""
    job = next(j for j in print_jobs(progress_doc) if j.name.startswith("hyoka-"))  # the newest first
    warnings: list[str] = []
    laid = render_job(job, str(progress_content), warnings)  # as a worker writes it into build/pdf/
    assert not warnings, warnings
    return job.name, laid.data


def _fonts(pdf: pikepdf.Pdf) -> set[str]:
    """Every font of the file, those of the SVG pictures' form XObjects too."""
    out = set()
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.Font and "/BaseFont" in obj:
            out.add(str(obj.BaseFont).split("+", 1)[-1].lstrip("/"))
    return out


def test_the_report_is_tagged_in_japanese_with_its_title(report_pdf, progress_doc):
    name, data = report_pdf
    assert name == "hyoka-2021Q1.pdf"
    pdf = pikepdf.open(io.BytesIO(data))
    assert str(pdf.docinfo.Title).startswith(progress_doc.plan.title) and "2021年度第1四半期" in str(pdf.docinfo.Title)
    assert str(pdf.docinfo.Author) == progress_doc.plan.organisation
    assert str(pdf.Root.Lang) == "ja" and bool(pdf.Root.MarkInfo.Marked) and "/StructTreeRoot" in pdf.Root
    assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
    assert "pdfuaid:part" in pdf.Root.Metadata.read_bytes().decode("utf-8")
    assert all("/StructParents" in page.obj for page in pdf.pages)
    assert len(pdf.pages) > 5 and all(float(p.MediaBox[2]) > float(p.MediaBox[3]) for p in pdf.pages)  # A4 landscape


def test_every_figure_of_the_report_has_its_alternate_text(report_pdf):
    pdf = pikepdf.open(io.BytesIO(report_pdf[1]))
    figures, kinds = [], set()

    def walk(node, depth=0):
        if isinstance(node, pikepdf.Array):
            for k in node:
                walk(k, depth)
            return
        if not isinstance(node, pikepdf.Dictionary) or depth > 60:
            return
        if node.get("/S") is not None:
            kinds.add(str(node.S))
        if node.get("/S") == pikepdf.Name.Figure:
            figures.append(str(node.get("/Alt", "")))
        if "/K" in node:
            walk(node.K, depth + 1)

    walk(pdf.Root.StructTreeRoot)
    assert {"/Table", "/TH", "/TD", "/H1", "/H2", "/H3"} <= kinds
    assert len(figures) > 50 and all(figures), [f for f in figures if not f][:3]
    assert any(f.startswith("KPI「") and "の推移。" in f for f in figures)  # a chart: its whole text alternative
    assert any(f.startswith("計画の時期：") and "状況：" in f for f in figures)  # a 工程表 line


def test_the_report_embeds_only_biz_ud_gothic(report_pdf):
    fonts = _fonts(pikepdf.open(io.BytesIO(report_pdf[1])))
    assert fonts and fonts <= REPORT_FONTS, fonts - REPORT_FONTS


def test_every_link_of_the_report_resolves(report_pdf, official_pdfs):
    name, data = report_pdf
    own = pdfread.destinations(data)
    broken, kinds = [], set()
    for link in pdfread.links(data):
        kinds.add(link.kind)
        if link.kind == "GoTo":
            ok = link.target in own
        elif link.kind == "GoToR":
            file, _, frag = link.target.partition("#")
            ok = file in official_pdfs and (not frag or frag in pdfread.destinations(official_pdfs[file]))
        else:
            ok = False  # the report links nothing outside the publication
        if not ok:
            broken.append(f"{name} p{link.page + 1}: {link.kind} {link.target}")
    assert kinds == {"GoTo", "GoToR"}
    assert not broken, broken[:10]


def test_the_report_reads_as_its_summary_and_its_tables(report_pdf):
    text = re.sub(r"\s+", "", "".join(pdfread.page_text(p) for p in pdfread.pages(report_pdf[1])))
    assert "四半期評価2021年度第1四半期（4〜6月）" in text and "架空の例" in text
    assert "別紙ごとの状況（工程・時期の数）" in text and "KPIの状況" in text and "前回の評価からの変化" in text
    assert "工程表の進捗" in text and "評価時点" in text and "KPIの進捗" in text
    assert "予定どおり進めている（架空）" in text and "架空局第1課" in text  # the divisions' comments


# ------------------------------------------------------------------ reproducible, and the PMO's round trip

def _build(content: Path, out: Path, seed: str) -> None:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    subprocess.run([sys.executable, "-m", "dgdocs", "--content", str(content), "build", "--html", "--data", "--pdf",
                    "--out", str(out)], check=True, cwd=ROOT, env=env, capture_output=True)


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def test_report_pages_pdfs_and_data_are_the_same_bytes_from_two_processes(make_content, tmp_path):
    content = make_content(EXTRA)
    write_tree(content, LATER)
    _build(content, tmp_path / "a", "1")
    _build(content, tmp_path / "b", "31337")
    a, b = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert {"pdf/hyoka-2021Q1.pdf", "pdf/hyoka-2021Q2.pdf", "pdf/hyoka-2022Q3.pdf", "html/hyoka/index.html",
            "html/hyoka/2022Q3.html", "data/progress.csv", "data/progress.json", "data/kpi-actuals.csv"} <= set(a)
    assert a == b, sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def test_the_pmo_round_trip_sheet_filled_imported_then_built_into_the_report(make_content, tmp_path):
    """progress sheet → a division fills it (openpyxl) → progress import --write → the build that
    make pdf runs: the report of the quarter is there, as a page and as a PDF, with the answers."""
    content = make_content(EXTRA)
    sheet = tmp_path / "照会票_2021Q2.xlsx"
    assert run("--content", str(content), "progress", "sheet", "--as-of", "2021Q2", "--out", str(sheet)) == 0
    book = fill(sheet, DIVISION_1, tmp_path / "回答_架空局第一課.xlsx")
    assert run("--content", str(content), "progress", "import", str(book), "--as-of", "2021Q2", "--note", NOTE,
               "--write") == 0
    out = tmp_path / "build"
    assert run("--content", str(content), "build", "--html", "--data", "--pdf", "--out", str(out)) == 0
    page = without_phrase_breaks((out / "html" / "hyoka" / "2021Q2.html").read_text("utf-8"))
    assert "部品調達の遅れで工程を見直した（架空）" in page and "見直し後：2021年度第3四半期" in page
    data = (out / "pdf" / "hyoka-2021Q2.pdf").read_bytes()
    text = re.sub(r"\s+", "", "".join(pdfread.page_text(p) for p in pdfread.pages(data)))
    assert "部品調達の遅れで工程を見直した（架空）" in text and "架空局第一課" in text and NOTE in text
    assert "2021Q2" in (out / "data" / "progress.csv").read_text("utf-8-sig")
