// End-to-end test of the published site as a reader uses it, in headless Chromium, from
// the folder itself (file://: no server, as when build/html/index.html is opened).
//
//   node site.mjs HTML_DIR
//
// Open the index; go to a chapter by the navigation; search a term with the header box and
// follow a result; follow a 別紙 link of a chapter; use the skip link by keyboard; open the
// full text.  Every page is watched for console errors and CSP violations.
// Prints JSON of the steps; exits non-zero on the first failed step.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { launch, watchConsole } from "./lib.mjs";

const [dir] = process.argv.slice(2);
if (!dir) {
  console.error("usage: node site.mjs HTML_DIR");
  process.exit(2);
}
const base = pathToFileURL(path.resolve(dir)).href + "/";
const TERM = "クラウド";
const result = { base, steps: [], console: [] };
const step = (name, detail = {}) => result.steps.push({ name, ...detail });
const check = (ok, message) => { if (!ok) { throw new Error(message); } };

const browser = await launch();
let failed = null;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  watchConsole(page, result.console);

  // 1. the index, from the folder
  await page.goto(base + "index.html");
  check((await page.locator("h1").innerText()).includes("デジタル・ガバメント中長期計画"), "index: no title");
  step("open index", { title: await page.title() });

  // 2. a chapter through the navigation
  await page.locator("nav.site-nav a", { hasText: /^II\. / }).click();
  await page.waitForURL(/services\.html$/);
  const h1 = await page.locator("main h1").innerText();
  check(h1.startsWith("II."), `chapter: h1 is ${h1}`);
  check(await page.locator('nav.site-nav a[aria-current="page"]').innerText() === h1, "chapter: current page not marked");
  step("go to a chapter", { url: page.url(), h1 });

  // 3. search a term with the box in the header, follow the first result
  await page.locator("#site-search-q").fill(TERM);
  await page.locator("#site-search-q").press("Enter");
  await page.waitForURL(/search\.html\?q=/);
  await page.locator("#search-results li").first().waitFor();
  const count = await page.locator("#search-results li").count();
  const status = await page.locator("#search-status").innerText();
  check(count > 0 && status.includes(TERM), `search: ${count} results, status ${status}`);
  check(await page.locator("#search-results mark").first().innerText() === TERM, "search: the term is not marked");
  const first = page.locator("#search-results li a").first();
  const href = await first.getAttribute("href");
  await first.click();
  await page.waitForURL((u) => u.href.includes(href.split("#")[0]));
  const fragment = href.includes("#") ? href.split("#")[1] : null;
  if (fragment) {
    check(await page.locator(`[id="${fragment}"]`).count() === 1, `search result: no #${fragment} on the page`);
  }
  const text = await page.locator("main").innerText();
  check(text.includes(TERM), "search result: the page does not contain the term");
  step("search and follow a result", { term: TERM, results: count, followed: href });

  // 4. a 別紙 link in the prose
  await page.goto(base + "infrastructure.html");
  const beppyo = page.locator("main a.beppyo").first();
  const label = await beppyo.innerText();
  await beppyo.click();
  await page.waitForURL(/beppyo-\d+\.html/);
  const ah1 = await page.locator("main h1").innerText();
  check(ah1.startsWith(label.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))), `別紙: ${label} led to ${ah1}`);
  check(await page.locator("text=工程の一覧（本文の記載）").count() > 0 || ah1.includes("一覧"), "別紙: no text equivalent");
  step("follow a 別紙 link", { link: label, h1: ah1 });

  // 5. keyboard: the first Tab shows the skip link; Enter moves to the main content
  await page.goto(base + "basics.html");
  await page.keyboard.press("Tab");
  const skip = await page.evaluate(() => {
    const a = document.activeElement;
    const r = a.getBoundingClientRect();
    const cs = getComputedStyle(a);
    return { text: a.textContent, inView: r.left >= 0 && r.top >= 0 && r.width > 0, outline: cs.outlineStyle + " " + cs.outlineWidth };
  });
  check(skip.text === "本文へ移動" && skip.inView, `skip link: ${JSON.stringify(skip)}`);
  check(!skip.outline.startsWith("none"), `skip link: focus not visible (${skip.outline})`);
  await page.keyboard.press("Enter");
  // the fragment navigation follows the key press (Playwright returns once the key is sent): wait for it
  await page.waitForURL((u) => u.hash === "#main");
  check(page.url().endsWith("#main"), "skip link: did not move to #main");
  step("skip link by keyboard", skip);

  // 6. the full text: one page, in-page links
  await page.goto(base + "zenbun.html");
  const toc = page.locator("nav.toc a").nth(3);
  const tocHref = await toc.getAttribute("href");
  await toc.click();
  check(page.url().endsWith(tocHref), `full text: ${tocHref} did not stay on the page`);
  const inView = await page.evaluate((id) => {
    const r = document.getElementById(id).getBoundingClientRect();
    return r.top >= -2 && r.top < window.innerHeight;
  }, tocHref.slice(1));
  check(inView, `full text: ${tocHref} not scrolled into view`);
  step("full text in-page link", { href: tocHref });

  // 7. the search page itself: two words (both must occur), no reload
  await page.goto(base + "search.html");
  await page.locator("#search-q").fill("テレワーク　推進");
  await page.locator("#search-q").press("Enter");
  await page.waitForFunction(() => document.getElementById("search-status").textContent.includes("テレワーク"));
  const two = await page.locator("#search-results li").count();
  const marks = await page.locator("#search-results li").first().locator("mark").allInnerTexts();
  check(two > 0 && marks.includes("テレワーク"), `search page: ${two} results, marks ${marks}`);
  step("search page with two words", { results: two });

  check(result.console.length === 0, `console: ${result.console.join(" | ")}`);
} catch (err) {
  failed = String(err && err.stack || err);
} finally {
  await browser.close();
}
result.failed = failed;
process.stdout.write(JSON.stringify(result, null, 1) + "\n");
process.exit(failed ? 1 : 0);
