"""The chart of one KPI for the evaluation report: baseline, actuals by year, the target at its
deadline, the unit on the axis — as an SVG string, with a text alternative and the numbers as
a table.  A pure function of the model: the same document gives the same bytes.

Why hand-written SVG and not a chart library: the chart is small and of one kind, and what
matters is print quality, accessibility and determinism.  Text stays text in the BIZ UD font
the PDF embeds (matplotlib's SVG turns glyphs into paths or names its own fonts, and stamps a
date and random ids unless configured away); the chart carries ``role="img"``, a ``<title>`` and
a ``<desc>`` with the same sentence as the text alternative, and every series differs by shape,
line pattern and a word, never by colour alone; there is no JavaScript (Vega, Plotly, pygal's
tooltips need it) and nothing for WeasyPrint to fetch.  A library would add a large dependency
for one line chart and make the output depend on its version's layout decisions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import Sequence

from ..model import Document, Kpi, Number, Period
from ..progress.quarter import period_label
from ..progress.status import kpi_series

W, H = 560, 250
LEFT, RIGHT, TOP, BOTTOM = 62, 20, 30, 62
FONT = "BIZ UDGothic, BIZ UDPGothic, sans-serif"
ACTUAL, TARGET, BASE, GRID = "#1f4e9e", "#a34700", "#444444", "#d0d0d0"


@dataclass(frozen=True)
class TableRow:
    role: str  # 基準値 / 実績 / 目標
    period: str
    value: str
    unit: str
    kind: str  # 速報値 / 確定値 / ""
    source: str
    charted: bool  # False: not drawn (another unit, or no number)


@dataclass(frozen=True)
class KpiChart:
    kpi_id: str
    title: str
    unit: str
    svg: str | None  # None: nothing numeric to draw
    alt: str  # the text alternative (also the SVG's <desc>)
    rows: tuple[TableRow, ...]

    def table_html(self) -> str:
        """The numbers as an accessible table (escaped), to stand beside or below the chart."""
        head = "".join(f'<th scope="col">{h}</th>' for h in ("区分", "時期", "値", "単位", "速報値・確定値", "出典"))
        body = "".join(
            "<tr>" + f'<th scope="row">{escape(r.role)}</th>' + "".join(
                f"<td>{escape(x)}</td>" for x in (r.period, r.value, r.unit, r.kind, r.source)) + "</tr>"
            for r in self.rows)
        return (f'<table class="kpi-chart-table"><caption>{escape(self.title)}の数値</caption>'
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def _width(text: str, size: float) -> float:
    """The width of *text* in BIZ UDGothic at *size*: full width for Japanese, about half for
    digits and Latin letters (enough to keep two labels apart)."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.56 for ch in text)


def fmt(v: Number) -> str:
    if isinstance(v, Decimal):
        return format(v, ",f")
    return f"{v:,}"


def _pos(p: Period) -> float:
    """x in fiscal years: a fiscal year at the middle of its band, a quarter in its quarter."""
    fy, q = p.first
    if p.precision == "quarter":
        return fy + (q - 0.5) / 4
    return fy + 0.5


def _nice(hi: float) -> tuple[float, float]:
    """(top of the axis, step): 0 … a round number at or above *hi*, 4–6 steps."""
    if hi <= 0:
        return 1.0, 0.25
    raw = hi / 5
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    return step * math.ceil(hi / step - 1e-9), step


def _t(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, s: str, anchor: str = "middle", size: int = 11, fill: str = "#000", weight: str = "") -> str:
    w = f' font-weight="{weight}"' if weight else ""
    return (f'<text x="{_t(x)}" y="{_t(y)}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{w}>'
            f"{escape(s)}</text>")


