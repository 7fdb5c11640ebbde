"""The inputs of the checks: accepted.yaml (acceptances pinned to figures) and terms.yaml."""

from __future__ import annotations


from ..model import Acceptance, Term
from .fields import Field, ListOf, Spec, content_file
from .files import Context, read_yaml

ACCEPTANCE = Spec("受け入れ（accepted の項目）", "受け入れ", [
    Field("code", str, required=True, default=""), Field("subject", list, required=True, items=str),
    Field("reason", str, required=True, default=""),
])
TERM = Spec("用語（terms の項目）", "用語", [
    Field("preferred", str, required=True, default=""), Field("variants", list, required=True, items=str),
    Field("note", str, default=""),
])

ACCEPTED = content_file("accepted.yaml", Spec("accepted.yaml", None, [], {"accepted": ListOf(ACCEPTANCE)},
                                              required_others=["accepted"]))
TERMS = content_file("terms.yaml", Spec("terms.yaml", None, [], {"terms": ListOf(TERM)}, required_others=["terms"]))
FILE_SPECS = {"accepted.yaml": ACCEPTED, "terms.yaml": TERMS}

def _items(ctx: Context, rel: str, key: str, spec: Spec):
    """(node, mapping) of each item of an optional file that holds one list under *key*
    (accepted.yaml, terms.yaml); items that are no mapping are reported and left out."""
    node = read_yaml(ctx, rel, required=False)
    if node is None:
        return
    m = FILE_SPECS[rel].mapping(ctx.r, node, rel)
    for item in ctx.r.seq(m or {}, key, rel):
        im = spec.mapping(ctx.r, item)
        if im is not None:
            yield item, im


def read_acceptances(ctx: Context) -> list[Acceptance]:
    r = ctx.r
    out = []
    for an, am in _items(ctx, "accepted.yaml", "accepted", ACCEPTANCE):
        values = ACCEPTANCE.values(r, am, skip=("subject",))
        if not values["reason"].strip():
            ctx.err("DG004", an.loc, "受け入れには理由（reason）が必要です。", "なぜ計画のとおりで良いのかを書いてください。")
        out.append(Acceptance(subject=r.items(am, "subject", str, "受け入れ", keep_empty=True), loc=an.loc, **values))
    return out


def read_terms(ctx: Context) -> list[Term]:
    r = ctx.r
    out = []
    for tn, tm in _items(ctx, "terms.yaml", "terms", TERM):
        out.append(Term(variants=r.items(tm, "variants", str, "用語"), loc=tn.loc, **TERM.values(r, tm, skip=("variants",))))
    return out
