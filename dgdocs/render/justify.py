"""両端揃え for Japanese text: inter-character justification over WeasyPrint 70's line justification.

WeasyPrint justifies a line only by widening its spaces (U+0020, U+00A0): in
``weasyprint.layout.inline`` ``text_align`` → ``justify_line`` → ``count_expandable_spaces``
/ ``add_word_spacing``, and the extra width reaches Pango as letter-spacing attributes on
the spaces (``text.line_break.Layout.set_text``).  A Japanese line has no spaces, so it stays
ragged (WeasyPrint issue 2269), while JIS X 4051 sets Japanese body text justified.

This layer replaces ``justify_line`` (only in the processes that make our PDFs, see
:func:`install`):

* :func:`gaps_of` decides, for every pair of neighbouring characters of the line, whether the
  boundary between them may take extra space (JIS X 4051 字間の調整, simplified): never after
  an opening bracket, never before a closing bracket, a 句読点 or a 中点 (so a 禁則 pair stays
  together), never inside a Latin word or a number, never between the two halves of 「——」
  or 「……」, never around an inline image; a space counts once.
* the line's extra width is shared equally by those boundaries; boxes are moved as
  ``add_word_spacing`` moves them; a boundary inside a text box is recorded on a copy of the
  box's layout object, and when WeasyPrint reactivates the layout to draw it
  (``Layout.reactivate``), the glyph before each boundary is widened in Pango's glyph string.
  Nothing is reshaped: the glyphs, the text and the line breaks (禁則 included) are
  WeasyPrint's own; only positions change.
* the last line of a paragraph and a line before a forced break are not justified
  (WeasyPrint does not call ``justify_line`` for them: ``text-align-last: start``).
* a line whose boundaries would each need more than :data:`MAX_GAP_EM` em keeps its natural
  spacing (a long unbreakable word, a URL): better ragged than torn apart.

The patch is checked against the pinned WeasyPrint version (tests/test_justify.py lays out
lines with it and measures them); :func:`install` refuses another version.
"""

from __future__ import annotations

import copy
import unicodedata

#: WeasyPrint version this layer was written and tested against (constraints.txt).
WEASYPRINT_VERSION = "70.0"

#: The most a justified boundary may widen, in em of the text's font size.
MAX_GAP_EM = 0.5

OPENING = set("「『（〔［｛〈《【〘〖〝‘“([{")
CLOSING = set("」』）〕］｝〉》】〙〗〟’”)]}")
PUNCTUATION = set("、。，．,.：；:;！？!?・･")
INSEPARABLE = set("—―…‥")
SPACES = {" ", "\u00a0"}
ATOMIC = "\ufffc"  # stands for an inline image or inline-block in the character sequence


def is_western(ch: str) -> bool:
    """A character of a Latin word or a number (set solid, never spread inside)."""
    if ch in SPACES or ch == ATOMIC:
        return False
    if ord(ch) < 0x2000:
        return True
    return unicodedata.east_asian_width(ch) in ("Na", "H") and not ch.isspace()


def gap_allowed(a: str, b: str, b_attached: bool = False) -> bool:
    """May the boundary between characters *a* and *b* take extra space?

    *b_attached*: *b* belongs to something that hangs on the character before it
    (a footnote call).
    """
    if b_attached:
        return False
    if ATOMIC in (a, b):
        return False
    if b in SPACES or unicodedata.category(b).startswith("M"):
        return False
    if a in SPACES:
        return True
    if a in OPENING or b in CLOSING or b in PUNCTUATION:
        return False
    if a in ("・", "･"):
        return False
    if a == b and a in INSEPARABLE:
        return False
    if is_western(a) and is_western(b):
        return False
    return True


def gaps_of(chars: list[tuple[str, bool]]) -> list[bool]:
    """For a line's characters ``(char, attached)``, whether each boundary i (between
    character i and i+1) may be widened."""
    return [gap_allowed(chars[i][0], chars[i + 1][0], chars[i + 1][1]) for i in range(len(chars) - 1)]


# ------------------------------------------------------------------ WeasyPrint

def _leaves(box, attached: bool, out: list) -> None:
    """The line's content in order: ('text', box, attached) and ('atomic', box)."""
    from weasyprint.formatting_structure import boxes

    for child in box.children:
        if not child.is_in_normal_flow():
            continue
        if isinstance(child, boxes.TextBox):
            out.append(("text", child, attached))
        elif isinstance(child, boxes.InlineBox):
            _leaves(child, attached or (child.element_tag or "").endswith("::footnote-call"), out)
        else:
            out.append(("atomic", child, False))


