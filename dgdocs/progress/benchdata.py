"""Inputs for the 照会票 rows of ``make bench``: a copy of content/ with a fictional appendix of
*n* rows (架空の例, never shipped) and its 照会票 filled as a division would."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from ..model import Document, Period


def content_with_rows(src: Path, dest: Path, n: int) -> Path:
    """*src* copied to *dest* plus appendices/beppyo-99.yaml: *n* fictional rows without a schedule."""
    shutil.copytree(src, dest)
    import yaml
    first = yaml.safe_load((src / "appendices" / "beppyo-1.yaml").read_text("utf-8"))
    section = first["groups"][0]["section"]
    row_section = first["groups"][0]["rows"][0]["section"]
    rows = "".join(f"      - {{id: bench-{i:04d}, title: 架空の施策{i}（ベンチマーク用）, section: {row_section}, "
                   f"schedule: 本文に工程の記載なし}}\n" for i in range(n))
    (dest / "appendices" / "beppyo-99.yaml").write_text(
        "# 架空の例: make bench 用の別紙（計画ではない）\nnumber: 99\ntitle: 架空の工程表\nkind: roadmap\ngroups:\n"
        f"  - title: 架空\n    section: {section}\n    rows:\n{rows}", "utf-8")
    return dest


def filled_workbook(doc: Document, as_of: Period, number: int, path: Path) -> Path:
    """The 照会票 of appendix *number*, every line answered (実施中 and a comment)."""
    from openpyxl import load_workbook

    from .layout import FIRST_ROW
    from .sheet import write_sheet
    wb = load_workbook(io.BytesIO(write_sheet(doc, as_of, [number])))
    ws = wb[f"別紙{number}"]
    ws["C3"] = "架空局"
    for r in range(FIRST_ROW, ws.max_row + 1):
        if ws[f"A{r}"].value:
            ws[f"F{r}"] = "実施中"
            ws[f"J{r}"] = f"架空の回答 {r}"
    wb.save(path)
    return path


def import_once(doc: Document, as_of: Period, path: Path) -> str:
    """What ``dgdocs progress import`` does before it prints or writes: read, merge, lay over, dump."""
    from .answers import merge
    from .dump import dump_plain, plain
    from .merge import overlay
    from .workbook import read_book
    res = read_book(doc, as_of, path)
    assert not res.problems, res.problems[:3]
    merged = merge(doc, as_of, res.answers)
    return dump_plain(overlay(None, plain(merged.evaluation, doc), {}, doc).data)
