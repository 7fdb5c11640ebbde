"""``make bench``: how long the pipeline takes, as the median of several runs.

A benchmark, not a timed test: it prints a table and never fails on a number.
Whole commands run in fresh processes (interpreter start included), as a user would
run them; in-process rows time one stage with everything already imported.

    python -m dgdocs.bench [--runs N] [--quick] [--checks] [--web]

The last table is the published site (``--web`` prints only it): build/ served by nginx,
Lighthouse's mobile performance score and the weight of four pages with everything they load.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from .paths import CONTENT, PROJECT as ROOT


def _median(fn: Callable[..., object], runs: int, setup: Callable[[], object] | None = None) -> tuple[float, float, float]:
    """Median, min and max wall time of *fn*; with *setup*, each run times ``fn(setup())``
    and not the setup (a freshly loaded document for the checks, whose shared views are
    computed once per document and would otherwise be timed only once)."""
    times = []
    for _ in range(runs):
        arg = setup() if setup else None
        t = time.perf_counter()
        fn(arg) if setup else fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times), max(times)


def _check_rows(runs: int) -> list[tuple[str, tuple[float, float, float], str]]:
    """The two figures of the checks: every rule on a freshly loaded plan (in process), and
    ``dgdocs check`` as an editor runs it (fresh process: interpreter, imports, load, rules)."""
    from .build import Session
    from .checks import RULES

    def loaded() -> Session:
        session = Session(CONTENT)
        session.load()
        return session

    # with its bytecode cached, as an installed package has it: PYTHONDONTWRITEBYTECODE (set in
    # some environments) would make every run of a fresh clone compile dgdocs' sources (≈ 0.06 s)
    cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    _cli("check", env=cached)  # the warm-up run writes the bytecode (dgdocs/__pycache__, ignored by git)
    return [
        (f"check all {len(RULES)} rules (in process, freshly loaded plan)",
         _median(lambda session: session.check(), runs, setup=loaded), "target ≤ 0.15 s"),
        ("dgdocs check (fresh process, bytecode cached)", _median(lambda: _cli("check", env=cached), runs),
         "target ≤ 0.3 s"),
    ]


def _cli(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> None:
    subprocess.run([sys.executable, "-m", "dgdocs", "--content", str(CONTENT), *args], cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def _revised_copy(dest: Path) -> Path:
    """content/ with a revision of each kind the 新旧対照表 shows: a sentence, a KPI target, a figure."""
    shutil.copytree(CONTENT, dest)

    def edit(rel: str, old: str, new: str) -> None:
        path = dest / rel
        text = path.read_text("utf-8")
        path.write_text(text.replace(old, new, 1) if old in text else text + new, "utf-8")

    edit("chapters/01-basics.md", "網羅的に取りまとめるものである。", "取りまとめるものである。あわせて、毎年度見直す。")
    edit("kpis.yaml", "by: 2021, by_text: 2021年度末までに}", "by: 2022, by_text: 2022年度末までに}")
    edit("kpis.yaml", "text: オンライン利用率、2021年度末までに100%", "text: オンライン利用率、2022年度末までに100%")
    edit("data/budget.yaml", "value: 178", "value: 180")
    return dest


def _diff_in_process(revised: Path) -> None:
    from .build import Session
    from .render.shinkyu import render_html
    new = Session(revised)
    render_html(new.compare(Session(CONTENT), "改定前", "改定後"))


def _serve_reload(edits: int = 7) -> tuple[tuple[float, float, float], str] | None:
    """`make serve` as an editor uses it (tests/e2e/serve.mjs in headless Chromium): from saving
    a sentence to the first paint of the reloaded page.  None when the browser tools are not
    installed (`make browser-tools`)."""
    import json
    import re
    import threading

    script = ROOT / "tests" / "e2e" / "serve.mjs"
    if not (ROOT / "tests" / "e2e" / "node_modules" / "playwright-core").is_dir() or not shutil.which("node"):
        return None
    tmp = Path(tempfile.mkdtemp(prefix="dgbench-serve-"))
    content = Path(shutil.copytree(CONTENT, tmp / "content"))
    proc = subprocess.Popen([sys.executable, "-u", "-m", "dgdocs", "--content", str(content), "serve", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    try:
        url = None
        for line in proc.stdout:
            m = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
            if m:
                url = m.group(1)
                break
        if url is None:
            return None
        threading.Thread(target=lambda: proc.stdout.read(), daemon=True).start()
        out = subprocess.run(["node", str(script), url, str(content), str(edits)], capture_output=True, text=True,
                             cwd=script.parent)
        result = json.loads(out.stdout) if out.stdout.strip() else {}
        if out.returncode != 0 or result.get("failed"):
            return None
        ms = [e["painted_ms"] / 1000 for e in result["edits"]]
        return (statistics.median(ms), min(ms), max(ms)), f"{edits} edits; target ≤ 0.5 s"
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


def _progress_rows(doc, runs: int, tmp: Path) -> list[tuple[str, tuple[float, float, float], str]]:
    """The quarterly 照会票: the workbook for every appendix, and the import of a 500-line one."""
    from .build import Session
    from .progress.benchdata import content_with_rows, filled_workbook, import_once
    from .progress.quarter import parse_quarter
    from .progress.sheet import write_sheet
    q = parse_quarter("2021Q1")
    rows = [("progress sheet, all appendices + KPIs (in process)", _median(lambda: write_sheet(doc, q), runs),
             "target ≤ 1 s")]
    big = Session(content_with_rows(CONTENT, tmp / "progress-content", 500)).load()
    book = filled_workbook(big, q, 99, tmp / "照会票_500.xlsx")
    rows.append(("progress import, 500-line workbook (in process)", _median(lambda: import_once(big, q, book), runs),
                 "target ≤ 1 s"))
    cli = [sys.executable, "-m", "dgdocs", "--content", str(tmp / "progress-content"), "progress", "import", str(book),
           "--as-of", "2021Q1"]
    rows.append(("dgdocs progress import, 500 lines (fresh process, no --write)",
                 _median(lambda: subprocess.run(cli, cwd=ROOT, check=True, stdout=subprocess.DEVNULL), runs), ""))
    return rows


def _paired(a: Callable[[], object], b: Callable[[], object], runs: int) -> tuple[tuple[float, float, float], ...]:
    """Medians of *a* and *b* run in turns (a, b, a, b …), so that a machine busy for a while
    slows both alike; and the median of the ratios b/a of each pair."""
    ta, tb = [], []
    for _ in range(runs):
        for fn, out in ((a, ta), (b, tb)):
            t = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t)
    ratios = [y / x for x, y in zip(ta, tb)]
    stats = lambda xs: (statistics.median(xs), min(xs), max(xs))  # noqa: E731
    return stats(ta), stats(tb), stats(ratios)


def _report_rows(runs: int, tmp: Path, quick: bool) -> list[tuple[str, tuple[float, float, float], str]]:
    """The build with eight quarters of fictional progress (架空の例: dgdocs.progress.fictional)
    against the same build of the plan without, in turns: the site and open data (fresh process);
    unless *quick*, the publish of everything after a one-sentence edit with the previous build
    in place (as an editor or the PMO rebuilds: old reports are reused), and the cold publish."""
    from .build import Session
    from .progress.fictional import write_evaluations

    plain = Path(shutil.copytree(CONTENT, tmp / "eight-plain"))
    eight = Path(shutil.copytree(CONTENT, tmp / "eight-quarters"))
    write_evaluations(Session(eight).load(), eight, first=(2020, 1), n=8)

    def cli(content: Path, *args: str) -> Callable[[], None]:
        return lambda: subprocess.run([sys.executable, "-m", "dgdocs", "--content", str(content), *args], cwd=ROOT,
                                      check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    rows = []
    a, b, r = _paired(cli(plain, "build", "--html", "--data", "--force", "--out", str(tmp / "e0")),
                      cli(eight, "build", "--html", "--data", "--force", "--out", str(tmp / "e8")), runs)
    rows.append(("build --html --data, the plan (fresh process)", a, "paired with the next row"))
    rows.append(("build --html --data with 8 quarters of fixture progress", b,
                 f"{r[0]:.2f} × without (pairs {r[1]:.2f}–{r[2]:.2f}; target ≤ 1.20 ×)"))
    if quick:
        return rows
    pruns = max(1, min(3, runs))
    for content, out in ((plain, tmp / "p0"), (eight, tmp / "p8")):
        cli(content, "build", "--html", "--data", "--pdf", "--out", str(out))()  # the previous build

    def edit_and_build(content: Path, out: Path) -> Callable[[], None]:
        def run() -> None:  # a sentence added, then taken out again: the plan's PDF changes each time
            path = content / "chapters" / "01-basics.md"
            text, added = path.read_text("utf-8"), "あわせて、毎年度見直す。"
            old = "網羅的に取りまとめるものである。"
            path.write_text(text.replace(old + added, old) if old + added in text else text.replace(old, old + added, 1),
                            "utf-8")
            cli(content, "build", "--html", "--data", "--pdf", "--out", str(out))()
        return run
    a, b, r = _paired(edit_and_build(plain, tmp / "p0"), edit_and_build(eight, tmp / "p8"), pruns)
    rows.append(("publish of everything after an edit, the plan (previous build kept)", a, "paired with the next row"))
    rows.append(("  the same with 8 quarters of fixture progress", b,
                 f"{r[0]:.2f} × without (pairs {r[1]:.2f}–{r[2]:.2f}; target ≤ 1.20 ×); the reports are reused"))

    def cold(content: Path, out: Path) -> Callable[[], None]:
        def run() -> None:
            shutil.rmtree(out, ignore_errors=True)
            cli(content, "build", "--html", "--data", "--pdf", "--out", str(out))()
        return run
    a, b, r = _paired(cold(plain, tmp / "c0"), cold(eight, tmp / "c8"), pruns)
    rows.append(("cold publish of everything, the plan", a, "paired with the next row"))
    rows.append(("  the same with 8 quarters of fixture progress (8 report PDFs)", b,
                 f"{r[0]:.2f} × without (pairs {r[1]:.2f}–{r[2]:.2f}): each report is laid out once, then reused"))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5, help="runs per row (PDF rows use fewer)")
    ap.add_argument("--quick", action="store_true", help="skip the PDF rows")
    ap.add_argument("--checks", action="store_true", help="only the two rows of the checks")
    ap.add_argument("--web", action="store_true", help="only the published site (Lighthouse, page weight)")
    args = ap.parse_args(argv)
    runs = max(1, args.runs)
    if args.checks:
        _print(_check_rows(runs))
        return 0
    if args.web:
        _print_web()
        return 0

    from .build import Session

    session = Session(CONTENT)  # the pipeline the CLI and the preview run, step by step
    doc = session.load()
    rows: list[tuple[str, tuple[float, float, float], str]] = []
    rows.append(("load content/ (in process)", _median(lambda: Session(CONTENT).load(), runs), ""))
    rows.append(("render HTML site (in process)", _median(lambda: session.render(["html"]), runs), ""))
    rows.append(("render open data (in process)", _median(lambda: session.render(["data"]), runs), ""))
    rows += _check_rows(runs)
    tmp = Path(tempfile.mkdtemp(prefix="dgbench-"))
    source = next(iter(sorted((CONTENT / "source").glob("*.txt"))), None)
    if source is not None:
        from .importer import import_plan
        n = iter(range(10_000))
        rows.append(("dgdocs import of the plan's source text (in process, loaded back)",
                     _median(lambda: import_plan(source, tmp / f"import-{next(n)}"), runs), "target ≤ 2 s"))
        rows.append(("dgdocs import (fresh process)",
                     _median(lambda: subprocess.run([sys.executable, "-m", "dgdocs", "import", str(source), "--out",
                                                     str(tmp / f"import-{next(n)}")], cwd=ROOT, check=True,
                                                    stdout=subprocess.DEVNULL), runs), "target ≤ 2 s"))
    rows.append(("dgdocs build --html --data (fresh process)",
                 _median(lambda: _cli("build", "--html", "--data", "--force", "--out", str(tmp / "h")), runs), ""))
    revised = _revised_copy(tmp / "revised")
    rows.append(("diff: compare + HTML, whole plan (in process)",
                 _median(lambda: _diff_in_process(revised), runs), "both sides loaded"))
    rows.append(("dgdocs diff --no-pdf, whole plan vs revised copy (fresh process)",
                 _median(lambda: _cli("diff", str(CONTENT), str(revised), "--no-pdf", "--out", str(tmp / "d")), runs),
                 "target ≤ 2 s"))
    rows += _progress_rows(doc, runs, tmp)
    rows += _report_rows(runs, tmp, args.quick)
    reload = _serve_reload()
    if reload is not None:
        rows.append(("make serve: save → reloaded page painted (Chromium)", reload[0], reload[1]))
    else:
        rows.append(("make serve: save → reloaded page painted (Chromium)", (float("nan"),) * 3,
                     "not measured: run make browser-tools"))
    if not args.quick:
        from .pdfbench import pdf_rows
        from .render.pdf import single_plan_job
        rows += pdf_rows(single_plan_job(doc).html, max(1, min(3, runs)))  # the plan as one WeasyPrint document
    shutil.rmtree(tmp, ignore_errors=True)

    _print(rows)
    _print_web()
    return 0


#: the pages the web table measures: the home page, a chapter, an appendix, the KPI list
WEB_PAGES = ("index.html", "services.html", "beppyo-2.html", "kpis.html")


def _print_web() -> None:
    """Lighthouse (mobile profile) on the published build: performance score, bytes transferred
    (the page and everything it loads, compressed as nginx sends them) and requests."""
    import json

    from .webserver import NGINX, Nginx

    e2e = ROOT / "tests" / "e2e"
    print("\npublished site — nginx, Lighthouse mobile (simulated slow 4G, 4× CPU slowdown); not a test")
    if not Path(NGINX).exists() or not (e2e / "node_modules" / "lighthouse").is_dir() or not shutil.which("node"):
        print("  not measured: run make web-apt browser-tools")
        return
    tmp = Path(tempfile.mkdtemp(prefix="dgbench-web-"))
    try:
        _cli("build", "--html", "--data", "--pdf", "--out", str(tmp / "build"))
        with Nginx(tmp / "build", "/main/dgplan/") as url:
            proc = subprocess.run(["node", "lighthouse.mjs", *[url + p for p in WEB_PAGES]], cwd=e2e,
                                  capture_output=True, text=True)
        if proc.returncode != 0:
            print("  Lighthouse failed:", proc.stderr[-500:])
            return
        result = json.loads(proc.stdout)
        print(f"  Lighthouse {result['lighthouse']}")
        print(f"  {'page'.ljust(16)}  {'perf.':>5}  {'a11y':>4}  {'b.p.':>4}  {'SEO':>4}  {'transferred':>11}  "
              f"{'html+assets':>11}  requests")
        for page in result["pages"]:
            name = page["url"].rsplit("/", 1)[-1]
            s = page["scores"]
            raw = (tmp / "build" / "html" / name).stat().st_size + sum(
                (tmp / "build" / "html" / a).stat().st_size for a in _assets_of(tmp / "build" / "html" / name))
            print(f"  {name.ljust(16)}  {s['performance'] * 100:5.0f}  {s['accessibility'] * 100:4.0f}  "
                  f"{s['best-practices'] * 100:4.0f}  {s['seo'] * 100:4.0f}  {page['weight'] / 1024:9.1f}KB  "
                  f"{raw / 1024:9.1f}KB  {page['requests']}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _assets_of(page: Path) -> list[str]:
    """The stylesheets, scripts and images a page loads (its own folder's files)."""
    import re

    text = page.read_text("utf-8")
    found = re.findall(r'<link rel="(?:stylesheet|icon)" href="([^"]+)"', text) + re.findall(r'<(?:script|img) src="([^"]+)"', text)
    return sorted({f for f in found if (page.parent / f).is_file()})


def _print(rows: list[tuple[str, tuple[float, float, float], str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"dgdocs bench — median of runs (min–max), {os.cpu_count()} CPU(s)")
    print(f"{'step'.ljust(width)}  {'median':>8}  {'min–max':>15}  note")
    for name, (med, lo, hi), note in rows:
        print(f"{name.ljust(width)}  {med:7.3f}s  {lo:6.3f}–{hi:6.3f}s  {note}")


if __name__ == "__main__":
    sys.exit(main())
