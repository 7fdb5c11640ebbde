"""図 and 表 of the prose, as an editor writes them: the image in content/figures/, numbered
through the plan, at most the text's width in HTML and PDF with its caption on its page,
copied to build/html/ under a content hash; a pipe table with its 「表N」 caption and its
numbers right-aligned.  SVG is rebuilt from an allow-list (dgdocs.svgsafe)."""

from __future__ import annotations

import io
import re

import pytest

from dgdocs import images, svgsafe
from dgdocs.checks import run_checks
from dgdocs.load import load
from dgdocs.plaintext import TextRenderer
from dgdocs.render.html import render_site
from dgdocs.render.pdf import PLAN_PDF, print_jobs

from conftest import without_phrase_breaks
from sitescan import scan


def png(width: int, height: int, colour: str = "#2f6db3") -> bytes:
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def jpeg(width: int, height: int) -> bytes:
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (width, height), "#6aa84f").save(out, "JPEG")
    return out.getvalue()


SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 200" width="400" height="200">'
       '<title>構成</title><rect x="10" y="10" width="380" height="180" fill="#eef2f7"/>'
       '<text x="200" y="100" text-anchor="middle">各府省</text></svg>')

CHAPTERS = """
-- chapters/01.md --
# I. 基本事項 {#basics}

## (1) 目的 {#purpose}

本計画は{{counts.total|nogroup}}種類の手続を扱う。

![手続の数の内訳を示す棒グラフ（架空の例）](../figures/uchiwake.png "手続の数の内訳（架空の例）")

{{table: budget.system}}

## (2) 計画期間 {#period}

2020年度から2024年度までとする。

{{kpi: k-rate}}
-- chapters/02.md --
# II. 取組 {#work}

## (1) オンライン化 {#online}

詳細は別紙1を参照。

表：オンライン化の進み具合（架空の例）
| 区分 | 手続の数 | 割合 | 備考 |
|---|---|---|---|
| 申請 | 1,200 | 45.5% | 架空の値 |
| 届出 | 830 | 31.4% | |

![政府共通プラットフォームの構成を示す図（架空の例）](../figures/kousei.svg "政府共通プラットフォームの構成")

### ア. 手続 {#procedures}

2021年度から2022年度にかけて改修し、2022年10月に運用を開始する[^1]。

![縦に長い図](../figures/tate.jpg "縦に長い図（架空の例）")

[^1]: 脚注の文。
"""


@pytest.fixture
def content(make_content):
    root = make_content(CHAPTERS)
    (root / "figures").mkdir()
    (root / "figures" / "uchiwake.png").write_bytes(png(2400, 900))
    (root / "figures" / "kousei.svg").write_text(SVG, "utf-8")
    (root / "figures" / "tate.jpg").write_bytes(jpeg(600, 2400))
    return root


def test_figures_and_tables_are_numbered_through_the_plan_and_the_content_is_clean(content):
    doc = load(content)
    figs = [f for ch in doc.chapters for f in ch.illustrations]
    assert [(f.label, f.loc.file, f.loc.line, f.section) for f in figs] == [
        ("図1", "chapters/01.md", 7, "purpose"), ("図2", "chapters/02.md", 13, "online"),
        ("図3", "chapters/02.md", 19, "procedures")]
    assert [(t.label, t.title, t.loc.line) for ch in doc.chapters for t in ch.tables] == [
        ("表1", "オンライン化の進み具合（架空の例）", 7)]
    assert figs[0].image.media_type == "image/png" and (figs[0].image.width, figs[0].image.height) == (2400, 900)
    assert run_checks(doc).findings == []


