"""Golden files (pytest-regressions): review the diff whenever one of these changes.

Regenerate after a deliberate change with ``pytest tests/test_golden.py --force-regen``.
"""

from dgdocs.render.html import render_site


def test_chapter_one_page(doc, file_regression):
    """I. 基本事項: headings, lists and both expenditure tables rendered from YAML."""
    page = render_site(doc)["basics.html"].decode("utf-8")
    file_regression.check(page, extension=".html", basename="chapter_basics")


def test_appendix_page(doc, file_regression):
    """別紙2: the 工程表 (bars, milestones, year and quarter columns, KPI column) and its text version."""
    page = render_site(doc)["beppyo-2.html"].decode("utf-8")
    file_regression.check(page, extension=".html", basename="appendix_beppyo_2")


def test_kpi_table_page(doc, file_regression):
    """KPI一覧: every KPI grouped by chapter and section, one row per indicator."""
    page = render_site(doc)["kpis.html"].decode("utf-8")
    file_regression.check(page, extension=".html", basename="kpi_table")
