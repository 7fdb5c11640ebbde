"""The preview's state: the rebuild loop of ``dgdocs serve`` and its in-memory site.

A :class:`Preview` loads ``content/`` on every change, keeps the pages a browser shows
rendered, runs the checks and maps each finding to the pages it concerns
(:func:`pages_of_finding`); the HTTP side is :mod:`dgdocs.serve`.  Nothing is written,
neither into ``content/`` nor into ``build/``.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from . import diagnostics, references
from .diagnostics import DgdocsError
from .directives import DIRECTIVES
from .model import Document, Finding
from .paths import PROJECT, TEMPLATES  # noqa: F401  (PROJECT re-exported by serve)

POLL_SECONDS = 0.05


# ------------------------------------------------------------------- findings → pages

_USES: dict[str, object] = {}  # the data files each chapter of the current document reads


def data_files_used(doc: Document, ch) -> set[str]:
    """The data files of content/data/ that a chapter's references read (values, directives)."""
    if _USES.get("doc") is not doc:
        _USES.clear()
        _USES["doc"] = doc
    key = f"chapter:{ch.id}"
    if key not in _USES:
        names: set[str] = set()
        texts = [(sec.body, sec.body_line) for sec in ch.sections()] + [(fn.text, fn.loc.line) for fn in ch.footnotes]
        for text, first in texts:
            for use in references.scan_references(text, first):
                if use.kind == "value":
                    names.add(use.name.split(".", 1)[0])
                elif use.kind == "directive" and use.name in DIRECTIVES:
                    names.add(DIRECTIVES[use.name].data_file(use.arg) or "")
        _USES[key] = names - {""}
    return _USES[key]


def pages_of_finding(doc: Document, f: Finding) -> set[str]:
    """The site pages (file names) a finding concerns, from its file and line."""
    file = f.loc.file
    out: set[str] = set()
    for ch in doc.chapters:
        if ch.path == file:
            out.add(f"{ch.id}.html")
    for a in doc.appendices:
        if a.path == file:
            out.add(f"{a.slug}.html")
    if file == "kpis.yaml":
        out.add("kpis.html")
        line = f.loc.line
        placed = [k for k in doc.kpi_lines if k.loc.line <= line]
        if placed:
            kl = max(placed, key=lambda k: k.loc.line)
            ch = doc.outline.chapter(kl.section)
            if ch is not None:
                out.add(f"{ch.id}.html")
    if file.startswith("data/"):
        name = file[len("data/"):].rsplit(".", 1)[0]
        for ch in doc.chapters:
            if name in data_files_used(doc, ch):
                out.add(f"{ch.id}.html")
        for a in doc.appendices:
            if a.inventory == name or any(t.startswith(name + ".") for t in a.tables):
                out.add(f"{a.slug}.html")
    if file == "errata.yaml":
        out.add("errata.html")
    if file.startswith("progress/") and file.endswith(".yaml"):  # a quarterly evaluation: its report page
        from .render.outputs import report_slug
        out.add(f"{report_slug(file[len('progress/'):-len('.yaml')])}.html")
    if not out:
        out.add("index.html")  # plan.yaml, accepted.yaml, terms.yaml, …
    out.add("zenbun.html")
    return out


# ------------------------------------------------------------------------ state

@dataclass
class State:
    """One consistent view of the preview, replaced whole on every change."""

    version: int = 0  # every change of what a page shows (new pages, fresh findings, an error)
    doc: Document | None = None
    site: object = None  # dgdocs.render.html.Site of the last good load
    error: list[Finding] = field(default_factory=list)  # why the last change failed (empty: it did not)
    error_files: str = ""
    findings: list[tuple[Finding, set[str]]] = field(default_factory=list)
    checked: bool = False  # the findings are those of this doc (else the checks are still running)


