"""Build: load once, render everything in memory; :mod:`dgdocs.publish` swaps it into ``build/``.

A build renders every requested output before it touches ``build/``; publishing writes
them to a temporary directory and swaps them in through a journal, so a failed or
interrupted build leaves the previous build as it was (or completes the swap next time).
Nothing is ever written into ``content/``.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .model import Document
from .publish import MANIFEST, PublishError, build_lock, check_output_dir, publish, recover, swap_pending  # noqa: F401

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
                      pool=pool)
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


_SOURCE_DIRS = ("content", "templates", "dgdocs")


def input_fingerprint(content: str | Path, targets: Iterable[str], flags: str = "") -> str:
    """A hash of everything a build reads: content/, templates/, dgdocs' own code, the pinned
    dependencies, the targets and flags, and SOURCE_DATE_EPOCH.  Equal fingerprints give
    equal outputs (builds are deterministic), so an unchanged build can be skipped."""
    h = hashlib.sha256()
    roots = [Path(content).resolve(), PROJECT / "templates", PROJECT / "dgdocs"]
    for root in roots:
        for path in _files(root):
            rel = str(path.relative_to(root))
            if path.is_symlink():
                # never read through a link (it may lead out of content/; the loader refuses those)
                h.update(b"L" + rel.encode() + b"\0" + os.readlink(path).encode() + b"\0")
                target = path.resolve()
                if not target.is_relative_to(root) or not target.is_file():
                    continue
            h.update(rel.encode() + b"\0")
            try:
                with open(path, "rb") as fh:
                    while chunk := fh.read(1 << 20):
                        h.update(chunk)
            except OSError as exc:  # unreadable: the loader reports it with the file's name
                h.update(f"unreadable {exc.errno}".encode())
    for extra in (PROJECT / "constraints.txt",):
        if extra.is_file():
            h.update(extra.read_bytes())
    h.update(f"{sorted(targets)}|{flags}|{os.environ.get('SOURCE_DATE_EPOCH', '')}".encode())
    return h.hexdigest()


def _files(root: Path) -> list[Path]:
    """Every file under *root*, sorted, without following symlinked directories."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        base = Path(dirpath)
        out += [base / name for name in filenames]
        out += [base / d for d in dirnames if (base / d).is_symlink()]
    return sorted(out)


def is_up_to_date(out_root: str | Path, fingerprint: str, targets: Iterable[str]) -> bool:
    out_root = Path(out_root)
    if swap_pending(out_root):
        return False
    manifest = out_root / MANIFEST
    if not manifest.is_file() or manifest.read_text().strip() != fingerprint:
        return False
    return all((out_root / t).is_dir() for t in targets)


def write_manifest(out_root: str | Path, fingerprint: str) -> None:
    tmp = Path(out_root) / f"{MANIFEST}.tmp"
    tmp.write_text(fingerprint + "\n")
    os.replace(tmp, Path(out_root) / MANIFEST)
