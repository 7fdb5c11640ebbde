"""``dgdocs serve``: the editor's preview — a local server with live reload and findings.

Standard library only: :class:`http.server.ThreadingHTTPServer` on loopback, a watcher
thread that polls ``content/`` (and ``templates/``) every 50 ms, and Server-Sent Events
to the browser.  The pages are kept in memory; nothing is written, neither into
``content/`` nor into ``build/``.

What happens when a file is saved::

    watcher ── load content/ ──▶ new Site (nothing rendered yet)
            ── render the pages that a browser shows ──▶ SSE "status" ──▶ changed page reloads
            ── run the checks ──▶ SSE "status" ──▶ the banner of findings updates in place

Pages are rendered when they are asked for (and then kept until the next change), so a
change costs loading plus the pages open in a browser, not the whole site.  The
findings of ``check`` are printed in the terminal and shown on the page they concern
(``file:line``); a change that cannot be loaded or rendered (a YAML syntax error, say)
keeps the last good pages and shows the error over them until it is fixed.

The live-reload script and its stylesheet (``/__dgdocs/live.js``, ``/__dgdocs/live.css``)
exist only here; ``serve`` adds them to each page it sends, and allows ``connect-src
'self'`` in that page's CSP for the event stream.  The published site has neither.

URL layout mirrors the published ``build/`` folder, so the relative links work:
``/html/…`` the site, ``/data/…`` the open data (rendered in memory), ``/pdf/…`` the
PDFs of the last ``make pdf`` if there are any (serve never makes PDFs).
"""

from __future__ import annotations

import hashlib
import html
import ipaddress
import json
import os
import re
import signal
import socket
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from .model import Document, Finding
from .safetext import finding_text, printable

PROJECT = Path(__file__).resolve().parents[1]
POLL_SECONDS = 0.05
DEV = "/__dgdocs/"
DEV_CSP_EXTRA = "; connect-src 'self'"  # the event stream of live reload
LIVE_JS = PROJECT / "templates" / "serve" / "live.js"
LIVE_CSS = PROJECT / "templates" / "serve" / "live.css"

TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml", ".xml": "application/xml; charset=utf-8", ".json": "application/json; charset=utf-8",
    ".csv": "text/csv; charset=utf-8", ".md": "text/markdown; charset=utf-8", ".pdf": "application/pdf",
}


# ------------------------------------------------------------------- findings → pages

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
            for ch in doc.chapters:
                if any(s.id == kl.section for s in ch.sections()):
                    out.add(f"{ch.id}.html")
    if file.startswith("data/"):
        name = file[len("data/"):].rsplit(".", 1)[0]
        pattern = re.compile(r"\{\{\s*(?:table:\s*)?" + re.escape(name) + r"\.")
        for ch in doc.chapters:
            if pattern.search(ch.source):
                out.add(f"{ch.id}.html")
        for a in doc.appendices:
            if a.inventory == name or any(t.startswith(name + ".") for t in a.tables):
                out.add(f"{a.slug}.html")
    if file == "errata.yaml":
        out.add("errata.html")
    if not out:
        out.add("index.html")  # plan.yaml, accepted.yaml, terms.yaml, …
    out.add("zenbun.html")
    return out


def finding_json(f: Finding) -> dict:
    return {"code": f.code, "severity": f.severity, "where": str(f.loc), "message": f.message, "hint": f.hint}


# ------------------------------------------------------------------------ state

@dataclass
class State:
    """One consistent view of the preview, replaced whole on every change."""

    version: int = 0  # every change of what a page shows (new pages, fresh findings, an error)
    doc: Document | None = None
    site: object = None  # dgdocs.render.html.Site of the last good load
    error: list[dict] = field(default_factory=list)  # why the last change failed (empty: it did not)
    error_files: str = ""
    findings: list[tuple[Finding, set[str]]] = field(default_factory=list)
    checked: bool = False  # the findings are those of this doc (else the checks are still running)


