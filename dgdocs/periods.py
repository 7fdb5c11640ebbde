"""The period notation of the 工程表 (appendix roadmaps), beside :mod:`dgdocs.wareki`.

``2020`` is a fiscal year (2020年度, April 2020 – March 2021), ``2020Q3`` a fiscal quarter
(Q1 = 4〜6月 … Q4 = 翌年1〜3月), ``2021-04`` a month, ``cy2020`` a calendar year.  Each
becomes a :class:`~dgdocs.model.Period`: a stretch of fiscal quarters, inclusive.

The loader reads the appendices with it and :mod:`dgdocs.progress` the evaluated quarter
(``as_of: 2021Q1``), a revised period and the period of a KPI actual, so that one notation
means one thing everywhere.
"""

from __future__ import annotations

import re
from typing import Any

from .model import Period

PERIOD_FORMS = "2020（年度）, 2020Q1〜2020Q4（四半期：Q1=4〜6月）, 2021-04（月）, cy2020（暦年）"


def parse_period(value: Any) -> Period:
    """Parse the period notation of the appendices (raises ValueError with a Japanese message)."""
    text = str(value).strip()
    if isinstance(value, int) or re.fullmatch(r"\d{4}", text):
        y = int(text)
        return Period(text, "fiscal_year", (y, 1), (y, 4))
    m = re.fullmatch(r"(\d{4})Q(\d+)", text)
    if m:
        y, q = int(m.group(1)), int(m.group(2))
        if not 1 <= q <= 4:
            raise ValueError(f"四半期「Q{q}」はありません（Q1〜Q4 です。Q1 は4〜6月、Q4 は翌年1〜3月）")
        return Period(text, "quarter", (y, q), (y, q))
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        if not 1 <= mo <= 12:
            raise ValueError(f"{mo}月はありません")
        fy = y if mo >= 4 else y - 1
        q = (mo - 4) % 12 // 3 + 1
        return Period(text, "month", (fy, q), (fy, q))
    m = re.fullmatch(r"cy(\d{4})", text)
    if m:
        y = int(m.group(1))
        return Period(text, "calendar_year", (y - 1, 4), (y, 3))
    raise ValueError(f"期間「{text}」の書き方が違います")
