"""SVG made safe to publish: the drawing rebuilt from an allow-list, and a list of what was not safe.

A figure's SVG comes from ``content/`` (any pull request), and the site and the PDFs ship it.
:func:`sanitise` parses it with a hardened parser (no entities resolved, no DTD loaded, no
network, no huge trees) and copies into a **new** tree only the SVG elements and attributes
of :data:`ELEMENTS` and :data:`ATTRIBUTES` — static drawing, text, gradients, clipping,
masks, markers, filters.  Everything else is left behind:

* reported (``problems``, DG504) — scripts, ``foreignObject``, animation, event handlers
  (``on…``), every reference that leads out of the file (``href``, ``url(…)``, ``@import``,
  ``<?xml-stylesheet?>``), CSS that could hide one (escapes), entity declarations, SVG
  elements not in the list;
* dropped without a word — comments, ``<metadata>``, the DOCTYPE, and the elements and
  attributes of other namespaces (an editor's own, such as Inkscape's ``sodipodi:``), which
  no renderer draws; ``<a>`` is unwrapped (its drawing kept: a link inside an image never works).

Why our own allow-list and not a library: Python has no well-kept SVG sanitiser — bleach is
deprecated, nh3 (ammonia) and justhtml sanitise HTML and drop SVG entirely, the small
``svg-sanitizer`` ports are unmaintained — while a rebuild from a short allow-list fails
closed (what it does not know does not pass), is easy to review, and uses lxml, which the
project already pins (through pikepdf).  The allow-list follows DOMPurify's SVG profile.

Imports nothing of ours (layer 0).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

MAX_ELEMENTS = 50_000

#: drawing elements (SVG 1.1 / 2, static)
ELEMENTS = frozenset("""
svg g defs symbol use title desc switch
path rect circle ellipse line polyline polygon
text tspan textPath
linearGradient radialGradient stop pattern clipPath mask marker
image style
filter feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting
feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur
feMerge feMergeNode feMorphology feOffset fePointLight feSpecularLighting feSpotLight feTile feTurbulence
""".split())

#: elements whose presence is a risk, reported by name
DANGEROUS = frozenset("""
script foreignObject iframe embed object handler listener animate animateColor animateMotion
animateTransform set discard
""".split())

#: dropped silently: they draw nothing
SILENT = frozenset({"metadata"})

#: presentation and geometry attributes (no namespace), after DOMPurify's SVG list
ATTRIBUTES = frozenset("""
id class style lang tabindex version viewBox preserveAspectRatio width height x y x1 x2 y1 y2 cx cy r rx ry fx fy fr
d points pathLength transform dx dy rotate textLength lengthAdjust startOffset method spacing side
fill fill-opacity fill-rule stroke stroke-width stroke-opacity stroke-linecap stroke-linejoin stroke-miterlimit
stroke-dasharray stroke-dashoffset opacity color display visibility overflow clip clip-path clip-rule mask
marker-start marker-mid marker-end markerWidth markerHeight markerUnits refX refY orient
font-family font-size font-size-adjust font-stretch font-style font-variant font-weight letter-spacing word-spacing
text-anchor text-decoration text-rendering dominant-baseline alignment-baseline baseline-shift writing-mode direction
unicode-bidi shape-rendering image-rendering color-interpolation color-interpolation-filters color-rendering
paint-order vector-effect isolation mix-blend-mode
gradientUnits gradientTransform spreadMethod offset stop-color stop-opacity
patternUnits patternContentUnits patternTransform clipPathUnits maskUnits maskContentUnits
filter filterUnits primitiveUnits in in2 result mode operator k1 k2 k3 k4 stdDeviation edgeMode type values
tableValues slope intercept amplitude exponent baseFrequency numOctaves seed stitchTiles scale
xChannelSelector yChannelSelector flood-color flood-opacity lighting-color surfaceScale diffuseConstant
specularConstant specularExponent kernelMatrix kernelUnitLength order divisor bias targetX targetY preserveAlpha
azimuth elevation pointsAtX pointsAtY pointsAtZ limitingConeAngle radius z
requiredFeatures requiredExtensions systemLanguage
""".split())

#: a raster image may be embedded in the SVG (data: only; an SVG inside could carry a script)
DATA_IMAGE = re.compile(r"^data:image/(?:png|jpeg);base64,[A-Za-z0-9+/=\s]*$")
#: url(…) in an attribute or CSS: only to an element of the same file, url(#id)
URL_RE = re.compile(r"url\s*\(", re.I)
LOCAL_URL_RE = re.compile(r"url\(\s*(['\"]?)#[A-Za-z_][\w.\-:]*\1\s*\)", re.I)


@dataclass(frozen=True)
class SafeSvg:
    data: bytes  # the rebuilt SVG (b"" when the file cannot be used at all)
    width: int
    height: int
    problems: tuple[str, ...]  # what was unsafe and left out (Japanese), () when nothing


def _local(tag: object) -> tuple[str, str]:
    """(namespace, local name) of an lxml tag."""
    if not isinstance(tag, str):
        return "", ""
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def _css_problem(css: str) -> str | None:
    """Why a piece of CSS is not safe (an outside reference, or an escape that could hide one)."""
    if "\\" in css or re.search(r"@import|expression\s*\(|javascript:|behavio(u)?r\s*:|-moz-binding", css, re.I):
        return "CSS の @import・エスケープ・スクリプト"
    rest = LOCAL_URL_RE.sub("", css)
    if URL_RE.search(rest):
        return "CSS の url(…) による外部の参照"
    return None


def _length(value: str | None) -> int:
    """A width or height in CSS pixels (px, none, pt, mm, cm, in); 0 when it is no length."""
    if not value:
        return 0
    m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*(px|pt|mm|cm|in)?\s*", value)
    if not m:
        return 0
    factor = {None: 1, "px": 1, "pt": 96 / 72, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96}[m.group(2)]
    return round(float(m.group(1)) * factor)


def sanitise(data: bytes) -> SafeSvg:
    """The SVG of *data* rebuilt from the allow-list, with what was unsafe listed."""
    from lxml import etree

    if re.search(rb"<!ENTITY", data[:65536], re.I) or re.search(rb"<!DOCTYPE[^>\[]*\[", data[:65536], re.I):
        return SafeSvg(b"", 0, 0, ("実体の宣言（<!ENTITY>）があります。SVG を書き出し直してください（実体を使わない形式で）",))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_comments=True, remove_pis=False, recover=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return SafeSvg(b"", 0, 0, (f"SVG（XML）として読めません（{exc.msg}）",))
    ns, name = _local(root.tag)
    if ns != SVG_NS or name != "svg":
        return SafeSvg(b"", 0, 0, ("最上位の要素が SVG の <svg> ではありません",))
    problems: list[str] = []

    def report(what: str) -> None:
        if what not in problems:
            problems.append(what)

    node = root.getprevious()
    while node is not None:  # <?xml-stylesheet href=…?> before the root
        if isinstance(node, etree._ProcessingInstruction):
            report(f"処理命令 <?{node.target} …?>（外部の参照）")
        node = node.getprevious()
    count = 0

    def copy(src, parent):
        nonlocal count
        for child in src:
            count += 1
            if count > MAX_ELEMENTS:
                raise OverflowError
            if not keep(child, parent):
                _tail(child, parent)  # the text after a left-out element stays (「a<script/>b」 keeps b)
                continue
            name = _local(child.tag)[1]
            out = etree.SubElement(parent, f"{{{SVG_NS}}}{name}")
            attributes(child, out, name)
            out.text = child.text
            copy(child, out)
            out.tail = child.tail

    def keep(child, parent) -> bool:
        """Whether *child* is copied (reported or dropped otherwise; an <a> is unwrapped here)."""
        if isinstance(child, etree._ProcessingInstruction):
            report(f"処理命令 <?{child.target} …?>（外部の参照）")
            return False
        if not isinstance(child.tag, str):  # an entity reference (not resolved) or a comment
            return False
        ns, name = _local(child.tag)
        if ns == SVG_NS and name == "a":  # a link draws nothing: keep what it holds
            copy(child, parent)
            return False
        if name in DANGEROUS or ns == "http://www.w3.org/1999/xhtml":
            report(f"要素 <{name}>")
            return False
        if ns != SVG_NS or name in SILENT:
            return False  # another vocabulary (an editor's own), or what draws nothing
        if name not in ELEMENTS:
            report(f"使えない要素 <{name}>")
            return False
        if name == "style" and child.text and (why := _css_problem(child.text)):
            report(why)
            return False
        return True

    def _tail(child, parent):
        if child.tail:
            last = parent[-1] if len(parent) else None
            if last is not None:
                last.tail = (last.tail or "") + child.tail
            else:
                parent.text = (parent.text or "") + child.tail

    def attributes(src, out, name):
        for key, value in sorted(src.attrib.items()):
            ns, attr = _local(key)
            if attr.lower().startswith("on"):
                report(f"イベント属性 {attr}（スクリプト）")
                continue
            if attr == "href" and ns in ("", XLINK_NS):
                v = value.strip()
                if v.startswith("#") or (name == "image" and DATA_IMAGE.match(v)):
                    out.set(f"{{{XLINK_NS}}}href" if ns else "href", v)
                else:
                    report(f"外部を指す参照 href=\"{v[:60]}\"")
                continue
            if ns == XML_NS and attr in ("space", "lang"):
                out.set(key, value)
                continue
            if ns or attr not in ATTRIBUTES:
                continue  # another vocabulary's attribute, or one that draws nothing
            if re.search(r"javascript:|data:", value, re.I):
                report(f"属性 {attr} の中のスクリプト・埋め込み")
                continue
            if attr == "style":
                why = _css_problem(value)
                if why:
                    report(why)
                    continue
            elif URL_RE.search(LOCAL_URL_RE.sub("", value)):
                report(f"属性 {attr} の url(…) による外部の参照")
                continue
            out.set(attr, value)

    new = etree.Element(f"{{{SVG_NS}}}svg", nsmap={None: SVG_NS, "xlink": XLINK_NS})
    attributes(root, new, "svg")
    new.text = root.text
    try:
        copy(root, new)
    except OverflowError:
        return SafeSvg(b"", 0, 0, (f"要素が多すぎます（上限 {MAX_ELEMENTS:,} 個）",))
    width, height = _length(new.get("width")), _length(new.get("height"))
    if not (width and height) and new.get("viewBox"):
        parts = re.split(r"[\s,]+", new.get("viewBox").strip())
        if len(parts) == 4:
            try:
                width, height = round(float(parts[2])), round(float(parts[3]))
            except ValueError:
                pass
    out = etree.tostring(new, xml_declaration=True, encoding="utf-8")
    return SafeSvg(out + b"\n", width, height, tuple(problems))
