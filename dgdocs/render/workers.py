"""The worker processes that lay out the PDFs, and the scheduler that feeds them.

Kept free of heavy imports so that ``dgdocs build --pdf`` can fork the workers before it
imports anything heavy: each worker then imports WeasyPrint (about half a second) while the
parent loads, checks and renders the HTML site.

:class:`Scheduler` runs a small graph of tasks (the plan's chapters, its front matter, the
articles, the assembly of the plan and of 一括版): as many at a time as there are workers,
each as soon as the tasks it needs are done, the one with the longest way to the end of the
build first (its own estimated cost plus that of the longest chain of tasks waiting for it).
A task whose inputs did not change is taken from the previous build without a worker.
:class:`StatusLine` shows what is being laid out on a terminal.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

#: at most this many workers, whatever the machine (each holds a WeasyPrint, ≈ 150 MB)
MAX_WORKERS = 8


def _warm(parent: int) -> None:
    """The first worker's start: end with the parent; import WeasyPrint and the PDF renderer,
    and lay out and write a line in each font (fonts found, HarfBuzz and the PDF writer
    loaded), so that the workers forked from it start ready."""
    from .forkpool import die_with
    die_with(parent)
    from . import pdfwriter
    pdfwriter.import_weasyprint()

    from . import pdffolios, pdffonts, pdfmerge, pdfplan, pdfstamp  # noqa: F401  (pikepdf: the PDFs put together)
    import lxml.etree  # noqa: F401  (pikepdf parses the XMP packet when it saves: in every worker's first PDF)
    pdfwriter.warm_up()


def machine_workers() -> int:
    """As many workers as this process may use cores (its CPU affinity), at most :data:`MAX_WORKERS`."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def start_pool(workers: int | None = None):
    """A pool of worker processes, started at once (see :func:`machine_workers` and
    :mod:`.forkpool`: the first imports WeasyPrint, the others are forked from it)."""
    from .forkpool import ForkPool

    return ForkPool(workers or machine_workers(), _warm, os.getpid())


# ------------------------------------------------------------------ the scheduler

@dataclass(frozen=True)
class Run:
    """Work for a worker: ``fn(arg)`` (both picklable)."""

    fn: Callable[[Any], Any]
    arg: Any


@dataclass
class Task:
    """One node of the graph.  ``prepare(results)`` is called (in this process) once every task
    of ``deps`` is done, with their results by key; it returns either the result itself (the
    task's inputs did not change: taken from the previous build) or a :class:`Run`."""

    key: str
    label: str  # what the status line calls it (本文 II, 別紙1, …)
    cost: float  # estimated seconds
    deps: tuple[str, ...] = ()
    prepare: Callable[[dict[str, Any]], Any] = None
    level: float = 0.0  # cost + the longest chain of tasks after it
    waiting: set = field(default_factory=set)


