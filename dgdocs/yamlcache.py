"""Parsed YAML kept between builds: a content file that did not change is not composed again.

Composing YAML with the line of every node (:func:`dgdocs.yamlsrc.parse_yaml`) is most of
what loading the quarterly evaluations costs: eight quarters' progress files (≈ 200 KB,
≈ 10,000 values) take ≈ 0.1 s of a build, every build, though a past quarter's file never
changes.  :func:`parse` keeps each file's nodes as JSON in ``.cache/yaml/`` (in the project,
ignored by git, as Python keeps its bytecode), one slot per file name, and gives them back
when the same text, under the same name, is read by the same reader code again: the key is
a hash of the three.  Only a file read without any finding is kept (its findings would have
to be given again); a slot that cannot be read — missing, another file's, broken, not the
shape written — is parsed again, and a cache that cannot be written changes nothing: the
cache changes how long a build takes, never what it reads.  JSON, not pickle: a cache file
is data, never code.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import tempfile
from decimal import Decimal
from pathlib import Path

from .diagnostics import Problems
from .model import Loc
from .paths import PROJECT
from .yamlsrc import YNode, parse_yaml

CACHE = PROJECT / ".cache" / "yaml"
_CODE: list[str] = []


def _code() -> str:
    """The reader's own code: a change to it reads every file again."""
    if not _CODE:
        here = Path(__file__).parent
        h = hashlib.sha256()
        for name in ("yamlsrc.py", "yamlcache.py"):
            h.update((here / name).read_bytes())
        _CODE.append(h.hexdigest())
    return _CODE[0]


def _slot(rel: str) -> Path:
    return CACHE / f"{hashlib.sha256(rel.encode('utf-8')).hexdigest()[:24]}.json"


def _key(text: str, rel: str) -> str:
    return hashlib.sha256(f"{_code()}\0{rel}\0{text}".encode("utf-8")).hexdigest()


class _NotKept(Exception):
    pass


def _freeze(node: YNode) -> list:
    k = node.key_loc
    head = [node.loc.line, node.loc.col, k.line if k else 0, k.col if k else 0]
    v = node.value
    if isinstance(v, dict):
        return ["m", [[key, _freeze(child)] for key, child in v.items()], *head]
    if isinstance(v, list):
        return ["l", [_freeze(child) for child in v], *head]
    if v is None:
        return ["n", None, *head]
    if isinstance(v, bool):
        return ["b", v, *head]
    if isinstance(v, int):
        return ["i", v, *head]
    if isinstance(v, str):
        return ["s", v, *head]
    if isinstance(v, Decimal):
        return ["d", str(v), *head]
    if isinstance(v, _dt.date) and not isinstance(v, _dt.datetime):
        return ["t", v.isoformat(), *head]
    raise _NotKept(type(v).__name__)  # a value of another type is not kept (none is known)


def _thaw(data: list, rel: str) -> YNode:
    kind, v, line, col, kline, kcol = data
    if kind == "m":
        value = {key: _thaw(child, rel) for key, child in v}
    elif kind == "l":
        value = [_thaw(child, rel) for child in v]
    elif kind == "s":
        value = v if isinstance(v, str) else _broken()
    elif kind == "i":
        value = v if type(v) is int else _broken()
    elif kind == "b":
        value = v if type(v) is bool else _broken()
    elif kind == "n":
        value = None
    elif kind == "d":
        value = Decimal(v)
    elif kind == "t":
        value = _dt.date.fromisoformat(v)
    else:
        _broken()
    return YNode(value, Loc(rel, line, col), Loc(rel, kline, kcol) if kline else None)


def _broken():
    raise ValueError("not the shape written")


def parse(text: str, rel: str) -> tuple[YNode | None, Problems]:
    """:func:`dgdocs.yamlsrc.parse_yaml`, from the cache when the same text was read before."""
    key = _key(text, rel)
    slot = _slot(rel)
    try:
        kept = json.loads(slot.read_bytes())
        if kept["key"] == key:
            return _thaw(kept["node"], rel), Problems()
    except (OSError, ValueError, KeyError, TypeError, IndexError, ArithmeticError, RecursionError):
        pass
    node, problems = parse_yaml(text, rel)  # (a syntax error raises: nothing is kept)
    if node is not None and not problems:
        try:
            data = json.dumps({"key": key, "node": _freeze(node)}, ensure_ascii=False, separators=(",", ":"))
            CACHE.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=CACHE, prefix=slot.name, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data.encode("utf-8"))
                os.replace(tmp, slot)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except (OSError, _NotKept, ValueError, RecursionError):
            pass
    return node, problems
