"""Read a returned 照会票 (.xlsx) cell by cell — untrusted input, bounded work.

:func:`read_book` opens one workbook and returns the :class:`Answer` of every line, collecting
every problem as a Finding whose location is the workbook, the sheet and the cell
(``照会票_別紙2.xlsx 別紙2!F12``).  Before openpyxl sees the bytes, the file is checked: an old
.xls, a password-protected workbook (both OLE2 containers), a text file (CSV) renamed .xlsx,
a corrupt zip, too many or too large parts (zip bombs) and XML with a DTD are refused with a
clear message.  No formula is ever evaluated: a formula cell counts by the value Excel saved
with it, and one without a saved value is an error.

Codes (the 照会票's, DG02x): DG020 not a readable workbook · DG021 not a 照会票 of this quarter
and plan · DG022 an id edited, unknown or repeated · DG023 a cell's value · DG024 a formula
without a saved value · DG025 two answers for one line differ (see :mod:`.answers`) ·
DG026 the progress file exists and would change (see :mod:`.cli`).
"""

from __future__ import annotations

import datetime as _dt
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..model import ACTUAL_KINDS, STATUSES, Document, Finding, Kpi, Loc, Period
from ..periods import parse_period
from . import layout as L
from .status import Item, items

MAX_FILE = 20 * 1024 * 1024  # bytes of the .xlsx itself
MAX_UNPACKED = 64 * 1024 * 1024  # bytes of all its parts, as declared (zipfile enforces the declared size)
MAX_PARTS = 500
MAX_LINES = 5000  # answer lines per sheet
MAX_SHEETS = 50
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Answer:
    """One line of a returned sheet: its values, where each came from, and whether it was touched."""

    item_id: str
    kind: str  # "task" / "milestone" / "row" / "kpi"
    book: str
    sheet: str
    row: int
    values: dict[str, Any]
    locs: dict[str, Loc]
    untouched: bool  # every input as the sheet was issued (a carried-over status, not an answer)
    division: str | None = None

    def loc(self, key: str) -> Loc:
        return self.locs.get(key) or Loc(f"{self.book} {self.sheet}!A{self.row}")


@dataclass
class BookResult:
    answers: list[Answer] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # not errors: sheets that are not 照会票 sheets


def cell_loc(book: str, sheet: str, letter: str, row: int) -> Loc:
    return Loc(f"{book} {sheet}!{letter}{row}")


def _err(res: BookResult, code: str, loc: Loc, message: str, hint: str) -> None:
    res.problems.append(Finding(code, "error", loc, message, hint))


# ------------------------------------------------------------------ the file itself

