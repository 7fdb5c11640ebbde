"""The per-run cache of the checks: a function of the document, computed once per document.

A rule is a function of the document alone, so the views several rules read (the text
units, their folded forms, the sentences and their quantities, the date expressions) are
memoised here by the document's identity — the model is immutable, so a document's text
never changes under the cache — and dropped with the document (a weak reference: the
preview's next build, a test's next miniature plan).
"""

from __future__ import annotations

import weakref
from typing import Callable, TypeVar

from ..model import Document

T = TypeVar("T")

_CACHE: dict[tuple[int, str], tuple[weakref.ref, object]] = {}


def per_document(func: Callable[[Document], T]) -> Callable[[Document], T]:
    """Memoise ``func(doc)`` for as long as *doc* lives (one computation per run)."""
    name = f"{func.__module__}.{func.__qualname__}"

    def cached(doc: Document) -> T:
        key = (id(doc), name)
        hit = _CACHE.get(key)
        if hit is not None and hit[0]() is doc:
            return hit[1]  # type: ignore[return-value]
        value = func(doc)
        _CACHE[key] = (weakref.ref(doc, lambda _ref, key=key: _CACHE.pop(key, None)), value)
        return value

    cached.__doc__ = func.__doc__
    cached.__name__ = func.__name__
    cached.__wrapped__ = func  # type: ignore[attr-defined]
    return cached