def test_the_site_shows_each_figure_once_under_a_content_hash_with_its_number_and_alt(content):
    doc = load(content)
    site = render_site(doc)
    names = sorted(p for p in site if p.startswith("assets/figures/"))
    assert [re.sub(r"\.[0-9a-f]{12}\.", ".<hash>.", n) for n in names] == [
        "assets/figures/kousei.<hash>.svg", "assets/figures/tate.<hash>.jpg", "assets/figures/uchiwake.<hash>.png"]
    png_name = next(n for n in names if n.endswith(".png"))
    assert site[png_name] == (content / "figures" / "uchiwake.png").read_bytes()
    page = scan(site["basics.html"])
    img = page.find("img")[0].attrs
    assert img["src"] == png_name and img["alt"].startswith("手続の数の内訳を示す棒グラフ")
    assert (img["width"], img["height"]) == ("2400", "900")
    html = without_phrase_breaks(site["basics.html"].decode())
    assert re.search(r'<figure class="figure" id="figure-1">.*<figcaption><span class="figure-label">図1</span>　'
                     r'手続の数の内訳（架空の例）</figcaption>', html, re.S)
    work = without_phrase_breaks(site["work.html"].decode())
    assert '<span class="figure-label">図2</span>' in work and '<span class="figure-label">図3</span>' in work
    # the full-text page numbers them alike, once each
    zenbun = without_phrase_breaks(site["zenbun.html"].decode())
    assert [m for m in re.findall(r'id="(figure-\d)"', zenbun)] == ["figure-1", "figure-2", "figure-3"]
    # a changed image gets a new name: no cache shows the old one
    (content / "figures" / "uchiwake.png").write_bytes(png(2400, 900, "#8a1f11"))
    assert png_name not in render_site(load(content))


def test_a_pipe_table_has_its_caption_and_its_numbers_right_aligned(content):
    html = without_phrase_breaks(render_site(load(content))["work.html"].decode())
    table = re.search(r'<table class="prose-table" id="table-1">.*?</table>', html, re.S).group(0)
    assert '<caption><span class="table-label">表1</span>　オンライン化の進み具合（架空の例）</caption>' in table
    heads = re.findall(r"<th scope=\"col\"([^>]*)>([^<]*)</th>", table)
    assert heads == [("", "区分"), (' class="align-right"', "手続の数"), (' class="align-right"', "割合"), ("", "備考")]
    assert '<td class="align-right">1,200</td>' in table and "<td>申請</td>" in table


def test_the_text_of_figures_and_tables_for_search_and_the_shinkyu_table(content):
    doc = load(content)
    tr = TextRenderer(doc)
    ch = doc.chapters[1]
    blocks = [b for sec in ch.sections() for b in tr.section_blocks(ch, sec)]
    assert ("figure", "図2　政府共通プラットフォームの構成") in [(b.kind, b.text) for b in blocks]
    table = next(b for b in blocks if b.kind == "table")
    assert table.text.splitlines()[0] == "表1　オンライン化の進み具合（架空の例）"


def test_print_carries_the_checked_bytes_and_never_a_path_into_content(content):
    (content / "figures" / "kousei.svg").write_text(SVG.replace("<title>", '<script>alert(1)</script><title>'), "utf-8")
    doc = load(content)
    plan = next(j for j in print_jobs(doc) if j.name == PLAN_PDF).html
    srcs = re.findall(r'<img src="([^"]+)"', plan)
    assert len(srcs) == 3 and all(s.startswith(("data:image/png;base64,", "data:image/svg+xml;base64,",
                                                "data:image/jpeg;base64,")) for s in srcs)
    import base64
    svg = base64.b64decode(next(s for s in srcs if "svg" in s).split(",", 1)[1])
    assert b"<script" not in svg and "各府省".encode() in svg
    assert "figures/" not in plan.split("<body", 1)[1]


def _layout(job, root):
    """WeasyPrint's pages for a print job, as `make pdf` lays them out."""
    import weasyprint
    from dgdocs.render import justify
    from dgdocs.render.pdfwriter import BASE_URL, allowed_roots, make_fetcher
    justify.install()
    return weasyprint.HTML(string=job.html, base_url=BASE_URL,
                           url_fetcher=make_fetcher(allowed_roots(str(root)))).render().pages


