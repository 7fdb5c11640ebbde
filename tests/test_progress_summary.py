"""The one-minute summary for the CIO, as pure functions of the model (架空の例 only)."""

from __future__ import annotations

import pytest

from dgdocs.load import load
from dgdocs.progress.status import evaluation
from dgdocs.progress.summary import (
    NOT_REPORTED, changes_since_previous, counts_by_appendix, counts_by_chapter, kpi_standing, line_status,
)
from dgdocs.progress.status import all_items

DATA = """
-- kpis.yaml --
lines:
  - id: k-rate
    section: period
    text: オンライン利用率、2021年度末までに100%
    kpis:
      - id: k-rate
        indicator: オンライン利用率
        target: {value: 100, unit: "%", by: 2021, by_text: 2021年度末までに}
      - id: k-cost
        indicator: 手続コスト（架空の基準値）
        baseline: {value: 1200, unit: 億円, fiscal_year: 2019, text: 2019年度}
        target: {value: 960, unit: 億円, qualifier: 以下, by: 2023, by_text: 2023年度まで}
      - id: k-none
        indicator: 報告のない指標
        target: {value: 5, unit: 件}
-- progress/2021Q4.yaml --
as_of: 2021Q4
note: 架空の例（試験用。計画の実績ではない）
rows:
  - id: r1
    tasks:
      - {label: 改修, status: 未着手}
-- progress/2022Q2.yaml --
as_of: 2022Q2
note: 架空の例（試験用。計画の実績ではない）
rows:
  - id: r1
    tasks:
      - {label: 改修, status: 実施中}
kpis:
  - id: k-rate
    actuals:
      - {period: 2021, value: 100, unit: "%", kind: 確定値}
  - id: k-cost
    actuals:
      - {period: 2021, value: 1100, unit: 億円, kind: 速報値}
"""


@pytest.fixture
def doc(make_content):
    return load(make_content(DATA))


def test_a_line_past_its_end_is_late_and_marked_as_derived(doc):
    ev = evaluation(doc, (2022, 2))
    task, milestone = list(all_items(doc))
    s = line_status(doc, ev, task)
    assert (s.status, s.reported, s.derived) == ("遅延", "実施中", True)
    assert line_status(doc, ev, milestone).status == NOT_REPORTED
    early = line_status(doc, evaluation(doc, (2021, 4)), task)
    assert (early.status, early.derived) == ("未着手", False)


def test_counts_by_appendix_and_chapter(doc):
    ev = evaluation(doc, (2022, 2))
    assert dict(counts_by_appendix(doc, ev)[1]) == {"未着手": 0, "実施中": 0, "完了": 0, "遅延": 1, "中止": 0, "見直し": 0,
                                                   NOT_REPORTED: 1}
    assert counts_by_chapter(doc, ev)["work"]["遅延"] == 1 and sum(counts_by_chapter(doc, ev)["basics"].values()) == 0


def test_what_changed_since_the_previous_evaluation(doc):
    (change,) = changes_since_previous(doc, evaluation(doc, (2022, 2)))
    assert (change.item.id, change.before, change.after) == ("r1/t1", "未着手", "実施中")
    assert changes_since_previous(doc, evaluation(doc, (2021, 4))) == []


def test_kpis_on_track_behind_achieved_or_not_reported(doc):
    ev = evaluation(doc, (2022, 2))
    k = {x.id: x for x in doc.kpis()}
    assert kpi_standing(doc, k["k-rate"], ev).standing == "達成"
    cost = kpi_standing(doc, k["k-cost"], ev)  # 2019: 1200 → 2023: 960; at the end of 2021, 2 of 4 years: 1080
    assert cost.standing == "遅れ" and cost.expected == pytest.approx(1080.0) and cost.latest == 1100
    assert kpi_standing(doc, k["k-none"], ev).standing == NOT_REPORTED
    assert kpi_standing(doc, k["k-cost"], evaluation(doc, (2021, 4))).standing == NOT_REPORTED
