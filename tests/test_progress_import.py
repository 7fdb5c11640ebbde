"""``dgdocs progress import``: the returned 照会票 validated cell by cell, merged across divisions,
written only with --write and only when everything is valid, never silently over an existing
file; every bad input is a clear Japanese error naming workbook, sheet and cell, and leaves
content/ exactly as it was.  All answers are fictional (架空の例)."""

from __future__ import annotations

import io
import zipfile

import pytest

from dgdocs.load import load

from progress_helpers import EXTRA, fill, run, tree

EXPECTED = """\
# 四半期評価の進捗（dgdocs progress import で照会票から作成。書式は dgdocs/load/progress.py）
# 工程表（別紙）は計画そのもので、ここでは書き換えません。見直しは new_from / new_to / new_at に書きます。
as_of: 2021Q2
note: 架空の例（試験用。計画の実績ではない）
rows:
  - id: r1
    tasks:
      - label: 改修
        status: 見直し
        new_from: 2021Q3
        new_to: 2022Q4
        comment: 部品調達の遅れで工程を見直した（架空）
        division: 架空局第一課
    milestones:
      - label: 運用開始
        status: 未着手
        division: 架空局第一課
  - id: r2
    status: 実施中
    comment: 要件を整理中（架空）
    division: 架空局第一課
kpis:
  - id: k-rate
    actuals:
      - period: 2020
        value: 45.5
        unit: '%'
        kind: 確定値
        source: 架空の調査
        division: 架空局第一課
"""

DIVISION_1 = {
    "別紙1": {"C3": "架空局第一課", "F5": "見直し", "G5": "2021Q3", "H5": "2022Q4", "J5": "部品調達の遅れで工程を見直した（架空）",
              "F6": "未着手", "F7": "実施中", "J7": "要件を整理中（架空）"},
    "KPI": {"C3": "架空局第一課", "F5": 2020, "G5": 45.5, "I5": "確定値", "J5": "架空の調査"},
}
NOTE = "架空の例（試験用。計画の実績ではない）"


@pytest.fixture
def content(make_content):
    return make_content(EXTRA)


@pytest.fixture
def sheet(content, tmp_path):
    out = tmp_path / "out" / "照会票_2021Q2.xlsx"
    assert run("--content", str(content), "progress", "sheet", "--as-of", "2021Q2", "--out", str(out)) == 0
    return out


def _import(content, *files, write=True, extra=()):
    args = ["--content", str(content), "progress", "import", *map(str, files), "--as-of", "2021Q2", "--note", NOTE, *extra]
    return run(*args, *(["--write"] if write else []))


def test_round_trip_sheet_filled_imported_equals_the_expected_yaml(content, sheet, tmp_path, capsys):
    book = fill(sheet, DIVISION_1, tmp_path / "照会票_別紙1.xlsx")
    assert _import(content, book, write=False) == 0
    out = capsys.readouterr().out
    assert "追加: 行「r1」の工程「改修」: status=見直し" in out and "まだ書き込んでいません" in out
    assert not (content / "progress" / "2021Q2.yaml").exists()  # without --write nothing is written
    assert _import(content, book) == 0
    assert (content / "progress" / "2021Q2.yaml").read_text("utf-8") == EXPECTED
    doc = load(content)  # the written file loads like every progress file
    assert [e.as_of.value.text for e in doc.progress] == ["2021Q1", "2021Q2"]


def test_the_commands_run_as_a_division_runs_them_in_a_fresh_process(content, tmp_path):
    # `dgdocs progress sheet` and `progress import` as typed at a terminal: a new interpreter that
    # has imported nothing (the in-process tests had imported dgdocs.load first, which hid an
    # import cycle that made every fresh `progress import` fail)
    import subprocess
    import sys

    def dgdocs(*args):
        return subprocess.run([sys.executable, "-m", "dgdocs", "--content", str(content), *args],
                              capture_output=True, text=True, encoding="utf-8")
    sheet = tmp_path / "照会票_2021Q2.xlsx"
    made = dgdocs("progress", "sheet", "--as-of", "2021Q2", "--out", str(sheet))
    assert made.returncode == 0, made.stderr
    book = fill(sheet, DIVISION_1, tmp_path / "照会票_別紙1.xlsx")
    done = dgdocs("progress", "import", str(book), "--as-of", "2021Q2", "--note", NOTE, "--write")
    assert done.returncode == 0, done.stderr
    assert (content / "progress" / "2021Q2.yaml").read_text("utf-8") == EXPECTED