def justify_line(context, line, extra_width):
    """Share *extra_width* among the line's justifiable boundaries (see the module doc)."""
    leaves: list = []
    _leaves(line, False, leaves)
    # the characters of the line: (char, attached, box, byte offset of the char's end in its box)
    chars = []
    for kind, box, attached in leaves:
        if kind == "atomic":
            chars.append((ATOMIC, False, box, 0))
            continue
        end = 0
        for ch in box.text:
            end += len(ch.encode("utf-8"))
            chars.append((ch, attached, box, end))
    allowed = gaps_of([(c[0], c[1]) for c in chars])
    count = sum(allowed)
    if not count:
        return _original_justify_line(context, line, extra_width)
    spacing = extra_width / count
    font_size = line.style["font_size"] or 1
    if spacing > MAX_GAP_EM * font_size:
        return None  # keep the natural spacing
    inner: dict[int, list[int]] = {}  # id(text box) → byte offsets after which space is added
    after: set[int] = set()  # boxes whose last character is followed by a widened boundary
    for i, ok in enumerate(allowed):
        if not ok:
            continue
        box, nxt = chars[i][2], chars[i + 1][2]
        if box is nxt:
            inner.setdefault(id(box), []).append(chars[i][3])
        else:
            after.add(id(box))
    _place(line, spacing, inner, after, [0.0, False], is_line=True)
    return None


def _place(box, spacing: float, inner: dict, after: set, state: list, is_line: bool = False) -> None:
    """Move and widen *box* and its children as add_word_spacing does; state = [x advance, pending]."""
    from weasyprint.formatting_structure import boxes

    if not is_line and state[1]:
        state[0] += spacing
        state[1] = False
    if isinstance(box, boxes.TextBox):
        box.position_x += state[0]
        offsets = inner.get(id(box))
        if offsets:
            extra = spacing * len(offsets)
            layout = copy.copy(box.pango_layout)  # the layout object may be shared with other copies of the box
            layout.dg_gaps = {o: spacing for o in offsets}
            box.pango_layout = layout
            box.width += extra
            state[0] += extra
        if id(box) in after:
            state[1] = True
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += state[0]
        before = state[0]
        for child in box.children:
            if child.is_in_normal_flow():
                _place(child, spacing, inner, after, state)
        box.width += state[0] - before
    else:
        box.translate(state[0], 0)


def _widen_glyphs(layout, gaps: dict[int, float]) -> None:
    """Widen, in the Pango layout of a text box being drawn, the last glyph of each character
    that a justified boundary follows."""
    from weasyprint.text.ffi import ffi, pango
    from weasyprint.text.line_break import TO_UNITS

    # draw_first_line sets single-paragraph mode; setting it first keeps Pango from laying the
    # text out again (and dropping our widths) when draw_first_line sets it.
    pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
    line = pango.pango_layout_get_line_readonly(layout.layout, 0)
    run = line.runs
    while run != ffi.NULL:
        item = ffi.cast("PangoGlyphItem *", run.data)
        glyphs = item.glyphs
        clusters = glyphs.log_clusters
        offset, length = item.item.offset, item.item.length
        n = glyphs.num_glyphs
        for i in range(n):
            end = offset + (clusters[i + 1] if i + 1 < n else length)
            if i + 1 < n and clusters[i + 1] == clusters[i]:
                continue  # not the last glyph of its cluster
            amount = gaps.get(end)
            if amount:
                glyphs.glyphs[i].geometry.width += int(round(amount * TO_UNITS))
        run = run.next


_original_justify_line = None
_original_reactivate = None


def _reactivate(self, style):
    _original_reactivate(self, style)
    gaps = getattr(self, "dg_gaps", None)
    if gaps:
        _widen_glyphs(self, gaps)


def install() -> None:
    """Put the layer in place in this process (idempotent)."""
    global _original_justify_line, _original_reactivate
    import weasyprint
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    if weasyprint.__version__ != WEASYPRINT_VERSION:
        raise RuntimeError(f"dgdocs.render.justify is written for WeasyPrint {WEASYPRINT_VERSION}, "
                           f"not {weasyprint.__version__}: check the layer against the new version first")
    if _original_justify_line is None:
        _original_justify_line = inline.justify_line
        _original_reactivate = line_break.Layout.reactivate
    inline.justify_line = justify_line
    line_break.Layout.reactivate = _reactivate


def uninstall() -> None:
    """Restore WeasyPrint's own justification (tests compare with and without)."""
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    if _original_justify_line is not None:
        inline.justify_line = _original_justify_line
        line_break.Layout.reactivate = _original_reactivate
