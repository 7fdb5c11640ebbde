"""Parsed YAML kept between builds (dgdocs.yamlcache): the same nodes, lines and findings as
parsing the text again — from a warm slot, a stale one, a broken one, another file's, or
none that can be written — and a file with findings is never kept."""

from __future__ import annotations

import json

import pytest

from dgdocs import yamlcache
from dgdocs.paths import CONTENT
from dgdocs.yamlsrc import YamlSyntaxError, parse_yaml

from conftest import ROOT


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setattr(yamlcache, "CACHE", tmp_path / "yaml")
    return tmp_path / "yaml"


def _parses(monkeypatch):
    seen = []
    real = yamlcache.parse_yaml
    monkeypatch.setattr(yamlcache, "parse_yaml", lambda text, rel: (seen.append(rel), real(text, rel))[1])
    return seen


ALL_KINDS = """\
plan:
  title: "計画"   # a string
  count: 1,045
  n: 12
  ratio: 30.70
  day: 2020-03-31
  flag: true
  none: ~
  list:
    - a
    - {b: 2}
"""


def test_a_file_read_again_gives_the_same_nodes_with_their_lines_without_parsing(cache, monkeypatch):
    parsed = _parses(monkeypatch)
    first, problems = yamlcache.parse(ALL_KINDS, "plan.yaml")
    assert first == parse_yaml(ALL_KINDS, "plan.yaml")[0] and not problems
    again, problems = yamlcache.parse(ALL_KINDS, "plan.yaml")
    assert parsed == ["plan.yaml"] and again == first and not problems
    plain = again.plain()["plan"]
    assert plain["ratio"].as_tuple().exponent == -2 and plain["day"].isoformat() == "2020-03-31" and plain["flag"] is True
    assert again.value["plan"].value["ratio"].loc.line == 5 and again.value["plan"].value["ratio"].key_loc.col == 3


def test_every_shipped_yaml_file_comes_back_from_the_cache_as_parsed(cache):
    files = sorted(CONTENT.rglob("*.yaml")) + sorted((ROOT / "tests" / "fixtures").rglob("*.yaml"))
    kept = 0
    for path in files:
        rel = str(path.relative_to(CONTENT if path.is_relative_to(CONTENT) else ROOT))
        text = path.read_text("utf-8")
        try:
            parsed = parse_yaml(text, rel)
        except YamlSyntaxError:
            continue  # (the fixtures of broken YAML)
        assert yamlcache.parse(text, rel) == parsed  # parsed, and kept if it had no finding
        again = yamlcache.parse(text, rel)
        assert again == parsed
        kept += not parsed[1]
    assert kept > 20


def test_a_changed_text_another_files_slot_or_a_broken_one_is_parsed_again(cache, monkeypatch):
    yamlcache.parse("a: 1\n", "x.yaml")
    parsed = _parses(monkeypatch)
    assert yamlcache.parse("a: 2\n", "x.yaml")[0].plain() == {"a": 2}  # changed: parsed
    assert yamlcache.parse("a: 2\n", "y.yaml")[0].value["a"].loc.file == "y.yaml"  # the same text, another name
    slot = yamlcache._slot("x.yaml")
    for broken in (b"not json", json.dumps({"key": yamlcache._key("a: 2\n", "x.yaml"), "node": ["m", 3, 1, 1, 0, 0]}).encode(),
                   json.dumps({"key": yamlcache._key("a: 2\n", "x.yaml"), "node": ["s", 3, 1, 1, 0, 0]}).encode()):
        slot.write_bytes(broken)
        assert yamlcache.parse("a: 2\n", "x.yaml")[0].plain() == {"a": 2}
    assert parsed == ["x.yaml", "y.yaml", "x.yaml", "x.yaml", "x.yaml"]


def test_a_file_with_findings_is_never_kept_and_says_them_each_time(cache):
    text = "a: 1\na: 2\n"  # the same key twice (DG005)
    for _ in range(2):
        node, problems = yamlcache.parse(text, "dup.yaml")
        assert [f.code for f in problems] == ["DG005"]
    assert not yamlcache._slot("dup.yaml").exists()
    with pytest.raises(YamlSyntaxError):
        yamlcache.parse("a: [1,\n", "bad.yaml")
    assert not yamlcache._slot("bad.yaml").exists()


def test_a_cache_that_cannot_be_written_changes_nothing(cache):
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("a file where the cache's folder would be", "utf-8")
    assert yamlcache.parse(ALL_KINDS, "plan.yaml") == parse_yaml(ALL_KINDS, "plan.yaml")


def test_the_cache_lies_in_the_project_where_git_ignores_it():
    from dgdocs.paths import PROJECT
    assert yamlcache.CACHE.is_relative_to(PROJECT) and yamlcache.CACHE.relative_to(PROJECT).parts[0] == ".cache"
    assert "/.cache/" in (PROJECT / ".gitignore").read_text("utf-8").split()
