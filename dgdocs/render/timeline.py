"""The timeline of one 工程表 line in the evaluation report, as a small SVG: the plan's period,
the line drawn by its status, and the evaluated quarter as a "today" line.

Each status is drawn by colour *and* by a pattern of its own, so that it reads in black and
white and for a reader who does not tell the colours apart; its word stands beside it in the
report's table (the SVG is a picture of that table's 計画の時期 and 状況 cells, and hidden from
assistive technology):

=========  =====================================================
未着手      white, dashed outline
実施中      light fill, solid outline
完了        solid dark fill
遅延        diagonal hatching
中止        grey, struck through
見直し      the plan's period as a thin grey line, the new period dotted
未報告      no fill, dotted outline
=========  =====================================================

The columns are those of the appendices' 工程表 (:func:`dgdocs.render.roadmap.make_grid`):
「計画期間前」, four quarters per fiscal year, 「計画期間後」.  No ``<style>``, no ids and no
references between SVGs: every mark is a plain element with presentation attributes, so the
same string renders in a browser under the site's CSP and in WeasyPrint, and a page may hold
a hundred of them without duplicate ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from ..model import Period
from .roadmap import Grid

U = 12.0  # user units per column (a quarter)
LANE_H = 18.0
AXIS_H = 30.0
TODAY = "#c0001a"


@dataclass(frozen=True)
class Style:
    fill: str
    stroke: str
    dash: str = ""  # stroke-dasharray
    hatch: bool = False  # diagonal lines over the fill
    strike: bool = False  # a line through the middle
    word: str = ""  # the pattern in words, for the legend


STYLES = {
    "未着手": Style("#ffffff", "#4a4a4a", "3 2", word="白地・破線の枠"),
    "実施中": Style("#cfe0f5", "#1f4e9e", word="淡い地・実線の枠"),
    "完了": Style("#1f6e3a", "#1f6e3a", word="濃い塗り"),
    "遅延": Style("#fde3d6", "#b3261e", hatch=True, word="斜線"),
    "中止": Style("#dddddd", "#4a4a4a", strike=True, word="灰色・取消線"),
    "見直し": Style("#efe3f7", "#6a3d9a", "1.5 1.5", word="点線の枠（細い灰色の線は当初の計画）"),
    "未報告": Style("none", "#6a6a6a", "1 2", word="塗りなし・点線の枠"),
}


def _t(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _x(grid: Grid, fy: int, q: int, end: bool = False) -> float:
    return (grid.column_of(fy, q) + (1 if end else 0)) * U


def today_x(grid: Grid, as_of: Period) -> float:
    """The right edge of the evaluated quarter."""
    return _x(grid, *as_of.last, end=True)


def _open(width: float, height: float, cls: str, title: str) -> str:
    """The SVG element; *title* is its tooltip on the site (where the SVG is hidden from assistive
    technology: its table cells say the same) and the PDF's alternate text of the figure."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="{cls}" viewBox="0 0 {_t(width)} {_t(height)}" '
            f'width="{_t(width)}" height="{_t(height)}" aria-hidden="true" focusable="false">'
            f'<title>{escape(title)}</title>')


def _bands(grid: Grid, height: float) -> list[str]:
    """The fiscal-year lines (solid) and the edges of the plan period: one path (a report
    draws a lane for each of its ≈ 140 rows)."""
    xs = [c.index * U for c in grid.columns[1:] if c.kind == "beyond" or (c.kind == "quarter" and c.quarter == 1)]
    if not xs:
        return []
    d = "".join(f"M{_t(x)} 0V{_t(height)}" for x in xs)
    return [f'<path d="{d}" stroke="#9a9a9a" stroke-width="0.5"/>']


def _hatch(x0: float, y0: float, w: float, h: float, colour: str) -> list[str]:
    """Diagonal lines (45°) clipped to the rectangle by hand (no clipPath: no ids).  In the
    rectangle's own units u = x - x0, v = y0 + h - y, line *k* is u + v = k."""
    out = []
    k = 3.0
    while k < w + h:
        ua, ub = max(0.0, k - h), min(w, k)
        if ub - ua > 0.3:
            out.append(f'<line x1="{_t(x0 + ua)}" y1="{_t(y0 + h - (k - ua))}" x2="{_t(x0 + ub)}" '
                       f'y2="{_t(y0 + h - (k - ub))}" stroke="{colour}" stroke-width="0.8"/>')
        k += 4.0
    return out


def _bar(x0: float, x1: float, s: Style, y: float = 4.0, h: float = 10.0, arrow: bool = False) -> list[str]:
    w = max(x1 - x0, 3.0)
    dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
    out = [f'<rect x="{_t(x0)}" y="{_t(y)}" width="{_t(w)}" height="{_t(h)}" rx="1.5" fill="{s.fill}" '
           f'stroke="{s.stroke}" stroke-width="1.1"{dash}/>']
    if s.hatch:
        out += _hatch(x0, y, w, h, s.stroke)
    if s.strike:
        out.append(f'<line x1="{_t(x0)}" y1="{_t(y + h / 2)}" x2="{_t(x0 + w)}" y2="{_t(y + h / 2)}" stroke="{s.stroke}" '
                   f'stroke-width="1.4"/>')
    if arrow:  # the plan states no end: the bar runs on
        out.append(f'<path d="M{_t(x0 + w)} {_t(y - 1)}L{_t(x0 + w + 5)} {_t(y + h / 2)}L{_t(x0 + w)} {_t(y + h + 1)}Z" '
                   f'fill="{s.stroke}"/>')
    return out


