"""The outline index of the model (one walk of the section tree at load time, asked by every
renderer, check and tool: chapter, parent, ancestors, labels of a section id), and the
model's immutability."""

from __future__ import annotations


def test_the_outline_knows_each_sections_chapter_parent_and_labels(doc):
    o = doc.outline
    assert o.chapter("online-principle").id == "services"
    assert o.parent("online-principle") == "procedure-digitalisation"
    assert [s.id for s in o.ancestors("online-principle")] == ["online-principle", "procedure-digitalisation", "services"]
    assert o.label("online-principle") == "II(2)ア."
    assert o.path_text("online-principle") == "II(2)ア.　行政手続のオンライン化実施の原則に係る情報システム整備"
    assert o.quoted("gov-platform") == "II(3)1)「政府共通プラットフォーム」"
    # a chapter heading: without its 「.」 in a path, with it when it is named alone
    assert o.path_text("services").startswith("II　") and o.quoted("services").startswith("II.「")
    assert o.parent("services") is None


def test_every_section_is_in_the_outline_in_reading_order(doc):
    ids = [s.id for s in doc.sections()]
    assert list(doc.outline) == ids
    assert [doc.outline.position(i) for i in ids] == list(range(len(ids)))


def test_an_unknown_id_is_named_as_it_is(doc):
    o = doc.outline
    assert "no-such-section" not in o
    assert o.chapter("no-such-section") is None and o.ancestors("no-such-section") == []
    assert o.path_text("no-such-section") == o.label("no-such-section") == o.quoted("no-such-section") == "no-such-section"


def test_the_document_is_immutable_values_included(doc):
    import dataclasses

    import pytest
    with pytest.raises(TypeError):
        doc.values["counts.total"] = None  # a read-only mapping
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.values = {}
    assert doc.values["plan.title"].value == doc.plan.title