def _boxes(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def test_in_the_pdf_every_figure_fits_the_text_width_and_its_page_with_its_caption(content):
    from weasyprint.formatting_structure import boxes as wb
    doc = load(content)
    job = next(j for j in print_jobs(doc) if j.name == PLAN_PDF)
    pages = _layout(job, content)
    images, captions = [], {}
    for n, page in enumerate(pages):
        content_box = page._page_box
        left = content_box.content_box_x()
        right = left + content_box.width
        bottom = content_box.content_box_y() + content_box.height
        for box in _boxes(content_box):
            if isinstance(box, wb.ReplacedBox) and box.element_tag == "img":
                images.append((n, box.content_box_x(), box.content_box_x() + box.width,
                               box.content_box_y() + box.height, left, right, bottom))
            if box.element_tag == "figcaption" and isinstance(box, wb.BlockBox):
                text = "".join(b.text for b in _boxes(box) if isinstance(b, wb.TextBox))
                captions[text.replace("\u2060", "").split("　")[0]] = n  # less the phrase joiners
    assert len(images) == 3
    for (n, x0, x1, y1, left, right, bottom), label in zip(images, ("図1", "図2", "図3")):
        assert left - 0.5 <= x0 and x1 <= right + 0.5, (label, x0, x1, left, right)  # never past the margin
        assert y1 <= bottom, label  # the tall one is scaled to the page
        assert captions[label] == n, f"{label}: the image on page {n + 1}, its caption on page {captions[label] + 1}"


# ------------------------------------------------------------------ the image files themselves

def test_png_and_jpeg_are_read_from_their_bytes():
    ok = images.inspect(png(30, 20), ".png")
    assert (ok.media_type, ok.width, ok.height, ok.problems) == ("image/png", 30, 20, ())
    assert images.inspect(jpeg(30, 20), ".JPG").media_type == "image/jpeg"
    assert "中身は PNG" in images.inspect(png(3, 3), ".jpg").problems[0]
    assert "壊れている" in images.inspect(png(30, 20)[:40], ".png").problems[0]
    assert "使えません" in images.inspect(b"GIF89a", ".gif").problems[0]


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    from PIL import Image
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG")  # 100 million pixels in a few kB
    found = images.inspect(out.getvalue(), ".png")
    assert found.media_type == "" and "画素数が多すぎます" in found.problems[0]


@pytest.mark.parametrize("svg, problem", [
    ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "<script>"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect onload="alert(1)"/></svg>', "onload"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p>'
     '</foreignObject></svg>', "foreignObject"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><image href="https://tracker.example/p.png"/></svg>', "外部を指す参照"),
    ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
     '<use xlink:href="other.svg#a"/></svg>', "外部を指す参照"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://x.example/a)"/></svg>', "url(…)"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><style>@import "https://x.example/a.css";</style></svg>', "@import"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://x.example/#g)"/></svg>', "url(…)"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><animate attributeName="href" to="javascript:alert(1)"/></svg>',
     "<animate>"),
    ('<?xml-stylesheet href="https://x.example/a.css"?><svg xmlns="http://www.w3.org/2000/svg"/>', "xml-stylesheet"),
    ('<!DOCTYPE svg [<!ENTITY lol "lol">]><svg xmlns="http://www.w3.org/2000/svg">&lol;</svg>', "実体"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><text>t</text></a>'
     '<rect fill="javascript:alert(1)"/></svg>', "スクリプト"),
])
def test_an_unsafe_svg_is_reported_and_shipped_without_what_is_unsafe(svg, problem):
    safe = svgsafe.sanitise(svg.encode())
    assert any(problem in p for p in safe.problems), safe.problems
    out = safe.data.decode()
    for bad in ("<script", "onload", "foreignObject", "https://", "other.svg", "@import", "javascript:", "<animate",
                "stylesheet", "lol"):
        assert bad not in out, (bad, out)


