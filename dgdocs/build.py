"""Build and publish: load once, render everything in memory, then swap into ``build/``.

A build renders every requested output before it touches ``build/``; the files go
to a temporary directory next to the target, and each output directory
(``build/html``, ``build/pdf``, ``build/data``) is replaced by a rename only when all of
them were written.  A failed build therefore leaves the previous build exactly as
it was.  Nothing is ever written into ``content/``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .model import Document

TARGETS = ("html", "data", "pdf")
PROJECT = Path(__file__).resolve().parents[1]


@dataclass
class BuildResult:
    doc: Document
    outputs: dict[str, dict[str, bytes]]  # target → {relative path: bytes}
    timings: dict[str, float] = field(default_factory=dict)
    reused: list[str] = field(default_factory=list)  # PDFs taken unchanged from the previous build


def build(content: str | Path, targets: Iterable[str] = ("html",), *, banner: str = "",
          previous: Path | None = None, doc: Document | None = None, pool=None,
          base_url: str | None = None) -> BuildResult:
    """Load ``content/`` once and render every target in memory (nothing is written).

    *previous* is the current ``build/`` directory: PDFs whose inputs did not change
    are reused from it instead of being rendered again.  *pool* is the process pool of the
    PDF renderer, if the caller started it early (see dgdocs.render.pdf.start_pool).
    *base_url* is the absolute URL where ``html/`` is published: canonical links and sitemap.xml.
    """
    targets = list(targets)
    for target in targets:
        if target not in TARGETS:
            raise ValueError(f"unknown target {target!r}")
    t0 = time.perf_counter()
    if doc is None:
        from .load import load
        doc = load(content)
    result = BuildResult(doc, {}, {"load": time.perf_counter() - t0})
    pdfs = None
    if "pdf" in targets:
        # first, so that the worker processes lay out the PDFs while the rest is rendered here
        from .render.pdf import PdfRun  # WeasyPrint itself is imported only by the workers
        pdfs = PdfRun(doc, banner, previous=(previous / "pdf") if previous else None, reused=result.reused,
                      pool=pool, base_url=base_url)
    for target in targets:
        t = time.perf_counter()
        if target == "html":
            from .render.html import render_site
            result.outputs[target] = render_site(doc, banner=banner, base_url=base_url)
        elif target == "data":
            from .render.data import render_data
            result.outputs[target] = render_data(doc)
        result.timings[target] = time.perf_counter() - t
    if pdfs is not None:
        t = time.perf_counter()
        result.outputs["pdf"] = pdfs.result()
        result.timings["pdf"] = time.perf_counter() - t
    result.outputs = {t: result.outputs[t] for t in targets}
    return result


MANIFEST = ".manifest"
_SOURCE_DIRS = ("content", "templates", "dgdocs")


def input_fingerprint(content: str | Path, targets: Iterable[str], flags: str = "") -> str:
    """A hash of everything a build reads: content/, templates/, dgdocs' own code, the pinned
    dependencies, the targets and flags, and SOURCE_DATE_EPOCH.  Equal fingerprints give
    equal outputs (builds are deterministic), so an unchanged build can be skipped."""
    h = hashlib.sha256()
    roots = [Path(content).resolve(), PROJECT / "templates", PROJECT / "dgdocs"]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(root)).encode() + b"\0")
                h.update(path.read_bytes())
    for extra in (PROJECT / "constraints.txt",):
        if extra.is_file():
            h.update(extra.read_bytes())
    h.update(f"{sorted(targets)}|{flags}|{os.environ.get('SOURCE_DATE_EPOCH', '')}".encode())
    return h.hexdigest()


def is_up_to_date(out_root: str | Path, fingerprint: str, targets: Iterable[str]) -> bool:
    out_root = Path(out_root)
    manifest = out_root / MANIFEST
    if not manifest.is_file() or manifest.read_text().strip() != fingerprint:
        return False
    return all((out_root / t).is_dir() for t in targets)


def write_manifest(out_root: str | Path, fingerprint: str) -> None:
    tmp = Path(out_root) / f"{MANIFEST}.tmp"
    tmp.write_text(fingerprint + "\n")
    os.replace(tmp, Path(out_root) / MANIFEST)


def publish(outputs: dict[str, dict[str, bytes]], out_root: str | Path,
            before_swap: Callable[[Path], None] | None = None) -> None:
    """Write every output into a temporary directory, then swap each target into place.

    *before_swap* (tests) is called with the temporary directory after everything was
    written and before anything in *out_root* changes.
    """
    out_root = Path(out_root)
    out_root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=out_root))
    try:
        for target in sorted(outputs):
            base = tmp / target
            base.mkdir()
            for rel in sorted(outputs[target]):
                path = base / rel
                if ".." in Path(rel).parts or Path(rel).is_absolute():
                    raise ValueError(f"refusing to write outside the output directory: {rel}")
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(outputs[target][rel])
        if before_swap:
            before_swap(tmp)
        for target in sorted(outputs):
            final = out_root / target
            old = None
            if final.exists():
                old = tmp / f".old-{target}"
                os.replace(final, old)
            os.replace(tmp / target, final)
            if old is not None:
                shutil.rmtree(old)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