def test_two_divisions_merge_and_an_untouched_prefill_gives_way(content, sheet, tmp_path):
    a = fill(sheet, {"別紙1": {"C3": "架空局第一課", "F6": "未着手"}}, tmp_path / "a.xlsx")  # leaves F5 実施中 as issued
    b = fill(sheet, {"別紙1": {"C3": "架空局第二課", "F5": "遅延", "J5": "調達の遅れ（架空）"}}, tmp_path / "b.xlsx")
    assert _import(content, a, b) == 0
    ev = load(content).progress[1]
    task = ev.row("r1").task("改修")
    assert (task.status.value, task.division.value) == ("遅延", "架空局第二課")
    assert ev.row("r1").milestone("運用開始").division.value == "架空局第一課"


def test_the_same_line_answered_twice_differently_names_both_cells(content, sheet, tmp_path, capsys):
    a = fill(sheet, {"別紙1": {"F5": "完了"}}, tmp_path / "照会票_A課.xlsx")
    b = fill(sheet, {"別紙1": {"F5": "遅延"}}, tmp_path / "照会票_B課.xlsx")
    before = tree(content)
    assert _import(content, a, b) == 1
    err = capsys.readouterr().err
    assert "照会票_A課.xlsx 別紙1!F5 と 照会票_B課.xlsx 別紙1!F5 で、同じ行（id r1/t1）の状況の回答が違います（「完了」と「遅延」）" in err
    assert "DG025" in err and "何も書き込んでいません" in err
    assert tree(content) == before


def test_an_existing_progress_file_is_never_overwritten_silently(content, sheet, tmp_path, capsys):
    first = fill(sheet, {"別紙1": {"F5": "遅延"}}, tmp_path / "1.xlsx")
    assert _import(content, first) == 0
    written = (content / "progress" / "2021Q2.yaml").read_bytes()
    again = fill(sheet, {"別紙1": {"F5": "完了", "I5": "2021-09-30"}}, tmp_path / "2.xlsx")
    capsys.readouterr()
    assert _import(content, again) == 1
    captured = capsys.readouterr()
    assert "変更: 行「r1」の工程「改修」: status=遅延、division" not in captured.out  # no division given
    assert "変更: 行「r1」の工程「改修」: status=遅延 → status=完了、done_on=2021-09-30" in captured.out
    assert "DG026" in captured.err and "--replace" in captured.err
    assert (content / "progress" / "2021Q2.yaml").read_bytes() == written
    assert _import(content, again, extra=("--replace",)) == 0
    assert load(content).progress[1].row("r1").task("改修").status.value == "完了"


def test_a_later_workbook_adds_to_the_file_without_replace(content, sheet, tmp_path):
    assert _import(content, fill(sheet, {"別紙1": {"F6": "未着手"}}, tmp_path / "1.xlsx")) == 0
    assert _import(content, fill(sheet, {"KPI": {"F5": 2020, "G5": 40, "I5": "速報値"}}, tmp_path / "2.xlsx")) == 0
    ev = load(content).progress[1]
    assert ev.row("r1").milestone("運用開始").status.value == "未着手"
    assert ev.kpi("k-rate").actuals[0].value.value == 40


# ----------------------------------------------------------------- bad inputs

def _bad(content, path, capsys) -> str:
    before = tree(content)
    assert _import(content, path) == 1
    assert tree(content) == before, "a failed import wrote something"
    return capsys.readouterr().err


