"""DG7xx — the quarterly evaluations (content/progress/*.yaml) against the plan.

Each evaluation is checked as of its own quarter: a task or milestone whose end has passed is
behind unless it is reported 完了・中止・見直し (or honestly 遅延); actuals are in the KPI's
unit, in the plan's years, not above 100 %; every entry names something the plan has.
"""

from __future__ import annotations

import unicodedata
from typing import Iterator

from ..model import SETTLED, Document, Evaluation, Finding, Kpi, Loc
from ..progress.quarter import in_plan, period_label, quarter_text
from ..progress.status import Item, all_items, effective_end, overdue, reported
from .registry import finding, rule


def _where(ev: Evaluation, item: Item) -> Loc:
    entry = reported(ev, item)
    if entry is not None and entry.status is not None:
        return entry.status.loc
    rp = ev.row(item.row.id)
    return rp.loc if rp is not None else ev.as_of.loc


def _name(item: Item) -> str:
    what = {"task": "工程", "milestone": "マイルストーン", "row": "行"}[item.kind]
    return f"{item.appendix.label}の行「{item.row.id}」の{what}「{item.label}」"


@rule("DG701", "計画の終わりを過ぎた工程が、完了・中止・見直し・遅延のどれかで報告されている", "warning",
      protects="評価する四半期の終わりまでに計画の終わり（見直し後の終わり）を過ぎた工程・マイルストーンは、完了・中止・見直しでなければ遅延です。未着手・実施中と報告されたもの、報告のない工程を指摘します（計画期間前の記録は除きます）。")
def overdue_items_are_reported_as_such(doc: Document) -> Iterator[Finding]:
    """As of the evaluated quarter, a task (or milestone) whose planned end — or the end of its
    latest 見直し — has passed and that is not 完了・中止・見直し is 遅延: reported as 未着手 or
    実施中, or (a task) not reported at all, it is a finding.  Items the plan records from before
    its period (before_plan) are history and never overdue."""
    for ev in doc.progress:
        for item in all_items(doc):
            if item.kind == "row" or not overdue(doc, ev, item):
                continue
            entry = reported(ev, item)
            status = entry.status.value if entry is not None else None
            if status in SETTLED or status == "遅延" or (status is None and item.kind == "milestone"):
                continue  # a milestone without any status is DG702
            end = effective_end(doc, ev, item)
            said = f"状況は「{status}」です" if status else "状況の報告がありません"
            yield finding(_where(ev, item),
                          f"{_name(item)}は終わり（{period_label(end)}）を{quarter_text(ev.as_of.value)}までに過ぎていますが、{said}（遅延とみなします）。",
                          "遅れていれば状況を「遅延」に、終わっていれば「完了」に、時期を変えたなら「見直し」と新しい時期を書いてください。",
                          [ev.as_of.value.text, item.id, status or ""])


@rule("DG702", "時期を過ぎたマイルストーンに状況がある", "warning",
      protects="評価する四半期の終わりまでに時期を過ぎたマイルストーンに、状況の報告があることを確かめます（計画期間前の記録は除きます）。")
def passed_milestones_have_a_status(doc: Document) -> Iterator[Finding]:
    """A milestone whose date (or revised date) has passed by the end of the evaluated quarter
    has a status in that evaluation; silence about a passed milestone is what the CIO must see."""
    for ev in doc.progress:
        for item in all_items(doc):
            if item.kind != "milestone" or not overdue(doc, ev, item) or reported(ev, item) is not None:
                continue
            yield finding(_where(ev, item),
                          f"{_name(item)}の時期（{period_label(effective_end(doc, ev, item))}）を過ぎていますが、{ev.as_of.value.text} の評価に状況がありません。",
                          "照会票で状況を回答してもらうか、進捗ファイルの rows にこのマイルストーンの status を書いてください。",
                          [ev.as_of.value.text, item.id])


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _kpi_unit(k: Kpi) -> str:
    for u in (k.target.unit if k.target else "", k.baseline.unit if k.baseline else ""):
        if u:
            return _nfkc(u)
    return ""


