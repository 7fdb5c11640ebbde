"""The editors' own tools: JSON Schemas of every content YAML kind, made from the loader's field
specs (docs/schemas/, `make schemas`), wired into VS Code by .vscode/settings.json, and a
problem matcher in .vscode/tasks.json that makes every finding of `make check` clickable.

The schemas say what the loader says: the shipped content validates, and a wrong key or a
wrong type is refused by both the loader and the schema."""

from __future__ import annotations

import datetime as _dt
import json
import re
from decimal import Decimal
from fnmatch import fnmatchcase
from pathlib import Path

import jsonschema
import pytest
import yaml

from dgdocs.cli import main
from dgdocs.diagnostics import LoadError
from dgdocs.load import load
from dgdocs.schemas import NAMES, patterns, schema_files, schemas

from conftest import CONTENT, ROOT
from test_progress_load import GOOD as PROGRESS  # a fictional progress file (架空の例)

SCHEMAS = ROOT / "docs" / "schemas"
VSCODE = ROOT / ".vscode"


def plain(value):
    """A YAML value as yaml-language-server sees it in JSON terms (a date is its text)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def validator(pattern: str):
    return jsonschema.Draft7Validator(schemas()[NAMES[pattern]])


def files_of(root: Path) -> list[tuple[str, Path]]:
    """(pattern, file) for every YAML file of a content directory that a schema describes."""
    out = []
    for path in sorted(root.rglob("*.yaml")):
        rel = path.relative_to(root).as_posix()
        pattern = next((p for p in NAMES if fnmatchcase(rel, p)), None)
        if pattern:
            out.append((pattern, path))
    return out


def test_the_committed_schemas_are_what_the_specs_say():
    """`make schemas` (dgdocs schemas) was run after the last change of a field spec."""
    made = schema_files()
    committed = {p.name: p.read_bytes() for p in SCHEMAS.glob("*.schema.json")}
    assert committed == made, "docs/schemas/ is out of date: run `make schemas`"


def test_every_content_file_kind_has_a_valid_draft_07_schema():
    assert set(NAMES.values()) == {"plan", "data", "kpis", "appendix", "errata", "accepted", "terms", "progress"}
    for name, schema in schemas().items():
        jsonschema.Draft7Validator.check_schema(schema)
        assert schema["$schema"] == "http://json-schema.org/draft-07/schema#", name


def test_the_shipped_content_validates_against_the_schemas():
    seen = set()
    for pattern, path in files_of(CONTENT):
        errors = list(validator(pattern).iter_errors(plain(yaml.safe_load(path.read_text("utf-8")))))
        assert not errors, f"{path.relative_to(ROOT)}: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
        seen.add(pattern)
    assert seen == set(NAMES) - {"progress/*.yaml"}  # the shipped plan has no progress file (no actuals)


def test_a_progress_file_validates_against_its_schema(make_content):
    root = make_content(PROGRESS)
    load(root)  # the loader takes it
    path = root / "progress" / "2021Q1.yaml"
    assert not list(validator("progress/*.yaml").iter_errors(plain(yaml.safe_load(path.read_text("utf-8")))))


# a key at the wrong indentation, a wrong key, a wrong type, a wrong choice: refused by both
BROKEN = [
    ("kpis.yaml", "        target: {value: 100, unit: \"%\", by: 2021, by_text: 2021年度末までに}",
     "        target: {value: 100, unit: \"%\", by: 2021, by_text: 2021年度末までに, note: 補足}", "DG005"),
    ("kpis.yaml", "        indicator: オンライン利用率", "        indicator: オンライン利用率\n        colour: 赤", "DG005"),
    ("kpis.yaml", "by: 2021,", "by: 二〇二一,", "DG004"),
    ("plan.yaml", "plan_period: {from: 2020, to: 2024}", "plan_period: {from: 2020, to: 2024, until: 2025}", "DG005"),
    ("data/counts.yaml", "value: 4860}", "value: たくさん}", "DG004"),
    ("data/budget.yaml", "    fiscal_year: 2020", "    fiscal_year: 2020\n    year: 2020", "DG005"),
    ("appendices/beppyo-1.yaml", "kind: roadmap", "kind: gantt", "DG004"),
    ("appendices/beppyo-1.yaml", "        kpis: [k-rate]", "        kpis: [k-rate]\n        quotes: x", "DG005"),
    ("appendices/beppyo-1.yaml", "from: 2021Q1,", "from: 2021 Q1,", "DG008"),
]


@pytest.mark.parametrize("rel, old, new, code", BROKEN, ids=[f"{b[0]}-{b[3]}-{i}" for i, b in enumerate(BROKEN)])
def test_what_the_loader_refuses_the_schema_underlines(mini, rel, old, new, code):
    path = mini / rel
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    with pytest.raises(LoadError) as info:
        load(mini)
    assert code in {f.code for f in info.value.findings}
    pattern = next(p for p in NAMES if fnmatchcase(rel, p))
    assert list(validator(pattern).iter_errors(plain(yaml.safe_load(path.read_text("utf-8"))))), "the schema let it pass"


def test_the_miniature_plan_validates_as_it_loads(mini):
    load(mini)
    for pattern, path in files_of(mini):
        assert not list(validator(pattern).iter_errors(plain(yaml.safe_load(path.read_text("utf-8"))))), path.name


# ------------------------------------------------------------------ VS Code

def test_vscode_maps_every_schema_to_its_files_and_recommends_the_yaml_extension():
    settings = json.loads((VSCODE / "settings.json").read_text("utf-8"))
    assert settings["yaml.schemas"] == {f"./docs/schemas/{name}": files for name, files in patterns().items()}
    for name in settings["yaml.schemas"]:
        assert (ROOT / name).is_file(), name
    assert settings["[yaml]"]["editor.insertSpaces"] is True  # a tab in YAML is an error (DG003)
    assert "redhat.vscode-yaml" in json.loads((VSCODE / "extensions.json").read_text("utf-8"))["recommendations"]


def _matchers():
    tasks = json.loads((VSCODE / "tasks.json").read_text("utf-8"))["tasks"]
    check = next(t for t in tasks if t["command"] == "make check")
    assert check["group"] == {"kind": "test", "isDefault": True}
    return check["problemMatcher"]


def test_the_problem_matcher_makes_every_finding_of_check_clickable(make_content, capsys):
    root = make_content("""
    -- chapters/02.md --
    # II. 取組 {#work}

    ## (1) オンライン化 {#online}

    詳細は別紙9を参照。

    ### ア. 手続 {#procedures}

    2021年度から2022年度にかけて改修し、2022年10月に運用を開始する[^1]。

    [^1]: 脚注の文。
    -- data/budget.yaml --
    tables:
      system:
        title: 経費
        unit: 億円
        category_label: 経費区分
        fiscal_year: 2020
        rows:
          - {id: a, label: 整備経費, value: 178}
          - {id: b, label: 運用等経費, value: 533}
        total: {label: 合計, value: 712}
    """)
    assert main(["--content", str(root), "check"]) == 1
    out = capsys.readouterr().out
    findings = [line for line in out.splitlines() if re.search(r": (error|warning|info) DG\d{3}: ", line)]
    assert len(findings) >= 2
    line_matcher, file_matcher = _matchers()
    for m in (line_matcher, file_matcher):
        assert m["fileLocation"] == ["relative", "${workspaceFolder}/content"]
    line_rx = re.compile(line_matcher["pattern"]["regexp"])
    file_rx = re.compile(file_matcher["pattern"]["regexp"])
    got = []
    for text in findings:
        hit = line_rx.match(text) or file_rx.match(text)
        assert hit, text
        p = (line_matcher if hit.re is line_rx else file_matcher)["pattern"]
        got.append((hit.group(p["file"]), hit.group(p["severity"]), hit.group(p["code"])))
        assert (root / hit.group(p["file"])).is_file(), text  # the path opens, relative to content/
    assert ("chapters/02.md", "error", "DG401") in got and ("data/budget.yaml", "error", "DG101") in got
    # the hint line (「  → …」) is no problem of its own
    assert not any(line_rx.match(t) or file_rx.match(t) for t in out.splitlines() if t.startswith("  →"))
