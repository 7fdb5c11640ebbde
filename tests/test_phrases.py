"""Headings, navigation, captions and table cells break between phrases, never inside a word
(issue 18, point 2) — on a phone in Chromium and in the PDFs laid out by WeasyPrint.

The phrases are BudouX's (dgdocs.render.phrases); the browser test does not trust the markup:
it measures where Chromium actually starts each line (the boxes of the characters, 390 px
wide) and allows a break only at a phrase boundary, a space or punctuation — or inside a
phrase that is wider than its whole line, where breaking somewhere is the only way.
"""

from __future__ import annotations

import re

import pytest

from browser_tools import run_node
from conftest import CONTENT
from dgdocs.cli import main
from dgdocs.render import phrases
from dgdocs.render.phrases import WORD_JOINER, boundaries, mark_html, segments, word_splits
from dgdocs.render.views import toc_entries
from dgdocs.render.common import Addresses
from pdfread import pages as pdf_pages

#: what the issue saw: a line broke at ／ (the index title on a phone, headings, the PDF TOC)
ISSUE_BREAKS = [
    "デジタル・ガバメン／ト中長期計画",
    "利用者中心の行政サービス改革・行政手続のデジタ／ル化",
    "重要プロジェクトの推進に係／る工程表",
    "マイナンバーカードの普及・利用の推／進",
]

#: a line may always start after these or before these (JIS X 4051 line-breaking around punctuation)
PUNCT_AFTER = set("、。，．・）」』】〕〉》｝!?！？:：;；/／")
PUNCT_BEFORE = set("（「『【〔〈《｛")


@pytest.mark.parametrize("bad", ISSUE_BREAKS)
def test_the_breaks_the_issue_saw_are_not_break_opportunities(bad):
    text = bad.replace("／", "")
    assert bad.index("／") not in boundaries(text), segments(text)
    assert "".join(segments(text)) == text


@pytest.mark.parametrize("phrase, words", [
    ("総務省デジタル・ガバメント中長期計画", ["総務省", "デジタル・", "ガバメント", "中長期計画"]),
    ("行政サービス改革・行政手続の", ["行政", "サービス", "改革・", "行政手続の"]),
    ("デジタル化", ["デジタル化"]),  # a one-kanji suffix stays with its word
    ("各サービス", ["各サービス"]),  # and a one-kanji prefix
    ("ITガバナンス", ["ITガバナンス"]),
])
def test_a_long_phrase_breaks_between_its_words(phrase, words):
    assert word_splits(phrase) == words


@pytest.mark.parametrize("text, pieces", [
    # BudouX alone gives 201｜9年11月〜201｜9年12月: a year broken on the report's 計画の時期 column
    ("2019年11月〜2019年12月", ("2019年11月〜", "2019年12月")),
    ("2022年1月までに", ("2022年1月までに",)),
    ("1,045市区町村のうち", ("1,045市区町村の", "うち")),
    ("30.7%の手続", ("30.7%の", "手続")),
    ("「(2020年〜2023年)まずは、", ("「(2020年〜", "2023年)まずは、")),  # not after 「( : BudouX cut 「(202｜0年
    ("KPI：オンライン利用率、", ("KPI：オンライン利用率、",)),  # BudouX: K｜PI
])
def test_a_number_or_a_latin_word_is_never_cut_and_a_cut_inside_moves_to_its_start(text, pieces):
    assert segments(text) == pieces
    assert not [m for m in re.finditer(r"[0-9A-Za-z][0-9A-Za-z.,]*[0-9A-Za-z]", text)
                if any(m.start() < b < m.end() for b in boundaries(text))]


def test_no_page_of_the_site_breaks_inside_a_number(site):
    broken = {path.name: re.findall(r".{0,8}[0-9０-９]<wbr>[0-9０-９].{0,8}", path.read_text("utf-8"))
              for path in site.rglob("*.html")}
    assert not {p: b for p, b in broken.items() if b}