def _looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    for enc in ("utf-8-sig", "cp932"):
        try:
            text = head.decode(enc)
        except UnicodeDecodeError:
            continue
        return all(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return False


def _check_container(data: bytes, book: str, res: BookResult) -> zipfile.ZipFile | None:
    loc = Loc(book)
    resave = "Excel で開き、「名前を付けて保存」で「Excel ブック (*.xlsx)」を選んで保存し直してください。"
    if len(data) > MAX_FILE:
        _err(res, "DG020", loc, f"ファイルが大きすぎます（{len(data) // 1024 // 1024} MB。上限 {MAX_FILE // 1024 // 1024} MB）。",
             "照会票として配布したブックに回答を書いて返してください（画像などを貼り付けないでください）。")
        return None
    if data.startswith(OLE2):
        if "EncryptedPackage".encode("utf-16-le") in data:
            _err(res, "DG020", loc, "パスワードで保護（暗号化）されたブックは読めません。",
                 "Excel で開き、「ファイル」→「情報」→「ブックの保護」でパスワードを解除してから保存し直してください。")
        else:
            _err(res, "DG020", loc, "古い形式（.xls）のブックは読めません。", resave)
        return None
    if not data.startswith(b"PK\x03\x04"):
        if _looks_like_text(data):
            _err(res, "DG020", loc, "Excel ブック（.xlsx）ではなく、CSV などのテキストファイルです（拡張子だけが .xlsx になっています）。",
                 "配布した照会票のブックに回答を書いて返してもらってください。" + resave)
        else:
            _err(res, "DG020", loc, "Excel ブック（.xlsx）として読めません（壊れているか、別の形式のファイルです）。",
                 "送られたファイルが壊れていないか確かめ、配布した照会票で回答し直してもらってください。")
        return None
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        _err(res, "DG020", loc, "Excel ブック（.xlsx）として読めません（ファイルが壊れています）。",
             "送られたファイルが途中で切れていないか確かめ、もう一度送ってもらってください。")
        return None
    if len(infos) > MAX_PARTS or sum(i.file_size for i in infos) > MAX_UNPACKED:
        _err(res, "DG020", loc, f"ブックの中身が大きすぎます（展開後 {sum(i.file_size for i in infos) // 1024 // 1024} MB、"
             f"{len(infos)} 個の部品。上限 {MAX_UNPACKED // 1024 // 1024} MB、{MAX_PARTS} 個）。",
             "照会票として配布したブックに回答を書いて返してください。")
        return None
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        _err(res, "DG020", loc, "Excel ブック（.xlsx）ではありません（zip ファイルですが、ブックの部品がありません）。", resave)
        return None
    try:
        for i in infos:
            part = z.read(i)  # checks the CRC; never more than the declared size
            if i.filename.endswith((".xml", ".rels")) and b"<!DOCTYPE" in part[:4096].upper():
                _err(res, "DG020", loc, f"ブックの部品 {i.filename} に DTD があります（Excel が作るブックにはありません）。",
                     "配布した照会票で回答し直してもらってください。")
                return None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        _err(res, "DG020", loc, "Excel ブック（.xlsx）として読めません（ファイルが壊れています）。",
             "送られたファイルが途中で切れていないか確かめ、もう一度送ってもらってください。")
        return None
    return z


def _open(data: bytes, book: str, res: BookResult):
    if _check_container(data, book, res) is None:
        return None
    from openpyxl import load_workbook
    try:
        values = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged part
        _err(res, "DG020", Loc(book), f"Excel ブックとして読めません（{type(exc).__name__}）。",
             "Excel で開けるか確かめ、開けたら .xlsx で保存し直してください。")
        return None
    return values, formulas


# ------------------------------------------------------------------ cells

def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return unicodedata.normalize("NFKC", str(v)).strip() if not isinstance(v, str) else v.strip()


def _period(v: Any, only: tuple[str, ...] = ()) -> Period:
    raw = _text(v)
    raw = unicodedata.normalize("NFKC", raw).upper().replace("Ｑ", "Q")
    if raw.startswith("CY"):
        raw = "cy" + raw[2:]
    p = parse_period(raw)
    if only and p.precision not in only:
        raise ValueError(f"「{raw}」は年度（2020）か四半期（2021Q1）ではありません")
    return p


def _date(v: Any) -> _dt.date:
    if isinstance(v, _dt.datetime):
        return v.date()
    if isinstance(v, _dt.date):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        from openpyxl.utils.datetime import from_excel
        d = from_excel(v)
        return d.date() if isinstance(d, _dt.datetime) else d
    text = unicodedata.normalize("NFKC", _text(v)).replace("/", "-").replace(".", "-")
    try:
        return _dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
    except ValueError:
        raise ValueError(f"「{_text(v)}」は日付ではありません") from None


def _number(v: Any) -> Decimal | int:
    if isinstance(v, bool):
        raise ValueError("数値ではありません")
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        d = Decimal(repr(v))
        return int(d) if d == d.to_integral_value() and "." not in repr(v).rstrip("0").rstrip(".") else d.normalize()
    text = unicodedata.normalize("NFKC", _text(v)).replace(",", "")
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"実績値「{_text(v)}」は数値ではありません") from None
    if not d.is_finite():
        raise ValueError(f"実績値「{_text(v)}」は数値ではありません")
    return int(d) if d == d.to_integral_value() and "." not in text else d


FIELD_NAMES = {"status": "状況", "new_from": "見直し後の開始", "new_to": "見直し後の終わり", "done_on": "完了日",
               "comment": "コメント", "period": "実績の対象期間", "value": "実績値", "unit": "単位",
               "kind": "速報値・確定値", "source": "出典", "note": "備考"}


def _parse(key: str, raw: Any, item_kind: str) -> Any:
    """A cell's value for *key* (ValueError with a Japanese message when it is not allowed)."""
    if key == "status":
        s = _text(raw)
        if s not in STATUSES:
            raise ValueError(f"状況「{s}」は選べません（{L.STATUS_CHOICES}）")
        return s
    if key in ("new_from", "new_to"):
        return _period(raw)
    if key == "period":
        return _period(raw, ("fiscal_year", "quarter"))
    if key == "done_on":
        return _date(raw)
    if key == "value":
        return _number(raw)
    if key == "kind":
        s = _text(raw)
        if s not in ACTUAL_KINDS:
            raise ValueError(f"「{s}」は選べません（速報値・確定値）")
        return s
    s = _text(raw)
    if len(s) > L.MAX_TEXT:
        raise ValueError(f"{FIELD_NAMES.get(key, key)}が長すぎます（{len(s)}字。上限 {L.MAX_TEXT}字）")
    return s


