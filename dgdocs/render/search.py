"""The search index of the site: ``assets/search-index.js``, read by ``assets/search.js``.

The index is a JavaScript file that assigns one global (``DGDOCS_SEARCH``) instead of a
JSON file fetched at run time, so that search works from a folder opened in the browser
(``file://``), where ``fetch`` is refused.

One entry per section of the prose (its own text, not its subsections'), per appendix row
and per KPI indicator.  The text is plain text with every reference resolved as the
pages show it (:class:`dgdocs.plaintext.TextRenderer`): searching 「4,860」 finds the
paragraph that writes ``{{procedures.total}}``.  Nothing here is HTML; search.js puts
the text into the page with ``textContent`` only.
"""

from __future__ import annotations

import json

from .. import wording
from ..model import Document
from ..plaintext import TextRenderer
from .common import Addresses

GLOBAL = "DGDOCS_SEARCH"


def search_entries(doc: Document, addresses: Addresses) -> list[dict]:
    """``u`` link, ``t`` title, ``g`` where (chapter or page), ``x`` the searchable text."""
    tr = TextRenderer(doc)
    out: list[dict] = []
    for ch in doc.chapters:
        for sec in ch.sections():
            blocks = tr.section_blocks(ch, sec)
            text = "\n".join(b.text for b in blocks)
            out.append({"u": addresses.section(sec.id), "t": doc.outline.path_text(sec.id) if sec is not ch.root
                        else ch.heading.text, "g": ch.heading.text, "x": text})
    for a in doc.appendices:
        for g in a.groups:
            for row in g.rows:
                parts = [row.title, row.status, row.note, row.schedule]
                parts += [f"{wording.task_text(t)} {t.label}「{t.quote}」" for t in row.tasks]
                parts += [f"{wording.period_text(m.at)} {m.label}「{m.quote}」" for m in row.milestones]
                if row.amount:
                    parts.append(f"「{row.amount.quote}」")
                out.append({"u": addresses.page(a.slug, f"row-{row.id}"), "t": f"{a.label}　{row.title}",
                            "g": f"{a.label}　{a.title}", "x": "\n".join(p for p in parts if p)})
    for line in doc.kpi_lines:
        for k in line.kpis:
            text = "\n".join(tr.text(t) for t in line.text)
            out.append({"u": addresses.kpi(k.id), "t": f"KPI　{k.indicator}", "g": "KPI一覧",
                        "x": "\n".join(p for p in (text, k.status, k.note) if p)})
    return out


def search_index_js(doc: Document, addresses: Addresses) -> str:
    data = json.dumps({"title": doc.plan.title, "entries": search_entries(doc, addresses)},
                      ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    # Not inline script, but keep it inert as HTML all the same.
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    data = data.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"/* dgdocs search index (generated) */\nwindow.{GLOBAL} = {data};\n"