def test_only_the_phrase_elements_change_and_nothing_but_their_text():
    page = ('<h1 id="x" class="a">別紙2　重要プロジェクトの推進に係る工程表</h1>\n'
            '<p>本文はそのまま改行する。行政手続のデジタル化を進める。</p>\n'
            '<table><caption>【総務省システム経費計画（単位：億円）】</caption>'
            '<tr><th scope="row" title="行政手続のデジタル化">整備経費</th><td>&lt;行政手続の&amp;デジタル化&gt;</td></tr></table>\n'
            '<nav aria-label="ページ一覧"><ul><li><a href="a.html">行政手続のデジタル化</a></li>'
            '<li><a href="b.html">価値を生み出すITガバナンス</a></li></ul></nav>\n'
            '<h2>e-Govの刷新<code>行政手続のデジタル化</code></h2>')
    out = mark_html(page)
    assert out.replace("<wbr>", "").replace('<span class="nw">', "").replace("</span>", "") == page
    assert "<h1 id=\"x\" class=\"a\">別紙2　重要<wbr>プロジェクトの<wbr>推進に<wbr>係る<wbr>工程表</h1>" in out
    assert "<p>本文はそのまま改行する。行政手続のデジタル化を進める。</p>" in out  # body text: normal line breaking
    assert 'title="行政手続のデジタル化"' in out  # attributes are not text
    assert "&lt;行政手続の<wbr>&amp;デジタル化&gt;" in out  # escaped as before
    assert '<a href="a.html">行政手続の<wbr>デジタル化</a>' in out  # each link is its own text
    assert '<span class="nw">e-Gov</span>の<wbr>刷新' in out or '<span class="nw">e-Gov</span>の刷新' in out
    assert "<code>行政手続のデジタル化</code>" in out


def test_a_word_that_never_breaks_gets_no_break_opportunity():
    # Chromium breaks at a <wbr> even under white-space: nowrap: the report's status word
    # read 「遅延（期限超／過）」 in a narrow 状況 column
    cell = '<td>期限を過ぎた工程<span class="st st-遅延">遅延（期限超過）</span><span class="file-facts">（PDF 502KB・39ページ）</span></td>'
    for mode, mark in (("wbr", "<wbr>"), ("print", "\u2060")):
        out = mark_html(cell, mode=mode)
        assert '<span class="st st-遅延">遅延（期限超過）</span><span class="file-facts">（PDF 502KB・39ページ）</span>' in out
        assert mark in out.split("<span")[0]  # the rest of the cell still breaks between phrases


def test_print_joins_the_characters_of_a_phrase_and_nothing_else():
    page = ('<nav class="toc"><ul><li><a href="#x">マイナンバーカードの普及・利用の推進</a></li></ul></nav>'
            "<h2>マイナンバーカードの普及・利用の推進</h2><p>本文の行</p>")
    out = mark_html(page, mode="print")
    assert out.replace(WORD_JOINER, "") == page
    # the headings stay as they are: their text is the PDF's bookmarks
    assert "<h2>マイナンバーカードの普及・利用の推進</h2>" in out
    heading = re.search(r'<a href="#x">(.*)</a>', out).group(1)
    pieces = heading.split(WORD_JOINER)
    # a joiner between every two characters of a phrase, none at a phrase boundary
    assert "".join(pieces) == "マイナンバーカードの普及・利用の推進"
    boundary_free = heading.replace(WORD_JOINER, "|")
    for phrase in segments("マイナンバーカードの普及・利用の推進"):
        assert "|".join(phrase) in boundary_free
    assert "推" + WORD_JOINER + "進" in heading
    assert "<p>本文の行</p>" in out


def test_site_css_gives_keep_all_to_exactly_the_phrase_elements():
    from dgdocs.render.designtokens import SITE_CSS
    css = re.sub(r"/\*.*?\*/", "", SITE_CSS.read_text("utf-8"), flags=re.S)
    m = re.search(r"([^{}]+)\{\s*word-break:\s*keep-all;", css)
    assert m, "site.css has no word-break: keep-all rule"
    selectors = {s.strip() for s in m.group(1).split(",")}
    expected = set(phrases.PHRASE_TAGS) | {"." + c for c in phrases.PHRASE_CLASSES}
    assert selectors == expected


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("phrases")
    assert main(["--content", str(CONTENT), "build", "--html", "--data", "--out", str(out)]) == 0
    return out / "html"


