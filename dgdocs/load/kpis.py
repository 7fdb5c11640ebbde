"""kpis.yaml: the KPI registry (KPI lines and their indicators)."""

from __future__ import annotations


from ..model import (
    Baseline, Kpi, KpiLine, Target,
)
from ..yamlsrc import Reader, YNode
from .files import Context, read_yaml


def _number_field(r: Reader, m: dict[str, YNode], key: str, what: str):
    return r.get(m, key, "number", what)


def read_kpis(ctx: Context) -> list[KpiLine]:
    rel = "kpis.yaml"
    node = read_yaml(ctx, rel)
    if node is None:
        return []
    r = ctx.r
    m = r.mapping(node, rel, ["lines"], ["lines"])
    if m is None:
        return []
    out = []
    for ln in r.seq(m, "lines", rel):
        lm = r.mapping(ln, "KPI 行", ["id", "section", "kind", "text", "kpis"], ["id", "section", "text", "kpis"])
        if lm is None:
            continue
        lid = r.get(lm, "id", str, "KPI 行", "")
        what = f"KPI 行「{lid}」"
        section = r.get(lm, "section", str, what, "")
        kind = r.get(lm, "kind", str, what, "")
        if kind and kind not in ("進捗", "効果"):
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
            km = r.mapping(kn, "KPI", ["id", "indicator", "kind", "baseline", "target", "status", "note"], ["id", "indicator"])
            if km is None:
                continue
            kid = r.get(km, "id", str, "KPI", "")
            kw = f"KPI「{kid}」"
            baseline = target = None
            if "baseline" in km:
                bm = r.mapping(km["baseline"], f"{kw}の baseline", ["value", "unit", "fiscal_year", "text"])
                if bm is not None:
                    baseline = Baseline(_number_field(r, bm, "value", kw), r.get(bm, "unit", str, kw, ""),
                                        r.get(bm, "fiscal_year", int, kw), r.get(bm, "text", str, kw, ""), km["baseline"].loc)
            if "target" in km:
                tm = r.mapping(km["target"], f"{kw}の target",
                               ["value", "unit", "qualifier", "basis", "by", "by_text", "beyond_plan", "percent", "of"])
                if tm is not None:
                    target = Target(_number_field(r, tm, "value", kw), r.get(tm, "unit", str, kw, ""),
                                    r.get(tm, "qualifier", str, kw, ""), r.get(tm, "basis", str, kw, ""),
                                    r.get(tm, "by", int, kw), r.get(tm, "by_text", str, kw, ""),
                                    bool(r.get(tm, "beyond_plan", bool, kw, False)), _number_field(r, tm, "percent", kw),
                                    r.get(tm, "of", str, kw), km["target"].loc)
            kpis.append(Kpi(kid, lid, section, r.get(km, "indicator", str, kw, ""), r.get(km, "kind", str, kw, kind),
                            baseline, target, r.get(km, "status", str, kw, ""), r.get(km, "note", str, kw, ""), kn.loc))
        if not kpis:
            ctx.err("DG004", ln.loc, f"{what}に指標（kpis）がありません。", "少なくとも1つの指標を書いてください。")
        out.append(KpiLine(lid, section, kind, tuple(texts), tuple(kpis), ln.loc))
    out = list(r.unique(out, lambda k: k.id, lambda k: k.loc, "KPI 行の id"))
    list(r.unique([k for line in out for k in line.kpis], lambda k: k.id, lambda k: k.loc, "KPI の id"))
    return out
