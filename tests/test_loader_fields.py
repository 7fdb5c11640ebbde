"""The loader's field specs: one declaration per record says its keys, types and defaults; the
record is built by keyword, and every problem of the mapping is recorded (not just the first)."""

from __future__ import annotations

import datetime as dt

from dgdocs.diagnostics import Problems
from dgdocs.load.fields import Field, Spec
from dgdocs.load.plan import REVISION
from dgdocs.model import Loc, Revision
from dgdocs.yamlsrc import Reader, parse_yaml


def node(text: str):
    n, problems = parse_yaml(text, "plan.yaml")
    assert not problems
    return n


def test_a_spec_builds_the_record_by_keyword():
    r = Reader(Problems())
    n = node("kind: 決定\ndate: 2018-06-22\nbody: テスト委員会\n")
    rev = Revision(loc=n.loc, **REVISION.read(r, n))
    assert rev == Revision(kind="決定", date=dt.date(2018, 6, 22), body="テスト委員会", summary="", loc=Loc("plan.yaml", 1, 1))
    assert r.problems == []


def test_every_problem_of_the_mapping_is_recorded_and_wrong_fields_take_their_default():
    r = Reader(Problems())
    n = node("kind: [決定]\ndate: 2018-06-22\nsummry: 誤字\n")
    values = REVISION.read(r, n)
    assert values["kind"] == "" and values["summary"] == ""
    found = sorted((f.code, f.loc.line, f.message) for f in r.problems)
    assert [(c, line) for c, line, _ in found] == [("DG004", 1), ("DG004", 1), ("DG005", 3)]
    assert any("必須のキー「body」" in m for _, _, m in found)
    assert any("改定履歴の「kind」は文字列" in m for _, _, m in found)  # the field is named as the spec says


def test_a_field_may_name_its_owner_its_own_way():
    spec = Spec("表", "表", [Field("title", str, default="", what="表「{tid}」"), Field("unit", str, default="")])
    r = Reader(Problems())
    values = spec.read(r, node("title: [x]\nunit: [y]\n"), tid="system")
    assert values == {"title": "", "unit": ""}
    assert sorted(f.message.split("の「")[0] for f in r.problems) == ["表", "表「system」"]
