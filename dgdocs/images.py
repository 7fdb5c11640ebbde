"""What an image file of a figure is: PNG, JPEG or SVG only, its size, and what may be shipped.

:func:`inspect` looks at the bytes (never at the file name alone): a PNG or a JPEG is opened
and verified by Pillow (already pinned: WeasyPrint uses it) with its decompression-bomb limit
lowered to what a figure of a plan needs; an SVG is rebuilt by :mod:`dgdocs.svgsafe`.  The
result says why a file cannot be shown, in Japanese, for the check DG504.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from . import svgsafe

#: file name extensions of the figures, and the formats they must hold
TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}
ALLOWED = "PNG（.png）・JPEG（.jpg）・SVG（.svg）"
MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # 8000 × 5000: a figure never needs more; a bomb is refused before decoding


@dataclass(frozen=True)
class Inspected:
    media_type: str  # "" when unusable
    data: bytes  # what the outputs ship (b"" when unusable)
    width: int
    height: int
    problems: tuple[str, ...]


def _sniff(data: bytes) -> str:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") and b"<svg" in data[:65536]:
        return "image/svg+xml"
    return ""


def inspect(data: bytes, extension: str) -> Inspected:
    """The figure that *data* (a file named ``….{extension}``) can be, or why it cannot."""
    expected = TYPES.get(extension.lower())
    if expected is None:
        return Inspected("", b"", 0, 0, (f"拡張子「{extension or '（なし）'}」の画像は使えません（使えるのは {ALLOWED}）",))
    if len(data) > MAX_IMAGE_BYTES:
        return Inspected("", b"", 0, 0, (f"画像が大きすぎます（{len(data):,} バイト。上限 {MAX_IMAGE_BYTES:,} バイト）",))
    actual = _sniff(data)
    if actual != expected:
        what = {"image/png": "PNG", "image/jpeg": "JPEG", "image/svg+xml": "SVG"}.get(actual, "PNG・JPEG・SVG のどれでもない形式")
        return Inspected("", b"", 0, 0, (f"拡張子は {extension} ですが、中身は {what} です",))
    if actual == "image/svg+xml":
        safe = svgsafe.sanitise(data)
        return Inspected(actual if safe.data else "", safe.data, safe.width, safe.height, safe.problems)
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as im:
            width, height = im.size
            if width * height > MAX_PIXELS:
                raise Image.DecompressionBombError
            im.verify()
    except Image.DecompressionBombError:
        return Inspected("", b"", 0, 0, (f"画像の画素数が多すぎます（上限 {MAX_PIXELS:,} 画素）",))
    except Exception as exc:  # Pillow raises many kinds for a broken file
        return Inspected("", b"", 0, 0, (f"画像が壊れているため読めません（{type(exc).__name__}）",))
    return Inspected(actual, data, width, height, ())
