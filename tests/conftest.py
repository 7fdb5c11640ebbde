"""Shared fixtures: the shipped content loaded once, and miniature contents written from
one string (the Hugo smoke-test style: ``-- path --`` lines separate the files)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from dgdocs.load import load

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
SEED = CONTENT / "source" / "000_203e63636bbcd68a.txt"  # the text the plan was transcribed from


@pytest.fixture(scope="session")
def doc():
    """The shipped plan, loaded once."""
    return load(CONTENT)


def without_phrase_breaks(page: str) -> str:
    """A page's HTML (site or print) without the phrase breaks of dgdocs.render.phrases
    (``<wbr>``, the ``<span class="nw">`` that keeps e-Gov on one line, the print's word
    joiners), for tests that look for a text in it."""
    return re.sub(r'<span class="nw">([^<]*)</span>', r"\1", page.replace("<wbr>", "").replace("\u2060", ""))


def write_tree(root: Path, text: str) -> Path:
    """Write the files of *text* (``-- path --`` headers) under *root*; return *root*."""
    text = textwrap.dedent(text).lstrip("\n")
    parts = re.split(r"^-- (.+?) --\n", text, flags=re.M)
    assert parts[0].strip() == "", "text must start with a '-- path --' line"
    for name, body in zip(parts[1::2], parts[2::2]):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    return root


MINI = """
-- plan.yaml --
title: テスト計画
organisation: 総務省
plan_period: {from: 2020, to: 2024}
revisions:
  - {kind: 決定, date: 2018-06-22, body: テスト委員会}
  - {kind: 改定, date: 2020-03-31, body: テスト委員会}
chapters: [chapters/01.md, chapters/02.md]
-- chapters/01.md --
# I. 基本事項 {#basics}

## (1) 目的 {#purpose}

本計画は{{counts.total|nogroup}}種類の手続を扱う。

{{table: budget.system}}

## (2) 計画期間 {#period}

2020年度から2024年度までとする。

{{kpi: k-rate}}
-- chapters/02.md --
# II. 取組 {#work}

## (1) オンライン化 {#online}

詳細は別紙1を参照。

### ア. 手続 {#procedures}

2021年度から2022年度にかけて改修し、2022年10月に運用を開始する[^1]。

[^1]: 脚注の文。
-- data/counts.yaml --
section: purpose
unit: 種類
figures:
  - {id: total, label: 所管する手続, value: 4860}
  - {id: online, label: オンライン化済み, value: 577, part_of: total}
  - {id: offline, label: オンライン化されていない手続, value: 4283, part_of: total}
-- data/budget.yaml --
tables:
  system:
    title: 経費
    unit: 億円
    category_label: 経費区分
    fiscal_year: 2020
    rows:
      - {id: a, label: 整備経費, value: 178}
      - {id: b, label: 運用等経費, value: 533}
    total: {label: 合計, value: 711}
-- kpis.yaml --
lines:
  - id: k-rate
    section: period
    text: オンライン利用率、2021年度末までに100%
    kpis:
      - id: k-rate
        indicator: オンライン利用率
        target: {value: 100, unit: "%", by: 2021, by_text: 2021年度末までに}
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
"""


@pytest.fixture
def mini(tmp_path) -> Path:
    """A miniature but complete content/ directory."""
    return write_tree(tmp_path / "content", MINI)


@pytest.fixture
def make_content(tmp_path):
    """make_content(extra_files_text, base=MINI) → content dir with *extra* overriding files of MINI."""
    def make(extra: str = "", base: str = MINI) -> Path:
        root = write_tree(tmp_path / "content", base)
        if extra:
            write_tree(root, extra)
        return root
    return make


@pytest.fixture(scope="session")
def official_pdfs(doc):
    """Every PDF of the shipped plan, made once per session, as `make pdf` makes them; WeasyPrint
    logs no warning while making them (a warning fails every test that reads them)."""
    from dgdocs.render.pdf import render_pdfs
    warnings: list[str] = []
    out = render_pdfs(doc, warnings=warnings)
    assert not warnings, "WeasyPrint warned:\n" + "\n".join(warnings)
    return out
