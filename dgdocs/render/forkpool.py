"""A pool of worker processes that pay for importing WeasyPrint once.

``concurrent.futures.ProcessPoolExecutor`` forks every worker from the build, and each then
imports WeasyPrint (≈ 0.45 s of CPU, a whole core's worth on a two-core machine while the
build loads and checks).  Here the build forks one worker, which imports WeasyPrint and
warms it up (fonts, HarfBuzz, the PDF writer) and then forks the others from itself: they
start with everything imported, sharing its pages of memory until they write to them.

Jobs and results travel as pickles over one socket pair per worker; :meth:`submit` returns
a :class:`concurrent.futures.Future`.  The pool forks before it imports
:mod:`multiprocessing` (≈ 20 ms, which would delay the first worker's start and with it the
PDFs after an edit): the socket pairs are made with :mod:`_socket`, and each side wraps its
ends in :class:`multiprocessing.connection.Connection` after the fork (:mod:`concurrent.futures`
too is imported after it).

A worker ends with its parent (PR_SET_PDEATHSIG, see :func:`die_with`): the first with the
build, the others with the first, so a killed build leaves no worker behind.  The first worker
waits for the others before it exits, so that the build, reaping it, accounts for their CPU
time too.  Of the idle workers, the one that finished last takes the next job (its caches warm).
"""

from __future__ import annotations

import os
import sys
import threading
from collections import deque
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import Future
    from multiprocessing.connection import Connection


def die_with(parent: int) -> None:
    """End this worker when *parent* (the build) ends, however it ends — a build killed with
    ``kill -9`` must not leave its workers (150 MB each) running forever, holding its stdout.
    Linux: the kernel sends SIGKILL when the parent dies (PR_SET_PDEATHSIG); elsewhere a
    thread watches for the worker being re-parented."""
    import signal

    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0:  # PR_SET_PDEATHSIG
            if os.getppid() != parent:  # the parent died before the call
                os._exit(1)
            return
    except (OSError, AttributeError):
        pass

    def watch() -> None:
        while os.getppid() == parent:
            threading.Event().wait(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="dgdocs-parent-watch", daemon=True).start()


def _serve(conn: Connection) -> None:
    """A worker's loop: say who it is, run each job it is sent, send back the result or the error."""
    conn.send(("pid", True, os.getpid()))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        key, fn, args = message
        try:
            reply = (key, True, fn(*args))
        except BaseException as exc:  # noqa: BLE001  (sent to the build, raised there)
            reply = (key, False, exc)
        try:
            conn.send(reply)
        except Exception as exc:  # noqa: BLE001  (a result that cannot be pickled)
            conn.send((key, False, RuntimeError(f"the result of a PDF job could not be sent back: {exc!r}")))


def _socketpair() -> tuple[int, int]:
    """Two connected file descriptors (what ``multiprocessing.Pipe()`` makes, without importing it)."""
    import _socket

    here, there = _socket.socketpair(_socket.AF_UNIX, _socket.SOCK_STREAM, 0)
    return here.detach(), there.detach()


def _first(warm, parent_pid: int, fds: list[int]) -> None:
    """The first worker: warm up, fork the others from itself, serve, wait for them."""
    warm(parent_pid)
    from multiprocessing.connection import Connection
    ends = [Connection(fd) for fd in fds]
    children = []
    for there in ends[1:]:
        _one_thread()
        child = os.fork()
        if child == 0:
            die_with(os.getppid())
            for other in ends:
                if other is not there:
                    other.close()
            _serve(there)
            os._exit(0)
        children.append(child)
        there.close()
    _serve(ends[0])
    for child in children:
        os.waitpid(child, 0)


def _one_thread(limit: float = 2.0) -> None:
    """Wait (at most *limit* seconds) until this process runs one thread: Pango starts a
    short-lived thread to load fontconfig for each new font map, and a fork taken while it
    holds fontconfig's lock leaves the child waiting for that lock for ever."""
    try:
        tasks = lambda: len(os.listdir("/proc/self/task"))  # noqa: E731  (C threads too)
        tasks()
    except OSError:
        return
    waited, event = 0.0, threading.Event()
    while tasks() > 1 and waited < limit:
        event.wait(0.005)
        waited += 0.005


def _exec_first(warm, parent_pid: int, fds: list[int]) -> None:
    """The first worker as a new interpreter, when the process the pool is made in has used
    WeasyPrint itself (a test process; the build never imports it): a fork copies only the
    forking thread, and Pango's fontconfig thread may hold fontconfig's lock at that moment —
    a worker forked then waited for it for ever (seen once in five runs of ``make test``).
    The new interpreter gets the sockets' ends and starts as a forked first worker would."""
    for fd in fds:
        os.set_inheritable(fd, True)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))  # the jobs' functions import as here
    os.execve(sys.executable, [sys.executable, "-c", "from dgdocs.render.forkpool import _exec_main; _exec_main()",
                               f"{warm.__module__}:{warm.__qualname__}", str(parent_pid), *map(str, fds)], env)


