"""A KPI target that is no number (「全府省」「全ての手続」「100%維持」): written
``target: {text: 全府省, by: 2022}``, shown in the KPI list, the KPI PDF and the open data
(``target_text``, in the schema), and checked against the KPI line's wording (DG203)."""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest

from dgdocs.diagnostics import LoadError
from dgdocs.load import load
from dgdocs.render.data import render_data
from dgdocs.render.html import render_site
from dgdocs.render.pdf import KPI_PDF, print_jobs

from conftest import without_phrase_breaks

TEXT_TARGET = """
-- kpis.yaml --
lines:
  - id: k-rate
    section: period
    text: オンライン利用率、2021年度末までに100%
    kpis:
      - id: k-rate
        indicator: オンライン利用率
        target: {value: 100, unit: "%", by: 2021, by_text: 2021年度末までに}
  - id: k-all
    section: period
    text: 2022年度までに全府省で共通の基盤を利用
    kpis:
      - id: k-all
        indicator: 共通の基盤を利用する府省
        target: {text: 全府省, by: 2022, by_text: 2022年度までに}
-- chapters/01.md --
# I. 基本事項 {#basics}

## (1) 目的 {#purpose}

本計画は{{counts.total|nogroup}}種類の手続を扱う。

{{table: budget.system}}

## (2) 計画期間 {#period}

2020年度から2024年度までとする。

{{kpi: k-rate}}

{{kpi: k-all}}
"""


def test_the_kpi_list_and_the_kpi_pdf_show_the_text_target(make_content):
    doc = load(make_content(TEXT_TARGET))
    target = next(k for k in doc.kpis() if k.id == "k-all").target
    assert (target.text, target.value, target.by) == ("全府省", None, 2022)
    page = without_phrase_breaks(render_site(doc)["kpis.html"].decode())
    assert '<td data-label="目標値">全府省</td>' in page and '<td data-label="期限">2022年度までに</td>' in page
    annex = without_phrase_breaks(next(j for j in print_jobs(doc) if j.name == KPI_PDF).html)  # the KPI一覧 is a job of its own
    assert '<td data-label="目標値">全府省</td>' in annex


def test_the_open_data_has_a_target_text_column_in_its_schema(make_content):
    files = render_data(load(make_content(TEXT_TARGET)))
    rows = {r["kpi_id"]: r for r in csv.DictReader(io.StringIO(files["kpis.csv"].decode("utf-8-sig")))}
    assert (rows["k-all"]["target_text"], rows["k-all"]["target_value"]) == ("全府省", "")
    assert (rows["k-rate"]["target_text"], rows["k-rate"]["target_value"]) == ("", "100")
    data, schema = json.loads(files["kpis.json"]), json.loads(files["kpis.schema.json"])
    jsonschema.Draft202012Validator(schema).validate(data)
    assert "target_text" in schema["properties"]["kpis"]["items"]["required"]
    data["kpis"][0]["target_text"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(data)
    assert "`target_text`" in files["README.md"].decode()


def test_a_target_with_both_text_and_a_number_is_refused(make_content):
    with pytest.raises(LoadError) as info:
        load(make_content(TEXT_TARGET.replace("{text: 全府省, by: 2022", "{text: 全府省, value: 47, unit: 府省, by: 2022")))
    f = info.value.findings[0]
    assert (f.code, f.loc.file, f.loc.line) == ("DG004", "kpis.yaml", 15) and "text" in f.message
