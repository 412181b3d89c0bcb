// The console's first page against a large register, as an analyst meets it: a fresh browser
// (nothing cached) opens /search?q=NAME, signs in, gives a justification and waits for the ranked
// candidates. Prints, over --runs runs, the time from the first request to the sign-in form
// (the console loaded), and from the justification to the candidates shown (the search through
// the API and its rendering). Run by bench/console_timing.sh, which builds the node.
//
//   node bench/console_timing.mjs --url https://localhost:PORT --token T --names FILE [--runs 20]
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(new URL("../console/package.json", import.meta.url));
const { chromium } = require("playwright-core");

function arg(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  if (at > 0 && at + 1 < process.argv.length) return process.argv[at + 1];
  if (fallback !== undefined) return fallback;
  throw new Error(`--${name} is required`);
}
const url = arg("url");
const token = arg("token");
const names = readFileSync(arg("names"), "utf8").split("\n").filter((n) => n.trim());
const runs = Number(arg("runs", "20"));

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const loaded = [];
const searched = [];
let candidates = 0;
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: "en-GB" });
  const page = await context.newPage();
  const name = names[(i * 7919) % names.length];
  const t0 = performance.now();
  await page.goto(`${url}/search?q=${encodeURIComponent(name)}`);
  await page.getByLabel("Token", { exact: true }).waitFor();
  loaded.push(performance.now() - t0);
  await page.getByLabel("Token", { exact: true }).fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("Justification", { exact: true }).fill("Timing the console's search (synthetic data)");
  const t1 = performance.now();
  await page.getByRole("button", { name: "Continue" }).click();
  // The summary says how many candidates, or that there is none: an answer, not "Loading…".
  await page.waitForFunction(() => {
    const said = document.querySelector("#results-status")?.textContent ?? "";
    return said.trim() !== "" && !said.includes("Loading");
  }, null, { timeout: 30000 });
  searched.push(performance.now() - t1);
  candidates += await page.locator("table.results tbody tr").count();
  await context.close();
}
await browser.close();
const pct = (list, p) => {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
};
const ms = (v) => `${v.toFixed(0)} ms`;
console.log(`console loaded to the sign-in form (cold): p50 ${ms(pct(loaded, 0.5))}, ` +
  `p90 ${ms(pct(loaded, 0.9))}, max ${ms(Math.max(...loaded))} over ${runs} runs`);
console.log(`justification to ranked candidates shown: p50 ${ms(pct(searched, 0.5))}, ` +
  `p90 ${ms(pct(searched, 0.9))}, max ${ms(Math.max(...searched))}; ` +
  `${(candidates / runs).toFixed(1)} candidates a search`);
