"""「KPI：」 lines into the KPI registry: the indicator, the target and the deadline, where the
wording allows; the rest is kept as text.

The wording of a KPI line is copied exactly (after the spacing rule) into ``text``; the
fields are filled only when the whole wording matches one of the forms the plans use —

* 「指標(2024年度:94%以上)」, 「指標(2025年度:対2019年度比20%以上)」, 「指標(毎年度:99.99%以上)」,
  「指標（2022年度）」, 「指標(3割減)」, 「指標(現行システムと比較し3割程度削減)」;
* 「指標(2018年度(平成30年度)実績である1,135万件を2021年度(令和3年度)までに3,115万件に引き上げる)」;
* 「指標、2021年度末までに100%」, 「指標99.9%以上」;
* a deadline in the sentence (「遅くとも2023年度（令和5年度）に…」, 「…2024年度までの…」);
* 「設定中…」「現在検討中」 (a status, no indicator of its own).

A line with figures that fits none of them keeps its wording and goes to the import report,
so that a person fills the target in — nothing is guessed.  Every pattern is anchored and
linear; the trailing bracket is found by counting, not by a regular expression.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_Y = r"(?P<{n}>\d{{4}})年度"
_ERA = r"(?:[(（](?:令和|平成)(?:元|\d{{1,2}})年度[)）])?"
_NUM = r"(?P<{n}>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)"
UNITS = r"%|％|割|[万億千]?件|[万億千]?円|団体|システム|人|か所|箇所|手続|倍"
_UNIT = r"(?P<{n}>" + UNITS.replace("{", "{{").replace("}", "}}") + ")"
_Q = r"(?P<q>以上|超|程度|以下|未満)?"


def _f(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _y(n):
    return _Y.format(n=n)


def _num(n):
    return _NUM.format(n=n)


def _unit(n):
    return _UNIT.format(n=n)


ERA = _ERA.format()
# forms of the bracket at the end of the wording
INNER = [
    ("deadline_value", _f(rf"(?P<by_text>{_y('by')}{ERA}(?:末)?) ?[:：] ?(?P<basis>対(?P<base>\d{{4}})年度比)?{_num('v')}{_unit('u')}{_Q}")),
    ("every_year", _f(rf"(?P<by_text>毎年度) ?[:：] ?{_num('v')}{_unit('u')}{_Q}")),
    ("deadline", _f(rf"(?P<by_text>{_y('by')}{ERA}(?:末|中)?)")),
    ("raise", _f(rf"(?P<base_text>{_y('base')}{ERA}実績)である{_num('bv')}{_unit('bu')}を"
                 rf"(?P<by_text>{_y('by')}{ERA}まで)に{_num('v')}{_unit('u')}に引き上げる")),
    ("value", _f(rf"{_num('v')}{_unit('u')}{_Q}(?:減|削減)?")),
    ("compared", _f(rf"(?P<basis>現行システムと比較し){_num('v')}{_unit('u')}{_Q}(?:削減)?")),
]
WHOLE = [
    ("comma_deadline", _f(rf"(?P<ind>[^、]+)、(?P<by_text>{_y('by')}{ERA}(?:末までに|までに)){_num('v')}{_unit('u')}{_Q}")),
    ("trailing_value", _f(rf"(?P<ind>.*[^\d.,]){_num('v')}{_unit('u')}{_Q}")),
]
_DEADLINE = re.compile(r"(?P<by_text>(?:遅くとも)?(?P<by>\d{4})年度(?:[(（](?:令和|平成)(?:元|\d{1,2})年度[)）])?(?:末まで|まで|中)?)")
FIGURE = re.compile(rf"(?<!\d)(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)(?:{UNITS})")
_STATUS = re.compile(r"^(?:設定中|現在検討中|検討中)")


@dataclass
class ParsedKpi:
    indicator: str
    target: dict | None = None
    baseline: dict | None = None
    status: str = ""
    complete: bool = True  # False: the wording has figures the fields do not hold


def _number(text: str) -> int | Decimal:
    t = text.replace(",", "")
    return Decimal(t) if "." in t else int(t)


def trailing_bracket(text: str) -> tuple[str, str] | None:
    """(before, inside) of a bracket that closes the text: 「指標(2024年度(令和6年度):94%以上)」."""
    t = text.rstrip()
    if not t or t[-1] not in ")）":
        return None
    depth = 0
    for i in range(len(t) - 1, -1, -1):
        if t[i] in ")）":
            depth += 1
        elif t[i] in "(（":
            depth -= 1
            if depth == 0:
                return t[:i], t[i + 1:-1]
    return None


def _target(m: re.Match, period_to: int) -> dict:
    g = m.groupdict()
    out: dict = {}
    if g.get("v"):
        out["value"] = _number(g["v"])
        out["unit"] = "%" if g["u"] == "％" else g["u"]
    if g.get("q"):
        out["qualifier"] = g["q"]
    if g.get("basis"):
        out["basis"] = g["basis"]
    if g.get("by"):
        out["by"] = int(g["by"])
    if g.get("by_text"):
        out["by_text"] = g["by_text"]
    if out.get("by") and out["by"] > period_to:
        out["beyond_plan"] = True
    return out


def _baseline(m: re.Match) -> dict | None:
    g = m.groupdict()
    if g.get("bv"):
        return {"value": _number(g["bv"]), "unit": g["bu"], "fiscal_year": int(g["base"]), "text": g["base_text"]}
    if g.get("base"):
        return {"fiscal_year": int(g["base"]), "text": f"{g['base']}年度"}
    return None


def parse(text: str, period_to: int) -> ParsedKpi:
    """The fields of one KPI wording (spacing already tightened)."""
    t = text.strip()
    plain = re.sub(r"\[\^[^\]\s]+\]", "", t)  # footnote marks are not part of the wording's figures
    if _STATUS.match(plain):
        return ParsedKpi("", status=plain)
    br = trailing_bracket(plain)
    if br and br[0].strip():
        before, inside = br
        for _name, rx in INNER:
            m = rx.fullmatch(inside)
            if m and not FIGURE.search(before):
                return ParsedKpi(before.strip(), _target(m, period_to), _baseline(m))
    for _name, rx in WHOLE:
        m = rx.fullmatch(plain)
        if m and not FIGURE.search(m.group("ind")):
            return ParsedKpi(m.group("ind").strip("、 "), _target(m, period_to))
    deadlines = list(_DEADLINE.finditer(plain))
    if len(deadlines) == 1 and not FIGURE.search(plain):
        return ParsedKpi(plain, _target(deadlines[0], period_to))
    return ParsedKpi(plain, complete=not FIGURE.search(plain) and not deadlines)