CELL_ERRORS = [
    ("status", {"別紙1": {"F5": "済"}}, "DG023", "照会票.xlsx 別紙1!F5", "状況「済」は選べません（未着手・実施中・完了・遅延・中止・見直し）"),
    ("period", {"別紙1": {"F5": "見直し", "H5": "2022Q5"}}, "DG023", "照会票.xlsx 別紙1!H5", "四半期「Q5」はありません"),
    ("date", {"別紙1": {"F5": "完了", "I5": "来月"}}, "DG023", "照会票.xlsx 別紙1!I5", "「来月」は日付ではありません"),
    ("number", {"KPI": {"F5": 2020, "G5": "約50", "I5": "速報値"}}, "DG023", "照会票.xlsx KPI!G5", "実績値「約50」は数値ではありません"),
    ("kind", {"KPI": {"F5": 2020, "G5": 50, "I5": "暫定"}}, "DG023", "照会票.xlsx KPI!I5", "「暫定」は選べません（速報値・確定値）"),
    ("missing kind", {"KPI": {"F5": 2020, "G5": 50}}, "DG023", "照会票.xlsx KPI!I5", "実績を報告するときは速報値・確定値も書いてください"),
    ("actual period", {"KPI": {"F5": "2021-04", "G5": 50, "I5": "速報値"}}, "DG023", "照会票.xlsx KPI!F5", "年度（2020）か四半期（2021Q1）ではありません"),
    ("comment without status", {"別紙1": {"F6": None, "J6": "説明だけ（架空）"}}, "DG023", "照会票.xlsx 別紙1!F6", "状況が空欄です"),
    ("period on a row", {"別紙1": {"F7": "見直し", "H7": "2022Q3"}}, "DG023", "照会票.xlsx 別紙1!H7", "工程の記載がない行には見直し後の終わりは書けません"),
    ("formula", {"別紙1": {"F6": '=IF(1,"完了","")'}}, "DG024", "照会票.xlsx 別紙1!F6", "計算結果が保存されていません"),
    ("edited id", {"別紙1": {"A5": "r1/t9"}}, "DG022", "照会票.xlsx 別紙1!A5", "id「r1/t9」は別紙1にありません（id が編集されています）"),
    ("swapped id", {"別紙1": {"A5": "r1/m1", "A6": "r1/t1"}}, "DG022", "照会票.xlsx 別紙1!A5", "計画の記載（D5）が計画と一致しません"),
    ("added line", {"別紙1": {"F9": "完了"}}, "DG022", "照会票.xlsx 別紙1!F9", "id のない行（9行目）に回答があります"),
]


@pytest.mark.parametrize("case", CELL_ERRORS, ids=[c[0] for c in CELL_ERRORS])
def test_a_bad_cell_is_named_by_workbook_sheet_and_cell(content, sheet, tmp_path, capsys, case):
    _, cells, code, where, message = case
    err = _bad(content, fill(sheet, cells, tmp_path / "照会票.xlsx"), capsys)
    assert any(line.startswith(f"{where}: error {code}: ") and message in line for line in err.splitlines()), err


def test_all_errors_are_shown_at_once(content, sheet, tmp_path, capsys):
    path = fill(sheet, {"別紙1": {"F5": "済", "F6": "おわり", "I5": "いつか"}, "KPI": {"F5": 2020, "G5": "たくさん", "I5": "速報値"}},
                tmp_path / "照会票.xlsx")
    err = _bad(content, path, capsys)
    for where in ("別紙1!F5", "別紙1!F6", "別紙1!I5", "KPI!G5"):
        assert f"照会票.xlsx {where}: error DG023" in err, where
    assert "4 件の問題" in err


def test_a_sheet_of_another_quarter(content, tmp_path, capsys):
    old = tmp_path / "照会票_2021Q1.xlsx"
    assert run("--content", str(content), "progress", "sheet", "--as-of", "2021Q1", "--out", str(old)) == 0
    err = _bad(content, fill(old, {"別紙1": {"F5": "完了"}}), capsys)
    assert "照会票_2021Q1.xlsx 別紙1!A2: error DG021: このシートは 2021Q1 の照会票です（取り込むのは 2021Q2）。" in err


