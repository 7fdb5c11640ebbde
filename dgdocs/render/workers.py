"""The worker processes that lay out the PDFs.

Kept free of imports so that ``dgdocs build --pdf`` can fork the workers before it imports
anything heavy: each worker then imports WeasyPrint (about half a second) while the parent
loads, checks and renders the HTML site.
"""

from __future__ import annotations

import os
import signal


def _die_with(parent: int) -> None:
    """End this worker when *parent* (the build) ends, however it ends — a build killed with
    ``kill -9`` must not leave its workers (150 MB each) running forever, holding its stdout.
    Linux: the kernel sends SIGKILL when the parent dies (PR_SET_PDEATHSIG); elsewhere a
    thread watches for the worker being re-parented."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0:  # PR_SET_PDEATHSIG
            if os.getppid() != parent:  # the parent died before the call
                os._exit(1)
            return
    except (OSError, AttributeError):
        pass
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            threading.Event().wait(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="dgdocs-parent-watch", daemon=True).start()


def _warm(parent: int) -> None:
    """Worker initialiser: end with the parent; import WeasyPrint and the PDF renderer now,
    not at the first job."""
    _die_with(parent)
    import weasyprint  # noqa: F401

    from . import pdfmerge, pdfwriter  # noqa: F401


def start_pool(workers: int | None = None):
    """A pool of forked worker processes, started at once (one per CPU, at most 4)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers = workers or max(1, min(os.cpu_count() or 1, 4))
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_warm, initargs=(os.getpid(),))
    for _ in range(workers):  # make the workers start (and import) now
        pool.submit(os.getpid)
    return pool
