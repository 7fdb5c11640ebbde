"""The rule registry: every rule is a small function ``(document) -> Iterable[Finding]``
registered with a stable code, a one-line title, a severity and a docstring that says
what it protects.  Codes never change meaning; a retired code is never reused.

Ranges: DG1xx arithmetic (in the data, and inside a sentence) · DG2xx prose against data · DG3xx calendar ·
DG4xx cross-references · DG5xx structure · DG6xx Japanese text hygiene · DG7xx progress ·
DG9xx the acceptances themselves.  (DG0xx are the loader's, see dgdocs.load.)
"""

from __future__ import annotations

import inspect
from typing import Callable, Iterable

from ..model.record import record
from ..model import Document, Finding, Loc, Severity

RuleFunc = Callable[[Document], Iterable[Finding]]


@record(slots=False)
class Rule:
    code: str
    title: str
    severity: Severity
    func: RuleFunc
    doc: str
    category: str
    protects: str  # what the rule protects, in Japanese, for the editors' documentation


RULES: dict[str, Rule] = {}

CATEGORIES = {
    "1": "計算（データと文中の数字）", "2": "本文とデータ", "3": "暦", "4": "相互参照", "5": "構成", "6": "日本語の表記",
    "7": "進捗（四半期評価）",
    "9": "受け入れ",
}


def rule(code: str, title: str, severity: Severity = "error", *, protects: str) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule.  The docstring says what it protects (for developers); *protects*
    says it in Japanese for the editors (docs/rules.md)."""

    def register(func: RuleFunc) -> RuleFunc:
        if code in RULES:
            raise ValueError(f"rule code {code} registered twice")
        RULES[code] = Rule(code, title, severity, func, inspect.getdoc(func) or "", CATEGORIES.get(code[2], ""), protects)
        return func

    return register


def finding(loc: Loc, message: str, hint: str = "", subject: Iterable[str] = (), severity: Severity | None = None) -> Finding:
    """A finding of the rule that yields it (the runner fills in code and default severity)."""
    return Finding("", severity or "", loc, message, hint, tuple(subject))
