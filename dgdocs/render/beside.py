"""Render some pages of the site in a forked process while the build renders the others.

The quarterly evaluation reports (``hyoka/<quarter>.html``) are the largest pages of the
site: eight quarters cost the HTML build about as much again as the plan's own 29 pages.
They depend on nothing the other pages render, so on a machine with a second core a child
forked from the build renders them meanwhile (it shares the build's loaded plan and Jinja
environment, copy on write) and sends the bytes back over a pipe.

Forking is done only where it is safe and worth it: a process with one thread (a fork
copies only the calling thread; the preview and a PDF build run threads, and render their
pages themselves), more than one usable core, and :func:`os.fork` available.  If the child
fails in any way, the build renders those pages itself, so an error surfaces in the build
with its own message — the child changes when pages are rendered, never what they hold.
"""

from __future__ import annotations

import os
import pickle
import threading
from typing import Callable, Iterable

from .forkpool import die_with


def can_fork() -> bool:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return hasattr(os, "fork") and threading.active_count() == 1 and cores > 1 \
        and os.environ.get("DGDOCS_NO_FORK", "") == ""


class Beside:
    """``Beside(render, paths)`` starts rendering *paths* in a child; ``result()`` waits and
    returns ``{path: bytes}`` for every path (rendered here if the child did not give it)."""

    def __init__(self, render: Callable[[str], bytes], paths: Iterable[str]):
        self.render = render
        self.paths = list(paths)
        self.pid = None
        self.fd = None
        if self.paths and can_fork():
            self._start()

    def _start(self) -> None:
        parent = os.getpid()
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: render, send, end (never return into the build)
            code = 1
            try:
                os.close(r)
                die_with(parent)
                data = pickle.dumps({p: self.render(p) for p in self.paths}, protocol=pickle.HIGHEST_PROTOCOL)
                view = memoryview(data)
                while view:
                    view = view[os.write(w, view):]
                code = 0
            finally:
                os._exit(code)
        os.close(w)
        self.pid, self.fd = pid, r

    def _collect(self) -> dict[str, bytes]:
        if self.pid is None:
            return {}
        chunks = []
        try:
            while chunk := os.read(self.fd, 1 << 20):
                chunks.append(chunk)
        finally:
            os.close(self.fd)
            _, status = os.waitpid(self.pid, 0)  # reaped: its CPU time counts as the build's
            self.pid = None
        if os.waitstatus_to_exitcode(status) != 0:
            return {}
        try:
            got = pickle.loads(b"".join(chunks))
        except Exception:  # noqa: BLE001 — a truncated pipe: render here instead
            return {}
        return got if isinstance(got, dict) else {}

    def result(self) -> dict[str, bytes]:
        got = self._collect()
        return {p: got[p] if isinstance(got.get(p), bytes) else self.render(p) for p in self.paths}
