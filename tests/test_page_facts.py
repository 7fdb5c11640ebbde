"""What government pages show (issue 18, points 3 and 4): the page list folded on phones,
breadcrumbs, the contents of a long chapter, the revision and build dates, the PDF links with
format, size and page count, description and OGP meta from the content — and no internal id
shown to a reader anywhere, on the site or in print.
"""

from __future__ import annotations

import html
import re

import pytest

from dgdocs.render.html import render_site
from dgdocs.render.pagemeta import FileFacts, human_size, page_toc, pdf_facts, shorten
from dgdocs.render.pdf import print_jobs


def visible_text(page: str) -> str:
    """What a reader sees or hears: the text, not the tags and attributes."""
    page = re.sub(r"<(script|style)\b[^>]*>.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page)).replace("\u2060", "")


@pytest.fixture(scope="module")
def site(doc):
    return {k: v.decode("utf-8") for k, v in render_site(doc).items() if k.endswith(".html")}


def test_no_internal_id_is_shown_on_any_page_or_in_print(doc, site):
    ids = ({k.id for k in doc.kpis()} | {line.id for line in doc.kpi_lines}
           | {row.id for a in doc.appendices for row in a.rows()})
    assert "sales-agent-online-rate" in ids  # the id the issue saw on the KPI list
    texts = {name: visible_text(page) for name, page in site.items()}
    texts.update({f"print:{job.name}": visible_text(job.html) for job in print_jobs(doc)})
    shown = sorted(f"{where}: {i}" for where, text in texts.items() for i in ids
                   if re.search(r"(?<![\w-])" + re.escape(i) + r"(?![\w-])", text))
    assert not shown, shown[:20]
    # the ids are still there as anchors: links to a KPI keep working
    assert 'id="kpi-sales-agent-online-rate"' in site["kpis.html"]


def test_the_page_list_is_a_closed_menu_and_a_bar_with_the_current_page_marked(site):
    page = site["beppyo-2.html"]
    menu = re.search(r'<details class="site-menu">(.*?)</details>', page, re.S)
    assert menu and "<details class=\"site-menu\" open" not in page  # closed until a phone user opens it
    assert re.search(r'<summary>メニュー', menu.group(1))
    for part in (menu.group(1), re.search(r'<nav class="site-nav".*?</nav>', page, re.S).group(0)):
        assert re.findall(r'aria-current="page"', part) == ['aria-current="page"']
        assert re.search(r'<a href="beppyo-2.html" aria-current="page">別紙2</a>', part)


def test_breadcrumbs_lead_from_the_home_page_to_this_page(site):
    crumbs = re.search(r'<nav class="breadcrumbs" aria-label="現在位置">(.*?)</nav>', site["services.html"], re.S).group(1)
    links = re.findall(r'<a href="([^"]+)"( aria-current="page")?>(.*?)</a>', crumbs.replace("<wbr>", ""))
    assert [(h, t) for h, _, t in links] == [("index.html", "表紙・目次"),
                                             ("services.html", "II. 利用者中心の行政サービス改革・行政手続のデジタル化")]
    assert links[-1][1] and not links[0][1]
    source = re.search(r'<nav class="breadcrumbs".*?</nav>', site["source.html"], re.S).group(0)
    assert re.findall(r'href="([^"]+)"', source) == ["index.html", "errata.html", "source.html"]
    assert 'class="breadcrumbs"' not in site["index.html"]


def test_a_long_chapter_lists_its_sections_after_its_heading(doc, site):
    page = site["services.html"]
    toc = re.search(r'<nav class="page-toc" aria-labelledby="page-toc-title">(.*?)</nav>', page, re.S)
    assert toc and page.index("</h1>") < page.index('class="page-toc"')
    hrefs = re.findall(r'href="#([^"]+)"', toc.group(1))
    ch = next(c for c in doc.chapters if c.id == "services")
    assert hrefs == [s.heading.id for s in ch.sections() if s.heading.level in (2, 3)]
    assert all(f'id="{h}"' in page for h in hrefs)
    short = next(c for c in doc.chapters if c.id == "evaluation")
    assert page_toc(short) == [] and 'class="page-toc"' not in site["evaluation.html"]


def test_every_page_says_when_the_plan_was_revised_and_the_page_was_built(doc, site, monkeypatch):
    for name, page in site.items():
        assert re.search(r'計画の最終改定：<time datetime="2020-03-31">令和2年3月31日</time>', page), name
        assert "このページの作成：<time datetime=" in page, name
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")  # 2026-05-28 UTC
    page = render_site(doc)["index.html"].decode("utf-8")
    assert 'このページの作成：<time datetime="2026-05-28">令和8年5月28日</time>' in page


def test_pdf_links_say_format_size_and_pages_from_the_built_files(doc, official_pdfs):
    facts = pdf_facts(official_pdfs)
    page = render_site(doc, pdf_facts=facts)["index.html"].decode("utf-8").replace("<wbr>", "")
    plan = facts["honbun.pdf"]
    assert plan.size == len(official_pdfs["honbun.pdf"]) and plan.pages > 30
    assert f'<a href="../pdf/honbun.pdf" type="application/pdf">本文<span class="file-facts">（{plan.label}）</span></a>' in page
    assert re.fullmatch(r"PDF \d+KB・\d+ページ", plan.label)
    for name in official_pdfs:
        if name.endswith(".pdf") and not name.startswith("."):  # not the jobs' pieces (.parts/)
            assert f'href="../pdf/{name}"' in page and f"（{facts[name].label}）" in page


def test_without_pdfs_the_links_say_only_the_format(site):
    assert "（PDF）</span>" in site["index.html"] and "KB" not in visible_text(site["index.html"])


@pytest.mark.parametrize("size, text", [(1, "1KB"), (1024, "1KB"), (1025, "2KB"), (514_000, "502KB"),
                                        (1024 * 1024, "1.0MB"), (1_567_893, "1.5MB")])
def test_sizes_are_written_as_government_sites_write_them(size, text):
    assert human_size(size) == text
    assert FileFacts("PDF", size, 39).label == f"PDF {text}・39ページ"
    assert FileFacts("PDF").label == "PDF"


def test_description_and_ogp_come_from_the_plans_own_text(doc, site):
    index = site["index.html"]
    desc = re.search(r'<meta name="description" content="([^"]+)">', index).group(1)
    assert desc.startswith("本計画は、「デジタル・ガバメント実行計画」") and desc.endswith("。") and len(desc) <= 120
    assert f'<meta property="og:description" content="{desc}">' in index
    assert '<meta property="og:type" content="website">' in index
    assert '<meta property="og:site_name" content="総務省デジタル・ガバメント中長期計画">' in index
    assert "og:url" not in index  # no address known without --base-url
    seen = set()
    for name, page in site.items():
        d = re.search(r'<meta name="description" content="([^"]+)">', page)
        assert d and d.group(1).strip(), name
        seen.add(d.group(1))
    assert len(seen) >= len(site) - 2  # pages describe themselves, not all alike
    with_url = render_site(doc, base_url="https://www.example.go.jp/plan/html/")["kpis.html"].decode("utf-8")
    assert '<meta property="og:url" content="https://www.example.go.jp/plan/html/kpis.html">' in with_url


def test_a_long_text_is_shortened_at_a_sentence_or_a_phrase():
    assert shorten("短い。") == "短い。"
    long = "あ" * 70 + "。" + "い" * 100
    assert shorten(long) == "あ" * 70 + "。"
    cut = shorten("行政手続のデジタル化を進める" * 20)
    assert cut.endswith("…") and len(cut) <= 120 and not cut.endswith("デジタ…")
