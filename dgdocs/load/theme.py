"""plan.yaml's ``theme`` and ``contact``: how the organisation's site and PDFs look, and whom
a reader asks.

* Colours are ``#rrggbb`` and must meet WCAG 2.x AA for text: the accent against white and
  against its own tinted background (contrast ≥ 4.5:1) — a ministry's site is published under
  JIS X 8341-3 AA, and a colour an editor picks must not break it.
* The logo is a file of ``content/`` (PNG, JPEG or SVG, at most 512 KB), read through the
  same confined reader as everything else.  An SVG is refused — never "cleaned" — when it
  holds anything active or external: a script, an event handler, ``foreignObject``, a
  DOCTYPE or entity, a link or style that leaves the file (only ``#id`` references).
* The print body font is one of the BIZ UD family (``mincho`` or ``gothic``): every Japanese
  glyph of the PDFs comes from the intended font.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..model import Asset, Contact, Loc, Theme
from ..yamlsrc import YNode
from .fields import Field, Spec
from .files import Context, read_bytes

COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
MAX_LOGO_BYTES = 512 * 1024
MEDIA_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
FONTS = ("mincho", "gothic")
MIN_CONTRAST = 4.5

DEFAULT = Theme()
THEME = Spec("theme", "theme", [
    Field("accent", str, default=DEFAULT.accent), Field("accent_bg", str, default=DEFAULT.accent_bg),
    Field("logo", str, default=""), Field("print_font", str, default=DEFAULT.print_font),
])
CONTACT = Spec("contact（問い合わせ先）", "contact", [
    Field("name", str, required=True, default=""), Field("phone", str, default=""), Field("email", str, default=""),
    Field("url", str, default=""), Field("note", str, default=""),
])


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """The WCAG 2.x contrast ratio of two ``#rrggbb`` colours (1 … 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def read_theme(ctx: Context, node: YNode | None) -> Theme:
    if node is None:
        return DEFAULT
    r = ctx.r
    m = THEME.mapping(r, node)
    if m is None:
        return DEFAULT
    v = THEME.values(r, m)
    colours = {}
    for key in ("accent", "accent_bg"):
        value = v[key]
        if not COLOUR.fullmatch(value):
            ctx.err("DG004", m[key].loc, f"theme の {key}「{value}」は色として使えません。",
                    "「#00458f」のように、# と16進数6桁で書いてください。")
            value = getattr(DEFAULT, key)
        colours[key] = value.lower()
    for key, against, name in (("accent", "#ffffff", "白地"), ("accent", colours["accent_bg"], "accent_bg の地")):
        ratio = contrast(colours[key], against)
        if ratio < MIN_CONTRAST:
            loc = m[key].loc if key in m else node.loc
            ctx.err("DG004", loc, f"theme の accent（{colours[key]}）は{name}の上でコントラストが {ratio:.2f}:1 です（4.5:1 以上が必要）。",
                    "JIS X 8341-3 AA（WCAG 2.x の 1.4.3）を満たすよう、より濃い色にしてください。")
    font = v["print_font"]
    if font not in FONTS:
        ctx.err("DG004", m["print_font"].loc, f"theme の print_font「{font}」は使えません。",
                "mincho（BIZ UD明朝）か gothic（BIZ UDゴシック）を書いてください。")
        font = DEFAULT.print_font
    logo = read_logo(ctx, v["logo"], m["logo"].loc) if v["logo"] else None
    return Theme(accent=colours["accent"], accent_bg=colours["accent_bg"], logo=logo, print_font=font)


def read_contact(ctx: Context, node: YNode | None) -> Contact | None:
    if node is None:
        return None
    values = CONTACT.read(ctx.r, node)
    if values is None or not values["name"]:
        return None
    for key in ("email", "url"):
        value = values[key]
        if key == "email" and value and not re.fullmatch(r"[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}", value):
            ctx.err("DG004", node.value[key].loc, f"contact の email「{value}」はメールアドレスの形ではありません。",
                    "例: info@example.go.jp")
            values[key] = ""
        if key == "url" and value and not re.fullmatch(r"https://[^\s<>\"']+", value):
            ctx.err("DG004", node.value[key].loc, f"contact の url「{value}」は https:// で始まる URL ではありません。",
                    "例: https://www.example.go.jp/contact/")
            values[key] = ""
    return Contact(loc=node.loc, **values)


# ------------------------------------------------------------------ the logo

_ACTIVE = {"script", "foreignobject", "iframe", "embed", "object", "audio", "video", "animate", "set",
           "animatemotion", "animatetransform", "handler", "listener"}


def svg_problem(data: bytes) -> str:
    """Why an SVG logo cannot be published as it is ("" when it can)."""
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        return "DOCTYPE や ENTITY の宣言があります"
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return f"SVG として読めません（{exc}）"
    if not root.tag.endswith("}svg") and root.tag != "svg":
        return "SVG ではありません（最上位の要素が svg ではありません）"
    for el in root.iter():
        name = el.tag.rsplit("}", 1)[-1].lower()
        if name in _ACTIVE:
            return f"使えない要素 <{name}> があります"
        if name == "style" and re.search(r"@import|url\s*\(\s*['\"]?(?!#)", el.text or "", re.I):
            return "style の中に外部の参照があります"
        for attr, value in el.attrib.items():
            a = attr.rsplit("}", 1)[-1].lower()
            if a.startswith("on"):
                return f"イベント属性 {a} があります"
            if a in ("href", "src") and not value.startswith("#"):
                return f"外部への参照 {a}=\"{value[:40]}\" があります"
            if re.search(r"url\s*\(\s*['\"]?(?!#)", value, re.I) or "javascript:" in value.lower():
                return f"属性 {a} に外部への参照があります"
    return ""


def read_logo(ctx: Context, rel: str, where: Loc) -> Asset | None:
    suffix = "." + rel.rsplit(".", 1)[-1].lower() if "." in rel else ""
    if suffix not in MEDIA_TYPES:
        ctx.err("DG004", where, f"ロゴ「{rel}」は PNG・JPEG・SVG のいずれかにしてください。",
                "拡張子 .png / .jpg / .svg のファイルを content/ に置きます。")
        return None
    data = read_bytes(ctx, rel, where, MAX_LOGO_BYTES)
    if data is None:
        return None
    magic = {".png": data.startswith(b"\x89PNG\r\n\x1a\n"), ".jpg": data.startswith(b"\xff\xd8\xff"),
             ".jpeg": data.startswith(b"\xff\xd8\xff"), ".svg": True}[suffix]
    if not magic:
        ctx.err("DG004", where, f"ロゴ「{rel}」の中身が拡張子（{suffix}）の形式ではありません。",
                "画像を正しい形式で保存し直してください。")
        return None
    if suffix == ".svg":
        problem = svg_problem(data)
        if problem:
            ctx.err("DG004", where, f"ロゴ「{rel}」は公開できません: {problem}。",
                    "スクリプト・外部参照のない SVG にするか、PNG で書き出してください（自動では直しません）。")
            return None
    return Asset(path=rel, data=data, media_type=MEDIA_TYPES[suffix])
