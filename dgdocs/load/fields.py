"""A small field spec per record: which keys a YAML mapping may and must have, the type of
each, and how the record is built from them — by keyword, never by position.

    REVISION = Spec("改定履歴の項目", "改定履歴", [
        Field("kind", str, required=True, default=""), Field("date", _dt.date, required=True),
        Field("body", str, required=True, default=""), Field("summary", str, default="")])
    values = REVISION.read(r, node)        # {"kind": …, "date": …, …} or None
    Revision(**values, loc=node.loc)

:meth:`Spec.read` checks the mapping (unknown keys DG005, missing keys DG004) and every
field's type (DG004), and records each problem in the reader's findings (all of them, not
just the first); a field whose value is wrong takes its default.  Messages name the
mapping (*what*) and the field (*field_what*, which may differ: 「改定履歴の「date」は…」).

The keys a reader reads by hand (nested records, lists) are named with their shape —
``{"kpis": ListOf(KPI), "target": TARGET}`` — so that a Spec says the whole structure of its
file: :mod:`.schema` writes the JSON Schemas of the editors' tools from it (they never drift
from what the loader accepts), and DG005's hint knows which keys belong to the same file.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from ..model.record import record
from ..yamlsrc import Reader, YNode


#: the kind of a 工程表 period (2020, 2020Q3, 2021-04, cy2020: dgdocs.periods), read by hand
PERIOD = "period"
#: the kind of an evaluated quarter (2021Q1)
QUARTER = "quarter"


@record(slots=False)
class ListOf:
    """A list whose items are *item* (a Spec, a scalar kind, or a OneOf)."""

    item: Any
    min_items: int = 0
    max_items: int | None = None


@record(slots=False)
class MapOf:
    """A mapping of ids to *value* (the tables of a data file, by table id)."""

    value: Any


@record(slots=False)
class OneOf:
    """One of several shapes (a KPI line's text: one string or a list of them)."""

    options: tuple[Any, ...]


@record(slots=False)
class Field:
    key: str  # the YAML key
    kind: Any  # str, int, "number", bool, datetime.date, list, PERIOD, QUARTER (see yamlsrc.Reader.check_type)
    required: bool = False
    default: Any = None
    attr: str | None = None  # the record's attribute, when it is not the key ("from" → start)
    what: str | None = None  # how a message names the field's owner, if not as the others ("表「{tid}」")
    items: Any = None  # for a list: the kind of its items
    choices: tuple[str, ...] = ()  # the only values it may take (checked by the reader)

    @property
    def name(self) -> str:
        return self.attr or self.key


#: the content files and the Spec of each one's top (filled by the readers: file pattern → Spec)
FILES: dict[str, Any] = {}


def content_file(pattern: str, spec: Any) -> Any:
    """Register *spec* (a Spec or a OneOf of them) as the shape of the files *pattern*
    (content/-relative, ``data/*.yaml``)."""
    FILES[pattern] = spec
    return spec


def specs_in(shape: Any) -> Iterable["Spec"]:
    """Every Spec reachable from *shape*, each once."""
    seen: list[Spec] = []

    def walk(s: Any) -> None:
        if isinstance(s, Spec):
            if any(s is x for x in seen):
                return
            seen.append(s)
            for child in s.children.values():
                walk(child)
        elif isinstance(s, ListOf):
            walk(s.item)
        elif isinstance(s, MapOf):
            walk(s.value)
        elif isinstance(s, OneOf):
            for o in s.options:
                walk(o)

    walk(shape)
    return seen


def keys_elsewhere() -> dict[str, dict[str, tuple[str, ...]]]:
    """For each content file pattern: key → the records of that file that use it.  A key valid
    in another record of the same file and unknown here was most likely indented one level off
    (the hint of DG005 says so, instead of asking for the spelling)."""
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for pattern, shape in FILES.items():
        keys: dict[str, list[str]] = {}
        for spec in specs_in(shape):
            for key in spec.allowed:
                names = keys.setdefault(key, [])
                if spec.what not in names:
                    names.append(spec.what)
        out[pattern] = {k: tuple(v) for k, v in keys.items()}
    return out


class Spec:
    """The keys of one kind of mapping and the fields read from it.

    *other_keys* are the keys read by hand: a mapping of key → shape (``ListOf(KPI)``, a Spec,
    ``str`` …), or only their names."""

    def __init__(self, what: str, field_what: str | None, fields: Iterable[Field],
                 other_keys: Iterable[str] | Mapping[str, Any] = (), required_others: Iterable[str] = ()):
        self.what = what
        self.field_what = field_what or what
        self.fields = tuple(fields)
        self.children: dict[str, Any] = dict(other_keys) if isinstance(other_keys, Mapping) else \
            {k: None for k in other_keys}
        self.other_keys = tuple(self.children)  # allowed keys read by hand (nested records, lists)
        self.allowed = [f.key for f in self.fields] + list(self.other_keys)
        self.required = [f.key for f in self.fields if f.required] + list(required_others)

    def mapping(self, r: Reader, node: YNode, what: str | None = None) -> dict[str, YNode] | None:
        """Check the mapping's keys; its entries, or None when it is no mapping."""
        return r.mapping(node, what or self.what, self.allowed, self.required)

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)

    def get(self, r: Reader, m: dict[str, YNode], key: str, field_what: str | None = None, default: Any = None) -> Any:
        """One field's value (for the fields a record is keyed by, read first)."""
        f = self.field(key)
        return r.get(m, f.key, f.kind, field_what or self.field_what, f.default if default is None else default)

    def values(self, r: Reader, m: dict[str, YNode], field_what: str | None = None, *, skip: Iterable[str] = (),
               defaults: dict[str, Any] | None = None, **names: Any) -> dict[str, Any]:
        """Every field's value (its default where missing or wrong), by attribute name; *skip*:
        keys read already; *defaults*: defaults that depend on the enclosing record; *names*:
        what a field's own ``what`` names (``tid=…``)."""
        fw = field_what or self.field_what
        skip, defaults = set(skip), defaults or {}
        return {f.name: r.get(m, f.key, f.kind, f.what.format(**names) if f.what else fw,
                              defaults.get(f.key, f.default))
                for f in self.fields if f.key not in skip}

    def read(self, r: Reader, node: YNode, what: str | None = None, field_what: str | None = None,
             **names: Any) -> dict[str, Any] | None:
        """:meth:`mapping` then :meth:`values`: the record's fields, or None when *node* is no mapping."""
        m = self.mapping(r, node, what)
        return None if m is None else self.values(r, m, field_what, **names)
