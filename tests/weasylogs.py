"""WeasyPrint's ``assert_no_logs`` for our PDF tests: a PDF test fails when WeasyPrint logged
a warning or an error (an ignored CSS declaration, a resource it could not load, a font it
could not find), even where the PDF still came out.

* :func:`capture_logs` — a context manager that collects what the ``weasyprint`` logger says
  (its progress messages, ``weasyprint.progress`` at INFO, are not problems and are left out);
* :func:`assert_no_logs` — a decorator for a test that renders in this process;
* :class:`NoLogsPool` — the PDF worker pool for tests: each job runs inside
  :func:`capture_logs` in its worker process and fails when anything was logged, so the
  failure reaches the test through the job's result.
"""

from __future__ import annotations

import functools
import logging
from contextlib import contextmanager
from typing import Callable, Iterator

LOGGER = "weasyprint"
LEVEL = logging.WARNING


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(LEVEL)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname.lower()}: {record.getMessage()}")


@contextmanager
def capture_logs() -> Iterator[list[str]]:
    """The messages WeasyPrint logged (warning and above) while the block ran."""
    logger = logging.getLogger(LOGGER)
    handler = _Collect()
    saved = logger.level
    logger.addHandler(handler)
    if logger.getEffectiveLevel() > LEVEL:
        logger.setLevel(LEVEL)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved)


def assert_no_logs(test: Callable) -> Callable:
    """Fail *test* when WeasyPrint logged anything while it ran (in this process)."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        with capture_logs() as logs:
            result = test(*args, **kwargs)
        assert not logs, "WeasyPrint logged:\n" + "\n".join(logs)
        return result

    return wrapper


class WeasyPrintLogged(AssertionError):
    pass


def _without_logs(func, *args):
    with capture_logs() as logs:
        result = func(*args)
    if logs:
        raise WeasyPrintLogged("WeasyPrint logged:\n" + "\n".join(logs))
    return result


class NoLogsPool:
    """The PDF renderer's worker pool, every job run under :func:`capture_logs`."""

    def __init__(self, workers: int | None = None):
        from dgdocs.render.workers import start_pool
        self.pool = start_pool(workers)

    def submit(self, func, *args):
        return self.pool.submit(_without_logs, func, *args)

    def shutdown(self, *args, **kwargs):
        self.pool.shutdown(*args, **kwargs)
