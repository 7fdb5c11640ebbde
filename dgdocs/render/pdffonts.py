"""One embedded font per face in a PDF put together from several WeasyPrint documents.

Each job of the plan (a chapter, the front matter, the folios) and each article of 一括版 is
a WeasyPrint document of its own, with its own subset of BIZ UD明朝 / BIZ UDゴシック.  Merged
as they are, the plan would carry one subset of each face per chapter (several times the
size of the single document).  WeasyPrint subsets with HarfBuzz keeping the glyph ids
(``HB_SUBSET_FLAGS_RETAIN_GIDS``, ``weasyprint.pdf.fonts.Font._harfbuzz_subset``), so the text
of every part refers to the glyphs by their ids in the full font: :func:`unify_fonts` gives
each face one font — the union of the parts' widths (/W) and Unicode maps (/ToUnicode), and
the full font subset to the union of their glyphs by WeasyPrint's own subsetting — and points
every page (and form) at it.

The full font is found as WeasyPrint finds it (Pango, the process's font configuration), and
is used only when subsetting it to one part's glyphs gives back exactly that part's embedded
program; otherwise that face keeps its parts' fonts (correct, only larger).  Runs in a worker
(it needs WeasyPrint).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name

_BFCHAR = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>")


@dataclass
class _Face:
    base: str  # /BaseFont, e.g. /RMKGCP+BIZ-UDMincho
    fonts: list = field(default_factory=list)  # the Type0 font dictionaries (one per part)
    widths: dict = field(default_factory=dict)  # glyph id → width
    unicode: dict = field(default_factory=dict)  # glyph id → UTF-16BE hex


def _resources(pdf: pikepdf.Pdf):
    """Every resource dictionary of the pages and of the forms they draw, each once."""
    seen: set = set()
    stack = [page.obj.get("/Resources") for page in pdf.pages]
    while stack:
        res = stack.pop()
        if res is None or not isinstance(res, Dictionary):
            continue
        key = res.objgen if res.is_indirect else id(res)
        if key in seen:
            continue
        seen.add(key)
        yield res
        for xobj in (res.get("/XObject") or {}).values():
            if xobj.get("/Subtype") == Name.Form:
                stack.append(xobj.get("/Resources"))


def _widths(w: Array) -> dict[int, float]:
    out = {}
    items = list(w)
    i = 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], Array):
            for k, value in enumerate(items[i + 1]):
                out[first + k] = float(value)
            i += 2
        else:  # c_first c_last w
            for g in range(first, int(items[i + 1]) + 1):
                out[g] = float(items[i + 2])
            i += 3
    return out


def _w_array(widths: dict[int, float]) -> Array:
    out, run, last = [], None, None
    for g in sorted(widths):
        value = widths[g]
        value = int(value) if float(value).is_integer() else value
        if last is None or g != last + 1:
            run = []
            out.extend([g, run])
        run.append(value)
        last = g
    return Array([Array(x) if isinstance(x, list) else x for x in out])


def _to_unicode_stream(pdf: pikepdf.Pdf, unicode: dict[int, str]) -> pikepdf.Stream:
    """A ToUnicode CMap as WeasyPrint writes it (``build_fonts_dictionary``)."""
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap", b"/CIDSystemInfo",
             b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0", b">> def",
             b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def", b"1 begincodespacerange",
             b"<0000> <ffff>", b"endcodespacerange"]
    items = sorted(unicode.items())
    for i in range(0, len(items), 100):
        batch = items[i:i + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [f"<{g:04x}> <{u}>".encode() for g, u in batch]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return pikepdf.Stream(pdf, b"\n".join(lines))


def _program(font: Dictionary) -> pikepdf.Stream | None:
    desc = font.DescendantFonts[0].get("/FontDescriptor")
    return desc.get("/FontFile2") if desc is not None else None


_FULL: dict[tuple[str, int], object] = {}


def _weasyprint_font(family: str, weight: int):
    """WeasyPrint's Font object for the face (the full font, as its layout found it)."""
    key = (family, weight)
    if key not in _FULL:
        from weasyprint.pdf.fonts import Font
        from weasyprint.text.ffi import ffi, gobject, pango
        from weasyprint.text.fonts import get_font_description, get_pango_font_key

        from .pdfwriter import font_config
        style = {"font_family": (family,), "font_style": "normal", "font_stretch": "normal", "font_weight": weight,
                 "font_size": 10, "font_variant_caps": "normal", "font_variation_settings": "normal"}
        fm = font_config().font_map
        context = ffi.gc(pango.pango_font_map_create_context(fm), gobject.g_object_unref)
        pango_font = pango.pango_font_map_load_font(fm, context, get_font_description(style))
        _FULL[key] = None if pango_font == ffi.NULL else (Font, pango_font, get_pango_font_key(pango_font))
    return _FULL[key]


