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
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from ..yamlsrc import Reader, YNode


@dataclass(frozen=True)
class Field:
    key: str  # the YAML key
    kind: Any  # str, int, "number", bool, datetime.date, list (see yamlsrc.Reader.check_type)
    required: bool = False
    default: Any = None
    attr: str | None = None  # the record's attribute, when it is not the key ("from" → start)
    what: str | None = None  # how a message names the field's owner, if not as the others ("表「{tid}」")

    @property
    def name(self) -> str:
        return self.attr or self.key


class Spec:
    """The keys of one kind of mapping and the fields read from it."""

    def __init__(self, what: str, field_what: str | None, fields: Iterable[Field], other_keys: Iterable[str] = (),
                 required_others: Iterable[str] = ()):
        self.what = what
        self.field_what = field_what or what
        self.fields = tuple(fields)
        self.other_keys = tuple(other_keys)  # allowed keys read by hand (nested records, lists)
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
