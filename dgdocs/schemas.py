"""JSON Schemas of the content YAML files, made from the loader's own field specs.

Editors write ``content/`` in VS Code; with the YAML extension (yaml-language-server) and
``.vscode/settings.json`` these schemas underline a wrong key or type while typing, and offer
the keys and the choices (``kind: roadmap | list``).  They are made from the same
:class:`~dgdocs.load.fields.Spec` s the loader checks with (:data:`dgdocs.load.fields.FILES`:
every content file kind and the Spec of its top), so they cannot drift: ``dgdocs schemas`` writes them to
``docs/schemas/`` and ``tests/test_schemas.py`` fails when the committed ones are not what
the specs say, and validates the shipped content against them with jsonschema.

A schema accepts what the loader accepts, no more and no less, at the level of keys and
types: a bare number where text is expected is fine (the loader reads it as text), an empty
value (``key:``) is null.  What needs more than a key and a type (the period notation's
quarters, an id that must exist) remains the loader's and the checks' to say, in Japanese.
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any

from .load import appendices, data, errata, inputs, kpis, plan  # noqa: F401  (their Specs register their files)
from .load.fields import FILES, PERIOD, QUARTER, Field, ListOf, MapOf, OneOf, Spec
from .load.progress import EVALUATION as _EVALUATION  # noqa: F401  (the progress files register theirs)

#: the file name (in docs/schemas/) of each content file kind's schema
NAMES = {"plan.yaml": "plan", "data/*.yaml": "data", "kpis.yaml": "kpis", "appendices/*.yaml": "appendix",
         "errata.yaml": "errata", "accepted.yaml": "accepted", "terms.yaml": "terms", "progress/*.yaml": "progress"}

PERIOD_PATTERN = r"^(\d{4}|\d{4}Q[1-4]|\d{4}-\d{1,2}|cy\d{4})$"
SCALARS: dict[Any, dict] = {
    str: {"type": ["string", "number"]},  # a bare number is fine where text is expected
    int: {"type": "integer"},
    "number": {"type": "number"},
    bool: {"type": "boolean"},
    _dt.date: {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
    PERIOD: {"type": ["integer", "string"], "pattern": PERIOD_PATTERN,
             "description": "2020（年度）、2020Q1〜2020Q4（四半期。Q1 は4〜6月）、2021-04（月）、cy2020（暦年）"},
    QUARTER: {"type": "string", "pattern": r"^\d{4}Q[1-4]$", "description": "2021Q1（Q1 は4〜6月）"},
}


def _nullable(schema: dict) -> dict:
    """An empty value (``key:``) is null, which the loader reads as the field's default."""
    out = dict(schema)
    types = out.get("type")
    if types is not None:
        out["type"] = (list(types) if isinstance(types, list) else [types]) + ["null"]
    return out


def _field(f: Field) -> dict:
    if f.kind is list:
        out = {"type": "array"}
        if f.items is not None:
            out["items"] = shape_schema(f.items)
    else:
        out = dict(SCALARS.get(f.kind, {}))
    if f.choices:
        out["enum"] = list(f.choices) + ([""] if f.default == "" else []) + [None]
    return _nullable(out) if out else out


def shape_schema(shape: Any) -> dict:
    """The JSON Schema of a shape: a Spec, ListOf, MapOf, OneOf, or a scalar kind."""
    if isinstance(shape, Spec):
        props = {f.key: _field(f) for f in shape.fields}
        # a list left empty (``tasks:``) reads as no items; a record or a table must be there
        props.update({k: (_nullable(shape_schema(v)) if isinstance(v, ListOf) else shape_schema(v)) if v is not None
                      else {} for k, v in shape.children.items()})
        out: dict[str, Any] = {"type": "object", "title": shape.what, "properties": props, "additionalProperties": False}
        if shape.required:
            out["required"] = list(shape.required)
        return out
    if isinstance(shape, ListOf):
        out = {"type": "array", "items": shape_schema(shape.item)}
        if shape.min_items:
            out["minItems"] = shape.min_items
        if shape.max_items is not None:
            out["maxItems"] = shape.max_items
        return out
    if isinstance(shape, MapOf):
        return {"type": "object", "additionalProperties": shape_schema(shape.value)}
    if isinstance(shape, OneOf):
        return {"anyOf": [shape_schema(o) for o in shape.options]}
    return dict(SCALARS.get(shape, {}))


def schemas() -> dict[str, dict]:
    """name → JSON Schema (draft-07, which yaml-language-server reads) of every content file kind."""
    out = {}
    for pattern, shape in FILES.items():
        name = NAMES[pattern]
        body = shape_schema(shape)
        out[name] = {"$schema": "http://json-schema.org/draft-07/schema#",
                     "title": f"dgdocs content/{pattern}",
                     "description": f"content/{pattern} の書き方（dgdocs の読み込みと同じ項目と型。dgdocs schemas が生成）",
                     **{k: v for k, v in body.items() if k != "title"}}
    return dict(sorted(out.items()))


def schema_files() -> dict[str, bytes]:
    """The files of docs/schemas/: ``<name>.schema.json``, deterministic bytes."""
    return {f"{name}.schema.json": (json.dumps(s, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
            for name, s in schemas().items()}


def patterns() -> dict[str, str]:
    """schema file name → the content files it describes (for .vscode/settings.json)."""
    return {f"{NAMES[p]}.schema.json": f"content/{p}" for p in FILES}
