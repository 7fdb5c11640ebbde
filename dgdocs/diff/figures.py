"""The figures side of the 新旧対照表: every changed value of the revision history, the KPIs
and KPI lines, the expenditure tables, the data figures and the appendix rows, field by field."""

from __future__ import annotations

from collections import Counter
from typing import Callable, Hashable, Iterable, Iterator, TypeVar

from .. import wording
from ..formatting import grouped
from ..model import Document, Kpi, Row
from ..plaintext import TextRenderer
from ..textdiff import segments
from .result import NEW_SECTION, REMOVED, FigureChange, Labels, Part, all_changed, label

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


def pairs(old: Iterable[T], new: Iterable[T], key: Callable[[T], K], *,
          sort: bool = False) -> Iterator[tuple[K, T | None, T | None]]:
    """(key, old item, new item) of everything on either side, paired by *key*: in the new
    order, then the keys only the old side has (in their old order); ``sort``: keys sorted
    on each side first (dates, numbers).  None on a side: the item does not exist there."""
    o = {key(x): x for x in old}
    n = {key(x): x for x in new}
    for k in merged_keys(sorted(o), sorted(n)) if sort else merged_keys(list(o), list(n)):
        yield k, o.get(k), n.get(k)


def merged_keys(old_keys: list, new_keys: list) -> list:
    """New order, then the keys only the old side has (in their old order)."""
    seen = set(new_keys)
    return list(new_keys) + [k for k in old_keys if k not in seen]


class _Figures:
    def __init__(self) -> None:
        self.out: list[FigureChange] = []

    def field(self, group: str, subject: str, item: str, old: str | None, new: str | None) -> None:
        """Record one value: None on a side means the thing does not exist there."""
        if old == new:
            return
        if old is None:
            self.out.append(FigureChange(group, subject, item, (Part("para", all_changed(new or "")),),
                                         (label(NEW_SECTION),)))
        elif new is None:
            self.out.append(FigureChange(group, subject, item, (label(REMOVED),),
                                         (Part("para", all_changed(old)),)))
        else:
            o, n = segments(old, new)
            self.out.append(FigureChange(group, subject, item, (Part("para", n),), (Part("para", o),)))

    def fields(self, group: str, subject: str, old: dict[str, str] | None, new: dict[str, str] | None,
               whole: str, summary) -> None:
        """Compare records field by field; a record only on one side is one row (*whole*)."""
        if old is None or new is None:
            self.field(group, subject, whole, summary(old) if old else None, summary(new) if new else None)
            return
        for key in new:
            self.field(group, subject, key, old.get(key, ""), new[key])


def _kpi_fields(name_of: Labels, k: Kpi) -> dict[str, str]:
    return {
        "指標": k.indicator,
        "種別": k.kind,
        "基準値": wording.baseline_text(k.baseline),
        "目標値": wording.target_value_text(k.target),
        "期限": wording.deadline_text(k.target),
        "状況": k.status,
        "備考": k.note,
        "本文の節": name_of(k.section),
    }


def _summary(fields: dict[str, str]) -> str:
    return "　".join(f"{k}：{v}" for k, v in fields.items() if v)


def _row_fields(name_of: Labels, row: Row) -> dict[str, str]:
    out = {"項目": row.title, "本文の節": name_of(row.section), "状況": row.status, "備考": row.note,
           "工程の記載": row.schedule}
    if row.amount is not None:
        a = row.amount
        out["金額"] = f"{grouped(a.value)}{a.unit}" + (f"（{a.fiscal_year}年度）" if a.fiscal_year else "")
    else:
        out["金額"] = ""
    seen: Counter = Counter()
    for t in sorted(row.tasks, key=lambda t: (t.start.first, t.start.last, t.label)):
        seen[t.label] += 1
        key = f"工程「{t.label}」" + (f"（{seen[t.label]}）" if seen[t.label] > 1 else "")
        flags = ("（計画期間前から）" if t.before_plan else "") + ("（計画期間後まで）" if t.beyond_plan else "")
        out[key] = wording.task_text(t) + flags
    for m in sorted(row.milestones, key=lambda m: (m.at.first, m.at.last, m.label)):
        seen[m.label] += 1
        key = f"時期「{m.label}」" + (f"（{seen[m.label]}）" if seen[m.label] > 1 else "")
        out[key] = wording.period_text(m.at) + "（◆）"
    return out


