"""The print HTML parsed by the strict builder (dgdocs.render.pdfhtml): the tree tinyhtml5
gives, element for element, for every print job of the plan; and tinyhtml5's own tree for
every document where HTML5's tree construction does more than nest the elements as written."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import tinyhtml5

from dgdocs.render import pdfhtml
from dgdocs.render.pdfjobs import Printer


def _tree(element: ET.Element) -> tuple:
    return (element.tag, element.attrib, element.text or "", element.tail or "", tuple(_tree(e) for e in element))


def _theirs(html: str) -> tuple:
    return _tree(tinyhtml5.parse(html, namespace_html_elements=False))


def test_every_print_job_of_the_plan_is_built_as_tinyhtml5_builds_it(doc):
    printer = Printer(doc)
    jobs = [*printer.chapter_jobs(), *printer.article_jobs(), printer.front().job, printer.single_plan()]
    for job in jobs:
        ours = pdfhtml.parse_strict(job.html)
        assert ours is not None, job.name
        assert _tree(ours) == _theirs(job.html), job.name


def test_the_other_print_documents_are_built_as_tinyhtml5_builds_them(progress_doc, doc):
    """The builder parses every document WeasyPrint is given as a string — the quarterly
    evaluation reports (fictional progress) and the 新旧対照表 too, not only the plan's jobs."""
    from pathlib import Path

    from dgdocs.diff import compare
    from dgdocs.load import load
    from dgdocs.render.shinkyu import print_job

    reports = Printer(progress_doc).report_jobs()
    revisions = Path(__file__).parent / "fixtures" / "revisions"
    shinkyu = [print_job(compare(load(revisions / "v1"), load(revisions / "v2"), "v1", "v2")),
               print_job(compare(doc, doc, "HEAD", "HEAD"))]
    assert len(reports) == 3
    for job in [*reports, *shinkyu]:
        ours = pdfhtml.parse_strict(job.html)
        assert ours is not None, job.name
        assert _tree(ours) == _theirs(job.html), job.name


WELL_FORMED = [
    # white space where HTML5 drops it (before the head) or moves it (after the body: to its end)
    '<!DOCTYPE html>\n<html lang="ja">\n<head>\n<meta charset="utf-8">\n<title>a &amp; b</title>\n'
    '<style>p > a { color: red }</style>\n</head>\n<body class="plan">\n<p>x&nbsp;y<br/>z<wbr>w</p>\n</body>\n</html>\n',
    '<!DOCTYPE html><html><head><title>t</title></head><body><!-- note --><div hidden data-x="&lt;&#x41;&#65;">'
    '<table><colgroup><col style="width:3mm"></colgroup>\n<thead><tr><th scope="col">h</th></tr></thead>\n'
    '<tbody>\n<tr><td>1</td></tr>\n</tbody></table></div></body></html>',
    '<!DOCTYPE html><html><head><title>t</title></head><body><ul><li>a<ul><li>b</li></ul></li></ul>'
    '<dl><dt>t</dt><dd>d</dd></dl><h2>見出し<a href="#x">リンク</a></h2></body></html>',
]


@pytest.mark.parametrize("html", WELL_FORMED)
def test_well_formed_documents_are_built_as_tinyhtml5_builds_them(html):
    ours = pdfhtml.parse_strict(html)
    assert ours is not None
    assert _tree(ours) == _theirs(html)


def _doc(body: str, head: str = "<title>t</title>") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


REPAIRED = {
    "a block closes the p": _doc("<p>a<div>b</div></p>"),
    "a row without its row group": _doc("<table><tr><td>x</td></tr></table>"),
    "text in a table": _doc("<table>text<tbody><tr><td>x</td></tr></tbody></table>"),
    "a div in a table": _doc("<table><tbody><div>x</div><tr><td>x</td></tr></tbody></table>"),
    "misnested formatting": _doc("<b><i>a</b>b</i>"),
    "a self-closed div": _doc("<div/>x"),
    "svg": _doc('<svg viewBox="0 0 1 1"><clipPath/></svg>'),
    "a comment before the html": "<!-- c -->" + _doc("x"),
    "a carriage return": _doc("a\rb"),
    "an ampersand without its semicolon": _doc('<a href="?a=1&copy=2">&copy 2020</a>'),
    "a repeated attribute": _doc('<p class="a" class="b">x</p>'),
    "a list item in a div in a list item": _doc("<ul><li>a<div><li>b</li></div></li></ul>"),
    "a heading in a heading": _doc("<h2>a<h3>b</h3></h2>"),
    "a link in a link": _doc('<a href="#a">a<a href="#b">b</a></a>'),
    "no body": "<!DOCTYPE html><html><head><title>t</title></head><p>x</p></html>",
    "a div in the head": _doc("", head="<title>t</title><div>x</div>"),
    "text after the body": _doc("x") + "y",
    "an unknown element": _doc("<marquee>x</marquee>"),
    "a pre": _doc("<pre>\ncode</pre>"),
}


@pytest.mark.parametrize("name", REPAIRED)
def test_where_html5_repairs_the_document_tinyhtml5_builds_it(name):
    html = REPAIRED[name]
    assert pdfhtml.parse_strict(html) is None
    assert _tree(pdfhtml.parse(html, namespace_html_elements=False)) == _theirs(html)


def test_installed_as_weasyprints_parser_for_the_pinned_weasyprint_only(monkeypatch):
    import weasyprint
    pdfhtml.install()
    try:
        assert tinyhtml5.parse is pdfhtml.parse
        # weasyprint.HTML(string=…) hands the string on as a StringIO: the strict builder
        # takes it, tinyhtml5 is not called (it once was, for every print job)
        calls, real = [], pdfhtml._original.original
        monkeypatch.setattr(pdfhtml._original, "original", lambda *a, **k: calls.append(a) or real(*a, **k))
        document = weasyprint.HTML(string=WELL_FORMED[0])
        assert document.etree_element.find("body").get("class") == "plan"
        assert calls == []
        monkeypatch.undo()
        # what the builder gives up on still reaches tinyhtml5 through WeasyPrint
        repaired = weasyprint.HTML(string="<p>a<div>b</div>")
        assert [e.tag for e in repaired.etree_element.find("body")] == ["p", "div"]
    finally:
        pdfhtml.uninstall()
    assert tinyhtml5.parse is not pdfhtml.parse
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with pytest.raises(RuntimeError, match="WeasyPrint 70.0"):
        pdfhtml.install()