# ------------------------------------------------------------------ sheets

def _expected(doc: Document, mark: str) -> tuple[str, dict[str, Item | Kpi], str] | None:
    """(kind, {id: item or KPI}, sheet title) for the sheet mark ``appendix:2`` / ``kpi``."""
    if mark == "kpi":
        return "kpi", {f"kpi:{k.id}": k for k in doc.kpis()}, "KPI"
    if mark.startswith("appendix:") and mark[9:].isdigit():
        a = doc.appendix(int(mark[9:]))
        if a is not None:
            return "appendix", {i.id: i for i in items(a)}, a.label
    return None


def _plan_label(thing: Item | Kpi) -> str:
    return thing.label if isinstance(thing, Item) else thing.indicator


def _read_sheet(doc: Document, as_of: Period, book: str, ws_v, ws_f, res: BookResult) -> None:
    title = ws_v.title
    head = [[_text(c.value) for c in row] for row in ws_v.iter_rows(min_row=1, max_row=3, max_col=4)]
    head += [[""] * 4] * (3 - len(head))
    if not head or head[0][0] != L.MAGIC:
        res.notes.append(f"{book} {title}: 照会票のシートではないため読みませんでした。")
        return
    at = cell_loc(book, title, "A", 2)
    sheet_as_of = head[1][0].removeprefix("as_of=")
    if sheet_as_of != as_of.text:
        _err(res, "DG021", at, f"このシートは {sheet_as_of or '不明'} の照会票です（取り込むのは {as_of.text}）。",
             f"{as_of.text} の照会票（dgdocs progress sheet --as-of {as_of.text}）で回答してもらうか、--as-of を確かめてください。")
        return
    exp = _expected(doc, head[2][0].removeprefix("sheet="))
    if exp is None:
        _err(res, "DG021", cell_loc(book, title, "A", 3), f"シート「{title}」は計画にない別紙の照会票です（{head[2][0]}）。",
             "現在の計画から作った照会票で回答してもらってください。")
        return
    kind, known, expected_title = exp
    division = head[2][2] or None
    cols = L.columns(kind)
    inputs = [c for c in cols if c.input]
    issued_col = cols[-1]
    label_col = next(c for c in cols if c.key == "label")
    seen: dict[str, int] = {}
    f_rows = ws_f.iter_rows(min_row=L.FIRST_ROW, max_col=len(cols))
    for n, row_v in enumerate(ws_v.iter_rows(min_row=L.FIRST_ROW, max_col=len(cols)), L.FIRST_ROW):
        row_f = next(f_rows, ())
        if n - L.FIRST_ROW >= MAX_LINES:
            _err(res, "DG020", cell_loc(book, title, "A", n), f"シート「{title}」の行が多すぎます（上限 {MAX_LINES} 行）。",
                 "配布した照会票の行だけに回答してください（行を貼り付けて増やさないでください）。")
            return
        cells = {c.letter: (row_v[i].value if i < len(row_v) else None) for i, c in enumerate(cols)}
        ftypes = {c.letter: (getattr(row_f[i], "data_type", None) if i < len(row_f) else None) for i, c in enumerate(cols)}
        fvals = {c.letter: (getattr(row_f[i], "value", None) if i < len(row_f) else None) for i, c in enumerate(cols)}
        rid = _text(cells["A"])
        filled = [c for c in inputs if _text(cells[c.letter]) != ""]
        if not rid:
            if filled and kind == "appendix" or (kind == "kpi" and any(c.key != "unit" for c in filled)):
                c = filled[0]
                _err(res, "DG022", cell_loc(book, title, c.letter, n), f"id のない行（{n}行目）に回答があります。",
                     "行を追加・コピーせず、配布した行に回答してください（非表示の A 列の id は消さないでください）。")
            continue
        thing = known.get(rid)
        if thing is None:
            _err(res, "DG022", cell_loc(book, title, "A", n), f"id「{rid}」は{expected_title}にありません（id が編集されています）。",
                 "非表示の A 列の id は編集しないでください。配布した照会票で回答し直してもらってください。")
            continue
        if _text(cells[label_col.letter]) != _text(_plan_label(thing)):
            _err(res, "DG022", cell_loc(book, title, "A", n),
                 f"id「{rid}」の行の計画の記載（{label_col.letter}{n}）が計画と一致しません（id か計画の記載が書き換えられたか、別の版の計画の照会票です）。",
                 "id と計画の記載の列は編集しないでください。現在の計画から作った照会票で回答し直してもらってください。")
            continue
        if rid in seen:
            _err(res, "DG022", cell_loc(book, title, "A", n), f"id「{rid}」の行が2回あります（最初は {seen[rid]} 行目）。",
                 "行をコピーしないでください。")
            continue
        seen[rid] = n
        issued = _text(cells[issued_col.letter]).split("|")
        values: dict[str, Any] = {}
        locs: dict[str, Loc] = {}
        bad = False
        for c in inputs:
            loc = cell_loc(book, title, c.letter, n)
            if ftypes[c.letter] == "f" and cells[c.letter] is None:
                _err(res, "DG024", loc, f"{FIELD_NAMES[c.key]}のセルは数式（{str(fvals[c.letter])[:40]}）で、計算結果が保存されていません。",
                     "数式ではなく値を入力してください（Excel で開いて保存し直すと結果が保存されます）。")
                bad = True
                continue
            if _text(cells[c.letter]) == "":
                continue
            try:
                values[c.key] = _parse(c.key, cells[c.letter], kind)
            except ValueError as exc:
                _err(res, "DG023", loc, f"{exc}。", _hint(c.key))
                bad = True
                continue
            locs[c.key] = loc
        if bad:
            continue
        now = [_text(cells[c.letter]) for c in inputs]
        untouched = now == (issued + [""] * len(now))[: len(now)] if issued != [""] else not any(now)
        if kind == "kpi":
            _kpi_line_checks(res, book, title, n, values, untouched)
        res.answers.append(Answer(rid, "kpi" if kind == "kpi" else thing.kind, book, title, n, values, locs, untouched,
                                  division))


