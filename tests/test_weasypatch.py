"""The print layers over WeasyPrint (dgdocs.render.weasypatch): each wraps one function of the
pinned WeasyPrint only, puts it back on uninstall, and refuses another version."""

from __future__ import annotations

import importlib

import pytest

from dgdocs.render import pdfcss, pdfleader, pdftable, pdftags

pytestmark = pytest.mark.pdf

LAYERS = [pdfcss, pdftags, pdftable, pdfleader]


@pytest.mark.parametrize("layer", LAYERS, ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_a_layer_wraps_its_function_and_puts_it_back(layer):
    patch = layer._original
    target = importlib.import_module(patch.where)
    before = getattr(target, patch.name)
    try:
        layer.install()
        assert getattr(target, patch.name).__module__ == layer.__name__
        layer.install()  # idempotent: the original is kept once
        assert patch.original.__module__.startswith("weasyprint")
        layer.uninstall()
        assert getattr(target, patch.name) is patch.original
    finally:
        setattr(target, patch.name, before)  # as this process had it (an earlier layout may have installed it)


@pytest.mark.parametrize("layer", LAYERS, ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_a_layer_refuses_a_weasyprint_it_was_not_read_against(layer, monkeypatch):
    import weasyprint
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with pytest.raises(RuntimeError, match=f"{layer.__name__} is written for WeasyPrint 70.0, not 71.0"):
        layer.install()
