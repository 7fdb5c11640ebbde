"""Same sources, same bytes — across processes too (set and dict orders depend on
PYTHONHASHSEED in a fresh interpreter) — and nothing the pipeline does writes into content/."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

from conftest import CONTENT, ROOT


def tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def build_in_fresh_process(out: Path, seed: str) -> None:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    subprocess.run([sys.executable, "-m", "dgdocs", "--content", str(CONTENT), "build", "--html", "--data", "--pdf",
                    "--out", str(out)], check=True, cwd=ROOT, env=env, capture_output=True)


def test_two_builds_in_processes_with_different_hash_seeds_give_the_same_bytes(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    build_in_fresh_process(a, "1")
    build_in_fresh_process(b, "4242")
    ta, tb = tree(a), tree(b)
    assert {p.split("/")[0] for p in ta} == {"html", "data", "pdf"}
    assert len([p for p in ta if p.endswith(".pdf")]) >= 9
    assert ta == tb, sorted(k for k in ta.keys() | tb.keys() if ta.get(k) != tb.get(k))


def test_build_check_diff_and_serve_never_write_into_content(tmp_path):
    """The shipped content/ hashed before and after a build of every target, check in every
    format, a 新旧対照表 against a copy, and a preview that served pages."""
    from dgdocs.cli import main
    from dgdocs.serve import Preview, make_server

    before = tree(CONTENT) | {"(names)": ",".join(sorted(str(p) for p in CONTENT.rglob("*")))}
    assert main(["--content", str(CONTENT), "build", "--html", "--data", "--out", str(tmp_path / "b")]) == 0
    for fmt in ("text", "json", "github"):
        assert main(["--content", str(CONTENT), "check", "--format", fmt]) == 0
    other = Path(shutil.copytree(CONTENT, tmp_path / "old"))
    assert main(["--content", str(CONTENT), "diff", str(other), "--no-pdf", "--out", str(tmp_path / "d")]) == 0
    preview = Preview(CONTENT, out=open(os.devnull, "w"), watch_templates=False)
    preview.rebuild()
    srv = make_server(preview, "127.0.0.1", 0)
    t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    t.start()
    try:
        port = srv.server_address[1]
        for path in ("/html/index.html", "/html/basics.html", "/data/kpis.csv", "/__dgdocs/status?page=index.html"):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as r:
                assert r.status == 200
    finally:
        srv.shutdown()
        srv.server_close()
    after = tree(CONTENT) | {"(names)": ",".join(sorted(str(p) for p in CONTENT.rglob("*")))}
    assert after == before
