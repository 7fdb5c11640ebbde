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
exist only here; ``serve`` adds them to each page it sends (the page's CSP allows ``connect-src
'self'`` for their event stream).  The published site has neither.

URL layout mirrors the published ``build/`` folder, so the relative links work:
``/html/…`` the site, ``/data/…`` the open data (rendered in memory), ``/pdf/…`` the
PDFs of the last ``make pdf`` if there are any (serve never makes PDFs).
"""

from __future__ import annotations

import hashlib
import html
import ipaddress
import json
import re
import signal
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from .paths import BUILD, TEMPLATES
from .preview import PROJECT, Preview, State, pages_of_finding  # noqa: F401  (re-exported)

DEV = "/__dgdocs/"
# the event stream of live reload (the published CSP allows connect-src 'self' already; a
# policy that lost it gets it back here)
DEV_CSP_EXTRA = "; connect-src 'self'"
LIVE_JS = TEMPLATES / "serve" / "live.js"
LIVE_CSS = TEMPLATES / "serve" / "live.css"

TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml", ".xml": "application/xml; charset=utf-8", ".json": "application/json; charset=utf-8",
    ".csv": "text/csv; charset=utf-8", ".md": "text/markdown; charset=utf-8", ".pdf": "application/pdf",
    ".png": "image/png", ".jpg": "image/jpeg",
}


# ------------------------------------------------------------------------ HTTP

def inject(page: bytes, name: str, page_hash: str) -> bytes:
    """Add the live-reload script and stylesheet to a page (only in serve) and let its CSP
    open the event stream."""
    from markupsafe import escape

    from .render.html import CSP

    text = page.decode("utf-8")
    extra = "" if "connect-src 'self'" in CSP else DEV_CSP_EXTRA
    text = text.replace(f'content="{escape(CSP)}"', f'content="{escape(CSP + extra)}"', 1)
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
        build_pdf = BUILD / "pdf"
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
