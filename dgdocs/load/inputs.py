"""The inputs of the checks: accepted.yaml (acceptances pinned to figures) and terms.yaml."""

from __future__ import annotations


from ..model import Acceptance, Term
from ..yamlsrc import YNode
from .fields import Field, Spec
from .files import Context, read_yaml

ACCEPTANCE = Spec("受け入れ（accepted の項目）", "受け入れ", [
    Field("code", str, required=True, default=""), Field("subject", list, required=True),
    Field("reason", str, required=True, default=""),
])
TERM = Spec("用語（terms の項目）", "用語", [
    Field("preferred", str, required=True, default=""), Field("variants", list, required=True),
    Field("note", str, default=""),
])


def _optional_list(ctx: Context, rel: str, key: str) -> list[YNode]:
    """The items of an optional file that holds one list under *key* (accepted.yaml, terms.yaml)."""
    node = read_yaml(ctx, rel, required=False)
    if node is None:
        return []
    m = ctx.r.mapping(node, rel, [key], [key])
    return ctx.r.seq(m or {}, key, rel)


def read_acceptances(ctx: Context) -> list[Acceptance]:
    r = ctx.r
    out = []
    for an in _optional_list(ctx, "accepted.yaml", "accepted"):
        am = ACCEPTANCE.mapping(r, an)
        if am is None:
            continue
        values = ACCEPTANCE.values(r, am, skip=("subject",))
        if not values["reason"].strip():
            ctx.err("DG004", an.loc, "受け入れには理由（reason）が必要です。", "なぜ計画のとおりで良いのかを書いてください。")
        out.append(Acceptance(subject=r.items(am, "subject", str, "受け入れ", keep_empty=True), loc=an.loc, **values))
    return out


def read_terms(ctx: Context) -> list[Term]:
    r = ctx.r
    out = []
    for tn in _optional_list(ctx, "terms.yaml", "terms"):
        tm = TERM.mapping(r, tn)
        if tm is None:
            continue
        out.append(Term(variants=r.items(tm, "variants", str, "用語"), loc=tn.loc, **TERM.values(r, tm, skip=("variants",))))
    return out
