"""Scheduling the PDF jobs for the machine (issue 17 §4–5): the longest chain first, a job as
soon as the jobs it needs are done, unchanged jobs taken without a worker, as many workers
as cores; and the status line a terminal shows (never a log flood, nothing off a terminal)."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from concurrent.futures import Future

import pytest

from dgdocs.render.workers import Run, Scheduler, StatusLine, Task, machine_workers

from conftest import ROOT


class InlinePool:
    """Runs each job at once, in this process, and records the order."""

    def __init__(self, workers: int):
        self.workers = workers
        self.order: list[str] = []

    def submit(self, fn, arg):
        future = Future()
        self.order.append(arg)
        try:
            future.set_result(fn(arg))
        except Exception as exc:  # noqa: BLE001
            future.set_exception(exc)
        return future


def _task(key, cost, deps=(), cached=None):
    def prepare(results):
        if cached is not None:
            return cached
        return Run(str.upper, key)  # the job's result: its key in capitals
    return Task(key, key, cost, tuple(deps), prepare)


def test_the_longest_chain_goes_first_and_a_task_waits_for_what_it_needs():
    # a (1 s) and b (3 s) feed c (2 s); d (4 s) stands alone: by chain, b+c = 5 > d = 4 > a+c = 3
    pool = InlinePool(1)
    s = Scheduler(pool, [_task("a", 1), _task("b", 3), _task("c", 2, ["a", "b"]), _task("d", 4)]).start()
    results = s.wait()
    assert pool.order == ["b", "d", "a", "c"]
    assert results == {"a": "A", "b": "B", "c": "C", "d": "D"}


def test_an_unchanged_task_is_taken_without_a_worker():
    pool = InlinePool(2)
    s = Scheduler(pool, [_task("a", 1, cached="old A"), _task("b", 1, ["a"])]).start()
    assert s.wait() == {"a": "old A", "b": "B"}
    assert pool.order == ["b"] and s.reused == {"a"}


def test_tasks_made_elsewhere_meanwhile_join_the_run_and_the_run_waits_for_them():
    """The evaluation reports' print jobs come from the child that renders them (dgdocs.build.
    Evaluations) once it is done: the run they were promised to does not end before they come."""
    import threading
    pool = InlinePool(1)
    s = Scheduler(pool, [_task("a", 1)], expecting=1).start()
    assert pool.order == ["a"] and not s._done.is_set()  # a is done; the run is not
    ended = threading.Event()
    threading.Thread(target=lambda: (s.wait(), ended.set()), daemon=True).start()
    s.add([_task("r1", 1), _task("r2", 2, ["a"]), _task("r3", 1, cached="old R3")])
    ended.wait()
    assert s.wait() == {"a": "A", "r1": "R1", "r2": "R2", "r3": "old R3"} and pool.order == ["a", "r2", "r1"]
    with pytest.raises(RuntimeError):
        s.add([_task("late", 1)])  # nothing more was promised


def test_a_failed_job_fails_the_run_and_nothing_after_it_starts():
    pool = InlinePool(1)
    boom = Task("a", "a", 1, (), lambda r: Run(int, "not a number"))
    s = Scheduler(pool, [boom, _task("b", 1, ["a"])]).start()
    with pytest.raises(ValueError):
        s.wait()
    assert pool.order == ["not a number"]


def test_as_many_workers_as_the_process_may_use_cores():
    assert machine_workers() == min(len(os.sched_getaffinity(0)), 8)


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_the_status_line_says_what_is_laid_out_done_and_total_on_one_line(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    term = Terminal()
    status = StatusLine(term, delay=0)
    pool = InlinePool(1)
    Scheduler(pool, [_task("本文 II", 2), _task("別紙1", 1)], status).start().wait()
    out = term.getvalue()
    assert "\n" not in out  # one line, rewritten in place
    assert "PDF 0/2　本文 II" in out and "PDF 1/2　別紙1" in out and "PDF 2/2" in out and " 秒" in out
    assert out.endswith("\r\x1b[K")  # cleared at the end


@pytest.mark.parametrize("env", [{"CI": "true"}, {"TERM": "dumb"}])
def test_no_status_line_under_ci_or_on_a_dumb_terminal(monkeypatch, env):
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.delenv("CI", raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    term = Terminal()
    Scheduler(InlinePool(1), [_task("a", 1)], StatusLine(term, delay=0)).start().wait()
    assert term.getvalue() == ""


def test_no_status_line_when_the_output_is_not_a_terminal():
    out = io.StringIO()
    Scheduler(InlinePool(1), [_task("a", 1)], StatusLine(out, delay=0)).start().wait()
    assert out.getvalue() == ""


@pytest.mark.pdf
def test_a_build_on_a_terminal_shows_the_pdf_progress_and_a_piped_one_does_not(mini, tmp_path):
    env = dict(os.environ, TERM="xterm")
    env.pop("CI", None)
    cmd = [sys.executable, "-m", "dgdocs", "--content", str(mini), "build", "--pdf", "--out"]
    main, child = pty.openpty()
    proc = subprocess.Popen(cmd + [str(tmp_path / "tty")], cwd=ROOT, env=dict(env, DGDOCS_STATUS_DELAY="0"),
                            stdin=child, stdout=child, stderr=child)
    os.close(child)
    shown = b""
    while True:  # read until the build closes the terminal (EOF: EIO on Linux)
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    assert proc.wait() == 0
    text = shown.decode("utf-8", "replace")
    assert "\rPDF " in text and "本文" in text and "\r\x1b[K" in text
    piped = subprocess.run(cmd + [str(tmp_path / "pipe")], cwd=ROOT, env=dict(env, DGDOCS_STATUS_DELAY="0"),
                           capture_output=True, text=True)
    assert piped.returncode == 0 and "\r" not in piped.stderr + piped.stdout


def test_the_build_itself_imports_neither_weasyprint_nor_pikepdf(mini, tmp_path):
    """The build hands the PDF jobs, the plan's pieces and its assembly to the workers; it
    never lays out or opens a PDF itself.  pikepdf once came in with the plan's pieces
    (dgdocs.render.pdfplan), ≈ 65 ms in the thread that feeds the workers, after the last
    chapter of an edit."""
    code = ("import sys; from dgdocs.cli import main;"
            "rc = main(['--content', sys.argv[1], 'build', '--pdf', '--out', sys.argv[2]]);"
            "print(rc, sorted({m.split('.')[0] for m in sys.modules} & {'weasyprint', 'pikepdf', 'pydyf', 'fontTools'}))")
    out = subprocess.run([sys.executable, "-c", code, str(mini), str(tmp_path / "out")], capture_output=True,
                         text=True, cwd=ROOT)
    assert out.stdout.strip().splitlines()[-1] == "0 []", out.stdout + out.stderr
    assert (tmp_path / "out" / "pdf" / "ikkatsu.pdf").is_file()


@pytest.mark.pdf
def test_the_print_stylesheet_parsed_once_gives_the_same_pdfs(doc):
    """dgdocs.render.pdfcss hands out print.css parsed once per worker: the PDFs are the bytes
    WeasyPrint makes when it parses the stylesheet for each document."""
    from dgdocs.render import pdfcss, pdfwriter
    from dgdocs.render.pdfjobs import Printer
    printer = Printer(doc)
    jobs = [printer.chapter_jobs()[0], printer.article_jobs()[0], printer.article_jobs()[-1]]
    pdfwriter.install_layers()
    cached = [pdfwriter.render_job(j, str(doc.root)).data for j in jobs]
    assert pdfcss._cache
    install = pdfcss.install
    pdfcss.uninstall()
    pdfcss.install = lambda: None  # render_job puts the layers in place: not this one, this time
    try:
        parsed = [pdfwriter.render_job(j, str(doc.root)).data for j in jobs]
    finally:
        pdfcss.install = install
        pdfcss.install()
    assert cached == parsed


_IMPORT = """
import json, re, subprocess, sys
spawned = []
real_popen = subprocess.Popen.__init__
def popen(self, *args, **kw):
    spawned.append(args[0] if args else kw.get("args"))
    return real_popen(self, *args, **kw)
