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
     "DG305", "chapters/02-services.md:233", "2020年10月1日は木曜日"),
    ("chapters/03-infrastructure.md", "2019年11月13日から12月12日まで", "2019年11月13日から2018年12月12日まで",
     "DG306", "chapters/03-infrastructure.md:32", "より前です"),
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
