"""Golden files (pytest-regressions): review the diff whenever one of these changes.

Regenerate after a deliberate change with ``pytest tests/test_golden.py --force-regen``.
"""

from dgdocs.render.html import render_site


def test_chapter_one_page(doc, file_regression):
    """I. 基本事項: headings, lists and both expenditure tables rendered from YAML."""
    page = render_site(doc)["basics.html"].decode("utf-8")
    file_regression.check(page, extension=".html", basename="chapter_basics")