def _hint(key: str) -> str:
    return {
        "status": f"一覧（{L.STATUS_CHOICES}）から選んでください。",
        "new_from": "時期は 2022Q3（四半期）、2022（年度）、2022-10（月）のように書きます。",
        "new_to": "時期は 2022Q3（四半期）、2022（年度）、2022-10（月）のように書きます。",
        "period": "年度は 2020、四半期は 2021Q1 のように書きます。",
        "done_on": "日付を 2021/6/30 のように書きます。",
        "value": "数値だけを書き、単位は「単位」の列に書きます。",
        "kind": "速報値 か 確定値 を選んでください。",
    }.get(key, "短くまとめてください。")


def _kpi_line_checks(res: BookResult, book: str, sheet: str, n: int, values: dict[str, Any], untouched: bool) -> None:
    if untouched or not ({"value", "period", "kind"} & values.keys()):
        return
    for key, letter in (("period", "F"), ("value", "G"), ("unit", "H"), ("kind", "I")):
        if key not in values:
            _err(res, "DG023", cell_loc(book, sheet, letter, n), f"実績を報告するときは{FIELD_NAMES[key]}も書いてください。",
                 "実績の対象期間・実績値・単位・速報値/確定値の4つをそろえて書きます。")


def read_book(doc: Document, as_of: Period, path: Path, name: str | None = None) -> BookResult:
    """Every answer of the workbook at *path* for the evaluation of *as_of*."""
    book = name or path.name
    res = BookResult()
    try:
        data = path.read_bytes()
    except OSError as exc:
        _err(res, "DG020", Loc(book), f"ファイルを読めません（{exc.strerror}）。", "ファイル名と場所を確かめてください。")
        return res
    opened = _open(data, book, res)
    if opened is None:
        return res
    values, formulas = opened
    try:
        sheets = values.sheetnames
        if len(sheets) > MAX_SHEETS:
            _err(res, "DG020", Loc(book), f"シートが多すぎます（{len(sheets)} 枚。上限 {MAX_SHEETS} 枚）。",
                 "照会票として配布したブックに回答を書いて返してください。")
            return res
        for title in sheets:
            _read_sheet(doc, as_of, book, values[title], formulas[title], res)
    except Exception as exc:  # a damaged sheet part surfaces only while streaming its rows
        if isinstance(exc, (MemoryError, KeyboardInterrupt)):
            raise
        _err(res, "DG020", Loc(book), f"Excel ブックの内容を読めません（{type(exc).__name__}）。",
             "Excel で開けるか確かめ、開けたら .xlsx で保存し直してください。")
    finally:
        values.close()
        formulas.close()
    if not res.answers and not res.problems:
        _err(res, "DG021", Loc(book), "dgdocs の照会票のシートが1枚もありません。",
             "dgdocs progress sheet で作った照会票に回答を書いて返してもらってください。")
    return res
