"""The checks of round 2 on the shipped plan itself: an editor's slip in the real text — a
citation's month, a weekday, a reversed period, a stated total, a figure restated in
another chapter, a word written the other way — is reported at its file and line, and the
unchanged plan is clean (tests/test_checks.py).  The rules' own fixtures are in
tests/fixtures/checks/; this is the same rules meeting the plan's own sentences."""

from __future__ import annotations

import shutil

import pytest

from dgdocs.checks import run_checks
from dgdocs.checks.units import views
from dgdocs.load import load

from conftest import CONTENT

EDITS = [
    # (file, old, new, code, where, words of the message)
    ("chapters/05-digital-work.md", "2018年7月に策定された「電子決裁移行加速化方針」", "2018年8月に策定された「電子決裁移行加速化方針」",
     "DG408", "chapters/05-digital-work.md:35", "日付（2018年8月）"),
    ("chapters/02-services.md", "2020年10月1日を調査期日", "2020年10月1日（金）を調査期日",
     "DG306", "chapters/02-services.md:233", "2020年10月1日は木曜日"),
    ("chapters/03-infrastructure.md", "2019年11月13日から12月12日まで", "2019年11月13日から2018年12月12日まで",
     "DG307", "chapters/03-infrastructure.md:32", "より前です"),
    ("chapters/03-infrastructure.md", "2021年度中に2システムが移行", "2021年度中に2システムの計6システムが移行",
     "DG105", "chapters/03-infrastructure.md:119", "合計の「6システム」"),
    ("chapters/01-basics.md", "本計画は随時改定を行い", "総務省が所管する手続は4,870種類である。本計画は随時改定を行い",
     "DG205", "chapters/01-basics.md:15", "総務省が所管する手続」（4,860種類）"),
    ("chapters/05-digital-work.md", "総務省においても既に無線局免許事務", "総務省においてもすでに無線局免許事務",
     "DG608", "chapters/05-digital-work.md:5", "政府の表記の基準では「既に」"),
]


@pytest.mark.parametrize("rel,old,new,code,where,words", EDITS, ids=[e[3] for e in EDITS])
def test_a_slip_in_the_shipped_plan_is_reported(tmp_path, rel, old, new, code, where, words):
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    path = root / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, (rel, old)
    path.write_text(text.replace(old, new), "utf-8")
    report = run_checks(load(root))
    hits = [f for f in report.findings if f.code == code and f"{f.loc.file}:{f.loc.line}" == where and words in f.message]
    assert hits, f"{code} not reported at {where}: " + "\n".join(str(f) for f in report.findings)


def test_the_shared_views_are_computed_once_per_document(doc):
    """Point 8 of the issue: the text units are read once per run, not once per rule — every
    rule that asks for them gets the very same objects."""
    assert views(doc) is views(doc)
    first = views(doc)[0]
    assert first.nfkc is first.nfkc  # derived forms are kept with the unit
    fresh = load(CONTENT)
    assert views(fresh) is not views(doc) and len(views(fresh)) == len(views(doc))


# Lines at the loader's length limit that would make a quadratic scan of the round-2 rules run
# for minutes (the first version of DG408 took 19 s on the first one: each bracket was closed
# by a scan to the end of the line).
HOSTILE_LINES = {
    "open-parens": "(" * 19_999, "quote-paren": "」(" * 9_999, "dated-parens": "(令和元年12月20日閣議決定" * 1_100,
    "totals": "1件、2件の計3件" * 2_000, "wholes": "10件のうち5件(50%)" * 1_400, "uchi": "1件" + "のうち" * 6_000,
    "deadlines": "2020年度までに" * 2_000, "periods": "2020年度から2021年度" * 1_300, "mention": "2018年7月に策定した「" * 1_300,
    "kpi-years": "2021年度オンライン利用率90%" * 1_000, "labels": "所管する手続は4,870種類" * 1_000,
    "spellings": "すべて全てさらに更に" * 1_900, "okurigana": "取り組みを取組を" * 2_400, "mixed-parens": "（)" * 9_999,
    "weekdays": "2020年3月31日(月)" * 1_300, "pairs": "令和元年12月(2019年12月)" * 1_100,
}


def test_hostile_lines_are_checked_in_linear_time(make_content):
    """Every scan of the round-2 rules is linear in the line (pairs of brackets found in one
    pass, positions looked up by bisection, bounded look-backs).  Three to six copies of each
    line: the whole check takes a few seconds (the quadratic DG408 took over 100 s on the
    brackets alone); the child's deadline is only there so that a regression fails instead of
    hanging CI."""
    import subprocess
    import sys
    import textwrap

    root = make_content()
    ch = root / "chapters" / "02.md"
    copies = {"open-parens": 6, "quote-paren": 6}  # quadratic, these alone would pass the deadline
    body = "\n\n".join(line[:19_999] for name, line in HOSTILE_LINES.items() for _ in range(copies.get(name, 3)))
    ch.write_text(ch.read_text("utf-8") + "\n" + body + "\n", "utf-8")
    code = textwrap.dedent(f"""
        from dgdocs.load import load
        from dgdocs.checks import run_checks
        report = run_checks(load({str(root)!r}))
        print("ok", len(report.findings))
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("ok")