def _file(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_an_old_xls(content, tmp_path, capsys):
    # an OLE2 compound file (the container of .xls) — the first sector of a real one
    err = _bad(content, _file(tmp_path, "照会票.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "Workbook".encode("utf-16-le")), capsys)
    assert "照会票.xlsx: error DG020: 古い形式（.xls）のブックは読めません。" in err


def test_a_password_protected_workbook(content, tmp_path, capsys):
    # Excel encrypts an .xlsx into an OLE2 file holding the streams EncryptionInfo and EncryptedPackage
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 50 + \
        "EncryptedPackage".encode("utf-16-le")
    err = _bad(content, _file(tmp_path, "照会票.xlsx", data), capsys)
    assert "照会票.xlsx: error DG020: パスワードで保護（暗号化）されたブックは読めません。" in err


def test_a_csv_renamed_xlsx(content, tmp_path, capsys):
    err = _bad(content, _file(tmp_path, "照会票.xlsx", "id,状況\nr1/t1,完了\n".encode("cp932")), capsys)
    assert "CSV などのテキストファイルです（拡張子だけが .xlsx になっています）" in err


def test_a_corrupt_workbook(content, sheet, tmp_path, capsys):
    data = sheet.read_bytes()
    err = _bad(content, _file(tmp_path, "照会票.xlsx", data[: len(data) // 2]), capsys)
    assert "照会票.xlsx: error DG020: Excel ブック（.xlsx）として読めません（ファイルが壊れています）。" in err


def test_a_zip_bomb_is_refused_before_it_is_unpacked(content, tmp_path, capsys):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (65 * 1024 * 1024))  # compresses to ~64 KB
    err = _bad(content, _file(tmp_path, "照会票.xlsx", buf.getvalue()), capsys)
    assert "ブックの中身が大きすぎます（展開後 65 MB" in err


def test_a_part_with_a_dtd_is_refused(content, sheet, tmp_path, capsys):
    src = zipfile.ZipFile(sheet)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data
            z.writestr(info, data)
    err = _bad(content, _file(tmp_path, "照会票.xlsx", buf.getvalue()), capsys)
    assert "DTD があります" in err


def test_a_huge_sheet_is_cut_off_with_a_message(content, sheet, tmp_path, capsys, monkeypatch):
    from dgdocs.progress import workbook
    monkeypatch.setattr(workbook, "MAX_LINES", 3)  # the real cap is 5000 lines; the rule is the same
    err = _bad(content, fill(sheet, {"別紙1": {"B20": "貼り付けられた行"}}, tmp_path / "照会票.xlsx"), capsys)
    assert "照会票.xlsx 別紙1!A8: error DG020: シート「別紙1」の行が多すぎます（上限 3 行）" in err


def test_a_file_that_is_not_there(content, tmp_path, capsys):
    err = _bad(content, tmp_path / "ない.xlsx", capsys)
    assert "ない.xlsx: error DG020: ファイルを読めません" in err


def test_a_workbook_without_any_照会票_sheet(content, tmp_path, capsys):
    from openpyxl import Workbook
    wb = Workbook()
    wb.active["A1"] = "自作の表"
    wb.save(tmp_path / "自作.xlsx")
    err = _bad(content, tmp_path / "自作.xlsx", capsys)
    assert "自作.xlsx: error DG021: dgdocs の照会票のシートが1枚もありません。" in err


def test_a_quarter_outside_the_plan_is_refused(content, sheet, capsys):
    assert run("--content", str(content), "progress", "import", str(sheet), "--as-of", "2025Q1") == 2
    assert "計画期間（2020〜2024年度）の外です" in capsys.readouterr().err


def test_every_workbook_code_is_documented():
    import re
    from pathlib import Path

    from rules_doc import LOADER_CODES, WORKBOOK_CODES
    package = Path(__file__).parents[1] / "dgdocs"
    src = "".join(p.read_text("utf-8") for p in [*(package / "progress").glob("*.py"), package / "load" / "progress.py"])
    used = set(re.findall(r'"(DG0\d\d)"', src))
    assert used == {c for c, _, _ in WORKBOOK_CODES} | {"DG004", "DG008", "DG013"}  # DG005/DG006 come from the Reader
    assert "DG013" in {c for c, _, _ in LOADER_CODES}


def test_errors_are_listed_in_reading_order(content, sheet, tmp_path, capsys):
    cells = {"別紙1": {"F5": "済", "F6": "おわり", "F7": "まだ"}, "KPI": {"F5": 2020, "G5": "多", "I5": "速報値"}}
    err = _bad(content, fill(sheet, cells, tmp_path / "照会票.xlsx"), capsys)
    where = [line.split(": error")[0] for line in err.splitlines() if ": error DG" in line]
    assert where == ["照会票.xlsx KPI!G5", "照会票.xlsx 別紙1!F5", "照会票.xlsx 別紙1!F6", "照会票.xlsx 別紙1!F7"]