class Preview:
    """The rebuild loop and the in-memory site; thread-safe."""

    def __init__(self, content: Path, out=sys.stdout, watch_templates: bool = True):
        self.content = Path(content).resolve()
        self.out = out
        self.roots = [self.content] + ([TEMPLATES] if watch_templates else [])
        self.lock = threading.RLock()  # guards state and rendering (DocumentMarkup is not re-entrant)
        self.changed = threading.Condition(self.lock)
        self.stop = threading.Event()
        self.state = State()
        self.pages: dict[str, bytes] = {}  # rendered files of the current site
        self.last_good: dict[str, bytes] = {}  # the last good bytes of each file, kept across failures
        self.data: dict[str, bytes] | None = None
        self.watched: set[str] = set()  # pages open in a browser (event streams)
        self.watched_count: dict[str, int] = {}
        self.last_rebuild: dict[str, float] = {}
        from .render.common import make_env
        self.env = make_env()  # one Jinja environment: templates compile once, reload when edited

    # -- messages
    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    # -- snapshot of the sources
    def snapshot(self) -> dict[str, tuple[int, int]]:
        snap = {}
        for root in self.roots:
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in filenames:
                    if name.startswith(".") or name.endswith(("~", ".swp", ".swx")):
                        continue
                    p = os.path.join(dirpath, name)
                    try:
                        st = os.stat(p)
                    except FileNotFoundError:
                        continue
                    snap[p] = (st.st_mtime_ns, st.st_size)
        return snap

    # -- rebuild
    def rebuild(self, changed: list[str] | None = None) -> None:
        from .build import Session

        t0 = time.perf_counter()
        what = "、".join(self._rel(p) for p in (changed or [])[:3]) + (" ほか" if changed and len(changed) > 3 else "")
        try:
            session = Session(self.content)  # the pipeline of dgdocs build, without publishing
            doc = session.load()
            site = session.site(env=self.env)
        except DgdocsError as exc:
            self._failed(exc.findings, what)
            return
        except Exception as exc:  # a bug or a template error: show it, keep the last good pages
            self._failed([diagnostics.from_exception(exc, hint=traceback.format_exc(limit=3))], what)
            return
        with self.lock:
            old = self.state
            self.state = State(old.version + 1, doc, site, [], "", [], False)
            self.pages = {}
            self.data = None
            # render what a browser shows now, so that its reload is served at once
            for page in sorted(self.watched):
                self._render(page)
            self.changed.notify_all()
        took = time.perf_counter() - t0
        self.last_rebuild = {"load_render": took}
        self._check(session, what, took)

    def _check(self, session, what: str, took: float) -> None:
        """Run the checks of the session's document and publish its findings (a new version of
        the status)."""
        t1 = time.perf_counter()
        doc = session.doc
        try:
            report = session.check()
            findings = [(f, pages_of_finding(doc, f)) for f in report.findings]
        except Exception as exc:  # pragma: no cover - a failing rule must not stop the preview
            findings = []
            self.say(f"検査を実行できませんでした: {exc}")
        with self.lock:
            if self.state.doc is doc:
                self.state.findings = findings
                self.state.checked = True
                self.state.version += 1
                self.changed.notify_all()
        took_check = time.perf_counter() - t1
        self.last_rebuild["check"] = took_check
        stamp = time.strftime("%H:%M:%S")
        head = f"[{stamp}] {what + ' → ' if what else ''}再構築 {took:.2f} 秒、検査 {took_check:.2f} 秒"
        errors = sum(1 for f, _ in findings if f.severity == "error")
        warnings = sum(1 for f, _ in findings if f.severity == "warning")
        self.say(f"{head}：エラー {errors} 件、警告 {warnings} 件")
        for f, _ in findings:
            self.say(diagnostics.as_text(f, indent="  "))

    def _failed(self, error: list[Finding], what: str) -> None:
        with self.lock:
            s = self.state
            self.state = State(s.version + 1, s.doc, s.site, error, what, s.findings, s.checked)
            self.changed.notify_all()
        stamp = time.strftime("%H:%M:%S")
        self.say(f"[{stamp}] {what + ' → ' if what else ''}読み込めません。直すまで前回の正しい版を表示します：")
        for f in error:
            self.say("  " + diagnostics.as_text(f, hint_lines=True))

    def _rel(self, path: str) -> str:
        p = Path(path)
        for root in self.roots:
            try:
                return str(p.relative_to(root)) if root == self.content else f"templates/{p.relative_to(root)}"
            except ValueError:
                continue
        return path

    # -- pages
    def _render(self, path: str) -> bytes | None:
        """The bytes of a site file at the current version (rendered once), or None."""
        with self.lock:
            if path in self.pages:
                return self.pages[path]
            site = self.state.site
            if site is None or path not in site.files():
                return None
            try:
                data = site.render(path)
            except Exception as exc:
                if not self.state.error:
                    self.state.error = [diagnostics.from_exception(exc, path, f"{path} を描画できません: {exc}")]
                    self.state.version += 1
                    self.changed.notify_all()
                    self.say(f"{path} を描画できません: {exc}")
                return self.last_good.get(path)
            self.pages[path] = data
            self.last_good[path] = data
            return data

    def page_hash(self, path: str) -> str | None:
        data = self._render(path)
        return hashlib.sha256(data).hexdigest()[:16] if data is not None else None

    def status(self, page: str) -> dict:
        """What the page shows now.  Until the checks of the current version have run, its
        findings are unknown (``checked`` false): the page says 「検査中…」, never the findings
        of the previous version, which an editor would take as still standing."""
        with self.lock:
            s = self.state
            current = s.findings if s.checked else []
            mine = [diagnostics.as_json(f) for f, pages in current if page in pages]
            errors = sum(1 for f, _ in current if f.severity == "error")
            warnings = sum(1 for f, _ in current if f.severity == "warning")
            return {"version": s.version, "hash": self.page_hash(page) if page.endswith(".html") else None,
                    "error": [diagnostics.as_json(f) for f in s.error], "changed": s.error_files, "findings": mine,
                    "total": {"errors": errors, "warnings": warnings}, "checked": s.checked}

    def data_file(self, name: str) -> bytes | None:
        with self.lock:
            if self.state.doc is None:
                return None
            if self.data is None:
                from .build import build
                self.data = build(self.content, ["data"], doc=self.state.doc).outputs["data"]
            return self.data.get(name)

    # -- browsers
    def watch(self, page: str, delta: int) -> None:
        with self.lock:
            n = self.watched_count.get(page, 0) + delta
            if n > 0:
                self.watched_count[page] = n
                self.watched.add(page)
            else:
                self.watched_count.pop(page, None)
                self.watched.discard(page)

    # -- the watcher thread
    def run_watcher(self) -> None:
        snap = self.snapshot()
        while not self.stop.wait(POLL_SECONDS):
            new = self.snapshot()
            if new == snap:
                continue
            # editors save in steps (temporary file, rename): wait a moment for the last one
            time.sleep(0.01)
            new = self.snapshot()
            changed = sorted(p for p in set(snap) | set(new) if snap.get(p) != new.get(p))
            snap = new
            try:
                self.rebuild(changed)
            except Exception:  # pragma: no cover - keep watching whatever happens
                self.say(traceback.format_exc())
