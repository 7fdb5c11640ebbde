"""``dgdocs progress sheet``: the quarterly 照会票 as one Excel workbook (openpyxl).

One sheet per appendix (別紙N) and one for the KPIs.  The plan's wording and planned periods
stand in locked cells; the answers go in the yellow input cells, each with data validation
(the status dropdown, numbers for actuals, dates, bounded text); last evaluation's status is
prefilled; the header is frozen, the heads are Japanese, the columns print on A4 landscape
(fit to the page width, the header row repeated); column A (hidden) holds each line's id.

The bytes are reproducible: the document properties carry a fixed time (SOURCE_DATE_EPOCH, or
the plan's latest revision date) and the zip is rewritten with fixed entry times.
"""

from __future__ import annotations

import datetime as _dt
import io
import math
import os
import unicodedata
import zipfile
from typing import Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ..model import Appendix, Document, Kpi, MilestoneProgress, Period, TaskProgress
from . import layout as L
from .quarter import period_label, quarter_text
from .status import Item, items, kpi_series, previous, reported

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
KIND_TEXT = {"task": "工程", "milestone": "マイルストーン", "row": "行"}


def _font(bold: bool = False, size: float = 9) -> Font:
    return Font(name=L.FONT, size=size, bold=bold)


def _put(ws: Worksheet, ref: str, value: object, *, editable: bool = False, bold: bool = False) -> None:
    """Write a cell; text is always text (a plan wording that begins with "=" never becomes a formula)."""
    cell = ws[ref]
    cell.value = value if value != "" else None
    if isinstance(value, str) and value:
        cell.data_type = "s"
    cell.font = _font(bold)
    cell.alignment = WRAP
    if editable:
        cell.protection = Protection(locked=False)
        cell.fill = INPUT_FILL