def _exec_main() -> None:
    import importlib
    name, parent, *fds = sys.argv[1:]
    module, _, attr = name.partition(":")
    warm = getattr(importlib.import_module(module), attr)
    try:
        _first(warm, int(parent), [int(fd) for fd in fds])
    finally:
        os._exit(0)


class ForkPool:
    def __init__(self, workers: int, warm, parent_pid: int):
        self.workers = workers
        pairs = [_socketpair() for _ in range(workers)]
        tainted = "weasyprint" in sys.modules
        pid = os.fork()
        if pid == 0:  # the first worker
            try:
                for here, _ in pairs:
                    os.close(here)
                ends = [there for _, there in pairs]
                if tainted:
                    _exec_first(warm, parent_pid, ends)  # does not return
                _first(warm, parent_pid, ends)
            finally:
                os._exit(0)
        self.pid = pid
        for _, there in pairs:
            os.close(there)
        self._fds = [here for here, _ in pairs]
        # our ends as Connections (multiprocessing imported) with the first job, not before: a
        # build that turns out to be up to date ends without them (see kill)
        self._conns: list[Connection] = []
        # idle workers, the one that finished last at the right: a job goes to it (see _feed)
        self._idle: deque = deque()
        self._queue: deque = deque()
        self._futures: dict[int, tuple[Future, Connection]] = {}
        self._next = 0
        self._lock = threading.Lock()
        self._closed = False
        self._pids: list[int] = []
        self._started = threading.Event()
        # the thread that reads the workers' answers starts with the first job: until then the
        # build runs one thread, and may fork (dgdocs.render.beside) while the workers warm up
        self._reader: threading.Thread | None = None

    def _connect(self) -> None:
        """Our ends of the sockets as Connections (call with the lock held)."""
        if not self._conns and self._fds:
            from multiprocessing.connection import Connection

            self._conns = [Connection(fd) for fd in self._fds]
            self._idle = deque(reversed(self._conns))

    def _ensure_reader(self) -> None:
        with self._lock:
            self._connect()
            if self._reader is None:
                self._reader = threading.Thread(target=self._read, name="dgdocs-pdf-results", daemon=True)
                self._reader.start()

    # -- the build's side
    def submit(self, fn, *args) -> Future:
        from concurrent.futures import Future

        self._ensure_reader()
        future: Future = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("cannot schedule new futures after shutdown")
            self._next += 1
            self._queue.append((self._next, fn, args, future))
            self._feed()
        return future

    def _feed(self) -> None:
        while self._idle and self._queue:
            key, fn, args, future = self._queue.popleft()
            if not future.set_running_or_notify_cancel():
                continue
            conn = self._idle.pop()
            self._futures[key] = (future, conn)
            conn.send((key, fn, args))

    def _read(self) -> None:
        from multiprocessing.connection import wait

        live = list(self._conns)
        while live:
            for conn in wait(live):
                try:
                    key, ok, value = conn.recv()
                except (EOFError, OSError):
                    live.remove(conn)
                    self._lost(conn)
                    continue
                if key == "pid":
                    self._pids.append(value)
                    if len(self._pids) == self.workers:
                        self._started.set()
                    continue
                with self._lock:
                    future, _ = self._futures.pop(key)
                    self._idle.append(conn)
                    self._feed()
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(value)

    def _lost(self, conn: Connection) -> None:
        """A worker is gone: its job (if any) fails; the others go on."""
        with self._lock:
            lost = [k for k, (_, c) in self._futures.items() if c is conn]
            futures = [self._futures.pop(k)[0] for k in lost]
            if conn in self._idle:
                self._idle.remove(conn)
            if not self._idle and not self._futures and not self._closed:
                futures += [item[3] for item in self._queue]
                self._queue.clear()
        for future in futures:
            if not future.done():
                future.set_exception(RuntimeError("a PDF worker process ended unexpectedly"))

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._connect()
            if cancel_futures:
                for item in self._queue:
                    item[3].cancel()
                self._queue.clear()
        if wait:
            for future, _ in list(self._futures.values()):
                try:
                    future.exception()
                except BaseException:  # noqa: BLE001
                    pass
        for conn in self._conns:
            try:
                conn.send(None)
            except (OSError, ValueError):
                pass
        if wait:
            os.waitpid(self.pid, 0)
            if self._reader is not None:
                self._reader.join()
        for conn in self._conns:
            conn.close()

    def kill(self) -> None:
        """End the workers at once, whatever they are doing (the build turned out to need no
        PDF: it was up to date); the first worker's children end with it (see :func:`die_with`)."""
        import signal

        with self._lock:
            self._closed = True
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        if self._reader is not None:
            self._reader.join()  # (it ends when every worker's socket has closed)
        for conn in self._conns:
            conn.close()
        if not self._conns:  # never used: our ends are plain file descriptors
            for fd in self._fds:
                os.close(fd)
        self._fds = []

    def pids(self) -> list[int]:
        """The workers' process ids, once every worker has started."""
        self._ensure_reader()
        self._started.wait()
        return sorted(self._pids)
