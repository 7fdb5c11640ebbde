"""The inputs of the checks: accepted.yaml (acceptances pinned to figures) and terms.yaml."""

from __future__ import annotations


from ..model import (
    Acceptance, Term,
)
from ..yamlsrc import YNode
from .files import Context, read_yaml


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
        am = r.mapping(an, "受け入れ（accepted の項目）", ["code", "subject", "reason"], ["code", "subject", "reason"])
        if am is None:
            continue
        subject = r.items(am, "subject", str, "受け入れ", keep_empty=True)
        reason = r.get(am, "reason", str, "受け入れ", "")
        if not reason.strip():
            ctx.err("DG004", an.loc, "受け入れには理由（reason）が必要です。", "なぜ計画のとおりで良いのかを書いてください。")
        out.append(Acceptance(r.get(am, "code", str, "受け入れ", ""), subject, reason, an.loc))
    return out


def read_terms(ctx: Context) -> list[Term]:
    r = ctx.r
    out = []
    for tn in _optional_list(ctx, "terms.yaml", "terms"):
        tm = r.mapping(tn, "用語（terms の項目）", ["preferred", "variants", "note"], ["preferred", "variants"])
        if tm is None:
            continue
        variants = r.items(tm, "variants", str, "用語")
        out.append(Term(r.get(tm, "preferred", str, "用語", ""), variants, r.get(tm, "note", str, "用語", ""), tn.loc))
    return out
