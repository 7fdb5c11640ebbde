"""The Makefile passes what an editor types (make diff OLD=…) to the program as it is: make
does not expand it and the shell does not run it — quotes, backticks, $(…) and ; are all legal
in git branch names."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

HOSTILE = ['x"; touch PWNED; echo "', "`touch PWNED`", "$(touch PWNED)", "$$(touch PWNED)", "$(shell touch PWNED)",
           "it's; touch PWNED", "a b\\c"]

ECHO_ARGV = "import json, sys; print(json.dumps(sys.argv[1:]))"


@pytest.mark.parametrize("value", HOSTILE)
def test_make_diff_passes_revisions_without_interpreting_them(value, tmp_path):
    if not shutil.which("make"):
        pytest.fail("make がありません")
    argv_py = tmp_path / "argv.py"
    argv_py.write_text(ECHO_ARGV, "utf-8")
    proc = subprocess.run(["make", "-s", "-C", str(ROOT), "diff", f"OLD={value}", f"NEW={value}", "ORDER=old-left",
                           f"DGDOCS={sys.executable} {argv_py}"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == ["diff", value, value, "--order", "old-left"]
    assert not (ROOT / "PWNED").exists() and not (tmp_path / "PWNED").exists()


def test_make_diff_of_a_revision_that_does_not_exist_says_so(tmp_path):
    proc = subprocess.run(["make", "-s", "-C", str(ROOT), "diff", 'OLD=x"; touch PWNED; echo "', "NOPDF=1",
                           f"DGDOCS={sys.executable} -m dgdocs"], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode != 0
    assert 'x"; touch PWNED; echo "' in proc.stderr and "リビジョン" in proc.stderr
    assert not (ROOT / "PWNED").exists()
