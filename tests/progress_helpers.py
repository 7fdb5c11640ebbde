"""Helpers for the 照会票 tests: a miniature plan with a previous evaluation, and filling a
generated workbook with openpyxl as a division would (all data fictional: 架空の例)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from dgdocs.cli import main

# MINI (conftest) has one appendix row r1: a task 改修 (2021Q1–2022Q2) and a milestone 運用開始
# (2022-10); add a second row without a schedule and a second KPI, and a previous evaluation.
EXTRA = """
-- appendices/beppyo-1.yaml --
number: 1
title: 工程表
kind: roadmap
groups:
  - title: オンライン化
    section: online
    rows:
      - id: r1
        title: 手続のオンライン化
        section: procedures
        kpis: [k-rate]
        tasks:
          - {label: 改修, from: 2021Q1, to: 2022Q2, quote: 2021年度から2022年度にかけて改修し}
        milestones:
          - {label: 運用開始, at: 2022-10, quote: 2022年10月に運用を開始する}
      - id: r2
        title: =SUM(A1:A9) で始まる施策名（数式にならないこと）
        section: procedures
        schedule: 本文に工程の記載なし
-- progress/2021Q1.yaml --
as_of: 2021Q1
note: 架空の例（試験用。計画の実績ではない）
rows:
  - id: r1
    tasks:
      - {label: 改修, status: 実施中, comment: 設計中（架空）}
"""


def run(*argv: str) -> int:
    return main(list(argv))


def fill(path: Path, cells: dict[str, dict[str, object]], out: Path | None = None) -> Path:
    """Type values into cells of a workbook (sheet → {cell: value}) and save it, as Excel would."""
    wb = load_workbook(path)
    for sheet, values in cells.items():
        for ref, value in values.items():
            wb[sheet][ref].value = value
    out = out or path
    wb.save(out)
    return out


def tree(root: Path) -> dict[str, bytes]:
    """Every file under *root* with its bytes (to show that nothing else was written)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
