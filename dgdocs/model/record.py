"""``@record``: the model's frozen dataclasses, made at a fraction of the cost.

``@record`` is ``@dataclass(frozen=True, slots=True)`` (``order=True``, ``slots=False`` when asked): the
same fields, defaults, ``__post_init__``, ``__match_args__``, slots, equality, hash, repr,
ordering, :class:`dataclasses.FrozenInstanceError` on assignment, pickling and
:func:`dataclasses.replace` / :func:`dataclasses.fields`.  Python 3.11's ``dataclass``
compiles each of those methods from source text with one ``exec`` apiece (six a class, ten
with ``order``); the model has dozens of records, and a fresh ``dgdocs check`` spent ≈ 25 ms
compiling them.  Here only ``__init__`` is compiled (its signature is the class's); the other
methods are shared functions that read the class's field names.  tests/test_record.py holds a
record and the dataclass of the same fields to the same behaviour.
"""

from __future__ import annotations

import dataclasses
from dataclasses import MISSING, FrozenInstanceError
from operator import attrgetter
from reprlib import recursive_repr

__all__ = ["record"]


def record(cls=None, /, *, order: bool = False, slots: bool = True):
    """``@record``, ``@record(order=True)`` or ``@record(slots=False)`` (a record with a
    ``__dict__``: for ``functools.cached_property`` or a weak reference) on a class with
    annotated fields."""

    def wrap(cls):
        return _make(cls, order, slots)

    return wrap if cls is None else wrap(cls)


def _make(cls, order: bool, slots: bool):
    if cls.__doc__ is None:  # dataclass would build one from inspect.signature, slowly
        cls.__doc__ = f"{cls.__name__}({', '.join(cls.__dict__.get('__annotations__', ()))})"
    # dataclass collects the fields (and rebuilds the class with __slots__); it generates nothing
    cls = dataclasses.dataclass(cls, init=False, repr=False, eq=False, slots=slots)
    fields = dataclasses.fields(cls)
    compared = tuple(f.name for f in fields if f.compare)
    hashed = tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash))
    shown = tuple(f.name for f in fields if f.repr)
    key = _getter(compared)
    hkey = _getter(hashed)
    methods = [("__init__", _init(cls, fields)), ("__repr__", _repr(shown)), ("__eq__", _eq(key)),
               ("__setattr__", _setattr), ("__delattr__", _delattr)]
    if slots:  # pickle and copy set a slotted record's fields through these, not __setattr__
        methods += [("__getstate__", _getstate), ("__setstate__", _setstate)]
    for name, fn in methods:
        if name in cls.__dict__ and name not in ("__setattr__", "__delattr__"):
            continue  # the class's own (as dataclass keeps a __repr__ the class defines)
        if name in cls.__dict__:
            raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}")
        if fn not in _SHARED:
            fn.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, fn)
    if "__hash__" not in cls.__dict__ or cls.__dict__["__hash__"] is None:
        cls.__hash__ = _hash(hkey)
        cls.__hash__.__qualname__ = f"{cls.__qualname__}.__hash__"
    if order:
        for name, fn in _order(key).items():
            fn.__qualname__ = f"{cls.__qualname__}.{name}"
            setattr(cls, name, fn)
    return cls


def _getter(names: tuple[str, ...]):
    if not names:
        return lambda obj: ()
    if len(names) == 1:
        get = attrgetter(names[0])
        return lambda obj: (get(obj),)
    return attrgetter(*names)


def _init(cls, fields):
    """``__init__(self, a, b=<default>, c=<factory>)`` compiled once, as dataclass writes it."""
    env = {"__setattr": object.__setattr__, "__factory": _FACTORY}
    params: list[str] = []
    body: list[str] = []
    for f in fields:
        if not f.init:
            if f.default is not MISSING:
                env[f"__dflt_{f.name}"] = f.default
                body.append(f"__setattr(self, {f.name!r}, __dflt_{f.name})")
            elif f.default_factory is not MISSING:
                env[f"__dflt_{f.name}"] = f.default_factory
                body.append(f"__setattr(self, {f.name!r}, __dflt_{f.name}())")
            continue
        if f.default is not MISSING:
            env[f"__dflt_{f.name}"] = f.default
            params.append(f"{f.name}=__dflt_{f.name}")
            body.append(f"__setattr(self, {f.name!r}, {f.name})")
        elif f.default_factory is not MISSING:
            env[f"__dflt_{f.name}"] = f.default_factory
            params.append(f"{f.name}=__factory")
            body.append(f"__setattr(self, {f.name!r}, __dflt_{f.name}() if {f.name} is __factory else {f.name})")
        else:
            if any(p for p in params if "=" in p):
                raise TypeError(f"non-default argument {f.name!r} follows default argument")
            params.append(f.name)
            body.append(f"__setattr(self, {f.name!r}, {f.name})")
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    source = f"def __init__(self, {', '.join(params)}):\n    " + "\n    ".join(body or ["pass"]) + "\n"
    exec(source, env)  # noqa: S102 - our own source text, made from the field names above
    return env["__init__"]


class _Factory:
    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def _repr(names: tuple[str, ...]):
    @recursive_repr()
    def __repr__(self):
        return f"{type(self).__qualname__}(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in names) + ")"

    return __repr__


def _eq(key):
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    return __eq__


def _hash(key):
    def __hash__(self):
        return hash(key(self))

    return __hash__


def _order(key) -> dict:
    def __lt__(self, other):
        return key(self) < key(other) if other.__class__ is self.__class__ else NotImplemented

    def __le__(self, other):
        return key(self) <= key(other) if other.__class__ is self.__class__ else NotImplemented

    def __gt__(self, other):
        return key(self) > key(other) if other.__class__ is self.__class__ else NotImplemented

    def __ge__(self, other):
        return key(self) >= key(other) if other.__class__ is self.__class__ else NotImplemented

    return {"__lt__": __lt__, "__le__": __le__, "__gt__": __gt__, "__ge__": __ge__}


def _setattr(self, name, value):
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self, name):
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _getstate(self):
    return [getattr(self, f.name) for f in dataclasses.fields(self)]


def _setstate(self, state):
    for f, value in zip(dataclasses.fields(self), state):
        object.__setattr__(self, f.name, value)


_SHARED = (_setattr, _delattr, _getstate, _setstate)
