"""A 工程表 page that continues a group (施策の区分) repeats the group's row, 「…（続き）」.

WeasyPrint repeats a table's header (``thead``) on every page the table continues on, the
same rows on each.  The printed 工程表 (templates/partials/roadmap_print.html) puts one
continuation row per group into its header (``tr[data-cont=N]``, under the column heads) and
marks each row group of the body with its group (``tbody[data-grp=N]``); this layer wraps
WeasyPrint 70's ``table_layout`` so that the header laid out on a page holds only:

* the column heads, on the table's first page and on a page that starts with a group's own
  row (the group names itself there);
* the column heads and the continuation row of group N, on a page that starts inside group N.

It decides per page, in the one layout pass (the height of the continuation row is part of
the header that the page's rows are fitted under), so nothing is laid out twice.  Tables
without continuation rows are laid out by WeasyPrint unchanged.  :func:`install` refuses
another WeasyPrint version than the one tested (tests/test_print_review.py reads the pages
back).
"""

from __future__ import annotations

from .weasypatch import Patch

_original = Patch(__name__, "weasyprint.layout.block", "table_layout")  # the WeasyPrint function this layer wraps


def _split_header(table):
    """(header, column-head rows, {group: continuation row}) of a table, or None."""
    if not table.children or not table.children[0].is_header:
        return None
    header = table.children[0]
    base, cont = [], {}
    for row in header.children:
        key = row.element.get("data-cont") if row.element is not None else None
        if key is None:
            base.append(row)
        else:
            cont[key] = row
    return (header, base, cont) if cont else None


def table_layout(context, table, bottom_space, skip_stack, containing_block, page_is_empty,
                 absolute_boxes, fixed_boxes):
    split = table.__dict__.get("dg_cont", False)
    if split is False:
        split = table.dg_cont = _split_header(table)
    if split is None:
        return _original(context, table, bottom_space, skip_stack, containing_block, page_is_empty,
                         absolute_boxes, fixed_boxes)
    header, base, cont = split
    rows = list(base)
    if skip_stack:
        (index, inner), = skip_stack.items()
        group = table.children[index] if index < len(table.children) else None
        element = getattr(group, "element", None)
        key = element.get("data-grp") if element is not None else None
        starts_group = element is not None and "group-head" in (element.get("class") or "").split() and not inner
        if key in cont and not starts_group:
            rows.append(cont[key])
    table.children[0] = header.copy_with_children(rows)
    try:
        result = _original(context, table, bottom_space, skip_stack, containing_block, page_is_empty,
                           absolute_boxes, fixed_boxes)
    finally:
        table.children[0] = header
    _fit_height(result[0])
    return result


def _fit_height(table) -> None:
    """End a page's piece of the table at its last row.  When a 施策 does not fit and an
    earlier break is taken (the last two 施策 keep together), WeasyPrint 70 drops the rows
    after that break but keeps their height in the table's: the grid (the table's
    background) and its border ran on into the empty foot of the page (別紙1-2, 別紙2-1)."""
    if table is None or not table.children or table.style["height"] != "auto":
        return
    bottom = max(child.position_y + child.height for child in table.children)
    spacing = table.style["border_spacing"][1] if table.style["border_collapse"] == "separate" else 0
    height = bottom + spacing - table.content_box_y()
    if height < table.height - 0.01:
        table.height = height
        for group in table.column_groups:
            group.height = min(group.height, height)
            for column in group.children:
                column.height = min(column.height, height)


def install() -> None:
    """Put the layer in place in this process (idempotent)."""
    _original.install(table_layout)


def uninstall() -> None:
    _original.uninstall()