def _marker(shape: str, x: float, y: float, colour: str, filled: bool) -> str:
    fill = colour if filled else "#ffffff"
    if shape == "square":
        return (f'<rect x="{_t(x - 4.5)}" y="{_t(y - 4.5)}" width="9" height="9" fill="{fill}" stroke="{colour}" '
                f'stroke-width="1.6"/>')
    if shape == "diamond":
        return (f'<path d="M{_t(x)} {_t(y - 6.5)}L{_t(x + 6.5)} {_t(y)}L{_t(x)} {_t(y + 6.5)}L{_t(x - 6.5)} {_t(y)}Z" '
                f'fill="{fill}" stroke="{colour}" stroke-width="1.6"/>')
    return f'<circle cx="{_t(x)}" cy="{_t(y)}" r="4.5" fill="{fill}" stroke="{colour}" stroke-width="1.6"/>'


def _unit(k: Kpi) -> str:
    for u in (k.target.unit if k.target else "", k.baseline.unit if k.baseline else ""):
        if u:
            return u
    return ""


def _same(a: str, b: str) -> bool:
    import unicodedata
    return unicodedata.normalize("NFKC", a).strip() == unicodedata.normalize("NFKC", b).strip()


def kpi_chart(doc: Document, kpi: Kpi, until: tuple[int, int] | None = None, as_of: Period | None = None,
              chart_id: str | None = None, alt_title: bool = False) -> KpiChart:
    """The chart of *kpi* with the actuals known at the evaluation of quarter *until* (all when
    None); *as_of* draws the evaluated quarter as a vertical line.  *alt_title*: the ``<title>``
    is the whole text alternative, not only the indicator (WeasyPrint makes the ``<title>`` of an
    SVG its figure's alternate text in a tagged PDF, and ignores the ``<desc>``)."""
    cid = chart_id or f"kpi-chart-{kpi.id}"
    series = kpi_series(doc, kpi.id, until)
    unit = _unit(kpi) or (series[0][0].unit.value if series else "")
    rows: list[TableRow] = []
    points: list[tuple[str, float, float, str, bool]] = []  # role, x, value, label, filled
    b, t = kpi.baseline, kpi.target
    if b is not None and (b.value is not None or b.fiscal_year is not None):
        ok = b.value is not None and b.fiscal_year is not None and _same(b.unit or unit, unit)
        rows.append(TableRow("基準値", f"{b.fiscal_year}年度" if b.fiscal_year else "", fmt(b.value) if b.value is not None else "",
                             b.unit, "", "計画", ok))
        if ok:
            points.append(("baseline", b.fiscal_year + 0.5, float(b.value), f"基準値 {fmt(b.value)}{b.unit}", False))
    actual_pts = []
    for a, _ev in series:
        ok = _same(a.unit.value, unit)
        rows.append(TableRow("実績", period_label(a.period.value), fmt(a.value.value), a.unit.value, a.kind.value,
                             a.source.value if a.source else "", ok))
        if ok:
            actual_pts.append((_pos(a.period.value), float(a.value.value), a))
    target_pt = None
    if t is not None and (t.value is not None or t.by is not None):
        ok = t.value is not None and _same(t.unit or unit, unit)
        value = _target_value(t) if t.value is not None else ""
        rows.append(TableRow("目標", t.by_text or (f"{t.by}年度" if t.by else "期限の記載なし"), value, t.unit, "", "計画", ok))
        if ok:
            target_pt = (t.by + 0.5 if t.by is not None else None, float(t.value))
    alt = _alt(kpi, rows)
    values = [p[2] for p in points] + [v for _, v, _ in actual_pts] + ([target_pt[1]] if target_pt else [])
    if not values:
        return KpiChart(kpi.id, kpi.indicator, unit, None, alt, tuple(rows))
    svg = _svg(doc, kpi, cid, unit, points, actual_pts, target_pt, values, as_of, alt, alt if alt_title else kpi.indicator)
    return KpiChart(kpi.id, kpi.indicator, unit, svg, alt, tuple(rows))


def _target_value(t) -> str:
    """The target as the plan words it: 対2019年度比20以上, 約2,200 (the unit follows)."""
    lead = "約" if t.qualifier == "約" else ""
    tail = "" if t.qualifier == "約" else t.qualifier
    return f"{t.basis}{lead}{fmt(t.value)}{tail}"


