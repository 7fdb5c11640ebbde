"""A real office suite reads and writes the 照会票 (``make test-office``; slow, so not in
``make test``): LibreOffice Calc opens a generated workbook and prints it on A4 landscape, and a
workbook filled as a division would and re-saved by LibreOffice imports to the same YAML.
All answers are fictional (架空の例)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from progress_helpers import EXTRA, fill, run

pytestmark = pytest.mark.office

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    if SOFFICE is None:
        if os.environ.get("DGDOCS_REQUIRE_OFFICE"):
            pytest.fail("LibreOffice（soffice）がありません。make test-office は libreoffice-calc をインストールします。")
        pytest.skip("LibreOffice がありません（make test-office で実行します）")
    profile = tmp_path_factory.mktemp("lo-profile")

    def convert(src: Path, to: str, outdir: Path) -> Path:
        outdir.mkdir(parents=True, exist_ok=True)
        # a private profile: never the user's, never shared with another run
        proc = subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                               "--convert-to", to, "--outdir", str(outdir), str(src)],
                              capture_output=True, text=True, timeout=600)
        out = outdir / f"{src.stem}.{to.split(':')[0]}"
        assert proc.returncode == 0 and out.is_file(), proc.stdout + proc.stderr
        return out
    return convert


def test_calc_prints_the_sheets_of_the_plan_on_a4_landscape(office, doc, tmp_path):
    book = tmp_path / "照会票_2021Q1.xlsx"
    assert run("--content", str(Path(doc.root)), "progress", "sheet", "--as-of", "2021Q1", "--out", str(book)) == 0
    pdf = PdfReader(office(book, "pdf", tmp_path / "pdf"))
    assert len(pdf.pages) >= 7  # every sheet prints, none is empty
    for page in pdf.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(w), round(h)) == (842, 595), (w, h)  # A4 landscape, in points
    text = "\n".join(p.extract_text() for p in pdf.pages)
    for n in range(1, 7):
        assert f"照会票 別紙{n}" in text.replace("\u3000", " ")
    assert "照会票 KPI の実績" in text.replace("\u3000", " ")
    assert "状況" in text and "見直し後の" in text and "コメント" in text
    assert "r1/t1" not in text and "dgdocs-progress" not in text  # the hidden columns do not print
    first = pdf.pages[0].extract_text()
    assert "コメント" in first and "前回の評価" in first  # every column fits the width of the page


def test_a_workbook_resaved_by_calc_imports_to_the_same_yaml(office, make_content, tmp_path):
    content = make_content(EXTRA)
    sheet = tmp_path / "照会票.xlsx"
    assert run("--content", str(content), "progress", "sheet", "--as-of", "2021Q2", "--out", str(sheet)) == 0
    filled = fill(sheet, {
        "別紙1": {"C3": "架空局第一課", "F5": "見直し", "G5": "2021Q3", "H5": "2022Q4", "I5": None,
                 "J5": "部品調達の遅れ（架空）", "F6": "完了", "I6": "2021-09-30", "F7": "実施中"},
        "KPI": {"C3": "架空局第一課", "F5": 2020, "G5": 45.5, "I5": "確定値", "J5": "架空の調査"},
    }, tmp_path / "照会票_別紙1.xlsx")
    resaved = office(filled, "xlsx:Calc MS Excel 2007 XML", tmp_path / "resaved")
    target = content / "progress" / "2021Q2.yaml"
    assert run("--content", str(content), "progress", "import", str(filled), "--as-of", "2021Q2", "--write") == 0
    by_openpyxl = target.read_text("utf-8")
    target.unlink()
    assert run("--content", str(content), "progress", "import", str(resaved), "--as-of", "2021Q2", "--write") == 0
    assert target.read_text("utf-8") == by_openpyxl
    assert "status: 見直し" in by_openpyxl and "done_on: 2021-09-30" in by_openpyxl and "value: 45.5" in by_openpyxl