def _actuals(doc: Document):
    kpis = {k.id: k for k in doc.kpis()}
    for ev in doc.progress:
        for kp in ev.kpis:
            k = kpis.get(kp.id.value)
            if k is not None:
                for a in kp.actuals:
                    yield ev, k, a


@rule("DG703", "実績の単位が KPI の単位と同じ",
      protects="報告された KPI の実績の単位が、計画の KPI の目標値・基準値の単位と同じであることを確かめます（％と%は同じとみなします）。")
def actual_units_match_the_kpi(doc: Document) -> Iterator[Finding]:
    """An actual is in the unit of its KPI's target (or baseline): an actual in 件 against a
    target in % cannot be compared and would draw a wrong chart."""
    for _ev, k, a in _actuals(doc):
        unit = _kpi_unit(k)
        if unit and _nfkc(a.unit.value) != unit:
            yield finding(a.unit.loc, f"KPI「{k.id}」の実績（{a.period.value.text}）の単位「{a.unit.value}」が KPI の単位「{unit}」と違います。",
                          f"KPI と同じ単位（{unit}）に換算して報告してもらってください。", [k.id, a.period.value.text, a.unit.value])


@rule("DG704", "実績の年度が計画期間か基準年度で、評価の四半期より後でない",
      protects="KPI の実績の年度が計画期間（2020〜2024年度）か基準値の年度であること、評価する四半期より後の実績でないことを確かめます。")
def actual_years_in_plan(doc: Document) -> Iterator[Finding]:
    """An actual is for a fiscal year of the plan period or the KPI's baseline year, and not
    for a period after the evaluated quarter (a figure of the future is a typing error)."""
    lo, hi = doc.plan.period_from, doc.plan.period_to
    for ev, k, a in _actuals(doc):
        p = a.period.value
        base = k.baseline.fiscal_year if k.baseline else None
        if not (lo <= p.first_fy <= hi or p.first_fy == base):
            yield finding(a.period.loc, f"KPI「{k.id}」の実績の年度 {p.first_fy}年度 は計画期間（{lo}〜{hi}年度）にも基準年度{f'（{base}年度）' if base else ''}にも当たりません。",
                          "年度を確かめてください（年度は4月〜翌年3月）。", [k.id, p.text])
        elif p.first > ev.quarter:
            yield finding(a.period.loc, f"KPI「{k.id}」の実績（{p.text}）は、評価する四半期 {ev.as_of.value.text} より後の期間です。",
                          "実績の対象期間を確かめてください。", [k.id, p.text, ev.as_of.value.text])


@rule("DG705", "割合の実績が100%を超えない",
      protects="単位が％の KPI の実績が100%を超えていないことを確かめます（前年度比のように100%を超えうるものは、理由を書いて受け入れます）。")
def rates_at_most_100(doc: Document) -> Iterator[Finding]:
    """A rate (an actual in %) is at most 100 %: 104% オンライン利用率 is a typing error.  A
    ratio that can exceed 100 (対前年度比) is accepted in accepted.yaml with its reason."""
    for _ev, k, a in _actuals(doc):
        if _nfkc(a.unit.value) == "%" and a.value.value > 100:
            yield finding(a.value.loc, f"KPI「{k.id}」の実績（{a.period.value.text}）が {a.value.value}% で、100%を超えています。",
                          "値を確かめてください。100%を超えうる指標なら理由を書いて content/accepted.yaml で受け入れます。",
                          [k.id, a.period.value.text, str(a.value.value)])


@rule("DG706", "進捗が計画にある行・工程・KPI を指している",
      protects="進捗ファイルの行 id、工程とマイルストーンの名前（label）、KPI の id が計画（別紙・KPI 登録簿）にあることを確かめます。計画を直したときに進捗が宙に浮かないようにします。")
