"""One numbering of the footnotes: consecutive through the plan in the order they are first
called, the same on the chapter page, the full-text page, the PDFs, the search index and the
新旧対照表 — whatever label the editor typed ([^9] that is the plan's second note is 注2)."""

from __future__ import annotations

import re

from dgdocs.diff import compare
from dgdocs.load import load
from dgdocs.plaintext import TextRenderer
from dgdocs.render.html import render_site
from dgdocs.render.pdf import PLAN_PDF, print_jobs

NOTES = """
-- chapters/01.md --
# I. 基本事項 {#basics}

## (1) 目的 {#purpose}

本計画は{{counts.total|nogroup}}種類の手続を扱う[^a]。

{{table: budget.system}}

## (2) 計画期間 {#period}

2020年度から2024年度までとする。

{{kpi: k-rate}}

[^a]: 第I章の注。
-- chapters/02.md --
# II. 取組 {#work}

## (1) オンライン化 {#online}

詳細は別紙1を参照[^9]。

### ア. 手続 {#procedures}

2021年度から2022年度にかけて改修し[^1]、2022年10月に運用を開始する[^9]。

[^1]: 第II章の二つ目の注。
[^9]: 第II章の最初の注。
"""


def test_the_numbers_follow_the_first_calls_through_the_plan(make_content):
    doc = load(make_content(NOTES))
    assert [(f.label, f.number) for ch in doc.chapters for f in ch.footnotes] == [("a", 1), ("1", 3), ("9", 2)]


def test_the_chapter_page_and_the_full_text_page_show_the_plan_number(make_content):
    site = render_site(load(make_content(NOTES)))
    work = site["work.html"].decode()
    calls = re.findall(r'<sup class="fnref"><a( id="[^"]+")? href="#fn-(\w+)" aria-label="脚注(\d+)">(\d+)</a></sup>', work)
    assert calls == [(' id="fnref-9"', "9", "2", "2"), (' id="fnref-1"', "1", "3", "3"), ("", "9", "2", "2")]
    assert re.findall(r'<li id="fn-(\w+)" value="(\d+)">', work) == [("9", "2"), ("1", "3")]
    zenbun = site["zenbun.html"].decode()
    assert re.findall(r'<li id="(\w+)-fn-(\w+)" value="(\d+)">', zenbun) == [
        ("basics", "a", "1"), ("work", "9", "2"), ("work", "1", "3")]
    # every id once, although [^9] is called twice
    ids = re.findall(r' id="([^"]+)"', work)
    assert len(ids) == len(set(ids))


def test_the_pdf_numbers_them_alike_and_prints_a_note_once(make_content):
    html = next(j for j in print_jobs(load(make_content(NOTES))) if j.name == PLAN_PDF).html
    assert re.findall(r'<span class="footnote" data-fn="(\d+)">([^<]+)<', html) == [  # (約物の詰め follows)
        ("1", "第I章の注"), ("2", "第II章の最初の注"), ("3", "第II章の二つ目の注")]
    assert '<sup class="fncall">注2</sup>' in html  # the second call of [^9]


def test_the_text_of_search_and_of_the_shinkyu_table_numbers_them_alike(make_content, tmp_path):
    doc = load(make_content(NOTES))
    tr = TextRenderer(doc)
    ch = doc.chapters[1]
    texts = [b.text for sec in ch.sections() for b in tr.section_blocks(ch, sec)]
    assert "詳細は別紙1を参照（注2）。" in texts and "（注2）第II章の最初の注。" in texts
    assert "2021年度から2022年度にかけて改修し（注3）、2022年10月に運用を開始する（注2）。" in texts
    from dgdocs.render.shinkyu import render_diff
    old = load(make_content(""))  # the miniature plan: one note, [^1] in chapter II
    cmp = compare(old, doc, "旧", "新")
    page = render_diff(cmp, "new-left", pdf=False, content_root=str(doc.root), created="2020-03-31")["index.html"].decode()
    assert "（注2）" in page and "（注3）" in page


def test_the_printed_notes_read_as_on_the_web(make_content):
    import pdfread
    from dgdocs.render.pdfwriter import render_pdf
    doc = load(make_content(NOTES))
    job = next(j for j in print_jobs(doc) if j.name == PLAN_PDF)
    text = "".join(pdfread.page_text(p) for p in pdfread.pages(render_pdf(job, doc.root)))
    assert re.findall(r"（注(\d+)）", text) == ["1", "2", "3"]  # each note once, at the foot of its page
    assert "第II章の最初の注" in text and re.search(r"運用を開始する注2", text)
