"""Every check rule, fed a broken input, reports exactly the findings its fixture expects.

Fixtures live in tests/fixtures/checks/<CODE>-<name>.txt: a title line, the files that
override the miniature plan of conftest.MINI (``-- path --`` sections), and after
``== expected ==`` one line per expected finding::

    CODE SEVERITY FILE:LINE[:COL] substring of the message

or ``(none)``.  ``⟨U+XXXX⟩`` in the files stands for that character (so that a fixture of
invisible characters is readable).  The findings must match exactly (no missing, no extra), so each fixture
fails without its rule.  The test id is the fixture's file name.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dgdocs.checks import RULES, run_checks
from dgdocs.load import load

from conftest import CONTENT, MINI, write_tree

FIXTURES = Path(__file__).parent / "fixtures" / "checks"
EXPECTED_RE = re.compile(r"^(?P<code>DG\d{3}) (?P<sev>error|warning|info) (?P<file>[^:\s]+):(?P<line>\d+)(?::(?P<col>\d+))? (?P<text>.+)$")


def parse_fixture(path: Path) -> tuple[str, str, list[dict]]:
    text = path.read_text("utf-8")
    title, _, rest = text.partition("\n")
    files, _, expected = rest.partition("== expected ==\n")
    files = re.sub(r"⟨U\+([0-9A-F]{4,6})⟩", lambda m: chr(int(m.group(1), 16)), files)
    rows = []
    for line in expected.strip().splitlines():
        if line.strip() == "(none)":
            continue
        m = EXPECTED_RE.match(line)
        assert m, f"{path.name}: bad expectation {line!r}"
        rows.append(m.groupdict())
    return title.lstrip("# "), files, rows


def check_fixture(tmp_path: Path, path: Path):
    title, files, expected = parse_fixture(path)
    root = write_tree(tmp_path / "content", MINI)
    write_tree(root, files)
    return run_checks(load(root)), expected


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.txt")), ids=lambda p: p.stem)
def test_rule_fixture(tmp_path, path):
    report, expected = check_fixture(tmp_path, path)
    got = list(report.findings)
    unmatched = []
    for exp in expected:
        hit = next((f for f in got if f.code == exp["code"] and f.severity == exp["sev"] and f.loc.file == exp["file"]
                    and f.loc.line == int(exp["line"]) and (exp["col"] is None or f.loc.col == int(exp["col"]))
                    and exp["text"] in f.message), None)
        if hit is None:
            unmatched.append(exp)
        else:
            got.remove(hit)
    assert not unmatched and not got, (
        "missing: " + "; ".join(f"{e['code']} {e['file']}:{e['line']} {e['text']}" for e in unmatched)
        + "\nunexpected: " + "\n".join(str(f) for f in got))


def test_every_rule_has_a_fixture():
    covered = {p.stem.split("-")[0] for p in FIXTURES.glob("*.txt")}
    assert set(RULES) <= covered, f"rules without a fixture: {sorted(set(RULES) - covered)}"


def test_every_rule_is_documented():
    for code, r in RULES.items():
        assert r.title and len(r.doc) > 40, code
        assert r.severity in ("error", "warning", "info"), code



#: The module of each range of codes (dgdocs.checks.registry): a rule stands with its kind.
RANGE_MODULES = {"1": ("arithmetic", "arithmetic_sums"), "2": ("prose", "prose_restated"),
                 "3": ("calendar", "calendar_dates", "calendar_schedule"), "4": ("xrefs", "xrefs_citations"),
                 "5": ("structure", "placeholders", "figures"), "6": ("hygiene", "hygiene_brackets", "hygiene_spelling"),
                 "7": ("progress",)}


def test_every_code_is_well_formed_and_stands_in_the_module_of_its_range():
    for code, r in RULES.items():
        assert re.fullmatch(r"DG[1-8]\d\d", code), code  # DG0xx are the loader's, DG9xx the acceptances'
        assert r.category, f"{code}: no category for the range DG{code[2]}xx"
        assert r.func.__module__ in {f"dgdocs.checks.{m}" for m in RANGE_MODULES[code[2]]}, (code, r.func.__module__)


def test_the_miniature_plan_is_clean(mini):
    assert run_checks(load(mini)).findings == []


def test_findings_carry_a_japanese_message_and_hint(tmp_path):
    for path in sorted(FIXTURES.glob("*.txt")):
        report, _ = check_fixture(tmp_path / path.stem, path)
        for f in report.findings:
            assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", f.message) and f.hint, str(f)
            assert f.loc.file and f.loc.line >= 1, str(f)


def test_the_shipped_plan_passes_every_check(doc):
    """`make check` on the shipped content: no error and no warning left unexplained."""
    report = run_checks(doc)
    assert report.findings == [], "\n".join(str(f) for f in report.findings)
    assert all(a.reason.strip() for _, a in report.accepted)


def test_changing_a_figure_in_a_sum_fails(doc, tmp_path):
    """Done-when of the checks issue: change a figure of the plan's sums, remainders, ratios or
    a 和暦 next to a 西暦, and the check fails naming the file and line."""
    import shutil
    cases = [
        ("data/budget.yaml", "value: 178", "value: 179", "DG101", "data/budget.yaml"),
        ("data/procedures.yaml", "value: 577", "value: 578", "DG102", "data/procedures.yaml"),
        ("data/procedures.yaml", "value: 19\n", "value: 20\n", "DG102", "data/procedures.yaml"),
        ("data/cost_reduction.yaml", "value: 35.1", "value: 38.1", "DG103", "data/cost_reduction.yaml"),
        ("kpis.yaml", "value: 1045", "value: 1100", "DG104", "kpis.yaml"),
        ("chapters/02-services.md", "2019年（令和元年）12月", "2019年（平成31年）12月", "DG301", "chapters/02-services.md"),
    ]
    for rel, old, new, code, where in cases:
        root = tmp_path / f"c-{code}-{cases.index((rel, old, new, code, where))}"
        shutil.copytree(CONTENT, root)
        text = (root / rel).read_text("utf-8")
        assert old in text, (rel, old)
        (root / rel).write_text(text.replace(old, new, 1), "utf-8")
        report = run_checks(load(root))
        hits = [f for f in report.findings if f.code == code and f.loc.file == where and f.loc.line]
        assert hits, f"{rel}: {old} → {new} was not reported as {code}: {[str(f) for f in report.findings]}"


def test_dg601_skips_only_characters_it_would_never_report():
    """DG601 looks up only characters outside ALWAYS_ALLOWED in the Unicode database; none of
    the skipped code points is a letter of a script it reports."""
    import unicodedata

    from dgdocs.checks.hygiene import ALLOWED_LETTER_SCRIPTS, ALWAYS_ALLOWED

    skipped = re.compile(f"[{ALWAYS_ALLOWED}]")
    wrongly = [f"U+{cp:04X}" for cp in range(0x110000)
               if skipped.match(chr(cp)) and unicodedata.category(chr(cp)).startswith("L")
               and not unicodedata.name(chr(cp), "").startswith(ALLOWED_LETTER_SCRIPTS)]
    assert wrongly == []