def progress_names_known_items(doc: Document) -> Iterator[Finding]:
    """Every entry of a progress file names a row of an appendix, a task or milestone of that
    row by its exact label, and a KPI of the registry; after a revision of the plan renamed
    one of them, the progress must follow."""
    rows = {r.id: r for a in doc.appendices for r in a.rows()}
    kpis = {k.id for k in doc.kpis()}
    for ev in doc.progress:
        for rp in ev.rows:
            row = rows.get(rp.id.value)
            if row is None:
                yield finding(rp.id.loc, f"進捗の行「{rp.id.value}」は別紙にありません。",
                              "別紙の行の id を書いてください（行の id が変わったときはここも直します）。", [ev.as_of.value.text, rp.id.value])
                continue
            tasks, miles = {t.label for t in row.tasks}, {m.label for m in row.milestones}
            for tp in rp.tasks:
                if tp.label.value not in tasks:
                    yield finding(tp.label.loc, f"行「{row.id}」に工程「{tp.label.value}」はありません。",
                                  f"別紙の工程の label をそのまま書いてください（この行の工程: {'、'.join(sorted(tasks)) or 'なし'}）。",
                                  [ev.as_of.value.text, row.id, tp.label.value])
            for mp in rp.milestones:
                if mp.label.value not in miles:
                    yield finding(mp.label.loc, f"行「{row.id}」にマイルストーン「{mp.label.value}」はありません。",
                                  f"別紙のマイルストーンの label をそのまま書いてください（この行のマイルストーン: {'、'.join(sorted(miles)) or 'なし'}）。",
                                  [ev.as_of.value.text, row.id, mp.label.value])
        for kp in ev.kpis:
            if kp.id.value not in kpis:
                yield finding(kp.id.loc, f"進捗の KPI「{kp.id.value}」は kpis.yaml にありません。",
                              "kpis.yaml の kpis の id を書いてください。", [ev.as_of.value.text, kp.id.value])


@rule("DG707", "見直しには新しい時期があり、新しい時期は見直しにだけある",
      protects="状況が「見直し」の工程に新しい時期（new_from / new_to、マイルストーンは new_at）が書かれていること、新しい時期が「見直し」以外に書かれていないことを確かめます。")
def revisions_state_the_new_period(doc: Document) -> Iterator[Finding]:
    """見直し changes the schedule: the new period must be stated (the appendix itself stays
    the plan, so the evaluation is the only place the new period lives); a new period under
    another status is a schedule change nobody called one."""
    for ev in doc.progress:
        for rp in ev.rows:
            entries = [(t, "工程", (t.new_from, t.new_to), "new_from / new_to") for t in rp.tasks]
            entries += [(m, "マイルストーン", (m.new_at,), "new_at") for m in rp.milestones]
            for e, what, new, keys in entries:
                stated = any(n is not None for n in new)
                if e.status.value == "見直し" and not stated:
                    yield finding(e.status.loc, f"行「{rp.id.value}」の{what}「{e.label.value}」は「見直し」ですが、新しい時期がありません。",
                                  f"見直し後の時期を {keys} に書いてください（例: 2022Q3）。", [ev.as_of.value.text, rp.id.value, e.label.value])
                elif stated and e.status.value != "見直し":
                    yield finding(next(n for n in new if n is not None).loc,
                                  f"行「{rp.id.value}」の{what}「{e.label.value}」に新しい時期がありますが、状況は「{e.status.value}」です。",
                                  "時期を変えたのなら状況を「見直し」にしてください。変えていなければ新しい時期を消してください。",
                                  [ev.as_of.value.text, rp.id.value, e.label.value, e.status.value])


@rule("DG708", "評価の四半期が計画期間内にある",
      protects="進捗ファイルの評価する四半期（as_of）が計画期間（2020〜2024年度）の中にあることを確かめます。")
def evaluations_within_the_plan(doc: Document) -> Iterator[Finding]:
    """An evaluation is of a quarter of the plan period: 2019Q4 or 2025Q1 is either a typing
    error or an evaluation of another plan."""
    for ev in doc.progress:
        if not in_plan(ev.as_of.value, doc.plan):
            yield finding(ev.as_of.loc, f"評価の四半期 {ev.as_of.value.text} は計画期間（{doc.plan.period_from}〜{doc.plan.period_to}年度）の外です。",
                          "as_of とファイル名を確かめてください。", [ev.as_of.value.text])
