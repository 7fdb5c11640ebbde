"""The names of the output files that the renderers link to each other: the PDFs of
``build/pdf/``, the open-data files of ``build/data/`` and the figures' images of ``build/html/``.

Below every renderer (the site links the PDFs and the data; the PDF renderer writes them),
so that no renderer imports another for a file name.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (the PDF workers import this module for the file names, without the model)
    from ..model import Document, ImageFile

PLAN_PDF = "honbun.pdf"
KPI_PDF = "kpi-ichiran.pdf"
ALL_PDF = "ikkatsu.pdf"


def appendix_pdf(number: int) -> str:
    return f"beppyo-{number}.pdf"


# The quarterly evaluations (only when content/progress/ holds any): a site page and a PDF each,
# and the index of evaluations.
REPORT_DIR = "hyoka"
REPORT_INDEX = f"{REPORT_DIR}/index"  # the page slug (site: hyoka/index.html)


def report_slug(quarter: str) -> str:
    """2021Q1 → hyoka/2021Q1 (the site page hyoka/2021Q1.html)."""
    return f"{REPORT_DIR}/{quarter}"


def report_pdf(quarter: str) -> str:
    return f"hyoka-{quarter}.pdf"


#: The open-data files (build/data/) linked from the site, with what they hold.
DATA_FILES = (
    ("kpis.csv", "KPI一覧", "CSV"),
    ("kpis.json", "KPI一覧", "JSON"),
    ("roadmaps.json", "別紙（工程表・主な投資事項一覧）の全項目", "JSON"),
    ("budget.csv", "情報システム経費の表", "CSV"),
    ("kpis.schema.json", "KPI一覧（JSON）の項目の定義", "JSON Schema"),
    ("roadmaps.schema.json", "別紙（JSON）の項目の定義", "JSON Schema"),
    ("README.md", "各ファイルの項目の説明", "Markdown"),
)


#: The open data of the evaluations (only when content/progress/ holds any).
PROGRESS_DATA_FILES = (
    ("progress.csv", "四半期評価：工程表の各行・工程・時期の状況（評価ごと）", "CSV"),
    ("progress.json", "四半期評価：工程表の状況と KPI の実績（評価ごと）", "JSON"),
    ("kpi-actuals.csv", "四半期評価：KPI の実績値（評価ごと）", "CSV"),
)


def data_files(doc: Document) -> tuple:
    """The open-data files the site lists: the plan's, and the evaluations' when there are any."""
    if not doc.progress:
        return DATA_FILES
    return DATA_FILES[:-1] + PROGRESS_DATA_FILES + DATA_FILES[-1:]


def pdf_files(doc: Document) -> list[dict]:
    """The PDFs of build/pdf/, in the order of the plan, with how the site labels them."""
    out = [{"file": PLAN_PDF, "label": "本文", "slugs": [ch.id for ch in doc.chapters]}]
    out += [{"file": appendix_pdf(a.number), "label": f"{a.label}　{a.title}", "slugs": [a.slug]}
            for a in doc.appendices]
    out.append({"file": KPI_PDF, "label": "KPI一覧", "slugs": ["kpis"]})
    numbers = [a.number for a in doc.appendices]
    annex = ("" if not numbers else f"別紙{numbers[0]}・" if len(numbers) == 1 else f"別紙{numbers[0]}〜{numbers[-1]}・")
    out.append({"file": ALL_PDF, "label": f"一括版（本文・{annex}KPI一覧）", "slugs": []})
    return out


def figure_file(image: ImageFile) -> str:
    """Where the site keeps a figure's image: ``assets/figures/<name>.<hash>.<ext>`` — the hash
    of what is shipped (the sanitised SVG), so that a changed image has a new name and no
    cache ever shows the old one."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", image.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]).strip("-")[:40] or "figure"
    return f"assets/figures/{stem}.{hashlib.sha256(image.data).hexdigest()[:12]}.{image.extension}"


def figure_files(doc: Document) -> dict[str, ImageFile]:
    """Every figure image the site ships, by its file name (each image once)."""
    out: dict[str, ImageFile] = {}
    for ch in doc.chapters:
        for ill in ch.illustrations:
            if ill.image.usable:
                out.setdefault(figure_file(ill.image), ill.image)
    return dict(sorted(out.items()))
