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
    Field("note", str, default=""), Field("kind", str, default="用語", choices=("用語", "表記")), Field("basis", str, default=""),
    Field("followed_by", list, items=str), Field("not_in", list, items=str),
])
TERM_KINDS = ("用語", "表記")  # the plan's own terms (DG605), one word written two ways (DG608)

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
    lists = ("variants", "followed_by", "not_in")
    for tn, tm in _items(ctx, "terms.yaml", "terms", TERM):
        values = TERM.values(r, tm, skip=lists)
        if values["kind"] not in TERM_KINDS:
            ctx.err("DG004", tm["kind"].loc, f"用語の kind は「用語」か「表記」です（いまは「{values['kind']}」）。",
                    "計画の用語は「用語」（DG605）、一つの語の書き分けは「表記」（DG608）と書きます。")
            values["kind"] = "用語"
        elif values["kind"] == "表記" and not values["basis"].strip():
            ctx.err("DG004", tn.loc, f"表記「{values['preferred']}」に basis がありません。",
                    "どの基準（「公用文作成の考え方」など）がなぜこの表記を採るのかを basis に書いてください。")
        out.append(Term(loc=tn.loc, **{k: r.items(tm, k, str, "用語") for k in lists}, **values))
    return out
