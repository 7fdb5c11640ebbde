"""content/progress/*.yaml is read into typed evaluations with the line of every value, and a
malformed progress file fails the load with every problem (file:line, Japanese, a code).

All progress data here is fictional (架空の例): the plan states no actuals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dgdocs.load import LoadError, load
from dgdocs.model import Loc
from dgdocs.progress.dump import dump

GOOD = """
-- progress/2021Q1.yaml --
as_of: 2021Q1
evaluated_on: 2021-07-20
body: 総務省CIO・PMO（架空の例）
note: 架空の例（試験用。計画の実績ではない）
rows:
  - id: r1
    division: 架空局架空課
    tasks:
      - label: 改修
        status: 見直し
        new_from: 2021Q3
        new_to: 2022Q4
        comment: 仕様の変更（架空）
    milestones:
      - {label: 運用開始, status: 未着手}
kpis:
  - id: k-rate
    actuals:
      - {period: 2020, value: 45.5, unit: "%", kind: 確定値, source: 架空の調査}
      - {period: 2021Q1, value: 50, unit: "%", kind: 速報値}
"""


def test_a_progress_file_becomes_an_evaluation_with_locations(make_content):
    doc = load(make_content(GOOD))
    (ev,) = doc.progress
    assert ev.path == "progress/2021Q1.yaml" and ev.as_of.value.text == "2021Q1" and ev.quarter == (2021, 1)
    assert ev.as_of.loc == Loc("progress/2021Q1.yaml", 1, 8)
    assert str(ev.evaluated_on.value) == "2021-07-20" and ev.body.value.startswith("総務省CIO")
    row = ev.row("r1")
    task = row.task("改修")
    assert task.status.value == "見直し" and task.status.loc.line == 10
    assert task.new_from.value.first == (2021, 3) and task.new_to.value.last == (2022, 4)
    assert row.division.value == "架空局架空課"
    assert row.milestone("運用開始").status.value == "未着手"
    actuals = ev.kpi("k-rate").actuals
    assert [a.period.value.text for a in actuals] == ["2020", "2021Q1"]
    assert actuals[0].value.value == Decimal("45.5") and actuals[0].value.loc.line == 19
    assert actuals[1].kind.value == "速報値"


def test_the_shipped_plan_has_no_progress(doc):
    """The plan states no actuals; none may be invented."""
    assert doc.progress == ()


def test_dump_reads_back_to_the_same_file(make_content, tmp_path):
    doc = load(make_content(GOOD))
    text = dump(doc.progress[0], doc)
    root = make_content(f"-- progress/2021Q1.yaml --\n{text}")
    again = load(root)
    assert dump(again.progress[0], again) == text
    assert "as_of: 2021Q1\n" in text and "value: 45.5\n" in text and "period: 2020\n" in text


BAD = [
    ("状況", "as_of: 2021Q1\nrows:\n  - id: r1\n    tasks:\n      - {label: 改修, status: 済}\n",
     "DG013", 5, "状況「済」は選べません（未着手・実施中・完了・遅延・中止・見直し）"),
    ("name", "as_of: 2021Q2\n", "DG013", 1, "as_of は 2021Q2 ですが、ファイル名は 2021Q1 です"),
    ("quarter", "as_of: 2021\n", "DG013", 1, "「2021」は四半期ではありません"),
    ("period", "as_of: 2021Q1\nrows:\n  - id: r1\n    tasks:\n      - {label: 改修, status: 見直し, new_to: 2022Q5}\n",
     "DG008", 5, "四半期「Q5」はありません"),
    ("actual period", "as_of: 2021Q1\nkpis:\n  - id: k-rate\n    actuals:\n"
     "      - {period: 2021-04, value: 1, unit: '%', kind: 速報値}\n", "DG008", 5, "年度（2020）か四半期（2021Q1）"),
    ("kind", "as_of: 2021Q1\nkpis:\n  - id: k-rate\n    actuals:\n"
     "      - {period: 2020, value: 1, unit: '%', kind: 暫定}\n", "DG013", 5, "kind「暫定」は選べません"),
    ("value", "as_of: 2021Q1\nkpis:\n  - id: k-rate\n    actuals:\n"
     "      - {period: 2020, value: 約50, unit: '%', kind: 速報値}\n", "DG004", 5, "数値で書いてください"),
    ("unknown key", "as_of: 2021Q1\nrows:\n  - id: r1\n    state: 完了\n", "DG005", 4, "知らないキー「state」"),
    ("empty row", "as_of: 2021Q1\nrows:\n  - id: r1\n", "DG004", 3, "状況（status）も工程（tasks / milestones）もありません"),
    ("duplicate", "as_of: 2021Q1\nrows:\n  - {id: r1, status: 完了}\n  - {id: r1, status: 遅延}\n",
     "DG006", 4, "進捗の行の id「r1」が重複しています"),
]


@pytest.mark.parametrize("case", BAD, ids=[c[0] for c in BAD])
def test_a_malformed_progress_file_names_file_line_and_code(make_content, case):
    _, text, code, line, message = case
    root = make_content(GOOD)
    (root / "progress" / "2021Q1.yaml").write_text(text, "utf-8")
    with pytest.raises(LoadError) as exc:
        load(root)
    hits = [f for f in exc.value.findings if f.code == code and f.loc.file == "progress/2021Q1.yaml"
            and f.loc.line == line and message in f.message]
    assert hits, "\n".join(str(f) for f in exc.value.findings)
    assert all(f.hint for f in exc.value.findings)


def test_a_progress_file_must_be_named_after_its_quarter(make_content):
    root = make_content(GOOD)
    (root / "progress" / "latest.yaml").write_text("as_of: 2021Q1\n", "utf-8")
    with pytest.raises(LoadError) as exc:
        load(root)
    assert any(f.code == "DG013" and f.loc.file == "progress/latest.yaml" and "四半期の名前ではありません" in f.message
               for f in exc.value.findings)


def test_a_symlink_out_of_content_is_refused(make_content, tmp_path):
    root = make_content(GOOD)
    outside = tmp_path / "outside.yaml"
    outside.write_text("as_of: 2021Q2\n", "utf-8")
    (root / "progress" / "2021Q2.yaml").symlink_to(outside)
    with pytest.raises(LoadError) as exc:
        load(root)
    assert any(f.code == "DG010" and f.loc.file == "progress/2021Q2.yaml" and "content/ の外を指しています" in f.message
               for f in exc.value.findings)


def test_the_readme_example_loads_against_the_shipped_plan(tmp_path):
    """The README's 架空の例 names real rows, tasks and KPIs and breaks no progress rule
    (warnings about milestones it does not report are what the PMO is meant to see)."""
    import re
    import shutil

    from dgdocs.checks import run_checks

    from conftest import CONTENT, ROOT
    readme = (ROOT / "README.md").read_text("utf-8")
    example = re.search(r"```yaml\n# content/progress/2021Q1.yaml\n(.*?)```", readme, re.S).group(1)
    assert "架空の例" in example
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    (root / "progress").mkdir()
    (root / "progress" / "2021Q1.yaml").write_text(example, "utf-8")
    doc = load(root)
    assert doc.progress[0].row("b2-gov-platform-cloud").tasks[0].status.value == "実施中"
    errors = [f for f in run_checks(doc).findings if f.severity == "error"]
    assert errors == [], "\n".join(map(str, errors))
