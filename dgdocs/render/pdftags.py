"""PDF/UA structure types WeasyPrint 70 does not give: the table of contents and footnotes.

WeasyPrint builds the structure tree from the laid-out boxes (``weasyprint.pdf.tags``
``_build_box_tree``) with one structure type per HTML element name: ``nav`` → NonStruct,
``ul``/``li`` → L/LI (+ LBody), and a footnote (``<span class="footnote">``, floated into
the footnote area) → Span, its call (``::footnote-call``) → NonStruct.  A reader of a tagged
PDF then meets the table of contents as a plain list and a footnote as an anonymous span.
ISO 32000-1 14.8.4 has the types for them, and PDF/UA-1 7.9 asks footnotes to be tagged Note
(with an ID):

* the TOC's ``ul`` (class ``toc-list``) → **TOC**, each ``li`` → **TOCI**, its body (LBody)
  → **Reference** (it holds the Link to the heading);
* a footnote (class ``footnote``) → **Note**, with ``/ID`` ``fn-<number>-<page>`` (unique in the
  file); its call → **Reference**; its marker 「（注1）」 → **Lbl**.

Element IDs (a footnote's, and those WeasyPrint gives table header cells, ``N-i-j`` with N
an object number of its own file) start with :data:`ID_PREFIX`, set per job, so that they
stay unique in a PDF put together from several jobs (the plan, 一括版).

The mapping is decided on the box (its element's class), after WeasyPrint made the element,
so everything else of the tree — marked content, parent tree, links — stays WeasyPrint's.
:func:`install` wraps ``_build_box_tree`` (it calls itself through the module's global name,
so the wrapper sees every box); it refuses another WeasyPrint version than the one tested
(tests/test_pdf_tags.py reads the tags back from the PDFs).
"""

from __future__ import annotations

from .weasypatch import Patch

_original = Patch(__name__, "weasyprint.pdf.tags", "_build_box_tree")  # the WeasyPrint function this layer wraps

#: the prefix of every element ID of the PDF being written (the job's name; see render_job)
ID_PREFIX = ""


def _classes(box) -> set[str]:
    element = getattr(box, "element", None)
    if element is None:
        return set()
    return set((element.get("class") or "").split())


def _retag(box, element) -> None:
    """Give *element* (the structure element WeasyPrint made for *box*) its proper type."""
    import pydyf

    s = element.get("S")
    tag = getattr(box, "element_tag", None) or ""
    if tag.endswith("::footnote-call"):
        element["S"] = "/Reference"
        return
    if tag.endswith("::footnote-marker"):
        element["S"] = "/Lbl"
        return
    classes = _classes(box)
    if not classes:
        return
    if "toc-list" in classes and s == "/L":
        element["S"] = "/TOC"
    elif "toc-entry" in classes and s in ("/LI", "/LBody"):
        element["S"] = "/TOCI" if s == "/LI" else "/Reference"
    elif "footnote" in classes and not tag.endswith("::marker") and s not in ("/Reference", "/Lbl"):
        element["S"] = "/Note"
        number = box.element.get("data-fn") or ""
        element["ID"] = pydyf.String(f"{ID_PREFIX}fn-{number}-{element.number}")


def _prefix_table_ids(box) -> None:
    """Put :data:`ID_PREFIX` before the IDs WeasyPrint gave the header cells of the table *box*
    and before the same IDs in its cells' /Headers."""
    import pydyf

    def cells(b):
        for child in getattr(b, "children", ()):
            mark = getattr(child, "mark", None)
            if mark is not None:
                yield mark
            else:
                yield from cells(child)

    for mark in cells(box):
        if "ID" in mark and not mark["ID"].string.startswith(ID_PREFIX):
            mark["ID"] = pydyf.String(ID_PREFIX + mark["ID"].string)
        headers = mark.get("A", {}).get("Headers") if isinstance(mark.get("A"), dict) else None
        if headers:
            mark["A"]["Headers"] = pydyf.Array(
                [h if h.string.startswith(ID_PREFIX) else pydyf.String(ID_PREFIX + h.string) for h in headers])


def _build_box_tree(box, parent, pdf, page_number, nums, annotations, tags):
    html_or_page = getattr(box, "element_tag", None) in ("html", "body") or type(box).__name__ == "PageBox"
    for element in _original(box, parent, pdf, page_number, nums, annotations, tags):
        if not html_or_page and element.get("P") == parent.reference or element.get("S") == "/LBody":
            _retag(box, element)
            if ID_PREFIX and element.get("S") == "/Table":
                _prefix_table_ids(box)
        yield element


def install() -> None:
    """Put the mapping in place in this process (idempotent)."""
    _original.install(_build_box_tree)


def uninstall() -> None:
    _original.uninstall()
