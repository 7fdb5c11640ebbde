// Lighthouse (mobile profile: a phone's screen, simulated slow 4G and CPU) on pages of the
// published site, in Debian's Chromium.
//
//   node lighthouse.mjs URL... > result.json
//
// Prints JSON: { lighthouse: version, pages: [{ url, scores: {performance, accessibility,
// "best-practices", seo}, failed: [{ category, id, title, score }], weight, requests }] } —
// failed lists every audit that counts in a category's score and did not pass; weight is
// the bytes the page and all it loads transfer (total-byte-weight).
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { CHROMIUM, CHROMIUM_ARGS } from "./lib.mjs";

const urls = process.argv.slice(2);
if (urls.length === 0) {
  console.error("usage: node lighthouse.mjs URL...");
  process.exit(2);
}
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const chrome = await chromeLauncher.launch({
  chromePath: CHROMIUM,
  chromeFlags: ["--headless=new", ...CHROMIUM_ARGS],
  logLevel: "silent",
});
const out = { lighthouse: null, pages: [] };
try {
  for (const url of urls) {
    const runner = await lighthouse(url, { port: chrome.port, output: "json", logLevel: "error", onlyCategories: CATEGORIES });
    const lhr = runner.lhr;
    out.lighthouse = lhr.lighthouseVersion;
    const scores = Object.fromEntries(CATEGORIES.map((c) => [c, lhr.categories[c].score]));
    const failed = [];
    for (const c of CATEGORIES.filter((c) => c !== "performance")) {
      for (const ref of lhr.categories[c].auditRefs) {
        const audit = lhr.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
          failed.push({ category: c, id: ref.id, title: audit.title, score: audit.score,
            items: (audit.details && audit.details.items || []).slice(0, 5).map((i) => JSON.stringify(i).slice(0, 300)) });
        }
      }
    }
    const requests = (lhr.audits["network-requests"].details || { items: [] }).items.length;
    out.pages.push({ url, finalUrl: lhr.finalDisplayedUrl, scores, failed, requests,
      weight: lhr.audits["total-byte-weight"].numericValue,
      runtimeError: lhr.runtimeError ? lhr.runtimeError.message : null,
      warnings: lhr.runWarnings });
  }
} finally {
  await chrome.kill();
}
process.stdout.write(JSON.stringify(out));
