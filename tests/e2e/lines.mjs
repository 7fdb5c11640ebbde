// Where the browser breaks the lines of headings, navigation, captions and cells.
//
//   node lines.mjs ROOT WIDTH PAGE... > result.json
//
// ROOT is served on loopback; each PAGE is opened WIDTH px wide (a phone: 390).  For every
// element of SELECTOR (one that holds only text and inline elements), the offsets in its
// textContent where a new line starts, measured from the boxes of its characters.
// Prints JSON: { pages: [{ page, elements: [{ tag, text, starts, advances, box }] }] }: starts are
// offsets in text, advances the width of each character (px), box the width of a line.
import { launch, serveDir, watchConsole } from "./lib.mjs";

const SELECTOR = "h1, h2, h3, h4, h5, h6, .h7, caption, nav a, .toc-list a, th, summary, .site-title a";
const [root, widthArg, ...pages] = process.argv.slice(2);
if (!root || !widthArg || pages.length === 0) {
  console.error("usage: node lines.mjs ROOT WIDTH PAGE...");
  process.exit(2);
}
const server = await serveDir(root);
const browser = await launch();
const out = { width: Number(widthArg), pages: [], console: [] };
try {
  const context = await browser.newContext({ viewport: { width: Number(widthArg), height: 900 } });
  const page = await context.newPage();
  watchConsole(page, out.console);
  for (const p of pages) {
    await page.goto(`${server.url}/${p}`, { waitUntil: "load" });
    await page.evaluate(() => document.fonts.ready);
    const elements = await page.evaluate((selector) => {
      const found = [];
      for (const el of document.querySelectorAll(selector)) {
        if (!el.getClientRects().length) continue; // not shown at this width
        // only text and inline elements: a <br> or a block inside breaks lines on purpose
        if (el.querySelector("br, div, p, ul, ol, table, span.rowsec, span.status, span.note, span.period-note, span.secref")) continue;
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        const starts = [];
        const advances = [];
        let offset = 0;
        let lastTop = null;
        const range = document.createRange();
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const text = node.data;
          for (let i = 0; i < text.length; i++) {
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const rects = range.getClientRects();
            advances.push(rects.length ? Math.round(rects[0].width * 10) / 10 : 0);
            if (rects.length && rects[0].width > 0) {
              const top = rects[rects.length - 1].top;
              const h = rects[rects.length - 1].height;
              if (lastTop !== null && top > lastTop + h / 2) starts.push(offset + i);
              lastTop = top;
            }
          }
          offset += text.length;
        }
        // the width a line has: the content box of the element's block (a link's block is its parent)
        let block = el;
        while (block.parentElement && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
        const cs = getComputedStyle(block);
        const box = block.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
        found.push({ tag: el.tagName.toLowerCase(), text: el.textContent, starts, advances, box });
      }
      return found;
    }, SELECTOR);
    out.pages.push({ page: p, elements });
  }
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
process.stdout.write(JSON.stringify(out));
