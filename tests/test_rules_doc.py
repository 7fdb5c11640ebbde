"""docs/rules.md is generated from the rules and their fixtures; it must be current."""

from pathlib import Path

from rules_doc import render

DOC = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def test_rules_doc_is_current():
    assert DOC.read_text("utf-8") == render(), "docs/rules.md is stale: run .venv/bin/python tests/rules_doc.py > docs/rules.md"
