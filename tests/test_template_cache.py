"""Compiled templates kept between builds (dgdocs.render.common.TemplateCache): the same pages
from a cold cache, a warm one, a broken one and one that cannot be written; a changed
template is compiled again."""

from __future__ import annotations

import os

import pytest

from dgdocs.render import common


@pytest.fixture
def cache(tmp_path, monkeypatch):
    where = tmp_path / "templates-cache"
    monkeypatch.setattr(common, "TEMPLATE_CACHE", where)
    return where


def _render(templates, name="page.html", **ctx):
    return common.make_env(templates).get_template(name).render(**ctx)


@pytest.fixture
def templates(tmp_path):
    root = tmp_path / "templates"
    root.mkdir()
    (root / "page.html").write_text("<p>{{ x }}と{{ 1000 | number }}</p>\n", "utf-8")
    return root


def _compiles(monkeypatch):
    import jinja2
    seen = []
    real = jinja2.Environment.compile

    def counted(self, source, name=None, filename=None, raw=False, defer_init=False):
        seen.append(name)
        return real(self, source, name, filename, raw, defer_init)
    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    return seen


def test_a_template_is_compiled_once_and_read_from_the_cache_after(cache, templates, monkeypatch):
    compiled = _compiles(monkeypatch)
    first = _render(templates, x="<計画>")
    assert compiled == ["page.html"] and len(list(cache.iterdir())) == 1
    assert _render(templates, x="<計画>") == first == "<p>&lt;計画&gt;と1,000</p>\n"  # a new environment, as a new build
    assert compiled == ["page.html"]  # not compiled again
    (templates / "page.html").write_text("<p>{{ x }}!</p>\n", "utf-8")
    assert _render(templates, x="a") == "<p>a!</p>\n" and compiled == ["page.html", "page.html"]


def test_a_broken_cache_file_is_compiled_again(cache, templates, monkeypatch):
    _render(templates, x="a")
    for f in cache.iterdir():
        f.write_bytes(b"not marshal data at all")
    compiled = _compiles(monkeypatch)
    assert _render(templates, x="a") == "<p>aと1,000</p>\n" and compiled == ["page.html"]


def test_a_cache_that_cannot_be_written_changes_nothing(cache, templates, monkeypatch):
    """(A read-only checkout, or a file where the cache's folder would be: writing it fails.)"""
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("a file where the cache's folder would be", "utf-8")
    compiled = _compiles(monkeypatch)
    assert _render(templates, x="a") == "<p>aと1,000</p>\n"
    assert _render(templates, x="b") == "<p>bと1,000</p>\n" and compiled == ["page.html", "page.html"]
    assert cache.is_file()


def test_the_cache_lies_in_the_project_where_git_ignores_it():
    from dgdocs.paths import PROJECT
    assert common.TEMPLATE_CACHE.is_relative_to(PROJECT)
    ignored = (PROJECT / ".gitignore").read_text("utf-8").split()
    assert "/.cache/" in ignored and common.TEMPLATE_CACHE.relative_to(PROJECT).parts[0] == ".cache"
