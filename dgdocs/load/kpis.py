"""kpis.yaml: the KPI registry (KPI lines and their indicators)."""

from __future__ import annotations


from ..model import (
    Baseline, Kpi, KpiLine, Target,
)
from .fields import Field, ListOf, OneOf, Spec, content_file
from .files import Context, read_yaml

KINDS = ("進捗", "効果")
KPI_LINE = Spec("KPI 行", None, [
    Field("id", str, required=True, default=""), Field("section", str, required=True, default=""),
    Field("kind", str, default="", choices=KINDS),
], other_keys={"text": OneOf((str, ListOf(str))), "kpis": None}, required_others=["text", "kpis"])
KPI = Spec("KPI", None, [
    Field("id", str, required=True, default=""), Field("indicator", str, required=True, default=""),
    Field("kind", str), Field("status", str, default=""), Field("note", str, default=""),
], other_keys={"baseline": None, "target": None})
BASELINE = Spec("baseline", None, [
    Field("value", "number"), Field("unit", str, default=""), Field("fiscal_year", int), Field("text", str, default=""),
])
TARGET = Spec("target", None, [
    Field("value", "number"), Field("unit", str, default=""), Field("qualifier", str, default=""),
    Field("basis", str, default=""), Field("by", int), Field("by_text", str, default=""),
    Field("beyond_plan", bool, default=False), Field("percent", "number"), Field("of", str),
    Field("text", str, default=""),
])
KPI_LINE.children["kpis"] = ListOf(KPI, 1)
KPI.children.update({"baseline": BASELINE, "target": TARGET})
KPIS = content_file("kpis.yaml", Spec("kpis.yaml", None, [], {"lines": ListOf(KPI_LINE)}, required_others=["lines"]))
PARTS = (("baseline", BASELINE, Baseline), ("target", TARGET, Target))


def _part(r, km: dict, key: str, spec: Spec, cls, kw: str):
    """The baseline or target of a KPI, or None."""
    if key not in km:
        return None
    m = spec.mapping(r, km[key], f"{kw}の {key}")
    if m is None:
        return None
    part = cls(**spec.values(r, m, kw), loc=km[key].loc)
    if key == "target" and part.text and (part.value is not None or part.percent is not None or part.unit):
        r.error(part.loc, f"{kw}の target に text（数値でない目標「{part.text}」）と数値（value・unit・percent）の両方があります。",
                "計画の目標が数値なら value と unit を、「全府省」のような言葉なら text だけを書いてください。")
    return part


def read_kpis(ctx: Context) -> list[KpiLine]:
    rel = "kpis.yaml"
    node = read_yaml(ctx, rel)
    if node is None:
        return []
    r = ctx.r
    m = KPIS.mapping(r, node, rel)
    if m is None:
        return []
    out = []
    for ln in r.seq(m, "lines", rel):
        lm = KPI_LINE.mapping(r, ln)
        if lm is None:
            continue
        lid = KPI_LINE.get(r, lm, "id", "KPI 行")
        what = f"KPI 行「{lid}」"
        line = KPI_LINE.values(r, lm, what, skip=("id",))
        kind = line["kind"]
        if kind and kind not in KINDS:
            ctx.err("DG004", lm["kind"].loc, f"{what}の kind は「進捗」か「効果」です（いまは「{kind}」）。",
                    "計画が種別を書いていないときは kind を省きます。")
        tn = lm.get("text")
        texts: list[str] = []
        if tn is not None and tn.is_seq:
            texts = [t for t in (r.check_type(x, str, f"{what}の text") for x in tn.value) if t]
        elif tn is not None:
            t = r.check_type(tn, str, f"{what}の text")
            texts = [t] if t else []
        kpis = []
        for kn in r.seq(lm, "kpis", what):
            km = KPI.mapping(r, kn)
            if km is None:
                continue
            kid = KPI.get(r, km, "id", "KPI")
            kw = f"KPI「{kid}」"
            baseline, target = (_part(r, km, key, spec, cls, kw) for key, spec, cls in PARTS)
            kpis.append(Kpi(id=kid, line=lid, section=line["section"], baseline=baseline, target=target, loc=kn.loc,
                            **KPI.values(r, km, kw, skip=("id",), defaults={"kind": kind})))
        if not kpis:
            ctx.err("DG004", ln.loc, f"{what}に指標（kpis）がありません。", "少なくとも1つの指標を書いてください。")
        out.append(KpiLine(id=lid, section=line["section"], kind=kind, text=tuple(texts), kpis=tuple(kpis), loc=ln.loc))
    out = list(r.unique(out, lambda k: k.id, lambda k: k.loc, "KPI 行の id"))
    list(r.unique([k for line in out for k in line.kpis], lambda k: k.id, lambda k: k.loc, "KPI の id"))
    return out
