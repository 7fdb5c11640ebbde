"""The 新旧対照表 (old/new comparison table) as an HTML page and an A4 landscape PDF.

:func:`render_diff` returns the files of ``build/diff/``: ``index.html``, its stylesheet
``diff.css`` and, unless ``pdf=False``, ``shinkyu.pdf``.  The page and the PDF come from
the same templates (``templates/diff/``) and the same :class:`~dgdocs.diff.Comparison`.
Every text goes through Jinja's autoescape; the only markup added is ours (the
underlines ``<ins>``/``<del>``, the table).

Column order: national practice puts the new text (改定後) on the left; ``order="old-left"``
swaps the columns.  WeasyPrint is imported only when the PDF is asked for.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from ..diff import Comparison, FigureChange
from . import common

TEMPLATES = common.TEMPLATES
DIFF_CSS = TEMPLATES / "diff" / "diff.css"
PRINT_CSS = TEMPLATES / "diff" / "print.css"
PDF_NAME = "shinkyu.pdf"
ORDERS = ("new-left", "old-left")


@dataclass(frozen=True)
class Column:
    key: str  # "new" / "old"
    role: str  # 改定後 / 改定前
    tag: str  # ins / del: how a changed run of this column is marked up


def columns(order: str) -> list[Column]:
    if order not in ORDERS:
        raise ValueError(f"unknown column order {order!r} (use {' or '.join(ORDERS)})")
    new, old = Column("new", "改定後", "ins"), Column("old", "改定前", "del")
    return [new, old] if order == "new-left" else [old, new]


def figure_groups(changes: tuple[FigureChange, ...]) -> list[dict]:
    """Changes grouped by group then subject, in the order they were found."""
    groups: list[dict] = []
    for c in changes:
        if not groups or groups[-1]["group"] != c.group:
            groups.append({"group": c.group, "subjects": []})
        subjects = groups[-1]["subjects"]
        if not subjects or subjects[-1]["subject"] != c.subject:
            subjects.append({"subject": c.subject, "changes": []})
        subjects[-1]["changes"].append(c)
    return groups


def _context(cmp: Comparison, order: str, with_pdf: bool) -> dict:
    return {"cmp": cmp, "columns": columns(order), "figure_groups": figure_groups(cmp.figures),
            "with_pdf": with_pdf}


def render_html(cmp: Comparison, order: str = "new-left", with_pdf: bool = True) -> str:
    env = common.make_env(TEMPLATES)
    return env.get_template("diff/index.html").render(**_context(cmp, order, with_pdf))


def print_job(cmp: Comparison, order: str = "new-left", created: str = ""):
    """The :class:`~dgdocs.render.pdfwriter.PrintJob` of the PDF (the print CSS is inlined:
    WeasyPrint then fetches nothing)."""
    from .pdfwriter import PrintJob  # no WeasyPrint import: PrintJob is a plain record

    env = common.make_env(TEMPLATES)
    css = PRINT_CSS.read_text("utf-8")
    if "</" in css:  # our own file, inlined as is: it must not be able to close the <style> element
        raise ValueError(f"{PRINT_CSS} must not contain '</'")
    title = f"{cmp.title}　新旧対照表"
    subject = f"{cmp.title} 新旧対照表（{cmp.new.source} と {cmp.old.source}）"
    html = env.get_template("diff/print.html").render(
        **_context(cmp, order, False), css=Markup(css), pdf_title=title, pdf_subject=subject,
        created=created)
    epoch = int(_dt.datetime.fromisoformat(created).timestamp()) if created else 0
    return PrintJob(PDF_NAME, title, subject, html, epoch)


def render_diff(cmp: Comparison, order: str = "new-left", *, pdf: bool = True, content_root: str | Path = ".",
                created: str = "") -> dict[str, bytes]:
    """Every file of ``build/diff/`` as bytes."""
    out = {
        "index.html": render_html(cmp, order, with_pdf=pdf).encode("utf-8"),
        "diff.css": DIFF_CSS.read_bytes(),
    }
    if pdf:
        from .pdfwriter import render_pdf  # imports WeasyPrint: only on this path
        out[PDF_NAME] = render_pdf(print_job(cmp, order, created), str(content_root))
    return out