class Scheduler:
    """Runs the graph of tasks in *pool*, longest chain first.  *expecting*: the number of
    :meth:`add` calls still to come (tasks whose inputs are made elsewhere meanwhile, such
    as the evaluation reports' print HTML): :meth:`wait` waits for them too."""

    def __init__(self, pool, tasks: list[Task], status: "StatusLine | None" = None, expecting: int = 0):
        self.pool = pool
        self.workers = getattr(pool, "workers", None) or machine_workers()
        self.tasks: dict[str, Task] = {}
        self.results: dict[str, Any] = {}
        self.reused: set[str] = set()
        self.running: dict[str, float] = {}
        self.error: BaseException | None = None
        self.status = status
        self._lock = threading.RLock()
        self._done = threading.Event()
        self._expecting = expecting
        self._ready: list[Task] = []
        self._register(tasks)

    def _register(self, tasks: list[Task]) -> None:
        """*tasks* (depending on each other, or on tasks given before) join the graph."""
        for t in tasks:
            if t.key in self.tasks:
                raise ValueError(f"task {t.key} given twice")
            self.tasks[t.key] = t
        after: dict[str, list[str]] = {t.key: [] for t in tasks}
        for t in tasks:
            t.waiting = {d for d in t.deps if d not in self.results}
            for d in t.deps:
                if d in after:
                    after[d].append(t.key)

        def level(key: str) -> float:
            t = self.tasks[key]
            if not t.level:
                t.level = t.cost + max((level(k) for k in after[key]), default=0.0) + 1e-9
            return t.level
        for t in tasks:
            level(t.key)
        self._ready += [t for t in tasks if not t.waiting]

    def start(self) -> "Scheduler":
        self._dispatch()
        return self

    def add(self, tasks: list[Task]) -> None:
        """One of the additions the constructor was told to expect."""
        with self._lock:
            if self._expecting <= 0:
                raise RuntimeError("no more tasks were expected")
            self._expecting -= 1
            self._register(tasks)
        self._dispatch()

    def _dispatch(self) -> None:
        with self._lock:
            while self.error is None and self._ready and len(self.running) < self.workers:
                self._ready.sort(key=lambda t: (-t.level, t.key))
                task = self._ready.pop(0)
                try:
                    prepared = task.prepare({k: self.results[k] for k in task.deps})
                except BaseException as exc:  # noqa: BLE001  (reported by wait())
                    self._fail(exc)
                    return
                if not isinstance(prepared, Run):
                    self.reused.add(task.key)
                    self._complete(task, prepared)
                    continue
                self.running[task.key] = time.monotonic()
                if self.status:
                    self.status.update(self)
                try:
                    future = self.pool.submit(prepared.fn, prepared.arg)
                except RuntimeError as exc:  # the pool was shut down (the build was given up)
                    self._fail(exc)
                    return
                future.add_done_callback(lambda f, task=task: self._finished(task, f))
            if not self.running and not self._ready and not self._expecting and self.error is None:
                self._done.set()

    def _finished(self, task: Task, future) -> None:
        with self._lock:
            self.running.pop(task.key, None)
            try:
                result = future.result()
            except BaseException as exc:  # noqa: BLE001
                self._fail(exc)
                return
            self._complete(task, result)
        self._dispatch()

    def _complete(self, task: Task, result) -> None:
        self.results[task.key] = result
        for t in self.tasks.values():
            if task.key in t.waiting:
                t.waiting.discard(task.key)
                if not t.waiting:
                    self._ready.append(t)
        if self.status:
            self.status.update(self)

    def _fail(self, exc: BaseException) -> None:
        if self.error is None:
            self.error = exc
        self._done.set()

    def cancel(self) -> None:
        """Start nothing more (the build was given up); the status line goes."""
        with self._lock:
            self._fail(RuntimeError("cancelled"))
        if self.status:
            self.status.close()

    def wait(self) -> dict[str, Any]:
        """Every task's result; raises the first task's error."""
        self._done.wait()
        if self.status:
            self.status.close()
        if self.error is not None:
            raise self.error
        return self.results

    @property
    def counts(self) -> tuple[int, int]:
        return len(self.results), len(self.tasks)


class StatusLine:
    """One line on a terminal — what is being laid out, done/total, elapsed — for a build that
    takes more than a second (*delay*; ``DGDOCS_STATUS_DELAY`` sets it, for the tests);
    nothing when the output is not a terminal, under CI or on a dumb terminal."""

    def __init__(self, stream=None, delay: float | None = None):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)()) and not os.environ.get("CI") \
            and os.environ.get("TERM") != "dumb"
        self.t0 = time.monotonic()
        if delay is None:
            try:
                delay = float(os.environ.get("DGDOCS_STATUS_DELAY", "1"))
            except ValueError:
                delay = 1.0
        self.delay = delay
        self.shown = False
        self.text = ""
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._scheduler = None
        if self.enabled:
            threading.Thread(target=self._tick, name="dgdocs-status", daemon=True).start()

    def _tick(self) -> None:
        while not self._stop.wait(0.5):
            if self._scheduler is not None:
                self.update(self._scheduler)

    def line(self, scheduler: Scheduler) -> str:
        done, total = scheduler.counts
        names = [scheduler.tasks[k].label for k in sorted(scheduler.running, key=scheduler.running.get)]
        now = "、".join(names) if names else "待機中"
        return f"PDF {done}/{total}　{now}　{time.monotonic() - self.t0:.1f} 秒"

    def update(self, scheduler: Scheduler) -> None:
        self._scheduler = scheduler
        if not self.enabled or time.monotonic() - self.t0 < self.delay:
            return
        with self._lock:
            if self._stop.is_set():
                return
            self.text = self.line(scheduler)
            self.stream.write("\r" + self.text + "\x1b[K")
            self.stream.flush()
            self.shown = True

    def close(self) -> None:
        with self._lock:
            self._stop.set()
            if self.shown:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