def _subset(face: _Face, family: str) -> bytes | None:
    """The full font of *face* subset to the union of its parts' glyphs, or None when the full
    font found is not the one the parts were subset from."""
    from .pdfsubset import install
    install()
    weight = 700 if face.base.endswith("-Bold") else 400
    found = _weasyprint_font(family, weight)
    if found is None:
        return None
    Font, pango_font, (_, description, size) = found

    def subset(gids) -> tuple[bytes, bytes]:
        font = Font(pango_font, description, size)
        font.clean({g: "" for g in gids}, False)
        return font.name.decode(), font.file_content

    sample = face.fonts[0]
    program = _program(sample)
    if program is None:
        return None
    # the glyphs of every font dictionary that shares the sample's program (WeasyPrint may
    # write several for one font file, and subsets the file to all of their glyphs)
    sample_gids = set()
    for font in face.fonts:
        if _program(font) is not None and _program(font).objgen == program.objgen:
            sample_gids |= set(_widths(font.DescendantFonts[0].W))
    name, data = subset(sample_gids)
    if name != face.base or data != program.read_bytes():
        return None
    return subset(set(face.widths))[1]


def unify_fonts(pdf: pikepdf.Pdf) -> int:
    """Give every face one font in *pdf* (see the module's doc); returns how many fonts went."""
    faces: dict[str, _Face] = {}
    for res in _resources(pdf):
        for font in (res.get("/Font") or {}).values():
            if font.get("/Subtype") != Name.Type0 or font.get("/Encoding") != Name("/Identity-H"):
                continue
            face = faces.setdefault(str(font.BaseFont), _Face(str(font.BaseFont)))
            if all(f.objgen != font.objgen for f in face.fonts):
                face.fonts.append(font)
    removed = 0
    for face in faces.values():
        if len(face.fonts) < 2:
            continue
        for font in face.fonts:
            for g, w in _widths(font.DescendantFonts[0].W).items():
                face.widths.setdefault(g, w)
            for g, u in _BFCHAR.findall(font.ToUnicode.read_bytes()):
                face.unicode.setdefault(int(g, 16), u.decode().lower())
        first = face.fonts[0]
        family = str(first.DescendantFonts[0].FontDescriptor.FontFamily)
        data = _subset(face, family)
        if data is None:
            continue
        descendant = first.DescendantFonts[0]
        desc = Dictionary({k: v for k, v in descendant.FontDescriptor.items()})
        desc.FontFile2 = pikepdf.Stream(pdf, data)
        desc.FontFile2.Length1 = len(data)
        bbox = list(desc.FontBBox)
        desc.FontBBox = Array([bbox[0], bbox[1], max(face.widths.values()), bbox[3]])
        flags = int(desc.Flags) & ~1
        if len(face.widths) > 1 and len(set(face.widths.values())) == 1:
            flags |= 1  # FixedPitch, as WeasyPrint sets it
        desc.Flags = flags
        cid = Dictionary({k: v for k, v in descendant.items()})
        cid.W = _w_array(face.widths)
        cid.FontDescriptor = pdf.make_indirect(desc)
        new = Dictionary({k: v for k, v in first.items()})
        new.DescendantFonts = Array([pdf.make_indirect(cid)])
        new.ToUnicode = _to_unicode_stream(pdf, face.unicode)
        new = pdf.make_indirect(new)
        olds = {f.objgen for f in face.fonts}
        for res in _resources(pdf):
            fonts = res.get("/Font")
            if fonts is None:
                continue
            for key in list(fonts.keys()):
                if fonts[key].objgen in olds:
                    fonts[key] = new
        removed += len(face.fonts) - 1
    return removed