class Preview:
    """The rebuild loop and the in-memory site; thread-safe."""

    def __init__(self, content: Path, out=sys.stdout, watch_templates: bool = True):
        self.content = Path(content).resolve()
        self.out = out
        self.roots = [self.content] + ([PROJECT / "templates"] if watch_templates else [])
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
        from .load import LoadError, load
        from .render.html import Site

        t0 = time.perf_counter()
        what = "、".join(self._rel(p) for p in (changed or [])[:3]) + (" ほか" if changed and len(changed) > 3 else "")
        try:
            doc = load(self.content)
            site = Site(doc, env=self.env)
        except LoadError as exc:
            self._failed([finding_json(f) for f in exc.findings], exc.findings, what)
            return
        except Exception as exc:  # a bug or a template error: show it, keep the last good pages
            self._failed([{"code": type(exc).__name__, "severity": "error", "where": "",
                           "message": str(exc), "hint": traceback.format_exc(limit=3)}], [], what)
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
        self._check(doc, what, took)

    def _check(self, doc: Document, what: str, took: float) -> None:
        """Run the checks of *doc* and publish its findings (a new version of the status)."""
        t1 = time.perf_counter()
        from .checks import run_checks
        try:
            report = run_checks(doc)
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
            self.say("  " + finding_text(f).replace("\n", "\n  "))

    def _failed(self, error: list[dict], findings: list[Finding], what: str) -> None:
        with self.lock:
            s = self.state
            self.state = State(s.version + 1, s.doc, s.site, error, what, s.findings, s.checked)
            self.changed.notify_all()
        stamp = time.strftime("%H:%M:%S")
        self.say(f"[{stamp}] {what + ' → ' if what else ''}読み込めません。直すまで前回の正しい版を表示します：")
        for e in error:
            self.say(f"  {printable(e['where'])}: {e['severity']} {printable(e['code'])}: {printable(e['message'])}"
                     + (f"\n  → {printable(e['hint'], keep_newlines=True)}" if e["hint"] else ""))

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
                    self.state.error = [{"code": type(exc).__name__, "severity": "error", "where": path,
                                         "message": f"{path} を描画できません: {exc}", "hint": ""}]
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
            mine = [finding_json(f) for f, pages in current if page in pages]
            errors = sum(1 for f, _ in current if f.severity == "error")
            warnings = sum(1 for f, _ in current if f.severity == "warning")
            return {"version": s.version, "hash": self.page_hash(page) if page.endswith(".html") else None,
                    "error": s.error, "changed": s.error_files, "findings": mine,
                    "total": {"errors": errors, "warnings": warnings}, "checked": s.checked}

    def data_file(self, name: str) -> bytes | None:
        with self.lock:
            if self.state.doc is None:
                return None
            if self.data is None:
                from .render.data import render_data
                self.data = render_data(self.state.doc)
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


# ------------------------------------------------------------------------ HTTP

def inject(page: bytes, name: str, page_hash: str) -> bytes:
    """Add the live-reload script and stylesheet to a page (only in serve) and let its CSP
    open the event stream."""
    from markupsafe import escape

    from .render.html import CSP

    text = page.decode("utf-8")
    text = text.replace(f'content="{escape(CSP)}"', f'content="{escape(CSP + DEV_CSP_EXTRA)}"', 1)
    text = text.replace("</head>", f'<link rel="stylesheet" href="{DEV}live.css">\n</head>', 1)
    tag = (f'<script src="{DEV}live.js" data-page="{html.escape(name)}" data-hash="{page_hash}"></script>\n')
    text = text.replace("</body>", tag + "</body>", 1)
    return text.encode("utf-8")