def source_time(doc: Document) -> _dt.datetime:
    """The fixed time in the workbook: SOURCE_DATE_EPOCH, else the plan's latest revision."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc).replace(tzinfo=None)
    d = doc.plan.latest.date
    return _dt.datetime(d.year, d.month, d.day)


def _period_span(start: Period, end: Period | None) -> str:
    if end is None:
        return f"{period_label(start)}〜（継続）"
    if end.text == start.text:
        return period_label(start)
    return f"{period_label(start)}〜{period_label(end)}"


def _planned(item: Item) -> str:
    if item.task is not None:
        return _period_span(item.task.start, item.task.end)
    if item.milestone is not None:
        return period_label(item.milestone.at)
    return item.row.schedule or "（工程の記載なし）"


def _prefill(prev_entry) -> tuple[str, str, str]:
    """(status, new_from, new_to-or-new_at) carried over from the last evaluation."""
    if prev_entry is None or prev_entry.status is None:
        return "", "", ""
    status = prev_entry.status.value
    new_from = new_to = ""
    if status == "見直し" and isinstance(prev_entry, TaskProgress):
        new_from = prev_entry.new_from.value.text if prev_entry.new_from else ""
        new_to = prev_entry.new_to.value.text if prev_entry.new_to else ""
    elif status == "見直し" and isinstance(prev_entry, MilestoneProgress) and prev_entry.new_at:
        new_to = prev_entry.new_at.value.text
    return status, new_from, new_to


def _head(ws: Worksheet, kind: str, title: str, as_of: Period, sheet_mark: str) -> None:
    cols = L.columns(kind)
    last = cols[-2].letter  # the last visible column
    for ref, mark in (("A1", L.MAGIC), ("A2", f"as_of={as_of.text}"), ("A3", f"sheet={sheet_mark}")):
        _put(ws, ref, mark)
    _put(ws, "B1", f"照会票　{title}", bold=True)
    ws["B1"].font = _font(True, 12)
    ws.merge_cells(f"B1:{last}1")
    how = ("実績値は数値だけを書き、単位は隣の列に書きます。対象期間は年度なら 2020、四半期なら 2021Q1 のように書きます。"
           if kind == "kpi" else
           "状況は一覧から選びます。見直しのときは新しい時期を 2022Q3 のように書きます"
           "（Q1＝4〜6月、Q2＝7〜9月、Q3＝10〜12月、Q4＝翌年1〜3月）。")
    _put(ws, "B2", f"評価する四半期：{quarter_text(as_of)}末の時点（{as_of.text}）　黄色のセルに記入してください。"
                   f"{how}灰色のセルは計画の記載で、変更できません。")
    ws.merge_cells(f"B2:{last}2")
    ws.row_dimensions[1].height = 18
    ws.row_dimensions[2].height = 28
    _put(ws, "B3", "回答部局", bold=True)
    _put(ws, L.DIVISION_CELL, "", editable=True)
    ws.merge_cells("C3:D3")
    _fit_height(ws, L.HEADER_ROW, {c.letter: c.head for c in cols}, kind)
    for c in cols:
        _put(ws, f"{c.letter}{L.HEADER_ROW}", c.head, bold=True)
        ws[f"{c.letter}{L.HEADER_ROW}"].fill = HEAD_FILL
        ws[f"{c.letter}{L.HEADER_ROW}"].border = BORDER
        ws.column_dimensions[c.letter].width = c.width
    ws.column_dimensions["A"].hidden = True
    ws.column_dimensions[cols[-1].letter].hidden = True
    dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="100", allow_blank=True,
                        showErrorMessage=True, errorTitle="回答部局", error="100字以内で入力してください。")
    ws.add_data_validation(dv)
    dv.add(L.DIVISION_CELL)


def _finish(ws: Worksheet, kind: str, last_row: int) -> None:
    cols = L.columns(kind)
    ws.freeze_panes = f"E{L.FIRST_ROW}"
    ws.print_title_rows = f"{L.HEADER_ROW}:{L.HEADER_ROW}"
    ws.print_area = f"B1:{cols[-2].letter}{max(last_row, L.FIRST_ROW)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.oddFooter.center.text = "&A　&P / &N"
    ws.protection.sheet = True
    ws.protection.formatRows = False  # the divisions may resize rows and columns to read long text
    ws.protection.formatColumns = False


def _validations(ws: Worksheet, kind: str, first: int, last: int) -> dict[str, DataValidation]:
    def dv(key: str, **kw) -> DataValidation:
        v = DataValidation(allow_blank=True, showErrorMessage=True, showInputMessage=True, **kw)
        ws.add_data_validation(v)
        return v

    text = dict(type="textLength", operator="lessThanOrEqual", formula1=str(L.MAX_TEXT),
                errorTitle="文字数", error=f"{L.MAX_TEXT}字以内で入力してください。")
    period = dict(type="textLength", operator="lessThanOrEqual", formula1="8", errorTitle="時期",
                  error="時期は 2022Q3（四半期）、2022（年度）、2022-10（月）のように書きます。",
                  promptTitle="時期", prompt="2022Q3 のように（Q1＝4〜6月、Q4＝翌年1〜3月）。年度だけなら 2022。")
    if kind == "kpi":
        return {
            "period": dv("period", type="textLength", operator="lessThanOrEqual", formula1="6", errorTitle="対象期間",
                         error="年度は 2020、四半期は 2021Q1 のように書きます。", promptTitle="実績の対象期間",
                         prompt="年度は 2020、四半期は 2021Q1 のように。"),
            "value": dv("value", type="decimal", operator="between", formula1="-1000000000000", formula2="1000000000000",
                        errorTitle="実績値", error="数値だけを入力してください（単位は隣の列に）。",
                        promptTitle="実績値", prompt="数値だけ（例: 45.5）。単位は隣の列に書きます。"),
            "unit": dv("unit", type="textLength", operator="lessThanOrEqual", formula1="20", errorTitle="単位",
                       error="20字以内で入力してください。"),
            "kind": dv("kind", type="list", formula1='"速報値,確定値"', errorTitle="速報値・確定値",
                       error="一覧から選んでください（速報値・確定値）。"),
            "source": dv("source", **text),
            "note": dv("note", **text),
        }
    return {
        "status": dv("status", type="list", formula1='"' + ",".join(L.STATUS_CHOICES.split("・")) + '"',
                     errorTitle="状況", error=f"一覧から選んでください（{L.STATUS_CHOICES}）。",
                     promptTitle="状況", prompt=f"{L.STATUS_CHOICES} から選びます。"),
        "new_from": dv("new_from", **period),
        "new_to": dv("new_to", **period),
        "done_on": dv("done_on", type="date", operator="between", formula1="DATE(2015,1,1)", formula2="DATE(2035,12,31)",
                      errorTitle="完了日", error="日付を 2021/6/30 のように入力してください。",
                      promptTitle="完了日", prompt="完了したときだけ、日付を 2021/6/30 のように。"),
        "comment": dv("comment", **text),
    }


def _lines_needed(text: str, width: float) -> int:
    """How many lines *text* wraps to in a column *width* characters wide (9 pt BIZ UDPゴシック:
    a Japanese character takes about 1.7 width units, a Latin one about 0.9)."""
    room = max(width - 1.2, 1.0)
    total = 0
    for part in text.split("\n"):
        units = sum(1.5 if unicodedata.east_asian_width(ch) in "WF" else 0.9 for ch in part)
        total += max(1, math.ceil(units / room))
    return total


def _fit_height(ws: Worksheet, r: int, cells: dict[str, object], kind: str, minimum: int = 1) -> None:
    """An explicit row height for the wrapped text: neither Excel nor LibreOffice reliably fits
    the rows of a generated workbook when it opens it, and a clipped plan wording misleads."""
    widths = {c.letter: c.width for c in L.columns(kind)}
    lines = max([minimum] + [_lines_needed(str(v), widths[k]) for k, v in cells.items()
                             if v not in ("", None) and k not in ("A", L.columns(kind)[-1].letter)])
    ws.row_dimensions[r].height = 12.5 * min(lines, 30) + 3


def _line(ws: Worksheet, kind: str, r: int, values: dict[str, object], editable: Iterable[str],
          dvs: dict[str, DataValidation]) -> None:
    editable = set(editable)
    _fit_height(ws, r, values, kind, minimum=2 if editable & {"comment", "note"} else 1)
    for c in L.columns(kind):
        ref = f"{c.letter}{r}"
        value = values.get(c.letter, "")
        _put(ws, ref, value if value != "" else None, editable=c.key in editable)
        ws[ref].border = BORDER
        if c.key in editable and c.key in dvs:
            dvs[c.key].add(ref)
        elif c.letter not in ("A", L.columns(kind)[-1].letter):
            ws[ref].fill = LOCKED_FILL
    if "done_on" in editable:
        ws[f"I{r}"].number_format = "yyyy-mm-dd"


def _appendix_sheet(wb: Workbook, doc: Document, a: Appendix, as_of: Period) -> None:
    ws = wb.create_sheet(L.sheet_title("appendix", a.number))
    _head(ws, "appendix", f"{a.label}　{a.title}", as_of, f"appendix:{a.number}")
    dvs = _validations(ws, "appendix", L.FIRST_ROW, L.FIRST_ROW)
    prev = previous(doc, as_of.first)
    r = L.FIRST_ROW - 1
    for r, item in enumerate(items(a), L.FIRST_ROW):
        entry = reported(prev, item)
        status, new_from, new_to = _prefill(entry)
        before = f"{prev.as_of.value.text}：{status}" if prev is not None and status else ""
        if before and entry.comment is not None:
            before += f"。{entry.comment.value}"
        editable = {"task": ("status", "new_from", "new_to", "done_on", "comment"),
                    "milestone": ("status", "new_to", "done_on", "comment"), "row": ("status", "comment")}[item.kind]
        _line(ws, "appendix", r, {
            "A": item.id, "B": item.row.title, "C": KIND_TEXT[item.kind], "D": item.label, "E": _planned(item),
            "F": status, "G": new_from, "H": new_to, "K": before or ("（前回の評価なし）" if prev is None else ""),
            "L": "|".join((status, new_from, new_to)),
        }, editable, dvs)
    _finish(ws, "appendix", r)


def kpi_unit(k: Kpi) -> str:
    for u in (k.target.unit if k.target else "", k.baseline.unit if k.baseline else ""):
        if u:
            return u
    return ""


def _num(v) -> str:
    if v is None:
        return ""
    return f"{v:,}" if isinstance(v, int) else format(v, ",f")


def _baseline_text(k: Kpi) -> str:
    b = k.baseline
    if b is None:
        return "（計画に記載なし）"
    parts = [f"{_num(b.value)}{b.unit}" if b.value is not None else "", f"{b.fiscal_year}年度" if b.fiscal_year else ""]
    return "　".join(p for p in parts if p) or b.text or "（計画に記載なし）"


def _target_text(k: Kpi) -> str:
    t = k.target
    if t is None:
        return k.status or "（計画に記載なし）"
    value = (f"{t.basis}{_num(t.value)}{t.unit}{t.qualifier}" if t.value is not None
             else f"{t.basis}{t.text}" if t.text else "")
    return "　".join(p for p in (value, t.by_text) if p) or "（計画に記載なし）"


def _kpi_sheet(wb: Workbook, doc: Document, kpis: list[Kpi], as_of: Period) -> None:
    ws = wb.create_sheet(L.sheet_title("kpi"))
    _head(ws, "kpi", "KPI の実績", as_of, "kpi")
    dvs = _validations(ws, "kpi", L.FIRST_ROW, L.FIRST_ROW)
    prev = previous(doc, as_of.first)
    r = L.FIRST_ROW - 1
    for r, k in enumerate(kpis, L.FIRST_ROW):
        known = kpi_series(doc, k.id, prev.quarter) if prev is not None else []
        history = "\n".join(f"{period_label(a.period.value)} {_num(a.value.value)}{a.unit.value}（{a.kind.value}）"
                            for a, _ in known)
        unit = kpi_unit(k)
        _line(ws, "kpi", r, {
            "A": f"kpi:{k.id}", "B": k.indicator, "C": _baseline_text(k), "D": _target_text(k), "E": unit or "（記載なし）",
            "H": unit, "L": history or "（報告なし）", "M": "|".join(("", "", unit, "", "", "")),
        }, ("period", "value", "unit", "kind", "source", "note"), dvs)
        ws[f"G{r}"].number_format = "#,##0.###"
    _finish(ws, "kpi", r)


def selected_kpis(doc: Document, appendices: list[Appendix], all_appendices: bool) -> list[Kpi]:
    """Every KPI for a whole workbook; for chosen appendices, the KPIs their rows serve."""
    if all_appendices:
        return list(doc.kpis())
    wanted = {k for a in appendices for row in a.rows() for k in row.kpis}
    return [k for k in doc.kpis() if k.id in wanted]


def build_workbook(doc: Document, as_of: Period, numbers: list[int] | None = None) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    chosen = [a for a in doc.appendices if numbers is None or a.number in numbers]
    for a in chosen:
        _appendix_sheet(wb, doc, a, as_of)
    kpis = selected_kpis(doc, chosen, numbers is None)
    if kpis:
        _kpi_sheet(wb, doc, kpis, as_of)
    when = source_time(doc)
    wb.properties.created = wb.properties.modified = when
    wb.properties.creator = wb.properties.lastModifiedBy = "dgdocs"
    wb.properties.title = f"照会票 {as_of.text}"
    wb.properties.language = "ja-JP"
    return wb


def workbook_bytes(wb: Workbook, when: _dt.datetime) -> bytes:
    """The workbook as reproducible bytes: openpyxl's parts in its order, fixed entry times."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as z:
        ExcelWriter(wb, z).save()  # unlike save_workbook, keeps properties.modified as set
    out = io.BytesIO()
    stamp = (max(1980, when.year), when.month, when.day, 0, 0, 0)
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            entry.create_system = 0
            dst.writestr(entry, src.read(info.filename), compresslevel=6)
    return out.getvalue()


def write_sheet(doc: Document, as_of: Period, numbers: list[int] | None = None) -> bytes:
    return workbook_bytes(build_workbook(doc, as_of, numbers), source_time(doc))


def default_name(as_of: Period, numbers: list[int] | None = None) -> str:
    part = "".join(f"_別紙{n}" for n in sorted(numbers)) if numbers else ""
    return f"照会票_{as_of.text}{part}.xlsx"