subprocess.Popen.__init__ = popen
if sys.argv[1] == "ours":
    from dgdocs.render.pdfwriter import import_weasyprint
    import_weasyprint()
else:
    import weasyprint
from weasyprint.text import ffi
import fontTools.subset, fontTools.varLib.instancer  # (ours defers them: the same Python modules either way)
# the system's libraries (not Python's own extension modules, which importing dgdocs adds)
libraries = sorted(set(re.findall(r"(?m)^.* ((?:/usr)?/lib\\S*/lib\\S+\\.so[.0-9]*)$", open("/proc/self/maps").read())))
print(json.dumps({"spawned": [str(s) for s in spawned], "libraries": libraries,
                  "subset": ffi.harfbuzz_subset is not None}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/maps")
def test_a_worker_imports_weasyprint_with_the_same_libraries_and_no_library_search():
    """pdfwriter.import_weasyprint: the libraries WeasyPrint opens are the files its own import
    opens, found without running ldconfig or a compiler (ctypes.util.find_library)."""
    import json
    runs = {way: json.loads(subprocess.run([sys.executable, "-c", _IMPORT, way], cwd=ROOT, check=True,
                                           capture_output=True, text=True).stdout) for way in ("ours", "theirs")}
    assert runs["theirs"]["spawned"], "WeasyPrint's own import no longer searches: the shortcut is not needed"
    assert runs["ours"]["spawned"] == []
    assert runs["ours"]["libraries"] == runs["theirs"]["libraries"]
    assert runs["ours"]["subset"] and any("pango" in lib for lib in runs["ours"]["libraries"])


_DEFERRED = """
import json, sys
from dgdocs.render.pdfwriter import import_weasyprint
import_weasyprint()
before = sorted(m for m in sys.modules if m.startswith("fontTools"))
from weasyprint.pdf import fonts
subsetter = fonts.subset.Subsetter  # the first use loads the subsetter
from fontTools.varLib import instancer  # the real instancer, once WeasyPrint is imported
calls = []
instancer.instantiateVariableFont = lambda font, axes, **kw: calls.append((font, axes, kw)) or "instance"
answer = fonts.instantiateVariableFont("font", {"wght": 700}, static=True)
print(json.dumps({"before": before, "subsetter": f"{subsetter.__module__}.{subsetter.__qualname__}",
                  "calls": calls, "answer": answer, "instancer": instancer.__file__}))
"""


def test_fonttools_subsetter_and_instancer_are_imported_when_weasyprint_first_uses_them():
    """pdfwriter.import_weasyprint: WeasyPrint imports fontTools' subsetter and variable-font
    instancer (≈ 110 modules, ≈ 0.1 s of every worker's start) for fonts the print does not use;
    they are loaded when first used, and what WeasyPrint holds is then the real thing."""
    import json
    out = subprocess.run([sys.executable, "-c", _DEFERRED], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert "fontTools.varLib" not in got["before"] and "fontTools.subset.cff" not in got["before"], got["before"]
    assert len(got["before"]) < 60, got["before"]
    assert got["subsetter"] == "fontTools.subset.Subsetter"
    assert got["calls"] == [["font", {"wght": 700}, {"static": True}]] and got["answer"] == "instance"
    assert got["instancer"].endswith("fontTools/varLib/instancer/__init__.py")


def test_a_warmed_worker_holds_what_putting_the_pdfs_together_needs():
    """The first worker imports, before the others are forked from it, what every job needs:
    WeasyPrint, and pikepdf with the modules that put the PDFs together (dgdocs.render.pdfplan
    imports them only where it runs, so that the build can hand its pieces over without them).
    A worker forked without them imported pikepdf during the plan's assembly after an edit."""
    import json
    code = ("import json, os, sys; from dgdocs.render.workers import _warm; _warm(os.getppid());"
            "print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    held = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert {"weasyprint", "pikepdf", "dgdocs.render.pdfmerge", "dgdocs.render.pdffonts", "dgdocs.render.pdfstamp",
            "dgdocs.render.pdffolios", "dgdocs.render.pdfplan", "lxml.etree"} <= held, out.stdout + out.stderr
    # and not the model, which no job needs (≈ 20 ms of the first worker's start)
    assert not {"dgdocs.model", "dgdocs.diagnostics", "yaml"} & held


def test_the_font_subsetter_gets_the_same_arrays_from_one_c_type():
    """pdfsubset: WeasyPrint's ``hb_codepoint_t[N]`` arrays made as ``hb_codepoint_t[]`` — the same
    values and length, and one type parsed however many lengths come (not one a length)."""
    from weasyprint.pdf import fonts
    from dgdocs.render import pdfsubset
    pdfsubset.install()
    ffi = fonts.ffi
    assert isinstance(ffi, pdfsubset._OneArrayType)
    size = ffi.sizeof("hb_codepoint_t")  # (its own type text, parsed here before counting)
    parsed = len(ffi._ffi._parsed_types)
    for n in (3, 17, 250):
        array = ffi.new(f"hb_codepoint_t[{n}]", list(range(n)))
        assert ffi.sizeof(array) == n * size and list(array) == list(range(n))
    assert len(ffi._ffi._parsed_types) <= parsed + 1
    assert ffi.typeof(ffi.new("unsigned int[4]")) == ffi._ffi.typeof("unsigned int[4]")  # others as they were


def test_a_pool_made_where_weasyprint_has_run_starts_its_first_worker_as_a_new_interpreter():
    # a fork copies only the forking thread: forked from a process that has used Pango, a
    # worker once waited for ever for the fontconfig lock that Pango's font thread held (one
    # `make test` in five hung).  The build never imports WeasyPrint; a test process does.
    import weasyprint  # noqa: F401  (this process has WeasyPrint, as the PDF tests leave it)

    from dgdocs.render.workers import start_pool
    pool = start_pool(2)
    try:
        pids = pool.pids()
        assert len(pids) == 2 and pool.pid in pids
        with open(f"/proc/{pool.pid}/cmdline", "rb") as f:
            assert b"_exec_main" in f.read()  # a new interpreter, not a copy of this one
        assert [pool.submit(pow, 2, n).result() for n in (10, 11, 12)] == [1024, 2048, 4096]
    finally:
        pool.shutdown()


def test_a_job_goes_to_the_idle_worker_that_finished_last():
    """ForkPool: of the idle workers, the one whose job ended last takes the next, its caches
    warm (after an edit, 一括版 is put together where the chapter was just laid out, not in the
    worker that has done nothing yet)."""
    from dgdocs.render.forkpool import ForkPool, die_with
    pool = ForkPool(2, die_with, os.getpid())
    try:
        assert len(pool.pids()) == 2
        first = pool.submit(os.getpid).result()
        assert [pool.submit(os.getpid).result() for _ in range(3)] == [first] * 3
    finally:
        pool.shutdown()


def test_an_up_to_date_build_ends_its_workers_at_once(mini, tmp_path, monkeypatch, capsys):
    """The workers are started before the build knows whether anything changed (they import
    WeasyPrint while it fingerprints the inputs); an up-to-date build kills them instead of
    waiting for their start to finish, and leaves none behind."""
    from dgdocs import cli
    from dgdocs.render import forkpool, workers
    out = tmp_path / "build"
    assert cli.main(["--content", str(mini), "build", "--pdf", "--out", str(out)]) == 0
    pools = []
    start_pool = workers.start_pool
    monkeypatch.setattr(workers, "start_pool", lambda *a: pools.append(start_pool(*a)) or pools[-1])
    ended = []
    monkeypatch.setattr(forkpool.ForkPool, "shutdown", lambda self, *a, **kw: ended.append("shutdown"))
    kill = forkpool.ForkPool.kill
    monkeypatch.setattr(forkpool.ForkPool, "kill", lambda self: ended.append("kill") or kill(self))
    assert cli.main(["--content", str(mini), "build", "--pdf", "--out", str(out)]) == 0
    assert "は最新です" in capsys.readouterr().out
    assert len(pools) == 1 and ended == ["kill"]
    with pytest.raises(ProcessLookupError):
        os.kill(pools[0].pid, 0)


def test_the_pool_forks_before_the_build_imports_multiprocessing():
    """ForkPool: the first worker is forked before anything heavy is imported here, and this
    process wraps its ends of the sockets (multiprocessing.connection, ≈ 20 ms) only with the
    first job: an up-to-date build, which kills the workers, never imports it."""
    import json
    code = ("import json, os, sys; from dgdocs.render.workers import start_pool; pool = start_pool(2);"
            "before = sorted(m for m in sys.modules if m.startswith(('multiprocessing', 'concurrent')));"
            "answer = pool.submit(pow, 2, 5).result(); pool.shutdown();"
            "print(json.dumps([before, answer, 'multiprocessing.connection' in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [[], 32, True]


def test_a_pdf_laid_out_with_another_font_subsetter_is_not_reused(monkeypatch):
    # HarfBuzz's subsetter and fontTools' (WeasyPrint's fallback) write other bytes: a part made
    # by one is not taken as unchanged where the other is used
    import ctypes

    from dgdocs.render import pdf
    monkeypatch.setattr(pdf, "_CODE", [])
    with_harfbuzz = pdf._code()
    assert pdf._subsetter() == b"harfbuzz"  # what `make pdf` installs (libharfbuzz-subset0)

    def no_library(name, *a, **kw):
        raise OSError(f"{name}: cannot open shared object file")
    monkeypatch.setattr(ctypes, "CDLL", no_library)
    monkeypatch.setattr(pdf, "_CODE", [])
    assert pdf._subsetter() == b"fonttools"
    assert pdf._code() != with_harfbuzz


def test_weasyprint_warnings_reach_the_publisher_as_dg950_naming_the_pdf(mini, tmp_path, capsys, monkeypatch):
    # the build publishes, and says what WeasyPrint warned of (once each) at the PDF it came from
    from dgdocs import cli
    from dgdocs.render import pdf

    class Warned(pdf.PdfRun):
        def result(self):
            out = super().result()
            self.warnings += ['beppyo-1.pdf: Ignored `hyphens: sometimes` at 3:1, invalid value.'] * 2
            return out
    monkeypatch.setattr(pdf, "PdfRun", Warned)
    assert cli.main(["--content", str(mini), "build", "--pdf", "--out", str(tmp_path / "build")]) == 0
    err = capsys.readouterr().err
    lines = [x for x in err.splitlines() if "DG950" in x]
    assert len(lines) == 1, err
    assert lines[0].startswith("pdf/beppyo-1.pdf") and "warning DG950" in lines[0] and "hyphens: sometimes" in lines[0]
    assert "公開する前にこの PDF を開いて確かめてください" in err
    assert (tmp_path / "build" / "pdf" / "honbun.pdf").is_file()


def test_a_c_type_name_parses_to_the_same_type_with_only_the_typedefs_it_names():
    """cffitypes: WeasyPrint's C type names (those its layout and subsetter ask for, and harder
    ones) give the same cffi type and qualifiers as cffi's own parse, which puts a typedef of
    every declared type before each; the parse is given only the typedefs the name uses."""
    import weasyprint  # noqa: F401
    from weasyprint.text.ffi import ffi

    from dgdocs.render import cffitypes
    cffitypes.install()
    parser = ffi._parser
    cffis_own = type(parser).parse_type_and_quals
    seen = []
    parse = parser._parse
    parser._parse = lambda source: seen.append([n for n in parser._declarations if n.startswith("typedef ")]) or parse(source)
    try:
        for cdecl in ("PangoFcFontMap *", "char[]", "PangoRectangle *", "PangoLogAttr[]", "unsigned int *",
                      "hb_tag_t[100]", "char[4]", "hb_codepoint_t[]", "PangoGlyphItem *", "hb_font_t *",
                      "const char *", "GSList **", "guint[3]", "FcPattern *", "int (*)(int, PangoLayout *)"):
            seen.clear()
            assert parser.parse_type_and_quals(cdecl) == cffis_own(parser, cdecl), cdecl
            ours, theirs = seen
            assert len(ours) < 5 < len(theirs), (cdecl, ours)
        from cffi.error import CDefError
        for unknown in ("hb_glyph_info_t *", "PangoLayoutRun *"):  # not declared by WeasyPrint: an error both ways
            with pytest.raises(CDefError):
                cffis_own(parser, unknown)
            with pytest.raises(CDefError):
                parser.parse_type_and_quals(unknown)
    finally:
        del parser._parse
    installed = parser.parse_type_and_quals
    assert getattr(installed, "dgdocs", False)
    cffitypes.install()  # idempotent: not wrapped twice
    assert parser.parse_type_and_quals is installed