class Handler(BaseHTTPRequestHandler):
    server_version = "dgdocs-serve"
    preview: Preview  # set on the subclass made by make_server
    timeout = 30  # seconds a connection may stay idle (reading the request, or writing to a stalled reader)

    def log_message(self, format, *args):  # quiet: the terminal is for findings
        pass

    def _host_allowed(self) -> bool:
        """Answer only requests addressed to the loopback name and port we listen on: a page
        on another site that rebinds its DNS name to 127.0.0.1 sends its own Host."""
        host = (self.headers.get("Host") or "").strip().lower()
        port = self.server.server_address[1]
        return host in {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}

    def do_GET(self):  # noqa: N802
        if not self._host_allowed():
            body = ("<!DOCTYPE html><html lang=\"ja\"><meta charset=\"utf-8\"><title>受け付けません</title>"
                    "<p>このプレビューは http://127.0.0.1:ポート番号/ または http://localhost:ポート番号/ で開いてください。</p>")
            return self._send(body.encode("utf-8"), "x.html", HTTPStatus.MISDIRECTED_REQUEST)
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        query = parse_qs(parts.query)
        try:
            if path in ("/", "/html", "/html/"):
                return self._redirect("/html/index.html")
            if path.startswith(DEV):
                return self._dev(path[len(DEV):], query)
            if path.startswith("/html/"):
                return self._site(path[len("/html/"):])
            if path.startswith("/data/"):
                data = self.preview.data_file(path[len("/data/"):])
                return self._send(data, path) if data is not None else self._not_found(path)
            if path.startswith("/pdf/"):
                return self._pdf(path[len("/pdf/"):])
            return self._not_found(path)
        except (BrokenPipeError, ConnectionResetError):
            return None

    def _site(self, name: str):
        data = self.preview._render(name)
        if data is None:
            return self._not_found("/html/" + name)
        if name.endswith(".html"):
            data = inject(data, name, hashlib.sha256(data).hexdigest()[:16])
        return self._send(data, name)

    def _pdf(self, name: str):
        build_pdf = PROJECT / "build" / "pdf"
        if re.fullmatch(r"[a-z0-9][a-z0-9-]*\.pdf", name) and (build_pdf / name).is_file():
            return self._send((build_pdf / name).read_bytes(), name)
        body = ("<!DOCTYPE html><html lang=\"ja\"><meta charset=\"utf-8\"><title>PDF はありません</title>"
                f"<p>{html.escape(name)} はまだありません。<code>dgdocs serve</code> は PDF を作りません。"
                "PDF を確かめるときは <code>make pdf</code> を実行してください（build/pdf/ に出力され、ここから表示されます）。</p>")
        return self._send(body.encode("utf-8"), "x.html", HTTPStatus.NOT_FOUND)

    def _dev(self, name: str, query: dict):
        if name == "live.js":
            return self._send(LIVE_JS.read_bytes(), name)
        if name == "live.css":
            return self._send(LIVE_CSS.read_bytes(), name)
        page = (query.get("page") or ["index.html"])[0]
        if name == "status":
            return self._send(json.dumps(self.preview.status(page), ensure_ascii=False).encode(), "x.json")
        if name == "events":
            return self._events(page)
        return self._not_found(DEV + name)

    def _events(self, page: str):
        """Server-Sent Events: a "status" event now and after every change of the preview."""
        p = self.preview
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        p.watch(page, +1)
        try:
            seen = -1
            while not p.stop.is_set():
                with p.changed:
                    if p.state.version == seen:
                        p.changed.wait(timeout=10)
                    version = p.state.version
                if version == seen:
                    self.wfile.write(b": keep-alive\n\n")  # finds closed connections
                    self.wfile.flush()
                    continue
                seen = version
                status = p.status(page)
                seen = status["version"]
                payload = json.dumps(status, ensure_ascii=False)
                self.wfile.write(f"event: status\ndata: {payload}\n\n".encode("utf-8"))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass
        finally:
            p.watch(page, -1)
            self.close_connection = True

    def _send(self, data: bytes, name: str, status: HTTPStatus = HTTPStatus.OK):
        self.send_response(status)
        self.send_header("Content-Type", TYPES.get(Path(name).suffix, "application/octet-stream"))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(data)

    def _redirect(self, to: str):
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _not_found(self, path: str):
        body = (f"<!DOCTYPE html><html lang=\"ja\"><meta charset=\"utf-8\"><title>見つかりません</title>"
                f"<p>{html.escape(path)} はありません。<a href=\"/html/index.html\">表紙へ</a></p>")
        return self._send(body.encode("utf-8"), "x.html", HTTPStatus.NOT_FOUND)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def make_server(preview: Preview, host: str = "127.0.0.1", port: int = 8000, idle_timeout: float = 30) -> Server:
    if not is_loopback(host):
        raise ValueError(f"serve listens on loopback only (127.0.0.1, ::1, localhost), not {host!r}")
    handler = type("PreviewHandler", (Handler,), {"preview": preview, "timeout": idle_timeout})
    server_cls = Server
    if ":" in host:
        server_cls = type("Server6", (Server,), {"address_family": socket.AF_INET6})
    return server_cls((host, port), handler)


def serve(content: Path, host: str = "127.0.0.1", port: int = 8000, out=sys.stdout) -> int:
    """Run the preview until Ctrl-C (or SIGTERM); return the exit status."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        # Ctrl-C, and `kill` as well; also when started from a shell that ignores SIGINT
        signal.signal(signal.SIGINT, interrupt)
        signal.signal(signal.SIGTERM, interrupt)
    preview = Preview(content, out)
    server = watcher = None
    try:
        preview.rebuild()
        try:
            server = make_server(preview, host, port)
        except OSError as exc:
            print(f"エラー: {host}:{port} で待ち受けできません（{exc.strerror or exc}）。--port で別の番号を指定してください。",
                  file=sys.stderr)
            return 2
        h, p = server.server_address[:2]
        shown = f"[{h}]" if ":" in h else h
        watcher = threading.Thread(target=preview.run_watcher, name="dgdocs-watch", daemon=True)
        watcher.start()
        preview.say(f"プレビュー: http://{shown}:{p}/html/index.html"
                    f"（保存すると自動で再読み込みします。終了は Ctrl-C）")
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop.set()
        with preview.changed:
            preview.changed.notify_all()
        if server is not None:
            server.server_close()
        if watcher is not None:
            watcher.join(timeout=2)
        if server is not None:
            preview.say("プレビューを終了しました。")
    return 0
