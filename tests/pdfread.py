"""Reading the PDFs back as a reader sees them: lines of text with their positions
(poppler's ``pdftotext -bbox-layout``, installed by ``make test`` with poppler-utils),
and link annotations with their targets (pikepdf)."""

from __future__ import annotations

import io
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pikepdf

XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Line:
    page: int  # 0-based
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True)
class Page:
    index: int
    width: float
    height: float
    lines: tuple[Line, ...]


def pages(data: bytes) -> list[Page]:
    """Every page's lines (in reading order as poppler finds them), in PDF points from the top left."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.pdf"
        path.write_bytes(data)
        out = subprocess.run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(path), "-"],
                             check=True, capture_output=True).stdout
    root = ET.fromstring(out)
    result = []
    for i, page in enumerate(root.iter(f"{XHTML}page")):
        lines = []
        for line in page.iter(f"{XHTML}line"):
            words = list(line.iter(f"{XHTML}word"))
            text = "".join(w.text or "" for w in words)
            lines.append(Line(i, float(line.get("xMin")), float(line.get("yMin")), float(line.get("xMax")),
                              float(line.get("yMax")), text))
        result.append(Page(i, float(page.get("width")), float(page.get("height")), tuple(lines)))
    return result


def page_text(page: Page) -> str:
    return "".join(l.text for l in page.lines)


@dataclass(frozen=True)
class Link:
    page: int
    kind: str  # "GoTo" (a named destination in this file), "GoToR" (another file), "URI"
    target: str  # destination name, or file#name, or the URI


def links(data: bytes) -> list[Link]:
    pdf = pikepdf.open(io.BytesIO(data))
    out = []
    for i, page in enumerate(pdf.pages):
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") != pikepdf.Name.Link:
                continue
            if "/Dest" in annot:
                dest = annot.Dest
                out.append(Link(i, "GoTo", str(dest) if not isinstance(dest, pikepdf.Array) else "(page)"))
                continue
            action = annot.get("/A")
            if action is None:
                out.append(Link(i, "none", ""))
            elif action.get("/S") == pikepdf.Name.GoTo:
                out.append(Link(i, "GoTo", str(action.D)))
            elif action.get("/S") == pikepdf.Name.GoToR:
                out.append(Link(i, "GoToR", f"{action.F}#{action.get('/D', '')}"))
            elif action.get("/S") == pikepdf.Name.URI:
                out.append(Link(i, "URI", str(action.URI)))
            else:
                out.append(Link(i, str(action.get("/S")), ""))
    return out


def destinations(data: bytes) -> dict[str, int]:
    """Named destination → 0-based page index."""
    pdf = pikepdf.open(io.BytesIO(data))
    index = {pg.obj.objgen: i for i, pg in enumerate(pdf.pages)}
    names = pdf.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return {}
    return {name: index.get(dest[0].objgen, -1) for name, dest in pikepdf.NameTree(names.Dests).items()}


def page_labels(data: bytes) -> list[str]:
    """The page label of every page (PDF 32000 12.4.2), as a viewer shows it."""
    pdf = pikepdf.open(io.BytesIO(data))
    n = len(pdf.pages)
    labels = [str(i + 1) for i in range(n)]
    tree = pdf.Root.get("/PageLabels")
    if tree is None:
        return labels
    nums = list(tree.Nums)
    ranges = [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]
    for k, (start, spec) in enumerate(ranges):
        end = ranges[k + 1][0] if k + 1 < len(ranges) else n
        prefix = str(spec.get("/P", ""))
        first = int(spec.get("/St", 1))
        for j in range(start, end):
            labels[j] = prefix + (str(first + j - start) if spec.get("/S") == pikepdf.Name.D else "")
    return labels


def body_line_reach(data: bytes, first_page: int, font_size: float, right: float, line_height: float,
                    tolerance_em: float = 0.5) -> tuple[int, int, list[Line]]:
    """Lines of body text (of *font_size*) inside a paragraph — followed on the same page by a
    line of the same size one line-height below that does not start further right (a new,
    indented paragraph) — and how many of them reach *right* within *tolerance_em* em.
    Returns (inner lines, reaching, the short ones)."""
    inner = reach = 0
    short = []
    for page in pages(data)[first_page:]:
        body = [l for l in page.lines if abs(l.height - font_size) < 0.8]
        body.sort(key=lambda l: (round(l.y0, 1), l.x0))
        for a, b in zip(body, body[1:]):
            if (abs((b.y0 - a.y0) - line_height) > 1.0 or b.x0 > a.x0 + font_size * 0.5 or a.x1 > right + 2
                    or b.text.startswith("・")):  # b starts a new paragraph or list item
                continue
            inner += 1
            if a.x1 >= right - tolerance_em * font_size:
                reach += 1
            else:
                short.append(a)
    return inner, reach, short


@dataclass(frozen=True)
class Elem:
    type: str  # structure type without the slash: "TOC", "Note", …
    path: tuple[str, ...]  # the types of its ancestors, from the Document down
    page: int  # 0-based page of /Pg, -1 when it has none
    id: str  # /ID or ""
    kids: tuple[str, ...]  # the types of its child elements


def structure(data: bytes) -> list[Elem]:
    """Every element of the structure tree (the PDF's tags), in document order."""
    pdf = pikepdf.open(io.BytesIO(data))
    index = {pg.obj.objgen: i for i, pg in enumerate(pdf.pages)}
    out: list[Elem] = []

    def kids_of(elem):
        k = elem.get("/K")
        items = k if isinstance(k, pikepdf.Array) else [k] if k is not None else []
        return [x for x in items if isinstance(x, pikepdf.Dictionary) and "/S" in x]

    def walk(elem, path):
        kind = str(elem.S)[1:]
        pg = elem.get("/Pg")
        kids = kids_of(elem)
        out.append(Elem(kind, path, index.get(pg.objgen, -1) if pg is not None else -1, str(elem.get("/ID", "")),
                        tuple(str(k.S)[1:] for k in kids)))
        for kid in kids:
            walk(kid, path + (kind,))

    for top in kids_of(pdf.Root.StructTreeRoot):
        walk(top, ())
    return out
