// axe-core (WCAG 2.x A and AA rules) over every page given, in one Chromium.
//
//   node axe.mjs ROOT PAGE... > result.json
//
// ROOT is served on loopback; each PAGE (a path under ROOT) is opened at a desktop and at
// a phone width and checked with the tags wcag2a, wcag2aa, wcag21a and wcag21aa.
// Prints JSON: { axe: version, tags, pages: [{ page, viewport, violations: [...], passes }] }.
import fs from "node:fs";
import { createRequire } from "node:module";
import { launch, serveDir, watchConsole } from "./lib.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 390, height: 844 },
];

const [root, ...pages] = process.argv.slice(2);
if (!root || pages.length === 0) {
  console.error("usage: node axe.mjs ROOT PAGE...");
  process.exit(2);
}

const server = await serveDir(root);
const browser = await launch();
const out = { axe: null, tags: TAGS, pages: [] };
async function checkAll(vp) {
  // The test injects axe through the DevTools protocol; the page's own CSP still applies
  // to the page (Trusted Types included), and its console is watched for violations.
  const context = await browser.newContext({ viewport: { width: vp.width, height: vp.height } });
  const page = await context.newPage();
  const runs = [];
  for (const p of pages) {
    const errors = [];
    watchConsole(page, errors);
    await page.goto(`${server.url}/${p}`, { waitUntil: "load" });
    await page.evaluate(AXE_SOURCE);
    const result = await page.evaluate(async (tags) => {
      const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
      return {
        version: r.testEngine.version,
        violations: r.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help, tags: v.tags,
          nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 300), summary: n.failureSummary })),
        })),
        passes: r.passes.length,
        // wider than the window: the page would scroll sideways (WCAG 1.4.10 reflow)
        overflow: Math.max(0, document.documentElement.scrollWidth - window.innerWidth),
      };
    }, TAGS);
    out.axe = result.version;
    runs.push({ page: p, viewport: vp.name, violations: result.violations, passes: result.passes,
      overflow: result.overflow, console: errors });
    page.removeAllListeners("console");
    page.removeAllListeners("pageerror");
  }
  await context.close();
  return runs;
}

try {
  // the two widths side by side, one context each, in the one browser
  for (const runs of await Promise.all(VIEWPORTS.map(checkAll))) {
    out.pages.push(...runs);
  }
} finally {
  await browser.close();
  await server.close();
}
process.stdout.write(JSON.stringify(out, null, 1) + "\n");
