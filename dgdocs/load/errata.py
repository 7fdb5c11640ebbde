"""errata.yaml and the source text it cites (content/source/)."""

from __future__ import annotations


from ..model import (
    Errata, ErrataRule,
    Erratum, Loc,
)
from .files import Context, read_text, read_yaml


def read_errata(ctx: Context) -> Errata | None:
    rel = "errata.yaml"
    node = read_yaml(ctx, rel, required=False)
    if node is None:
        return None
    r = ctx.r
    m = r.mapping(node, rel, ["seed", "rules", "entries"], ["seed", "entries"])
    if m is None:
        return None
    rules = []
    for rn in r.seq(m, "rules", rel):
        rm = r.mapping(rn, "一括修正（rules の項目）", ["id", "description", "reason", "seed_lines"],
                       ["id", "description", "reason", "seed_lines"])
        if rm is None:
            continue
        lines = r.items(rm, "seed_lines", int, "rules")
        rules.append(ErrataRule(r.get(rm, "id", str, "rules", ""), r.get(rm, "description", str, "rules", ""),
                                r.get(rm, "reason", str, "rules", ""), lines, rn.loc))
    entries = []
    for en in r.seq(m, "entries", rel):
        em = r.mapping(en, "正誤（entries の項目）", ["id", "kind", "section", "seed_line", "seed", "corrected", "reason"],
                       ["id", "kind", "section", "seed_line", "seed", "corrected", "reason"])
        if em is None:
            continue
        entries.append(Erratum(r.get(em, "id", str, "entries", ""), r.get(em, "kind", str, "entries", ""),
                               r.get(em, "section", str, "entries", ""), r.get(em, "seed_line", int, "entries", 0),
                               r.get(em, "seed", str, "entries", ""), r.get(em, "corrected", str, "entries", ""),
                               r.get(em, "reason", str, "entries", ""), en.loc))
    entries = list(r.unique(entries, lambda e: e.id, lambda e: e.loc, "正誤の id"))
    seed = r.get(m, "seed", str, rel, "")
    return Errata(seed, tuple(rules), tuple(entries), node.loc, _read_source(ctx, seed, m.get("seed", node).loc))


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
