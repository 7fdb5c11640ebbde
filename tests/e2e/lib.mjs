// Shared helpers of dgdocs' browser tests: Debian's Chromium driven by playwright-core
// (no browser download), and a static file server on loopback.
import { chromium } from "playwright-core";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";

export const CHROMIUM = process.env.DGDOCS_CHROMIUM || "/usr/bin/chromium";

// The flags this machine needs: no GPU, no QUIC, and no background connections (the
// network is closed; Chromium would retry them).  Playwright adds --headless and a fresh,
// empty --user-data-dir of its own for every launch.
export const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export async function launch() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: run \`make browser-tools\` (apt package chromium)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".json": "application/json", ".xml": "application/xml", ".csv": "text/csv; charset=utf-8",
  ".md": "text/markdown; charset=utf-8", ".pdf": "application/pdf", ".svg": "image/svg+xml",
};

// Serve *root* on 127.0.0.1 (a free port); resolves to { url, close }.
export function serveDir(root) {
  const base = path.resolve(root);
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const file = path.resolve(base, "." + rel);
    if (!file.startsWith(base + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

// Console messages that mean the page broke a rule of its own (CSP) or failed.
export function watchConsole(page, sink) {
  page.on("console", (m) => {
    if (m.type() === "error" || /Content Security Policy|Refused to/.test(m.text())) {
      sink.push(`${m.type()}: ${m.text()}`);
    }
  });
  page.on("pageerror", (e) => sink.push(`pageerror: ${e.message}`));
}
