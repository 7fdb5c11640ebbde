// Screenshots for a person to look at: node shot.mjs URL OUT.png [WIDTH] [HEIGHT] [full]
import { launch } from "./lib.mjs";
const [url, out, w = "1280", h = "900", full = ""] = process.argv.slice(2);
const browser = await launch();
const page = await browser.newPage({ viewport: { width: +w, height: +h } });
await page.goto(url);
await page.screenshot({ path: out, fullPage: full === "full" });
await browser.close();
