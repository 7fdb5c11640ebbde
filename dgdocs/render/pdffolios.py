"""The folios of the plan's chapter pages, made from a sample instead of laid out page by page.

A folio page (templates/print/folios.html) is a blank page whose @bottom-center box holds its
number: WeasyPrint writes one line of text there, ``x y Tm /font size Tf [<glyph>k …] TJ``,
and nothing else differs from one folio page to the next but *x* (the number is centred)
and the glyphs.  Laying out the 37 folio pages of the plan took WeasyPrint ≈ 0.35 s, after
the front matter (their numbers start after its pages), on the way to honbun.pdf.

:data:`SAMPLE` lays out three folio pages once — 1234567890 (every digit), 7 and 41 —
in a job that depends on nothing (it runs first, and is reused as long as the CSS and the
code are the same); :func:`compose` makes any folio pages from it: the sample's page with
the glyphs of the number's digits and *x* moved by half the difference of the widths (the
font's own widths, /W).  It checks its own answer against the sample's two other numbers
and refuses (:class:`SampleError`) a sample that is not one line of text of single glyphs
without kerning, or whose pages differ elsewhere (a stylesheet with @page :left/:right
folios, a font with ligatures or kerned digits …); the folios are then laid out by
WeasyPrint, as before (dgdocs.render.pdfplan).
"""

from __future__ import annotations

import io
import re

#: (page of the sample document, the number printed on it): every digit on a page that is not
#: the first (as no chapter page is), and two numbers of other widths to check the centring by
SAMPLE = ((1, 7), (2, 1234567890), (3, 41))
_MODEL = 1  # the page of every digit
_TEXT = re.compile(rb"\nBT\n1 0 0 -1 (?P<x>-?[0-9.]+) (?P<y>-?[0-9.]+) Tm\n(?P<font>/[^\s/]+) (?P<size>[0-9.]+) Tf\n"
                   rb"\[(?P<glyphs>[^\]]*)\] TJ\nET\n")
_GLYPH = re.compile(rb"<([0-9a-f]{4})>0")
_TOLERANCE = 0.01  # of a CSS px (1/96 in): the numbers' positions as WeasyPrint computes them


class SampleError(ValueError):
    """The sample's folios are not of the one form :func:`compose` makes."""


def _number(x: float) -> bytes:
    """A coordinate as pydyf writes a float."""
    return str(int(x)).encode() if float(x).is_integer() else f"{x:f}".rstrip("0").encode()


class _Sample:
    def __init__(self, data: bytes):
        import pikepdf  # (in the worker that puts the plan together; the build imports only SAMPLE)
        self.pdf = pikepdf.open(io.BytesIO(data))
        if len(self.pdf.pages) != len(SAMPLE):
            raise SampleError(f"{len(self.pdf.pages)} sample pages")
        self.streams, self.lines = [], []
        for page in self.pdf.pages:
            contents = page.obj.get("/Contents")
            if not isinstance(contents, pikepdf.Stream):
                raise SampleError("a page of several content streams")
            stream = contents.read_bytes()
            found = list(_TEXT.finditer(stream))
            if len(found) != 1:
                raise SampleError(f"{len(found)} lines of text on a folio page")
            self.streams.append(stream)
            self.lines.append(found[0])
        first = self.lines[_MODEL]
        self.font, self.size = first["font"], float(first["size"])
        digits = str(SAMPLE[_MODEL][1])
        glyphs = _GLYPH.findall(first["glyphs"])
        if b"".join(b"<%s>0" % g for g in glyphs) != first["glyphs"] or len(glyphs) != len(digits):
            raise SampleError("not one glyph a digit, without kerning")
        self.glyph = dict(zip(digits, glyphs))
        if len(set(self.glyph.values())) != 10:
            raise SampleError("two digits with one glyph")
        fonts = self.pdf.pages[_MODEL].obj.Resources.Font
        font = fonts.get(self.font.decode())
        if font is None:
            raise SampleError("the folio's font is not the page's")
        from .pdffonts import _widths
        described = font.DescendantFonts[0]
        widths = _widths(described.get("/W", pikepdf.Array()))
        default = float(described.get("/DW", 1000))
        self.advance = {d: widths.get(int(g, 16), default) * self.size / 1000 for d, g in self.glyph.items()}
        self.x, self.y = float(first["x"]), first["y"]
        if len(set(self.advance.values())) == 1:
            # digits of one width (as in Japanese fonts): that width as WeasyPrint placed them
            # (Pango's, a little off the font's /W), from the sample's one-digit number
            one = next(i for i, (_, n) in enumerate(SAMPLE) if len(str(n)) == 1)
            advance = (float(self.lines[one]["x"]) - self.x) / ((len(digits) - 1) / 2)
            self.advance = dict.fromkeys(self.advance, advance)
        self.width = self.width_of(digits)
        # the others: the same page but for the number's glyphs and position
        for i, ((_, number), stream, line) in enumerate(zip(SAMPLE, self.streams, self.lines)):
            if i != _MODEL and self._stream(number, line) != stream:
                raise SampleError(f"the sample's folio {number} is not where its width puts it")

    def width_of(self, digits: str) -> float:
        return sum(self.advance[d] for d in digits)

    def _stream(self, number: int, line=None) -> bytes:
        """The content stream of folio *number*: the sample's page, its text replaced.  *line*:
        compare the position with the one WeasyPrint gave (and return that page's stream)."""
        digits = str(number)
        x = self.x + (self.width - self.width_of(digits)) / 2
        template, at = self.streams[_MODEL], self.lines[_MODEL]
        if line is not None:
            if abs(float(line["x"]) - x) > _TOLERANCE or line["y"] != self.y or line["font"] != self.font \
                    or float(line["size"]) != self.size:
                return b""
            x = float(line["x"])
        text = (b"\nBT\n1 0 0 -1 " + _number(x) + b" " + self.y + b" Tm\n" + self.font + b" " + at["size"] + b" Tf\n["
                + b"".join(b"<%s>0" % self.glyph[d] for d in digits) + b"] TJ\nET\n")
        return template[:at.start()] + text + template[at.end():]


def compose(sample: bytes, first: int, count: int) -> "pikepdf.Pdf":
    """*count* folio pages numbered from *first*, made from the laid-out *sample*; raises
    :class:`SampleError` where the sample is not of the form this makes."""
    if first < 0 or count < 0:
        raise ValueError(f"folios {first}…{first + count - 1}")
    import pikepdf
    s = _Sample(sample)
    out = pikepdf.new()
    for number in range(first, first + count):
        out.pages.append(s.pdf.pages[_MODEL])  # (its resources copied once, shared by every copy)
        out.pages[-1].obj.Contents = pikepdf.Stream(out, s._stream(number))
    return out
