"""The first PDF: the plan is rendered by WeasyPrint from the same model, in Japanese."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from dgdocs.build import build

pytestmark = pytest.mark.pdf


@pytest.fixture(scope="module")
def mini_pdfs(tmp_path_factory):
    from conftest import MINI, write_tree
    from weasylogs import NoLogsPool
    root = write_tree(tmp_path_factory.mktemp("mini") / "content", MINI)
    pool = NoLogsPool()  # WeasyPrint must log nothing while it lays out the miniature plan
    try:
        return build(root, ["pdf"], pool=pool).outputs["pdf"]
    finally:
        pool.shutdown()


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in reader.pages))


def test_the_plan_pdf_is_correct_japanese(mini_pdfs):
    text = text_of(mini_pdfs["honbun.pdf"])
    assert "テスト計画" in text
    assert "本計画は4860種類の手続を扱う。" in text
    assert "平成30年6月22日" in text and "令和2年3月31日改定" in text
    assert "KPI：オンライン利用率、2021年度末までに100%" in text