def _diamond(cx: float, s: Style, cy: float = 9.0, r: float = 6.0) -> list[str]:
    dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
    out = [f'<path d="M{_t(cx)} {_t(cy - r)}L{_t(cx + r)} {_t(cy)}L{_t(cx)} {_t(cy + r)}L{_t(cx - r)} {_t(cy)}Z" '
           f'fill="{s.fill}" stroke="{s.stroke}" stroke-width="1.1"{dash}/>']
    if s.hatch:
        out += [f'<line x1="{_t(cx - r / 2)}" y1="{_t(cy + r / 2)}" x2="{_t(cx + r / 2)}" y2="{_t(cy - r / 2)}" '
                f'stroke="{s.stroke}" stroke-width="0.9"/>',
                f'<line x1="{_t(cx - r / 2 - 1.5)}" y1="{_t(cy + 1.5)}" x2="{_t(cx + 1.5)}" y2="{_t(cy - r / 2 - 1.5)}" '
                f'stroke="{s.stroke}" stroke-width="0.9"/>']
    if s.strike:
        out.append(f'<line x1="{_t(cx - r)}" y1="{_t(cy)}" x2="{_t(cx + r)}" y2="{_t(cy)}" stroke="{s.stroke}" stroke-width="1.4"/>')
    return out


def _span(grid: Grid, p: Period) -> tuple[float, float]:
    return _x(grid, *p.first), _x(grid, *p.last, end=True)


def lane_svg(grid: Grid, status: str, as_of: Period, title: str, *, start: Period | None = None,
             end: Period | None = None,
             at: Period | None = None, new_start: Period | None = None, new_end: Period | None = None,
             new_at: Period | None = None) -> str:
    """One line: a task (*start*–*end*, *end* None when the plan states none), or a milestone
    (*at*); with a 見直し, the new period (*new_start*/*new_end*, *new_at*) is drawn in the
    status's style and the plan's period as a thin grey line; neither: a row the plan gives no
    schedule for (only the "today" line, so that it runs on down the table)."""
    width = grid.width * U
    s = STYLES[status]
    out = [_open(width, LANE_H, "lane-svg", title)] + _bands(grid, LANE_H)
    revised = new_start is not None or new_end is not None or new_at is not None
    if at is not None:
        x0, x1 = _span(grid, at)
        if revised and new_at is not None:
            out.append(f'<line x1="{_t(x0 + 1)}" y1="15.5" x2="{_t(x1 - 1)}" y2="15.5" stroke="#8a8a8a" stroke-width="1.6"/>')
            x0, x1 = _span(grid, new_at)
        out += _diamond((x0 + x1) / 2, s)
    elif start is not None:
        x0 = _span(grid, start)[0]
        x1 = _span(grid, end)[1] if end is not None else (grid.width - 1) * U
        if revised:
            out.append(f'<line x1="{_t(x0)}" y1="16" x2="{_t(x1)}" y2="16" stroke="#8a8a8a" stroke-width="1.6"/>')
            x0 = _span(grid, new_start)[0] if new_start is not None else x0
            x1 = _span(grid, new_end)[1] if new_end is not None else x1
            out += _bar(x0, x1, s, y=2.0, h=11.0)
        else:
            out += _bar(x0, x1, s, arrow=end is None)
    tx = today_x(grid, as_of)
    out.append(f'<line x1="{_t(tx)}" y1="0" x2="{_t(tx)}" y2="{_t(LANE_H)}" stroke="{TODAY}" stroke-width="1.4" '
               f'stroke-dasharray="3 2"/>')
    out.append("</svg>")
    return "".join(out)


def axis_svg(grid: Grid, as_of: Period) -> str:
    """The head of the timeline column: the fiscal years, the plan period's edges, and the
    evaluated quarter (「評価時点」)."""
    width = grid.width * U
    out = [_open(width, AXIS_H, "axis-svg", f"時間軸（{grid.first_fy}〜{grid.last_fy}年度）。赤い破線は評価時点 {as_of.text}")]
    out += _bands(grid, AXIS_H)
    font = 'font-family="BIZ UDGothic, BIZ UDPGothic, sans-serif"'
    for y in grid.years:
        x = _x(grid, y.fiscal_year, 1) + 2 * U
        out.append(f'<text x="{_t(x)}" y="27" font-size="8.5" text-anchor="middle" {font} fill="#000">{y.fiscal_year}</text>')
    out.append(f'<text x="{_t(U / 2)}" y="27" font-size="6.5" text-anchor="middle" {font} fill="#4a4a4a">前</text>')
    out.append(f'<text x="{_t(width - U / 2)}" y="27" font-size="6.5" text-anchor="middle" {font} fill="#4a4a4a">後</text>')
    tx = today_x(grid, as_of)
    anchor = "end" if tx > width - 40 else "start" if tx < 40 else "middle"
    out.append(f'<text x="{_t(tx)}" y="9" font-size="8" text-anchor="{anchor}" {font} fill="{TODAY}" '
               f'font-weight="bold">評価時点 {escape(as_of.text)}</text>')
    out.append(f'<line x1="{_t(tx)}" y1="12" x2="{_t(tx)}" y2="{_t(AXIS_H)}" stroke="{TODAY}" stroke-width="1.4" '
               f'stroke-dasharray="3 2"/>')
    out.append("</svg>")
    return "".join(out)


def swatch_svg(status: str, milestone: bool = False) -> str:
    """A small sample of a status's drawing, for the legend (beside its word)."""
    s = STYLES[status]
    out = [_open(34, LANE_H, "swatch-svg", f"{status}の{'時期' if milestone else '工程'}の描き方：{s.word}")]
    out += _diamond(17, s) if milestone else _bar(2, 32, s)
    out.append("</svg>")
    return "".join(out)