def _bad_breaks(result: dict) -> tuple[list[str], int]:
    bad, wide = [], 0
    for page in result["pages"]:
        for e in page["elements"]:
            text, ok = e["text"], boundaries(e["text"])
            for s in e["starts"]:
                if s in ok or text[s - 1] in PUNCT_AFTER or text[s] in PUNCT_BEFORE:
                    continue
                pos = 0
                for seg in segments(text):
                    if pos < s < pos + len(seg):
                        break
                    pos += len(seg)
                if sum(e["advances"][pos:pos + len(seg)]) > e["box"] - 1:
                    wide += 1  # the phrase alone is wider than the line: it has to break somewhere
                    continue
                bad.append(f"{page['page']} <{e['tag']}> {text[:s]}／{text[s:]}")
    return bad, wide


def test_no_heading_navigation_caption_or_row_header_breaks_inside_a_phrase_on_a_phone(site, record_testsuite_property):
    pages = sorted(p.name for p in site.glob("*.html") if p.name != "source.html")
    rc, result, err = run_node("lines.mjs", str(site), "390", *pages)
    assert rc == 0, err[-3000:]
    assert not result["console"]
    measured = [e for p in result["pages"] for e in p["elements"]]
    broken = [e for e in measured if e["starts"]]
    assert len(measured) > 500 and len(broken) > 50  # the test saw many elements, and many that wrap
    bad, wide = _bad_breaks(result)
    record_testsuite_property("phrase_elements_measured", len(measured))
    record_testsuite_property("phrase_elements_wrapped", len(broken))
    record_testsuite_property("phrase_breaks_inside_phrase", len(bad))
    print(f"\n390 px: {len(measured)} headings, links, captions and row headers; {len(broken)} wrap; "
          f"{len(bad)} break inside a phrase; {wide} breaks inside a phrase wider than its line")
    assert not bad, "\n".join(bad[:40])


def test_the_breaks_would_be_found_if_the_site_broke_anywhere(site, tmp_path):
    """The measurement is not blind: without the phrase breaks (plain text, normal word-break),
    the same page at 390 px breaks inside phrases."""
    import shutil
    copy = tmp_path / "html"
    shutil.copytree(site, copy)
    css = (copy / "assets" / "site.css").read_text("utf-8")
    (copy / "assets" / "site.css").write_text(css.replace("word-break: keep-all;", "word-break: normal;"), "utf-8")
    page = (copy / "services.html").read_text("utf-8")
    (copy / "services.html").write_text(page.replace("<wbr>", ""), "utf-8")
    rc, result, err = run_node("lines.mjs", str(copy), "390", "services.html")
    assert rc == 0, err[-3000:]
    bad, _ = _bad_breaks(result)
    assert len(bad) >= 5, bad


@pytest.mark.pdf
def test_the_pdf_table_of_contents_breaks_between_phrases(doc, official_pdfs):
    """The plan's TOC (honbun.pdf): an entry too long for one line continues on the next one
    at a phrase boundary (the issue saw 「…利用の推／進」)."""
    entries = [e["title"] if e["marker"] else e["text"] for e in toc_entries(doc, Addresses(doc))]
    lines = [l.text for p in pdf_pages(official_pdfs["honbun.pdf"])[:6] for l in p.lines]
    wrapped = []
    for title in entries:
        flat = title.replace(" ", "").replace("　", "")
        for i, line in enumerate(lines[:-1]):
            head = re.sub(r"^[IVX]+\.|^\([0-9]+\)|^[0-9]+\)|^[ア-ン]\.", "", line.replace(" ", ""))
            if len(head) >= 3 and flat.startswith(head) and head != flat and flat[len(head):].startswith(
                    re.sub(r"\.*\s*\d+$", "", lines[i + 1].replace(" ", ""))[:3]):
                wrapped.append((title, len(head)))
                break
    assert wrapped, "no TOC entry of the plan wraps: the test would prove nothing"
    bad = []
    for title, at in wrapped:
        flat = title.replace(" ", "").replace("　", "")
        ok = boundaries(flat)
        if at not in ok and flat[at - 1] not in PUNCT_AFTER and flat[at] not in PUNCT_BEFORE:
            bad.append(flat[:at] + "／" + flat[at:])
    assert not bad, bad
