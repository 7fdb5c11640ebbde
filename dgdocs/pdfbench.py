"""The PDF rows of ``make bench`` (issue 17's figures), each a ratio within the run.

Every command runs in a fresh process and is measured from outside: wall time, CPU time
(user + system of the process and of every worker it waited for, from ``wait4``) and the
peak memory of the largest of those processes.  Commands that are compared run in turn
(A B A B …) and the ratio is the median of the pairs' ratios, so a machine whose speed
drifts (a shared one) still gives a fair ratio.

* **reference**: WeasyPrint alone on the plan's print HTML as one document (the single
  layout, print/plan.html), in a fresh process: import, layout, write.
* **cold publish**: ``dgdocs build --html --data --pdf`` into an empty directory.
* **edit**: the same after one sentence of chapter III changed, from the cold build's
  output (the PDFs of the unchanged jobs are reused).
* **no-op**: nothing changed.
* **10× chapters**: a synthetic plan of ten times the chapters (each chapter copied nine
  times, its ids made unique, its KPI lines left out; built as a draft, its copies repeat
  the chapter numbers): the time per page against the plan's, the peak memory of any process.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .paths import CONTENT, PROJECT as ROOT

Row = tuple[str, tuple[float, float, float], str]


def measure(cmd: list[str], cwd: Path = ROOT, env: dict | None = None) -> tuple[float, float, float]:
    """(wall s, CPU s, peak MiB of the largest process) of *cmd* run to its end."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode})")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def stats(xs: list[float]) -> tuple[float, float, float]:
    return statistics.median(xs), min(xs), max(xs)


def dgdocs(content: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "dgdocs", "--content", str(content), *args]


def weasyprint_alone(html: str, tmp: Path) -> list[str]:
    """The reference command: WeasyPrint by itself on *html* (the plan as one document)."""
    (tmp / "plan.html").write_text(html, "utf-8")
    code = ("import sys, weasyprint\n"
            "from dgdocs.render.pdfwriter import BASE_URL\n"
            "html = open(sys.argv[1], encoding='utf-8').read()\n"
            "weasyprint.HTML(string=html, base_url=BASE_URL).write_pdf(pdf_variant='pdf/ua-1')\n")
    return [sys.executable, "-c", code, str(tmp / "plan.html")]


def edited_copy(dest: Path) -> Path:
    """content/ with one sentence of chapter III changed."""
    shutil.copytree(CONTENT, dest)
    path = dest / "chapters" / "03-infrastructure.md"
    text = path.read_text("utf-8")
    sentence = next(s for s in re.findall(r"[^。\n]{20,}。", text) if "{{" not in s and "[^" not in s)
    path.write_text(text.replace(sentence, sentence[:-1] + "（ベンチマークで加えた語）。", 1), "utf-8")
    return dest


def scaled_copy(dest: Path, factor: int) -> Path:
    """content/ with every chapter *factor* times (see the module's doc)."""
    shutil.copytree(CONTENT, dest)
    plan = (dest / "plan.yaml").read_text("utf-8")
    names = re.findall(r"^  - (chapters/[^\n]+\.md)$", plan, flags=re.M)
    extra = []
    for k in range(2, factor + 1):
        for name in names:
            text = (dest / name).read_text("utf-8")
            text = re.sub(r"\{#([^}\s]+)\}", lambda m: "{#" + m.group(1) + f"-x{k}" + "}", text)
            text = "\n".join(line for line in text.split("\n") if not line.startswith("{{kpi:"))
            new = name.replace("chapters/", f"chapters/x{k}-")
            (dest / new).write_text(text, "utf-8")
            extra.append(new)
    plan = plan.replace(f"  - {names[-1]}\n", f"  - {names[-1]}\n" + "".join(f"  - {n}\n" for n in extra))
    (dest / "plan.yaml").write_text(plan, "utf-8")
    return dest


def _pages(out: Path) -> int:
    import json
    index = json.loads((out / "pdf" / ".jobs.json").read_text("utf-8"))["jobs"]
    return sum(int(v["pages"]) for k, v in index.items() if k.endswith(".pdf") and k != "ikkatsu.pdf")