def test_a_drawing_passes_unchanged_in_what_it_draws():
    drawing = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
               'viewBox="0 0 100 50" inkscape:version="1.2"><metadata>rdf</metadata><defs><linearGradient id="g">'
               '<stop offset="0" stop-color="#fff"/></linearGradient></defs>'
               '<rect width="100" height="50" fill="url(#g)" style="stroke:#000;stroke-width:2"/>'
               '<text x="5" y="20" font-family="BIZ UDGothic">各府省<tspan dy="10">と</tspan>クラウド</text>'
               '<use href="#g"/></svg>')
    safe = svgsafe.sanitise(drawing.encode())
    assert safe.problems == () and (safe.width, safe.height) == (100, 50)
    out = safe.data.decode()
    for kept in ('fill="url(#g)"', 'style="stroke:#000;stroke-width:2"', "各府省<tspan", "</tspan>クラウド",
                 '<use href="#g"/>', 'stop-color="#fff"'):
        assert kept in out, kept
    assert "inkscape" not in out and "metadata" not in out


def test_an_svg_that_is_no_svg_cannot_be_shown():
    assert svgsafe.sanitise(b"<html><body>x</body></html>").data == b""
    assert "読めません" in svgsafe.sanitise(b"<svg xmlns='http://www.w3.org/2000/svg'><g></svg>").problems[0]


def _table_pdf(make_content, filler_chars: int):
    import pdfread
    from dgdocs.render.pdfwriter import render_pdf
    rows = "\n".join(f"| 手続{n:03d} | {n * 10:,} |" for n in range(1, 91))
    filler = "本文" * (filler_chars // 2) + "。"
    doc = load(make_content("-- chapters/02.md --\n" + "\n\n".join([
        "# II. 取組 {#work}", "## (1) オンライン化 {#online}", "詳細は別紙1を参照。", "本文の段落。" * 150, filler,
        f"表：手続の一覧（架空の例）\n| 手続 | 件数 |\n|---|---|\n{rows}", "### ア. 手続 {#procedures}",
        "2021年度から2022年度にかけて改修し、2022年10月に運用を開始する[^1]。", "[^1]: 脚注の文。"]) + "\n"))
    job = next(j for j in print_jobs(doc) if j.name == PLAN_PDF)
    return pdfread.pages(render_pdf(job, doc.root))


def _first(pages, prefix):
    return next((p.index, line) for p in pages for line in p.lines if line.text.startswith(prefix))


def test_in_the_pdf_a_long_table_repeats_its_header_row_and_right_aligns_its_numbers(make_content):
    pages = _table_pdf(make_content, 0)
    (start, _), (end, _) = _first(pages, "手続001"), _first(pages, "手続090")
    assert start < end  # the table runs over a page break
    for n in range(start, end + 1):
        texts = [line.text for line in pages[n].lines]
        assert any(t in ("手続件数", "手続") or t.startswith("手続件数") for t in texts), (n, texts[:8])
    # 10 and 100 end at one x (right-aligned) and start at two
    numbers = [line for p in pages for line in p.lines if line.text in ("10", "100")]
    assert len(numbers) == 2 and abs(numbers[0].x1 - numbers[1].x1) < 1 and numbers[0].x0 - numbers[1].x0 > 3


def test_in_the_pdf_a_table_caption_never_stays_alone_at_the_foot_of_a_page(make_content):
    """The table is moved down line by line across a page foot: the caption always stands on the
    page of the first row, and in some of the runs it has moved to the next page with it."""
    moved = False
    for chars in range(400, 600, 50):
        pages = _table_pdf(make_content, chars)
        (cap_page, cap), (row_page, _) = _first(pages, "表1"), _first(pages, "手続001")
        assert cap_page == row_page, (chars, cap_page, row_page)
        moved |= cap.y0 < 150  # at the top of its page: it went over with the table
    assert moved, "no run put the caption at a page foot: move the sweep"
