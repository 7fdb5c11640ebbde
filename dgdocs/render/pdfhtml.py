"""The print HTML parsed by the standard library's tokenizer, into the tree tinyhtml5 gives.

WeasyPrint 70 parses every document with tinyhtml5, an HTML5 parser written in Python: 0.1 s
for the KPI一覧's 40 KB, ≈ 0.5 s of CPU for the plan's chapters, appendices and front matter.
The print HTML is dgdocs' own output (templates/print, the Markdown renderer): every element
closed, tables with their row groups, nothing for an HTML5 parser to repair.  For such a
document, the tree is what a strict builder over ``html.parser``'s tokens (C-accelerated
regular expressions) makes — ≈ 6 × faster.

:func:`parse` builds that tree and gives up (``None``: tinyhtml5 parses the document, as
before) at anything where HTML5's tree construction would do more than put elements in each
other — an end tag that is not the open element's, an element that closes a ``p`` or is
moved out of a table, text in a table, a tag it does not know, foreign content (SVG, MathML),
a comment outside the body, a carriage return, a NUL, an ``&`` that is not a complete
character reference, a repeated attribute.  Where it builds, the tree is tinyhtml5's, element
for element, attribute for attribute, text for text (tests/test_pdf_html.py compares them
on every print job of the plan and on the documents it must refuse).  :func:`install`
refuses another WeasyPrint than the one tested.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from .weasypatch import Patch

_original = Patch(__name__, "tinyhtml5", "parse")

VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
#: what may stand in a p (HTML5 closes an open p at any other start tag)
PHRASING = frozenset("a abbr b bdi bdo br cite code data dfn em i img kbd mark q rp rt ruby s samp small span "
                     "strong sub sup time u var wbr del ins".split())
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_IN_HEAD = frozenset("title meta link style base".split())
_TABLE_CONTEXT = frozenset("table thead tbody tfoot tr colgroup".split())
#: every element it builds; anything else goes to tinyhtml5
KNOWN = VOID | PHRASING | _HEADINGS | frozenset(
    "html head title style body article section header footer nav aside main div p figure figcaption "
    "blockquote ul ol li dl dt dd table caption colgroup thead tbody tfoot tr th td".split())
#: the parents an element must have where HTML5 would otherwise add or move one
_PARENTS = {"tr": {"thead", "tbody", "tfoot"}, "td": {"tr"}, "th": {"tr"}, "col": {"colgroup"},
            "thead": {"table"}, "tbody": {"table"}, "tfoot": {"table"}, "colgroup": {"table"}, "caption": {"table"},
            "li": {"ul", "ol"}, "dt": {"dl"}, "dd": {"dl"}}
_BAD_AMPERSAND = re.compile(r"&(?![A-Za-z][A-Za-z0-9]*;|#[0-9]+;|#[xX][0-9A-Fa-f]+;)")
_SPACE = re.compile(r"[ \t\n\f]*")


class _GiveUp(Exception):
    pass


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root: ET.Element | None = None
        self.stack: list[ET.Element] = []
        self.mode = "start"  # start, html, head, after-head, body, after-body, after-html
        self.body: ET.Element | None = None

    # -- text goes where HTML5 puts it: the text of the open element, or the tail of its last child
    def _append(self, parent: ET.Element, text: str) -> None:
        if len(parent):
            last = parent[-1]
            last.tail = (last.tail or "") + text
        else:
            parent.text = (parent.text or "") + text

    def handle_data(self, data: str) -> None:
        blank = _SPACE.fullmatch(data) is not None
        mode = self.mode
        if mode in ("start", "html"):
            if not blank:
                raise _GiveUp("text before the head")
            return  # (HTML5 drops white space before <head>)
        if mode == "after-head":
            if not blank:
                raise _GiveUp("text between head and body")
            self._append(self.root, data)
            return
        if mode in ("after-body", "after-html"):
            if not blank:
                raise _GiveUp("text after the body")
            self._append(self.body, data)  # (HTML5 puts it at the body's end)
            return
        top = self.stack[-1]
        if top.tag in _TABLE_CONTEXT and not blank:
            raise _GiveUp("text in a table")
        self._append(top, data)

    def handle_starttag(self, tag: str, attrs) -> None:
        self._start(tag, attrs)
        if tag in VOID:
            self.stack.pop()

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag not in VOID:
            raise _GiveUp(f"<{tag}/>")  # (HTML5 ignores the slash: the element stays open)
        self._start(tag, attrs)
        self.stack.pop()

    def _start(self, tag: str, attrs) -> None:
        if tag not in KNOWN:
            raise _GiveUp(f"<{tag}>")
        attrib = {}
        for name, value in attrs:
            if name in attrib:
                raise _GiveUp("a repeated attribute")
            attrib[name] = "" if value is None else value
        mode = self.mode
        if tag == "html":
            if mode != "start":
                raise _GiveUp("a second <html>")
            self.root = ET.Element(tag, attrib)
            self.stack = [self.root]
            self.mode = "html"
            return
        if tag == "head":
            if mode != "html":
                raise _GiveUp("<head> out of place")
            self.mode = "head"
        elif tag == "body":
            if mode != "after-head":
                raise _GiveUp("<body> out of place")
            self.mode = "body"
        elif mode == "head" and tag not in _IN_HEAD:
            raise _GiveUp(f"<{tag}> in the head")  # (HTML5 ends the head there)
        elif mode not in ("head", "body"):
            raise _GiveUp(f"<{tag}> outside the head and the body")
        parent = self.stack[-1]
        wanted = _PARENTS.get(tag)
        if wanted is not None and parent.tag not in wanted:
            raise _GiveUp(f"<{tag}> in <{parent.tag}>")
        if parent.tag in _TABLE_CONTEXT and tag not in ("thead", "tbody", "tfoot", "tr", "td", "th", "col", "colgroup",
                                                         "caption", "style"):
            raise _GiveUp(f"<{tag}> in <{parent.tag}>")  # (HTML5 moves it out of the table)
        if tag not in PHRASING and any(e.tag == "p" for e in self.stack):
            raise _GiveUp(f"<{tag}> in a p")
        if tag in _HEADINGS and parent.tag in _HEADINGS:
            raise _GiveUp("a heading in a heading")
        if tag == "a" and any(e.tag == "a" for e in self.stack):
            raise _GiveUp("a link in a link")
        element = ET.SubElement(parent, tag, attrib)
        if tag == "body":
            self.body = element
        self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            raise _GiveUp(f"</{tag}>")
        if not self.stack or self.stack[-1].tag != tag:
            raise _GiveUp(f"</{tag}> closing <{self.stack[-1].tag if self.stack else ''}>")
        if tag == "head":
            self.mode = "after-head"
        elif tag == "body":
            self.mode = "after-body"
        elif tag == "html":
            if self.mode != "after-body":
                raise _GiveUp("</html> before </body>")
            self.mode = "after-html"
            self.stack.pop()
            return
        self.stack.pop()

    def handle_comment(self, data: str) -> None:
        if self.mode != "body":
            raise _GiveUp("a comment outside the body")
        if "--" in data or data.startswith(">") or data.startswith("->") or data.endswith("-"):
            raise _GiveUp("an odd comment")
        comment = ET.Comment(data)
        self.stack[-1].append(comment)

    def handle_decl(self, decl: str) -> None:
        if self.mode != "start" or decl.lower() != "doctype html":
            raise _GiveUp(f"<!{decl}>")

    def unknown_decl(self, data: str) -> None:
        raise _GiveUp("<![…]>")

    def handle_pi(self, data: str) -> None:
        raise _GiveUp("<?…>")


def parse_strict(html: str) -> ET.Element | None:
    """The tree of *html* as tinyhtml5 builds it (``namespace_html_elements=False``), or None
    where building it would take more than putting elements in each other."""
    if "\r" in html or "\0" in html or _BAD_AMPERSAND.search(html):
        return None
    builder = _Builder()
    try:
        builder.feed(html)
        builder.close()
    except _GiveUp:
        return None
    if builder.mode != "after-html" or builder.rawdata:
        return None
    return builder.root


def parse(document, namespace_html_elements=True, **kwargs):
    """``tinyhtml5.parse``: a print document WeasyPrint is given as a string (which
    ``weasyprint.HTML(string=…)`` hands on as a ``StringIO`` at its start) by the strict
    builder, anything else (or what it gives up on) by tinyhtml5."""
    if isinstance(document, io.StringIO) and document.tell() == 0:
        text = document.getvalue()
    else:
        text = document if isinstance(document, str) else None
    if text is not None and not namespace_html_elements and not kwargs:
        tree = parse_strict(text)
        if tree is not None:
            return tree
    if _original.original is None:  # (not installed: tinyhtml5's own is where it was)
        import tinyhtml5
        return tinyhtml5.parse(document, namespace_html_elements=namespace_html_elements, **kwargs)
    return _original(document, namespace_html_elements=namespace_html_elements, **kwargs)


def install() -> None:
    _original.install(parse)


def uninstall() -> None:
    _original.uninstall()