def _amount(r: TableRow) -> str:
    """「960以下」+「億円」→「960億円以下」: the qualifier after the unit, as the plan writes it."""
    for q in ("以上", "以下", "未満", "超", "程度"):
        if r.value.endswith(q):
            return f"{r.value[: -len(q)]}{r.unit}{q}"
    return f"{r.value}{r.unit}"


def _alt(kpi: Kpi, rows: Sequence[TableRow]) -> str:
    parts = [f"KPI「{kpi.indicator}」の推移。"]
    for role in ("基準値", "実績", "目標"):
        rs = [r for r in rows if r.role == role]
        if rs:
            items = "、".join(f"{r.period} {_amount(r)}" + (f"（{r.kind}）" if r.kind else "") for r in rs)
            parts.append(f"{role}：{items}。")
    if not any(r.role == "実績" for r in rows):
        parts.append("実績の報告はまだありません。")
    return "".join(parts)


def _svg(doc: Document, kpi: Kpi, cid: str, unit: str, points, actual_pts, target_pt, values, as_of, alt,
         title: str) -> str:
    xs = [p[1] for p in points] + [x for x, _, _ in actual_pts] + ([target_pt[0]] if target_pt and target_pt[0] else [])
    first = min([doc.plan.period_from] + [math.floor(x) for x in xs])
    last = max([doc.plan.period_to] + [math.floor(x) for x in xs])
    years = list(range(first, last + 1))
    lo = min(0.0, min(values))
    if _same(unit, "%") and 50 < max(values) <= 100:
        top, step = 100.0, 20.0  # a rate: the whole scale, 0–100 %
    else:
        top, step = _nice(max(values) * 1.08 if max(values) > 0 else 1)
    bottom = -_nice(-lo * 1.08)[0] if lo < 0 else 0.0
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def X(x: float) -> float:
        return LEFT + (x - first) / len(years) * pw

    def Y(v: float) -> float:
        return TOP + (top - v) / (top - bottom) * ph

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="kpi-chart" id="{escape(cid)}" role="img" '
           f'aria-labelledby="{escape(cid)}-title {escape(cid)}-desc" viewBox="0 0 {W} {H}" width="{W}" height="{H}" '
           f'font-family="{FONT}">',
           f'<title id="{escape(cid)}-title">{escape(title)}</title>',
           f'<desc id="{escape(cid)}-desc">{escape(alt)}</desc>',
           f'<rect x="0" y="0" width="{W}" height="{H}" fill="#ffffff"/>']
    v = bottom
    while v <= top + 1e-9:
        y = Y(v)
        out.append(f'<line x1="{LEFT}" y1="{_t(y)}" x2="{W - RIGHT}" y2="{_t(y)}" stroke="{GRID}" stroke-width="0.8"/>')
        out.append(_text(LEFT - 6, y + 4, fmt(Decimal(str(round(v, 6))).normalize()) if v % 1 else fmt(int(v)), "end", 10))
        v += step
    out.append(_text(4, TOP - 12, f"単位：{unit}" if unit else "単位：記載なし", "start", 10))  # from the left edge: a long unit is never cut
    out.append(f'<line x1="{LEFT}" y1="{_t(Y(bottom))}" x2="{W - RIGHT}" y2="{_t(Y(bottom))}" stroke="#000" stroke-width="1"/>')
    out.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{_t(Y(bottom))}" stroke="#000" stroke-width="1"/>')
    for fy in years:
        out.append(_text(X(fy + 0.5), Y(bottom) + 15, f"{fy}", size=10))
        out.append(f'<line x1="{_t(X(fy))}" y1="{_t(Y(bottom))}" x2="{_t(X(fy))}" y2="{_t(Y(bottom) + 4)}" stroke="#000"/>')
    out.append(_text(LEFT + pw / 2, Y(bottom) + 29, "年度", size=10))
    if as_of is not None:
        fy, q = as_of.last
        x = X(fy + q / 4)
        out.append(f'<line x1="{_t(x)}" y1="{TOP - 4}" x2="{_t(x)}" y2="{_t(Y(bottom))}" stroke="#000" stroke-width="1" '
                   f'stroke-dasharray="2 3"/>')
        early = x < LEFT + 120  # clear of the unit at the top left: written right of its line
        out.append(_text(x + 3 if early else x, TOP - 16, f"評価時点 {as_of.text}", "start" if early else "middle", 10))
    anchor_pt = None
    for _role, x, val, label, filled in points:
        out.append(_marker("square", X(x), Y(val), BASE, filled))
        left = X(x) < LEFT + 60  # keep the label clear of the axis
        out.append(_text(X(x) - 6 if left else X(x), Y(val) - 10, label, "start" if left else "middle", 10, BASE))
        anchor_pt = (x, val)
    if actual_pts:
        path = " ".join(f"{'M' if i == 0 else 'L'}{_t(X(x))} {_t(Y(val))}" for i, (x, val, _) in enumerate(actual_pts))
        out.append(f'<path d="{path}" fill="none" stroke="{ACTUAL}" stroke-width="2"/>')
        # every point is marked; a value is written under it unless it would run into the value
        # written to its right (quarterly actuals stand 1/4 year apart): the newest is always
        # written, and the table under the chart gives every value
        labels, right_edge = [], None
        for x, val, a in reversed(actual_pts):
            final = a.kind.value == "確定値"
            out.append(_marker("circle", X(x), Y(val), ACTUAL, final))
            text = f"{fmt(a.value.value)}{'' if final else '（速報）'}"
            half = _width(text, 10) / 2
            if right_edge is None or X(x) + half + 4 <= right_edge:
                labels.append(_text(X(x), Y(val) + 17, text, size=10, fill=ACTUAL))
                right_edge = X(x) - half
        out += reversed(labels)
        anchor_pt = actual_pts[-1][:2]
    if target_pt is not None:
        tx, tv = target_pt
        if tx is None:
            out.append(f'<line x1="{LEFT}" y1="{_t(Y(tv))}" x2="{W - RIGHT}" y2="{_t(Y(tv))}" stroke="{TARGET}" '
                       f'stroke-width="1.5" stroke-dasharray="6 4"/>')
            out.append(_text(W - RIGHT, Y(tv) - 6, f"目標 {fmt(kpi.target.value)}{kpi.target.unit}（期限の記載なし）", "end", 10, TARGET))
        else:
            if anchor_pt is not None and anchor_pt[0] < tx:
                out.append(f'<line x1="{_t(X(anchor_pt[0]))}" y1="{_t(Y(anchor_pt[1]))}" x2="{_t(X(tx))}" y2="{_t(Y(tv))}" '
                           f'stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="6 4"/>')
            out.append(_marker("diamond", X(tx), Y(tv), TARGET, True))
            near_edge = X(tx) > W - RIGHT - 110  # the label beside the diamond, on the side with room
            anchor = "end" if near_edge else "start"
            out.append(_text(X(tx) + (-4 if near_edge else 11), Y(tv) + (-12 if near_edge else 4),
                             f"目標 {_amount(TableRow('', '', _target_value(kpi.target), kpi.target.unit, '', '', True))}",
                             anchor, 10, TARGET, "bold"))
    out += _legend(H - 16)
    out.append("</svg>")
    return "".join(out)


def _legend(y: float) -> list[str]:
    items = [("square", BASE, False, "基準値"), ("circle", ACTUAL, True, "実績（確定値）"), ("circle", ACTUAL, False, "実績（速報値）"),
             ("diamond", TARGET, True, "目標（破線は目標への道筋）")]
    out, x = [], LEFT
    for shape, colour, filled, label in items:
        out.append(_marker(shape, x + 5, y - 4, colour, filled))
        out.append(_text(x + 14, y, label, "start", 10))
        x += 16 + 11 * len(label) + 14
    return out
