"""A printed 工程表 page ends at its last row: when the last two 施策 keep together and do not
fit, WeasyPrint 70 takes the earlier break but kept the dropped rows' height in the table's,
so the grid (the table's background) and its border ran on into the empty foot of the page
(別紙1-2, 別紙2-1, seen by the reviewer).  dgdocs.render.pdftable ends the piece at its rows."""

from __future__ import annotations

import pytest

from dgdocs.render import pdftable

pytestmark = pytest.mark.pdf

ROW = '<tbody data-grp="1"{attr}><tr><td style="height: 20mm">施策{n}</td><td>工程</td></tr></tbody>'
HTML = """<style>@page {{ size: 150mm 110mm; margin: 5mm }} body {{ margin: 0 }}
table {{ border-collapse: collapse; width: 100%; border: 1pt solid black; background: #ccc }}
tbody {{ break-inside: avoid }} tbody.last {{ break-before: avoid }}</style>
<table><thead><tr><th>施策</th><th>工程</th></tr><tr data-cont="1"><th colspan="2">区分（続き）</th></tr></thead>
{rows}</table>"""


def _pages(html: str):
    import weasyprint
    return weasyprint.HTML(string=html).render().pages


def _tables(box):
    if type(box).__name__ == "TableBox":
        yield box
    for child in getattr(box, "children", ()):
        yield from _tables(child)


@pytest.fixture
def layer():
    pdftable.install()
    yield
    pdftable.uninstall()


def test_a_page_of_the_table_ends_at_its_last_row(layer):
    # four 施策 would fit on the first page, but the fourth keeps with the fifth, and both go over
    rows = "".join(ROW.format(n=n, attr=' class="last"' if n == 5 else "") for n in range(1, 6))
    pages = _pages(HTML.format(rows=rows))
    assert len(pages) == 2
    table = next(_tables(pages[0]._page_box))
    bottom = max(child.position_y + child.height for child in table.children)
    assert len(table.children) == 1 + 3  # the header and the three 施策 before the earlier break
    assert table.height == pytest.approx(bottom - table.content_box_y(), abs=0.01)
