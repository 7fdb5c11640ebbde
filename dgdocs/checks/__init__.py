"""Consistency checks: a registry of small rules run over the model (``make check``).

Every rule is registered in :mod:`.registry` with a stable code; importing this package
imports every rule module.  :func:`run_checks` collects *all* findings before anything
fails, then applies the ministry's acceptances (content/accepted.yaml): an accepted
finding is silenced only while its figures are exactly those it was accepted with, and an
acceptance that matches nothing is itself reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..model import Acceptance, Document, Finding
from . import (  # noqa: F401  (rules register themselves)
    arithmetic, arithmetic_sums, calendar, calendar_dates, calendar_schedule, figures, hygiene, hygiene_brackets, hygiene_spelling,
    placeholders, progress, prose, prose_restated, structure, xrefs, xrefs_citations,
)
from .registry import RULES, Rule, finding, rule

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class Report:
    findings: list[Finding]  # not accepted
    accepted: list[tuple[Finding, Acceptance]] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))


def _key(f: Finding):
    return (f.loc.file, f.loc.line, f.loc.col, SEVERITY_ORDER.get(f.severity, 9), f.code, f.message)


def run_checks(doc: Document, codes: set[str] | None = None) -> Report:
    raw: list[Finding] = []
    for code in sorted(RULES):
        if codes and code not in codes:
            continue
        r = RULES[code]
        for f in r.func(doc):
            raw.append(replace(f, code=r.code, severity=f.severity or r.severity))
    unique = sorted(set(raw), key=_key)
    by_key: dict[tuple[str, tuple[str, ...]], Acceptance] = {}
    for a in doc.acceptances:
        by_key.setdefault((a.code, a.subject), a)
    used: set[int] = set()
    findings, accepted = [], []
    for f in unique:
        a = by_key.get((f.code, f.subject))
        if a is not None:
            accepted.append((f, a))
            used.add(id(a))
        else:
            findings.append(f)
    if not codes:
        for a in doc.acceptances:
            if a.code not in RULES:
                findings.append(Finding("DG902", "error", a.loc, f"受け入れの規則コード「{a.code}」はありません。",
                                        "docs/rules.md の規則コードを確かめてください。", (a.code,)))
            elif id(a) not in used:
                findings.append(Finding(
                    "DG901", "error", a.loc,
                    f"この受け入れ（{a.code}: {' / '.join(a.subject)}）に当たる指摘がありません。",
                    "数字や文が変わったため、受け入れたときの指摘と一致しなくなっています。新しい指摘を確かめ、"
                    "受け入れ直すか、この受け入れを削除してください。", (a.code, *a.subject)))
    return Report(sorted(findings, key=_key), accepted)


__all__ = ["RULES", "Report", "Rule", "finding", "rule", "run_checks"]