def compare_figures(old: Document, new: Document, olab: Labels, nlab: Labels) -> list[FigureChange]:
    f = _Figures()
    # revision history
    for _, o, n in pairs(old.plan.revisions, new.plan.revisions, lambda r: (r.date, r.kind), sort=True):
        subject = wording.revision_line((n or o))
        rf = lambda r: {"決定機関": r.body, "概要": r.summary}  # noqa: E731
        f.fields("改定履歴", subject, rf(o) if o else None, rf(n) if n else None, "全体", _summary)
    # KPIs and the KPI lines of the prose
    for kid, o, n in pairs(old.kpis(), new.kpis(), lambda k: k.id):
        subject = f"{(n or o).indicator}（{kid}）"
        of, nf = (_kpi_fields(olab, o) if o else None), (_kpi_fields(nlab, n) if n else None)
        if o and n and o.section == n.section:  # same section: a renumbering is not a change of the KPI
            del of["本文の節"], nf["本文の節"]
        f.fields("KPI", subject, of, nf, "全体", _summary)
    otext, ntext = TextRenderer(old), TextRenderer(new)
    for lid, o, n in pairs(old.kpi_lines, new.kpi_lines, lambda ln: ln.id):
        ot = f"{o.label}：" + "\n".join(otext.text(t) for t in o.text) if o else None
        nt = f"{n.label}：" + "\n".join(ntext.text(t) for t in n.text) if n else None
        f.field("KPI", f"KPI 行（{lid}）", "本文の記載", ot, nt)
    # expenditure tables
    for key, o, n in pairs(old.budget_tables, new.budget_tables, lambda t: t.key):
        subject = f"【{(n or o).title}】（{key}）"

        def head(t):
            return {"表題": t.title, "単位": t.unit, "年度": f"{t.fiscal_year}年度", "区分の見出し": t.category_label}

        f.fields("経費", subject, head(o) if o else None, head(n) if n else None, "全体", _summary)
        for _, ro, rn in pairs(o.rows + (o.total,) if o else (), n.rows + (n.total,) if n else (), lambda r: r.id):
            item = (rn or ro).label
            f.field("経費", subject, item, f"{grouped(ro.value)}{o.unit}" if ro else None,
                    f"{grouped(rn.value)}{n.unit}" if rn else None)
            if ro and rn and ro.label != rn.label:
                f.field("経費", subject, f"{item}（区分名）", ro.label, rn.label)
    # data figures
    for _, o, n in pairs(old.figures(), new.figures(), lambda x: x.key):
        subject = f"{(n or o).label}（data/{(n or o).set}.yaml の {(n or o).id}）"
        f.field("数値", subject, "値", f"{grouped(o.value)}{o.unit}" if o else None,
                f"{grouped(n.value)}{n.unit}" if n else None)
        if o and n and o.label != n.label:
            f.field("数値", subject, "名称", o.label, n.label)
    # appendices
    for _, o, n in pairs(old.appendices, new.appendices, lambda a: a.number, sort=True):
        group = f"{(n or o).label}"
        f.fields(group, f"{(n or o).label}　{(n or o).title}",
                 {"表題": o.title, "説明": o.description} if o else None,
                 {"表題": n.title, "説明": n.description} if n else None, "全体", _summary)
        for _, ro, rn in pairs(o.rows() if o else (), n.rows() if n else (), lambda r: r.id):
            of = _row_fields(olab, ro) if ro else None
            nf = _row_fields(nlab, rn) if rn else None
            subject = (rn or ro).title
            if ro and rn and ro.section == rn.section:
                del of["本文の節"], nf["本文の節"]
            if of is None or nf is None:
                f.fields(group, subject, of, nf, "全体", _summary)
                continue
            for key in merged_keys(list(of), list(nf)):
                f.field(group, subject, key, of.get(key), nf.get(key))
    return f.out