def pdf_rows(plan_html: str, runs: int) -> list[Row]:
    tmp = Path(tempfile.mkdtemp(prefix="dgbench-pdf-"))
    try:
        return _rows(plan_html, runs, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _rows(plan_html: str, runs: int, tmp: Path) -> list[Row]:
    alone_cmd = weasyprint_alone(plan_html, tmp)
    cold_out = tmp / "cold"

    def cold():
        shutil.rmtree(cold_out, ignore_errors=True)
        return measure(dgdocs(CONTENT, "build", "--html", "--data", "--pdf", "--out", str(cold_out)))

    measure(alone_cmd), cold()  # warm-up: file caches, compiled bytecode
    alone, pub = [], []
    for _ in range(runs):  # in turn: A B A B …
        alone.append(measure(alone_cmd))
        pub.append(cold())
    wall_ratio = stats([p[0] / a[0] for p, a in zip(pub, alone)])
    cpu_ratio = stats([p[1] / a[1] for p, a in zip(pub, alone)])
    rows: list[Row] = [
        ("WeasyPrint alone on the plan's print HTML (fresh process)", stats([a[0] for a in alone]),
         f"reference; CPU {statistics.median(a[1] for a in alone):.2f} s"),
        ("cold publish of everything (fresh process, empty build/)", stats([p[0] for p in pub]),
         f"{wall_ratio[0]:.2f} × WeasyPrint alone ({wall_ratio[1]:.2f}–{wall_ratio[2]:.2f}; target ≤ 1.0 ×)"),
        ("  its CPU (the build and its workers)", stats([p[1] for p in pub]),
         f"{cpu_ratio[0]:.2f} × WeasyPrint alone ({cpu_ratio[1]:.2f}–{cpu_ratio[2]:.2f}; target ≤ 2 ×); "
         f"peak {max(p[2] for p in pub):.0f} MiB a process"),
    ]
    # a one-sentence edit in chapter III, republished from the cold build's output
    edited = edited_copy(tmp / "edited")
    edit, cold_again = [], []
    for _ in range(runs):
        out = tmp / "edit-out"
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(cold_out, out, symlinks=True)
        edit.append(measure(dgdocs(edited, "build", "--html", "--data", "--pdf", "--out", str(out))))
        cold_again.append(cold())
    ratio = stats([e[0] / c[0] for e, c in zip(edit, cold_again)])
    rows.append(("republish everything after a one-sentence edit in chapter III", stats([e[0] for e in edit]),
                 f"{ratio[0]:.2f} × the cold publish ({ratio[1]:.2f}–{ratio[2]:.2f}; target ≤ 0.35 ×)"))
    noop = [measure(dgdocs(CONTENT, "build", "--html", "--data", "--pdf", "--out", str(cold_out))) for _ in range(runs)]
    rows.append(("no-op rebuild of everything (fresh process, nothing changed)", stats([n[0] for n in noop]),
                 "target ≤ 0.1 s"))
    # ten times the chapters
    big = scaled_copy(tmp / "x10", 10)
    big_out = tmp / "x10-out"
    big_runs = []
    for _ in range(max(1, min(2, runs))):
        shutil.rmtree(big_out, ignore_errors=True)
        big_runs.append(measure(dgdocs(big, "build", "--html", "--data", "--pdf", "--draft", "--out", str(big_out))))
        cold_again.append(cold())
    small_pages, big_pages = _pages(cold_out), _pages(big_out)
    per_small = statistics.median(c[0] for c in cold_again) / small_pages
    per_big = statistics.median(b[0] for b in big_runs) / big_pages
    rows.append((f"10× chapters ({big_pages} pages against {small_pages}): cold publish", stats([b[0] for b in big_runs]),
                 f"{statistics.median(b[0] for b in big_runs) / statistics.median(c[0] for c in cold_again):.1f} × the "
                 f"cold publish for {big_pages / small_pages:.1f} × the pages: {per_big * 1000:.0f} ms a page against "
                 f"{per_small * 1000:.0f} ({per_big / per_small:.2f} ×; linear ≤ 1); "
                 f"peak {max(b[2] for b in big_runs):.0f} MiB a process (target ≤ 600)"))
    return rows
