"""errata.yaml and the source text it cites (content/source/)."""

from __future__ import annotations


from ..model import Errata, ErrataRule, Erratum, Loc
from .fields import Field, ListOf, Spec, content_file
from .files import Context, read_text, read_yaml

ERRATA_RULE = Spec("一括修正（rules の項目）", "rules", [
    Field("id", str, required=True, default=""), Field("description", str, required=True, default=""),
    Field("reason", str, required=True, default=""),
], other_keys={"seed_lines": ListOf(int)}, required_others=["seed_lines"])
ERRATUM = Spec("正誤（entries の項目）", "entries", [
    Field("id", str, required=True, default=""), Field("kind", str, required=True, default=""),
    Field("section", str, required=True, default=""), Field("seed_line", int, required=True, default=0),
    Field("seed", str, required=True, default=""), Field("corrected", str, required=True, default=""),
    Field("reason", str, required=True, default=""),
])

ERRATA = content_file("errata.yaml", Spec("errata.yaml", None, [Field("seed", str, required=True, default="")],
                                          {"rules": ListOf(ERRATA_RULE), "entries": ListOf(ERRATUM)},
                                          required_others=["entries"]))

def read_errata(ctx: Context) -> Errata | None:
    rel = "errata.yaml"
    node = read_yaml(ctx, rel, required=False)
    if node is None:
        return None
    r = ctx.r
    m = ERRATA.mapping(r, node, rel)
    if m is None:
        return None
    rules = []
    for rn in r.seq(m, "rules", rel):
        rm = ERRATA_RULE.mapping(r, rn)
        if rm is None:
            continue
        rules.append(ErrataRule(seed_lines=r.items(rm, "seed_lines", int, "rules"), loc=rn.loc,
                                **ERRATA_RULE.values(r, rm)))
    entries = []
    for en in r.seq(m, "entries", rel):
        em = ERRATUM.mapping(r, en)
        if em is None:
            continue
        entries.append(Erratum(loc=en.loc, **ERRATUM.values(r, em)))
    entries = list(r.unique(entries, lambda e: e.id, lambda e: e.loc, "正誤の id"))
    seed = r.get(m, "seed", str, rel, "")
    return Errata(seed=seed, rules=tuple(rules), entries=tuple(entries), loc=node.loc,
                  source_lines=_read_source(ctx, seed, m.get("seed", node).loc))


def _read_source(ctx: Context, name: str, loc: Loc) -> tuple[str, ...]:
    """The lines of ``source/<name>``, the extracted text the errata cite (kept in the repository)."""
    if not name:
        return ()
    if "/" in name or "\\" in name or name.startswith("."):
        ctx.err("DG004", loc, f"seed「{name}」はファイル名だけを書いてください。",
                "抽出テキストは content/source/ に置き、errata.yaml の seed にはそのファイル名を書きます。")
        return ()
    rel = f"source/{name}"
    if not (ctx.root / rel).is_file():
        ctx.err("DG002", loc, f"正誤の元になった抽出テキスト {rel} がありません。",
                "公表 PDF から抽出したテキストを content/source/ に置いてください（正誤の行番号はこのファイルの行です）。")
        return ()
    text = read_text(ctx, rel)
    return tuple(text.split("\n")) if text is not None else ()
