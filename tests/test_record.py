"""``@record`` (dgdocs.model.record) behaves as ``@dataclass(frozen=True, slots=True)`` does.

The model's records are made by ``@record`` because Python 3.11's dataclass compiles six
methods a class (a fresh ``dgdocs check`` spent ≈ 25 ms on it); here a record and the
dataclass of the same fields are held to the same behaviour, method by method.
"""

from __future__ import annotations

import copy
import dataclasses
import pickle
import weakref
from dataclasses import dataclass, field
from functools import cached_property

import pytest

from dgdocs.model import Finding, Loc
from dgdocs.model.record import record


def _pair(order=False, slots=True):
    """The same class twice: by dataclass and by record."""
    made = []
    for deco in (dataclass(frozen=True, slots=slots, order=order), record(order=order, slots=slots)):
        class Item:
            """An item."""

            name: str
            count: int = 0
            tags: tuple[str, ...] = ()
            extra: list = field(default_factory=list, compare=False, repr=False)
            note: str = field(default="", compare=False)

            def label(self) -> str:
                return f"{self.name}×{self.count}"

        made.append(deco(Item))
    return made


CASES = [("a",), ("a", 2), ("a", 2, ("x", "y")), ("b", 1, (), [1]), ("a", 2, ("x", "y"), [3], "memo")]


@pytest.mark.parametrize("order", [False, True])
@pytest.mark.parametrize("slots", [True, False])
def test_a_record_behaves_as_the_frozen_dataclass(order, slots):
    D, R = _pair(order, slots)
    assert [f.name for f in dataclasses.fields(R)] == [f.name for f in dataclasses.fields(D)]
    assert R.__match_args__ == D.__match_args__
    assert ("__slots__" in R.__dict__) == ("__slots__" in D.__dict__) == slots
    for args in CASES:
        d, r = D(*args), R(*args)
        assert repr(r).replace("Item", "X") == repr(d).replace("Item", "X")
        assert r.label() == d.label()
        assert hash(r) == hash(d)  # the hash of the same tuple of compared fields
        assert r.extra == d.extra and r.extra is not R(*args).extra or args[3:]  # a fresh list each time
        assert R(**{f.name: getattr(r, f.name) for f in dataclasses.fields(R)}) == r
        assert dataclasses.replace(r, count=9) == R(args[0], 9, *args[2:])
        assert dataclasses.asdict(r) == dataclasses.asdict(d)
        for other in CASES:
            assert (R(*other) == r) == (D(*other) == d)
            if order:
                assert (R(*other) < r, R(*other) <= r, R(*other) > r, R(*other) >= r) == \
                    (D(*other) < d, D(*other) <= d, D(*other) > d, D(*other) >= d)
        assert r != d and (r == d) is False  # another class: never equal
        with pytest.raises(dataclasses.FrozenInstanceError):
            r.count = 3
        with pytest.raises(dataclasses.FrozenInstanceError):
            del r.name
        assert copy.deepcopy(r) == r and copy.copy(r) == r  # through __getstate__/__setstate__, as pickle
    if not order:
        with pytest.raises(TypeError):
            R("a") < R("b")
    with pytest.raises(TypeError):
        R()  # name is required
    with pytest.raises(TypeError):
        R("a", 1, (), [], "", "too many")


def test_a_record_keeps_the_methods_its_class_defines_and_runs_post_init():
    @record(slots=False)
    class Doc:
        items: tuple[int, ...]
        total: int = field(init=False, repr=False, compare=False)

        def __post_init__(self):
            object.__setattr__(self, "total", sum(self.items))

        def __repr__(self):
            return "Doc!"

        @cached_property
        def doubled(self):
            return self.total * 2

    d = Doc((1, 2, 3))
    assert d.total == 6 and d.doubled == 12 and repr(d) == "Doc!"
    assert d == Doc((1, 2, 3)) and hash(d) == hash(Doc((1, 2, 3)))
    assert weakref.ref(d)() is d  # a record without slots can be referenced weakly (checks.cache)


def test_a_record_refuses_what_a_frozen_dataclass_refuses():
    with pytest.raises(TypeError):
        @record
        class Bad:
            a: int = 0
            b: str  # a field without a default after one with

    with pytest.raises(TypeError):
        @record
        class Setter:
            a: int

            def __setattr__(self, name, value):
                pass

    with pytest.raises(ValueError):
        @record
        class Mutable:
            a: list = []  # noqa: RUF012 - refused, as dataclass refuses it


def test_the_model_is_made_of_records():
    loc = Loc("chapters/01.md", 3, 2)
    assert sorted([Loc("b", 1), loc, Loc("a", 2), Loc("b")]) == [Loc("a", 2), Loc("b"), Loc("b", 1), loc]
    f = Finding("DG101", "error", loc, "メッセージ")
    assert f == Finding("DG101", "error", Loc("chapters/01.md", 3, 2), "メッセージ") and {f, f} == {f}
    assert repr(loc) == "Loc(file='chapters/01.md', line=3, col=2)"
    assert not hasattr(loc, "__dict__")  # slots, as before
    assert pickle.loads(pickle.dumps(f)) == f  # the PDF workers' jobs and results travel as pickles (render.forkpool)
