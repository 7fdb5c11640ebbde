"""Make some outputs in a forked process while the build makes the others.

The quarterly evaluations are the largest part of the site: eight quarters' report pages
(``hyoka/<quarter>.html``) cost the HTML build about as much again as the plan's own 29
pages, and their open data (progress.csv/json, kpi-actuals.csv) more than the plan's.  They
depend on nothing the other outputs render, so on a machine with a second core a child
forked from the build starts on them — from before the checks run — sharing the build's
loaded plan (copy on write), and sends the bytes back over a pipe.  :class:`Beside` runs
one piece of work in the child; :class:`Shared` shares a list of items between the child and
the build, which joins in once its own pages are done (neither then waits for the other).

Forking is done only where it is safe and worth it: a process with one thread (a fork
copies only the calling thread; the preview runs threads, and renders those files itself;
the PDF pool's reader thread starts with its first job, after the fork), more than one
usable core, and :func:`os.fork` available.  If the child fails in any way, the build does
the work itself, so an error surfaces in the build with its own message — the child changes
when files are made, never what they hold.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
from typing import Callable, Generic, TypeVar

from .forkpool import die_with

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")


def can_fork() -> bool:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return hasattr(os, "fork") and threading.active_count() == 1 and cores > 1 \
        and os.environ.get("DGDOCS_NO_FORK", "") == ""


class Beside(Generic[T]):
    """``Beside(work)`` starts ``work()`` in a child; ``result()`` waits and returns its value
    (picklable), or the value of ``work()`` run here if the child did not give one.
    ``cancel()`` stops the child (the build will not publish)."""

    def __init__(self, work: Callable[[], T], *, fork: bool = True):
        self.work = work
        self.pid = None
        self.fd = None
        if fork and can_fork():
            self._start()

    @property
    def forked(self) -> bool:
        return self.pid is not None

    def _start(self) -> None:
        parent = os.getpid()
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: work, send, end (never return into the build)
            code = 1
            try:
                os.close(r)
                die_with(parent)
                data = pickle.dumps(self.work(), protocol=pickle.HIGHEST_PROTOCOL)
                view = memoryview(data)
                while view:
                    view = view[os.write(w, view):]
                code = 0
            finally:
                os._exit(code)
        os.close(w)
        self.pid, self.fd = pid, r

    def _collect(self) -> tuple[bool, object]:
        chunks = []
        try:
            while chunk := os.read(self.fd, 1 << 20):
                chunks.append(chunk)
        finally:
            os.close(self.fd)
            _, status = os.waitpid(self.pid, 0)  # reaped: its CPU time counts as the build's
            self.pid = self.fd = None
        if os.waitstatus_to_exitcode(status) != 0:
            return False, None
        try:
            return True, pickle.loads(b"".join(chunks))
        except Exception:  # noqa: BLE001 — a truncated pipe: do the work here instead
            return False, None

    def result(self) -> T:
        if self.pid is not None:
            ok, value = self._collect()
            if ok:
                return value  # type: ignore[return-value]
        return self.work()

    def cancel(self) -> None:
        if self.pid is None:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:  # pragma: no cover - it ended meanwhile
            pass
        os.close(self.fd)
        os.waitpid(self.pid, 0)
        self.pid = self.fd = None


class Shared(Generic[K, V]):
    """``Shared(items, make)``: *items* made by a forked child and by this process together.
    Each takes the next item from one queue that both read — a pipe holding the items'
    numbers, two bytes each (a read of two bytes from a pipe is atomic) — so neither idles
    while the other has work left, whatever each item costs.  The child starts at once;
    :meth:`result` makes items here until the queue is empty, then takes the child's, and
    makes here any it did not give (a failed child changes when items are made, never what).
    ``cancel()`` stops the child."""

    #: the queue is written whole before the fork: it must fit in a pipe (64 KiB on Linux)
    MAX_ITEMS = 16384

    def __init__(self, items: list[K], make: Callable[[K], V], *, fork: bool = True):
        self.items = list(items)
        self.make = make
        self._queue: int | None = None
        self._beside: Beside | None = None
        if fork and 1 < len(self.items) <= self.MAX_ITEMS and can_fork():
            r, w = os.pipe()
            os.write(w, b"".join(i.to_bytes(2, "big") for i in range(len(self.items))))
            os.close(w)  # read to its end, the queue reads as empty
            self._queue = r
            self._beside = Beside(self._take)

    def _take(self) -> dict[int, V]:
        made: dict[int, V] = {}
        while self._queue is not None and len(got := os.read(self._queue, 2)) == 2:
            i = int.from_bytes(got, "big")
            made[i] = self.make(self.items[i])
        return made

    def result(self) -> dict[K, V]:
        if self._beside is None:
            return {k: self.make(k) for k in self.items}
        made = self._take()
        made.update(self._beside.result())  # (the child's, or {} if it failed: the queue is empty)
        os.close(self._queue)
        self._queue, self._beside = None, None
        return {k: made[i] if i in made else self.make(k) for i, k in enumerate(self.items)}

    def cancel(self) -> None:
        if self._beside is not None:
            self._beside.cancel()
            os.close(self._queue)
            self._queue, self._beside = None, None
