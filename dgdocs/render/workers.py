"""The worker processes that lay out the PDFs.

Kept free of imports so that ``dgdocs build --pdf`` can fork the workers before it imports
anything heavy: each worker then imports WeasyPrint (about half a second) while the parent
loads, checks and renders the HTML site.
"""

from __future__ import annotations

import os


def _warm() -> None:
    """Worker initialiser: import WeasyPrint and the PDF renderer now, not at the first job."""
    import weasyprint  # noqa: F401

    from . import pdfmerge, pdfwriter  # noqa: F401


def start_pool(workers: int | None = None):
    """A pool of forked worker processes, started at once (one per CPU, at most 4)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers = workers or max(1, min(os.cpu_count() or 1, 4))
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_warm)
    for _ in range(workers):  # make the workers start (and import) now
        pool.submit(os.getpid)
    return pool
