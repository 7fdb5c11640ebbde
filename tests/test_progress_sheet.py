"""The 照会票 workbook as the issue asks: a sheet per appendix and one for the KPIs, the plan in
locked cells, last evaluation's status prefilled, data validation, frozen header, Japanese
heads, A4 landscape, a hidden id column; byte-reproducible (架空の例 only)."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from dgdocs.load import load
from dgdocs.progress.quarter import parse_quarter
from dgdocs.progress.sheet import write_sheet

from progress_helpers import EXTRA


@pytest.fixture
def content(make_content):
    return make_content(EXTRA)


@pytest.fixture
def book(content):
    return load_workbook(io.BytesIO(write_sheet(load(content), parse_quarter("2021Q2"))))


def test_one_sheet_per_appendix_and_one_for_kpis(book):
    assert book.sheetnames == ["別紙1", "KPI"]


def test_the_plan_is_locked_and_the_answers_are_not(book):
    ws = book["別紙1"]
    assert ws.protection.sheet
    assert [ws[f"{c}4"].value for c in "BCDEFGHIJK"] == [
        "施策（行）", "区分", "工程・マイルストーン（計画の記載）", "計画の時期", "状況", "見直し後の開始",
        "見直し後の終わり（マイルストーンは時期）", "完了日", "コメント（状況の説明、遅延・見直しの理由）", "前回の評価"]
    assert [ws[f"{c}5"].value for c in "ABCDE"] == ["r1/t1", "手続のオンライン化", "工程", "改修", "2021年度Q1〜2022年度Q2"]
    assert ws["D6"].value == "運用開始" and ws["E6"].value == "2022年10月" and ws["A6"].value == "r1/m1"
    assert ws["A7"].value == "r2" and ws["C7"].value == "行" and ws["D7"].value == "本文に工程の記載なし"
    for ref in ("B5", "D5", "E5", "K5"):
        assert ws[ref].protection.locked, ref
    for ref in ("F5", "G5", "H5", "I5", "J5", "F6", "H6", "F7", "J7", "C3"):
        assert not ws[ref].protection.locked, ref
    for ref in ("G6", "G7", "H7", "I7"):  # a milestone has no new start; a row without schedule no period
        assert ws[ref].protection.locked, ref


def test_last_evaluation_is_prefilled(book):
    ws = book["別紙1"]
    assert ws["F5"].value == "実施中"
    assert ws["K5"].value == "2021Q1：実施中。設計中（架空）"
    assert ws["F6"].value is None
    assert ws["L5"].value == "実施中||"  # what the sheet was issued with (hidden)


def test_inputs_are_validated(book):
    ws = book["別紙1"]
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    status = next(dv for ref, dv in rules.items() if "F5" in ref)
    assert status.type == "list" and status.formula1 == '"未着手,実施中,完了,遅延,中止,見直し"' and status.showErrorMessage
    assert "F6" in str(status.sqref) and "F7" in str(status.sqref)
    done = next(dv for ref, dv in rules.items() if "I5" in ref)
    assert done.type == "date"
    kpi = {str(dv.sqref): dv for dv in book["KPI"].data_validations.dataValidation}
    assert next(dv for ref, dv in kpi.items() if "G5" in ref).type == "decimal"
    assert next(dv for ref, dv in kpi.items() if "I5" in ref).formula1 == '"速報値,確定値"'


def test_header_frozen_id_hidden_and_a4_landscape(book):
    for ws in book.worksheets:
        assert ws.freeze_panes == "E5"
        assert ws.column_dimensions["A"].hidden
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.print_title_rows == "$4:$4"
    assert book["別紙1"].column_dimensions["L"].hidden and book["KPI"].column_dimensions["M"].hidden
    assert [book["KPI"][f"A{r}"].value for r in (1, 2, 3)] == ["dgdocs-progress/1", "as_of=2021Q2", "sheet=kpi"]


def test_kpi_sheet_shows_the_plan_and_prefills_the_unit(book):
    ws = book["KPI"]
    assert ws["A5"].value == "kpi:k-rate" and ws["B5"].value == "オンライン利用率"
    assert ws["D5"].value == "100%　2021年度末までに" and ws["E5"].value == "%" and ws["H5"].value == "%"


def test_plan_wording_never_becomes_a_formula(book):
    cell = book["別紙1"]["B7"]
    assert cell.value.startswith("=SUM") and cell.data_type == "s"


def test_the_workbook_is_byte_reproducible(content, monkeypatch):
    doc = load(content)
    q = parse_quarter("2021Q2")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = write_sheet(doc, q)
    assert write_sheet(doc, q) == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        core = z.read("docProps/core.xml").decode()
        assert "2020-03-31T00:00:00Z" in core  # the plan's latest revision, not the clock
        assert {i.date_time for i in z.infolist()} == {(2020, 3, 31, 0, 0, 0)}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1625097600")  # 2021-07-01
    with zipfile.ZipFile(io.BytesIO(write_sheet(doc, q))) as z:
        assert "2021-07-01T00:00:00Z" in z.read("docProps/core.xml").decode()


def test_one_appendix_and_its_kpis(content, tmp_path):
    from progress_helpers import run
    out = tmp_path / "照会票_別紙1.xlsx"
    assert run("--content", str(content), "progress", "sheet", "--as-of", "2021Q2", "--appendix", "1", "--out", str(out)) == 0
    assert load_workbook(out).sheetnames == ["別紙1", "KPI"]
    assert run("--content", str(content), "progress", "sheet", "--as-of", "2021Q2", "--appendix", "7", "--out", str(out)) == 2


def test_the_shipped_plan_makes_a_sheet_for_every_appendix(doc):
    wb = load_workbook(io.BytesIO(write_sheet(doc, parse_quarter("2021Q1"))))
    assert wb.sheetnames == [f"別紙{n}" for n in range(1, 7)] + ["KPI"]
    assert wb["KPI"].max_row == 4 + sum(1 for _ in doc.kpis())


def test_the_same_bytes_from_another_process(content, tmp_path):
    """No hash order, clock or process state reaches the workbook."""
    import subprocess
    import sys
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"s{seed}.xlsx"
        env = {k: v for k, v in __import__("os").environ.items() if k != "SOURCE_DATE_EPOCH"} | {"PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "dgdocs", "--content", str(content), "progress", "sheet", "--as-of", "2021Q2",
                        "--out", str(out)], check=True, env=env, capture_output=True)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
