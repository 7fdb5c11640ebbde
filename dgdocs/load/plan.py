"""plan.yaml: title, organisation (and how the site names it), plan period, revision history,
the chapter list, the contact block and the theme (:mod:`.theme`)."""

from __future__ import annotations

import datetime as _dt

from ..model import (
    Loc, Plan,
    Revision,
)
from .fields import Field, ListOf, Spec, content_file
from .files import Context, read_yaml
from .theme import CONTACT, THEME, read_contact, read_theme


REVISION = Spec("改定履歴の項目", "改定履歴", [
    Field("kind", str, required=True, default=""), Field("date", _dt.date, required=True),
    Field("body", str, required=True, default=""), Field("summary", str, default=""),
])
PLAN_PERIOD = Spec("plan_period", "plan_period", [Field("from", int, required=True), Field("to", int, required=True)])
PLAN = content_file("plan.yaml", Spec("plan.yaml", "plan.yaml", [
    Field("title", str, required=True, default=""), Field("organisation", str, required=True, default=""),
    Field("short_name", str, default=""), Field("site_name", str, default=""),
], {"plan_period": PLAN_PERIOD, "revisions": ListOf(REVISION, 1), "chapters": ListOf(str), "contact": CONTACT,
    "theme": THEME},
    required_others=["plan_period", "revisions", "chapters"]))

# fiscal years a plan period may name (a year outside is a typing error, not a plan)
PLAN_YEARS = range(1989, 2201)
MAX_PLAN_YEARS = 30


def read_plan(ctx: Context) -> tuple[Plan | None, list[tuple[str, Loc]]]:
    node = read_yaml(ctx, "plan.yaml")
    if node is None:
        return None, []
    r = ctx.r
    m = PLAN.mapping(r, node)
    if m is None:
        return None, []
    title = PLAN.get(r, m, "title")
    org = PLAN.get(r, m, "organisation")
    pf, pt = 2020, 2024
    if "plan_period" in m:
        pm = PLAN_PERIOD.mapping(r, m["plan_period"])
        if pm:
            pf = r.get(pm, "from", int, "plan_period", pf)
            pt = r.get(pm, "to", int, "plan_period", pt)
            for key, year in (("from", pf), ("to", pt)):
                if year not in PLAN_YEARS:
                    ctx.err("DG008", pm[key].loc if key in pm else m["plan_period"].loc,
                            f"計画期間の {key} の年度 {year} は範囲外です（{PLAN_YEARS.start}〜{PLAN_YEARS.stop - 1}）。",
                            "西暦の4桁で書いてください（例: from: 2020、to: 2024）。")
            if pf in PLAN_YEARS and pt in PLAN_YEARS and not 0 <= pt - pf < MAX_PLAN_YEARS:
                ctx.err("DG008", m["plan_period"].loc, f"計画期間が {pf}〜{pt} 年度になっています。",
                        f"from は to 以前の年度で、期間は {MAX_PLAN_YEARS} 年度以内です。年度を確かめてください。")
                pf, pt = 2020, 2024
            if pf not in PLAN_YEARS or pt not in PLAN_YEARS:
                pf, pt = 2020, 2024
    revisions = []
    for rn in r.seq(m, "revisions", "plan.yaml"):
        rm = REVISION.mapping(r, rn)
        if rm is None:
            continue
        date = REVISION.get(r, rm, "date")
        if date is None:
            continue
        revisions.append(Revision(date=date, loc=rn.loc, **REVISION.values(r, rm, skip=("date",))))
    if not revisions and "revisions" in m:
        ctx.err("DG004", m["revisions"].loc, "改定履歴（revisions）が空です。", "少なくとも決定の日付を書いてください。")
    for a, b in zip(revisions, revisions[1:]):
        if b.date <= a.date:
            ctx.err("DG004", b.loc, "改定履歴が日付の古い順に並んでいません。", "決定、改定の順に、古いものから書いてください。")
    chapters = [(c, n.loc) for n in r.seq(m, "chapters", "plan.yaml") if (c := r.check_type(n, str, "chapters の項目"))]
    if not revisions:
        return None, chapters
    return Plan(title=title, organisation=org, period_from=pf, period_to=pt, revisions=tuple(revisions),
                loc=node.loc, short_name=r.get(m, "short_name", str, "plan.yaml", ""),
                site_name=r.get(m, "site_name", str, "plan.yaml", ""),
                contact=read_contact(ctx, m.get("contact")), theme=read_theme(ctx, m.get("theme"))), chapters
