"""The KPI chart of the evaluation report: a pure, deterministic SVG of baseline, actuals and
target with the unit on the axis, a text alternative and the numbers as a table, no script;
WeasyPrint renders it in BIZ UD (looked at as an image when it was built).  架空の例 only."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest

from dgdocs.load import load
from dgdocs.progress.quarter import parse_quarter
from dgdocs.render.kpichart import kpi_chart

PROGRESS = """
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
        indicator: 手続コスト（架空の基準値）<script>
        baseline: {value: 1200, unit: 億円, fiscal_year: 2019, text: 2019年度}
        target: {value: 960, unit: 億円, qualifier: 以下, by: 2024, by_text: 2024年度まで}
      - id: k-count
        indicator: 対象手続の数
-- progress/2020Q4.yaml --
as_of: 2020Q4
note: 架空の例（試験用。計画の実績ではない）
kpis:
  - id: k-rate
    actuals:
      - {period: 2020, value: 41.5, unit: "%", kind: 速報値}
-- progress/2021Q1.yaml --
as_of: 2021Q1
note: 架空の例（試験用。計画の実績ではない）
kpis:
  - id: k-rate
    actuals:
      - {period: 2020, value: 45.5, unit: "%", kind: 確定値, source: 架空の調査}
      - {period: 2021Q1, value: 52, unit: "%", kind: 速報値}
  - id: k-cost
    actuals:
      - {period: 2020, value: 1150, unit: 件, kind: 速報値}
"""

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def doc(make_content):
    return load(make_content(PROGRESS))


def kpi(doc, kid):
    return next(k for k in doc.kpis() if k.id == kid)


def test_the_chart_shows_baseline_actuals_and_target_with_the_unit(doc):
    c = kpi_chart(doc, kpi(doc, "k-rate"), as_of=parse_quarter("2021Q1"))
    root = ET.fromstring(c.svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "単位：%" in texts and "目標 100%" in texts and "評価時点 2021Q1" in texts
    assert "45.5" in texts and "52（速報）" in texts  # the 確定値 replaced the earlier 速報値 41.5
    assert "41.5（速報）" not in texts
    assert [str(y) for y in range(2020, 2025)] == [t for t in texts if t and t.isdigit() and len(t) == 4]
    assert root.get("role") == "img" and root.find(f"{SVG}title").text == "オンライン利用率"
    assert root.find(f"{SVG}desc").text == c.alt


def test_the_text_alternative_and_the_table_say_every_number(doc):
    c = kpi_chart(doc, kpi(doc, "k-rate"))
    assert c.alt == ("KPI「オンライン利用率」の推移。実績：2020年度 45.5%（確定値）、2021年度Q1 52%（速報値）。"
                     "目標：2021年度末までに 100%。")
    assert [(r.role, r.period, r.value, r.unit, r.kind) for r in c.rows] == [
        ("実績", "2020年度", "45.5", "%", "確定値"), ("実績", "2021年度Q1", "52", "%", "速報値"),
        ("目標", "2021年度末までに", "100", "%", "")]
    html = c.table_html()
    assert html.startswith('<table class="kpi-chart-table"><caption>オンライン利用率の数値</caption>')
    assert '<th scope="row">実績</th><td>2020年度</td><td>45.5</td>' in html and html.count("<tr>") == 4


def test_an_evaluation_sees_only_what_was_known_then(doc):
    c = kpi_chart(doc, kpi(doc, "k-rate"), until=(2020, 4))
    assert [(r.period, r.value, r.kind) for r in c.rows if r.role == "実績"] == [("2020年度", "41.5", "速報値")]


def test_an_actual_in_another_unit_is_listed_not_drawn(doc):
    c = kpi_chart(doc, kpi(doc, "k-cost"))
    assert [(r.role, r.charted) for r in c.rows] == [("基準値", True), ("実績", False), ("目標", True)]
    assert "1,150" not in "".join(t.text or "" for t in ET.fromstring(c.svg).iter(f"{SVG}text"))
    assert "目標：2024年度まで 960億円以下。" in c.alt


def test_text_from_content_is_escaped_and_there_is_no_script(doc):
    c = kpi_chart(doc, kpi(doc, "k-cost"))
    assert "<script" not in c.svg and "&lt;script&gt;" in c.svg
    assert "<script" not in c.table_html()
    assert not re.search(r"\son\w+=|javascript:|href=", c.svg)


def test_no_numbers_no_chart_but_still_a_sentence(doc):
    c = kpi_chart(doc, kpi(doc, "k-count"))
    assert c.svg is None and c.rows == () and "実績の報告はまだありません" in c.alt


def test_the_chart_is_deterministic(doc, make_content):
    again = load(make_content(PROGRESS))
    assert kpi_chart(doc, kpi(doc, "k-rate")).svg == kpi_chart(again, kpi(again, "k-rate")).svg


@pytest.mark.pdf
def test_weasyprint_renders_the_chart_in_biz_ud(doc):
    import weasyprint
    from pypdf import PdfReader
    c = kpi_chart(doc, kpi(doc, "k-rate"), as_of=parse_quarter("2021Q1"))
    html = (f'<html lang="ja"><body style="font-family: \'BIZ UDGothic\'"><figure>{c.svg}'
            f"<figcaption>{c.alt}</figcaption></figure>{c.table_html()}</body></html>")
    pdf = PdfReader(io.BytesIO(weasyprint.HTML(string=html).write_pdf()))
    page = pdf.pages[0]
    fonts = {f["/BaseFont"] for f in page["/Resources"]["/Font"].values()}
    assert fonts and all("BIZ-UD" in str(f) for f in fonts), fonts
    text = page.extract_text()
    assert "単位：%" in text and "評価時点 2021Q1" in text and "目標 100%" in text


QUARTERLY = PROGRESS + """-- progress/2021Q2.yaml --
as_of: 2021Q2
note: 架空の例（試験用。計画の実績ではない）
kpis:
  - id: k-count
    actuals:
      - {period: 2020Q3, value: 8.8, unit: システム, kind: 速報値}
      - {period: 2020Q4, value: 9.3, unit: システム, kind: 速報値}
      - {period: 2021Q1, value: 9.9, unit: システム, kind: 速報値}
      - {period: 2021Q2, value: 10.4, unit: システム, kind: 速報値}
"""


def test_quarterly_values_never_overprint_and_a_long_unit_is_never_cut(make_content):
    # the reviewer saw 「8.8／9.3／9.9（速報）」 printed over each other and 「立：システム」
    from dgdocs.render.kpichart import _width
    d = load(make_content(QUARTERLY))
    c = kpi_chart(d, kpi(d, "k-count"), as_of=parse_quarter("2021Q2"))
    root = ET.fromstring(c.svg)
    texts = list(root.iter(f"{SVG}text"))
    unit = next(t for t in texts if t.text.startswith("単位："))
    assert unit.text == "単位：システム" and unit.get("text-anchor") == "start" and float(unit.get("x")) >= 0
    values = sorted((float(t.get("x")), t.text) for t in texts if t.text.endswith("（速報）"))
    assert values and values[-1][1] == "10.4（速報）"  # the newest is always written
    for (xa, a), (xb, b) in zip(values, values[1:]):
        assert xa + _width(a, 10) / 2 <= xb - _width(b, 10) / 2, (a, b)
    assert len(root.findall(f".//{SVG}circle")) >= 4  # every quarter is still marked
    assert [r.value for r in c.rows if r.role == "実績"] == ["8.8", "9.3", "9.9", "10.4"]  # and in the table
