// End-to-end test of `dgdocs serve` as an editor uses it, in headless Chromium.
//
//   node serve.mjs URL CONTENT_DIR [EDITS]
//
// URL is the running preview (http://127.0.0.1:PORT), CONTENT_DIR the copy of content/ it
// watches (this script edits it).  Steps:
//  1. open a chapter page; edit a sentence of its Markdown EDITS times and measure, each
//     time, from the write to the first paint of the reloaded page showing the new text;
//  2. edit another chapter: this page must not reload;
//  3. write an unbalanced bracket: the finding (file:line, DG604) appears on the page;
//     remove it: the banner goes;
//  4. break a YAML file: the error appears over the last good page; fix it: it goes.
// Prints JSON with every measurement; exits non-zero on the first failed step.
import fs from "node:fs";
import path from "node:path";
import { launch, watchConsole } from "./lib.mjs";

const [base, content, editsArg = "7"] = process.argv.slice(2);
if (!base || !content) {
  console.error("usage: node serve.mjs URL CONTENT_DIR [EDITS]");
  process.exit(2);
}
const EDITS = Number(editsArg);
const TIMEOUT = 10000;
const chapterFile = path.join(content, "chapters", "01-basics.md");
const otherFile = path.join(content, "chapters", "06-evaluation.md");
const yamlFile = path.join(content, "kpis.yaml");
const original = fs.readFileSync(chapterFile, "utf8");
const otherOriginal = fs.readFileSync(otherFile, "utf8");
const yamlOriginal = fs.readFileSync(yamlFile, "utf8");
const SENTENCE = "本計画は随時改定を行い、内容の見直し及び段階的な改善を実施する。";
if (!original.includes(SENTENCE)) {
  console.error(`the sentence to edit is not in ${chapterFile}`);
  process.exit(2);
}

const result = { edits: [], console: [] };
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

// Wall-clock time (ms) at which the current document first painted.
async function paintedAt(page) {
  return page.evaluate(() => {
    const paint = performance.getEntriesByName("first-contentful-paint")[0] || performance.getEntriesByName("first-paint")[0];
    const nav = performance.getEntriesByType("navigation")[0];
    return performance.timeOrigin + (paint ? paint.startTime : nav.domContentLoadedEventEnd);
  });
}

async function connected(page) {
  // live.js marks the document once the first status event arrived
  await page.waitForSelector("html[data-dg-live-version]", { timeout: TIMEOUT });
}

// The signal that the preview has settled: the page shows the findings of its own version
// (the checks have run), not 「検査中…」.  Never a fixed wait.
async function checked(page) {
  await page.waitForSelector('html[data-dg-live-checked="1"]', { timeout: TIMEOUT });
}

async function versionChanged(page, before) {
  await page.waitForFunction((v) => document.documentElement.getAttribute("data-dg-live-version") !== v, before,
    { timeout: TIMEOUT });
}

const browser = await launch();
let failed = null;
try {
  const page = await browser.newPage();
  watchConsole(page, result.console);
  await page.goto(`${base}/html/basics.html`);
  await connected(page);

  // 1. edit a sentence, N times
  for (let i = 1; i <= EDITS; i++) {
    const marker = `（編集${i}回目）`;
    const text = original.replace(SENTENCE, SENTENCE.replace("実施する。", `実施する${marker}。`));
    await checked(page); // the previous rebuild and its checks are done
    const t0 = Date.now();
    fs.writeFileSync(chapterFile, text);
    await page.getByText(marker).first().waitFor({ timeout: TIMEOUT });
    const seen = Date.now();
    await connected(page);
    const painted = await paintedAt(page);
    result.edits.push({ edit: i, painted_ms: Math.round(painted - t0), seen_ms: seen - t0 });
  }
  result.median_painted_ms = median(result.edits.map((e) => e.painted_ms));
  result.max_painted_ms = Math.max(...result.edits.map((e) => e.painted_ms));
  result.median_seen_ms = median(result.edits.map((e) => e.seen_ms));

  // 2. an edit elsewhere does not reload this page
  await page.evaluate(() => { window.__dgStay = true; });
  const before = await page.getAttribute("html", "data-dg-live-version");
  fs.writeFileSync(otherFile, otherOriginal.replace("。", "（他の章の編集）。"));
  await page.waitForFunction((v) => document.documentElement.getAttribute("data-dg-live-version") !== v, before,
    { timeout: TIMEOUT });
  result.other_chapter_reloaded = !(await page.evaluate(() => window.__dgStay === true));
  await checked(page);
  const edited = await page.getAttribute("html", "data-dg-live-version");
  fs.writeFileSync(otherFile, otherOriginal);
  await versionChanged(page, edited);

  // 3. a finding of `check` appears on the page, with file:line
  await checked(page);
  let t0 = Date.now();
  fs.writeFileSync(chapterFile, original.replace(SENTENCE, SENTENCE.replace("実施する。", "実施する（閉じ忘れ。")));
  const banner = page.locator("#dg-live-findings");
  await banner.getByText("DG604").waitFor({ timeout: TIMEOUT });
  result.finding_ms = Date.now() - t0;
  result.finding_text = (await banner.innerText()).slice(0, 400);
  if (!/chapters\/01-basics\.md:\d+/.test(result.finding_text)) { throw new Error("the finding does not say file:line"); }
  fs.writeFileSync(chapterFile, original);
  await page.getByText("閉じ忘れ").first().waitFor({ state: "detached", timeout: TIMEOUT });
  await connected(page);
  await checked(page); // the fresh findings of the fixed text, not the old ones
  result.finding_cleared = (await page.locator("#dg-live-findings").getByText("DG604").count()) === 0;

  // 4. a YAML syntax error: the error shows over the last good page until it is fixed
  t0 = Date.now();
  fs.writeFileSync(yamlFile, yamlOriginal.replace(/^(lines:)/m, "$1\n  - id: [broken"));
  const error = page.locator("#dg-live-error");
  await error.waitFor({ timeout: TIMEOUT });
  result.error_ms = Date.now() - t0;
  result.error_text = (await error.innerText()).slice(0, 400);
  if (!/kpis\.yaml:\d+/.test(result.error_text)) { throw new Error("the error does not say kpis.yaml:line"); }
  result.last_good_page_kept = (await page.getByText(SENTENCE).count()) > 0;
  t0 = Date.now();
  fs.writeFileSync(yamlFile, yamlOriginal);
  await error.waitFor({ state: "detached", timeout: TIMEOUT });
  result.error_cleared_ms = Date.now() - t0;
  result.page_back = (await page.getByText(SENTENCE).count()) > 0;
} catch (err) {
  failed = String(err && err.stack || err);
} finally {
  fs.writeFileSync(chapterFile, original);
  fs.writeFileSync(otherFile, otherOriginal);
  fs.writeFileSync(yamlFile, yamlOriginal);
  await browser.close();
}
result.failed = failed;
process.stdout.write(JSON.stringify(result, null, 1) + "\n");
process.exit(failed ? 1 : 0);
