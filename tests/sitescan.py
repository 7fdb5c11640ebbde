"""A small reader of the generated HTML for the site tests (standard library parser).

:func:`scan` returns every element with its attributes and the text of headings, so that
tests can ask about scripts, styles, links, ids, headings and table headers without a
browser.  The browser-based validators (axe-core, the Nu Html Checker) are in
test_site_validators.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    line: int
    text: str = ""
    ancestors: tuple[str, ...] = ()  # tags of the open elements around it
    hidden: bool = False  # inside aria-hidden="true" or role="img" (not exposed as is)


@dataclass
class Page:
    elements: list[Element] = field(default_factory=list)
    script_text: list[str] = field(default_factory=list)  # text inside <script> elements
    style_text: list[str] = field(default_factory=list)  # text inside <style> elements

    def find(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    def ids(self) -> list[str]:
        return [e.attrs["id"] for e in self.elements if "id" in e.attrs]

    def headings(self) -> list[tuple[int, str, Element]]:
        out = []
        for e in self.elements:
            if e.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                out.append((int(e.tag[1]), e.text.strip(), e))
            elif e.attrs.get("role") == "heading":
                out.append((int(e.attrs.get("aria-level", "2")), e.text.strip(), e))
        return out

    def urls(self) -> list[tuple[str, str, str, Element]]:
        """(tag, attribute, value, element) of every URL-valued attribute."""
        out = []
        for e in self.elements:
            for attr in ("href", "src", "action", "formaction", "data", "poster", "srcset", "xlink:href", "background"):
                if attr in e.attrs:
                    out.append((e.tag, attr, e.attrs[attr], e))
        return out


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[tuple[str, Element]] = []
        self.capture: list[Element] = []  # headings whose text is collected

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        hidden = any(el.hidden for _, el in self.stack) or a.get("aria-hidden") == "true" or a.get("role") == "img"
        el = Element(tag, a, self.getpos()[0], ancestors=tuple(t for t, _ in self.stack), hidden=hidden)
        self.page.elements.append(el)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") or a.get("role") == "heading":
            self.capture.append(el)
        if tag not in VOID:
            self.stack.append((tag, el))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                el = self.stack[i][1]
                del self.stack[i:]
                if el in self.capture:
                    self.capture.remove(el)
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] == "script":
            self.page.script_text.append(data)
        if self.stack and self.stack[-1][0] == "style":
            self.page.style_text.append(data)
        for el in self.capture:
            el.text += data


def scan(html: str | bytes) -> Page:
    if isinstance(html, bytes):
        html = html.decode("utf-8")
    p = _Parser()
    p.feed(html)
    p.close()
    return p.page
