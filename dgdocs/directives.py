"""The block directives of the prose, registered once like the check rules.

A directive is a line ``{{name: argument}}`` alone in its paragraph (the grammar is
:mod:`dgdocs.references`).  Each is one :class:`Directive` registered here with everything
every part of dgdocs needs to know about it:

* ``resolve(doc, arg)`` — what it shows (a KPI line, a budget table), or None;
* ``missing(doc, arg)`` — the Japanese message and hint of the loader's DG007 when it is None;
* ``html(r, target)`` — its HTML, for the site and for the print documents (the PDFs: the
  renderer *r* is then in print mode, footnotes inline);
* ``text(r, target)`` — its plain text (search, 新旧対照表): a (block kind, text) pair;
* ``data_file(arg)`` — the data file of content/data/ it reads, if any (the preview maps
  a finding in that file to the pages that show it).

*r* is the renderer that calls: for ``html`` it offers ``inline(markdown)``, ``addresses``
and ``template(name, **context)`` (:class:`dgdocs.render.views.DocumentMarkup`); for ``text``
it offers ``text(markdown)`` (:class:`dgdocs.plaintext.TextRenderer`).  Adding a directive
is adding one here; the loader, the renderers, the checks and the preview find it in
:data:`DIRECTIVES`.
"""

from __future__ import annotations

import html
from typing import Any, Callable

from .model.record import record
from . import formatting
from .model import BudgetTable, Document, KpiLine


@record(slots=False)
class Directive:
    name: str
    title: str  # what it shows, in Japanese
    usage: str  # how an editor writes it
    resolve: Callable[[Document, str], Any]
    missing: Callable[[Document, str], tuple[str, str]]
    html: Callable[[Any, Any], str]
    text: Callable[[Any, Any], tuple[str, str]]
    data_file: Callable[[str], str | None] = lambda arg: None


DIRECTIVES: dict[str, Directive] = {}


def register(d: Directive) -> Directive:
    if d.name in DIRECTIVES:
        raise ValueError(f"directive {d.name!r} registered twice")
    DIRECTIVES[d.name] = d
    return d


def _e(text: str) -> str:
    return html.escape(text, quote=True)


# ------------------------------------------------------------------ {{kpi: line-id}}

def _kpi_html(r, line: KpiLine) -> str:
    texts = "<br>".join(r.inline(t) for t in line.text)
    href = r.addresses.kpi_line(line.id)
    return (f'<div class="kpi" id="kpi-in-{_e(line.id)}"><p><a class="kpi-label" href="{_e(href)}">'
            f'{_e(line.label)}</a>：{texts}</p></div>\n')


def _kpi_text(r, line: KpiLine) -> tuple[str, str]:
    return "kpi", f"{line.label}：" + "\n".join(r.text(t) for t in line.text)


register(Directive(
    "kpi", "KPI 行（kpis.yaml の lines）", "{{kpi: 行のid}}",
    resolve=lambda doc, arg: doc.kpi_line(arg),
    missing=lambda doc, arg: (f"KPI 行「{arg}」が kpis.yaml にありません。",
                              "kpis.yaml の lines の id を書いてください（綴りを確かめてください）。"),
    html=_kpi_html, text=_kpi_text))


# ------------------------------------------------------------------ {{table: file.table}}

def _table_html(r, table: BudgetTable) -> str:
    return r.template("partials/budget_table.html", table=table)


def _table_text(r, table: BudgetTable) -> tuple[str, str]:
    lines = [f"【{table.title}（単位：{table.unit}）】", f"{table.category_label}｜{table.fiscal_year}年度"]
    lines += [f"{row.label}｜{formatting.grouped(row.value)}" for row in table.rows + (table.total,)]
    return "table", "\n".join(lines)


register(Directive(
    "table", "データの表（content/data/ の tables）", "{{table: ファイル名.表のid}}",
    resolve=lambda doc, arg: doc.budget_table(arg),
    missing=lambda doc, arg: (f"表「{arg}」がデータにありません。",
                              f"使える表: {', '.join(sorted(t.key for t in doc.budget_tables)) or '（なし）'}"),
    html=_table_html, text=_table_text,
    data_file=lambda arg: arg.split(".", 1)[0] if "." in arg else None))


def known() -> str:
    """The directives an editor can write, for messages: 「kpi, table」."""
    return ", ".join(DIRECTIVES)
