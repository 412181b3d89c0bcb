// The console in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core),
// against a running `entente serve`: an analyst signs in with a token, gives a justification,
// searches a listed name, opens the subject card, reloads it (deep link), and signs out; in
// English and in Arabic (right to left). Every page is checked with axe-core (no serious or
// critical violation) and the browser's console must hold no error. Screenshots go to --shots.
//
//   node browser.mjs --url https://127.0.0.1:PORT --token TOKEN --name NAME --id SUBJECT_ID
//                    [--shots DIR]
// Exit code 0 when every check holds; each failure is printed.
import { AxeBuilder } from "@axe-core/playwright";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

function arg(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  if (at > 0 && at + 1 < process.argv.length) return process.argv[at + 1];
  if (fallback !== undefined) return fallback;
  throw new Error(`--${name} is required`);
}

const url = arg("url");
const token = arg("token");
const name = arg("name");
const id = arg("id");
const shots = arg("shots", "");
const auditorToken = arg("auditor-token", "");
const adminToken = arg("admin-token", "");
if (shots) mkdirSync(shots, { recursive: true });

const failures = [];
function check(condition, what) {
  if (condition) {
    console.log(`ok   ${what}`);
  } else {
    console.log(`FAIL ${what}`);
    failures.push(what);
  }
}

async function accessible(page, where) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  for (const v of bad) console.log(`     ${where}: ${v.id} (${v.impact}): ${v.help}`);
  check(bad.length === 0, `${where}: no serious or critical axe-core violation`);
}

async function shot(page, file) {
  if (shots) await page.screenshot({ path: join(shots, file), fullPage: true });
}

const words = {
  en: { token: "Token", signIn: "Sign in", justification: "Justification", continue: "Continue", signOut: "Sign out",
        subject: "Subject", show: "Show", verify: "Verify the chain" },
  ar: { token: "الرمز", signIn: "تسجيل الدخول", justification: "المبرر", continue: "متابعة", signOut: "تسجيل الخروج",
        subject: "الشخص", show: "عرض", verify: "التحقق من السلسلة" },
};

async function signIn(page, w, secret) {
  await page.getByLabel(w.token, { exact: true }).waitFor();
  await page.getByLabel(w.token, { exact: true }).fill(secret);
  await page.getByRole("button", { name: w.signIn }).click();
}

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
try {
  for (const lang of ["en", "ar"]) {
    const w = words[lang];
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: lang });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => {
      // A refused request (the session probe before sign-in answers 401) is logged by the
      // browser as a resource error; JavaScript errors are what is checked here.
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
    });

    const start = Date.now();
    await page.goto(`${url}/search?q=${encodeURIComponent(name)}`);
    await page.getByLabel(w.token, { exact: true }).waitFor();
    check(Date.now() - start < 5000, `${lang}: the sign-in page shows (${Date.now() - start} ms)`);
    check((await page.locator("html").getAttribute("dir")) === (lang === "ar" ? "rtl" : "ltr"),
      `${lang}: the page is laid out ${lang === "ar" ? "right to left" : "left to right"}`);
    await accessible(page, `${lang} sign-in`);
    await shot(page, `${lang}-signin.png`);

    // A wrong token is refused, in words.
    await page.getByLabel(w.token, { exact: true }).fill("ent_u-00000000_" + "A".repeat(43));
    await page.getByRole("button", { name: w.signIn }).click();
    await page.getByRole("alert").waitFor();
    check(await page.getByLabel(w.token, { exact: true }).isVisible(), `${lang}: a wrong token is refused`);

    await page.getByLabel(w.token, { exact: true }).fill(token);
    await page.getByRole("button", { name: w.signIn }).click();
    await page.getByLabel(w.justification, { exact: true }).waitFor();
    await accessible(page, `${lang} justification`);
    await shot(page, `${lang}-justification.png`);
    // Too short: refused, and said.
    await page.getByLabel(w.justification, { exact: true }).fill("short");
    await page.getByRole("button", { name: w.continue }).click();
    check(await page.getByRole("alert").isVisible(), `${lang}: a justification under 10 characters is refused`);
    await page.getByLabel(w.justification, { exact: true }).fill("Browser test of the console (synthetic data)");
    await page.getByRole("button", { name: w.continue }).click();

    const searchStart = Date.now();
    await page.locator("table.results").waitFor({ timeout: 15000 });
    console.log(`     ${lang}: search answered in ${Date.now() - searchStart} ms`);
    const table = await page.locator("table.results").innerText();
    check(table.includes(id), `${lang}: /search?q=${name} shows subject ${id}`);
    check(await page.getByText("Browser test of the console").isVisible(), `${lang}: the justification is shown`);
    await accessible(page, `${lang} search`);
    await shot(page, `${lang}-search.png`);

    await page.locator(`a[href="/subjects/${encodeURIComponent(id)}"]`).first().click();
    await page.waitForURL(`**/subjects/${encodeURIComponent(id)}`);
    await page.getByRole("heading", { level: 1 }).waitFor();
    const heading = await page.getByRole("heading", { level: 1 }).innerText();
    check(heading.length > 0 && !heading.includes(id), `${lang}: /subjects/${id} shows its name (${heading})`);
    await accessible(page, `${lang} subject`);
    await shot(page, `${lang}-subject.png`);

    // A reload of the deep link keeps the session (cookie) and the justification (the tab's).
    await page.reload();
    await page.getByRole("heading", { level: 1, name: heading }).waitFor();
    check(true, `${lang}: a reload of /subjects/${id} shows the card again`);

    // The network: drawn (Cytoscape's canvases), listed in a table, cross-border marked.
    await page.locator(`a[href="/network/${encodeURIComponent(id)}"]`).click();
    await page.waitForURL(`**/network/${encodeURIComponent(id)}`);
    await page.locator("table.network-links").waitFor({ timeout: 15000 });
    await page.locator("div.graph canvas").first().waitFor({ timeout: 15000 });
    const canvases = await page.locator("div.graph canvas").count();
    const links = await page.locator("table.network-links tbody tr").count();
    check(canvases > 0 && links > 0, `${lang}: /network/${id} draws a graph (${links} links)`);
    await accessible(page, `${lang} network`);
    await shot(page, `${lang}-network.png`);

    // The release radar: this register's releases and leaves, by establishment, with checklists.
    await page.locator('a[href="/radar"]').click();
    await page.waitForURL("**/radar");
    await page.locator("table.radar").first().waitFor({ timeout: 15000 });
    const releases = await page.locator("table.radar tbody tr").count();
    check(releases > 0, `${lang}: /radar shows the releases and leaves ahead (${releases})`);
    await accessible(page, `${lang} radar`);
    await shot(page, `${lang}-radar.png`);

    // The inbox: cases, follow-up requests, hits both ways (this lone node has none yet).
    await page.locator('a[href="/inbox"]').click();
    await page.waitForURL("**/inbox");
    await page.locator("#hits-out").waitFor({ timeout: 15000 });
    const sections = await page.locator("main h2").count();
    check(sections === 4, `${lang}: /inbox shows cases, follow-ups and hits both ways (${sections} sections)`);
    await accessible(page, `${lang} inbox`);
    await shot(page, `${lang}-inbox.png`);

    // The token is nowhere the page's script can reach.
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
    check(!stored.includes(token.slice(-20)), `${lang}: the token is not in storage or readable cookies`);

    await page.getByRole("button", { name: w.signOut }).click();
    await page.getByLabel(w.token, { exact: true }).waitFor();
    const after = await page.evaluate(async () => (await fetch("/api/v1/session")).status);
    check(after === 401, `${lang}: after sign-out the session is refused (${after})`);
    await page.goto(`${url}/subjects/${encodeURIComponent(id)}`);
    await page.getByLabel(w.token, { exact: true }).waitFor();
    check(true, `${lang}: after sign-out a deep link asks to sign in`);

    // The auditor: the log filtered by the subject the analyst consulted, the chain verified.
    if (auditorToken) {
      await page.goto(`${url}/audit`);
      await signIn(page, w, auditorToken);
      await page.getByLabel(w.justification, { exact: true }).fill("Inspection of consultations (synthetic data)");
      await page.getByRole("button", { name: w.continue }).click();
      await page.getByLabel(w.subject, { exact: true }).fill(id);
      await page.getByRole("button", { name: w.show, exact: true }).click();
      await page.locator("table.audit").waitFor({ timeout: 15000 });
      const log = await page.locator("table.audit").innerText();
      check(log.includes("Browser test of the console"), `${lang}: /audit shows who consulted ${id} and why`);
      await page.getByRole("button", { name: w.verify }).click();
      await page.locator("main [role=status]").first().waitFor();
      const verdict = await page.locator("main [role=status]").first().innerText();
      check(/\d/.test(verdict) && !(await page.locator("main span.error").count()), `${lang}: the chain verifies (${verdict})`);
      await accessible(page, `${lang} audit`);
      await shot(page, `${lang}-audit.png`);
      await page.getByRole("button", { name: w.signOut }).click();
    }
    // The administrator: the node's users.
    if (adminToken) {
      await page.goto(`${url}/admin`);
      await signIn(page, w, adminToken);
      await page.locator("table.users").waitFor({ timeout: 15000 });
      const users = await page.locator("table.users tbody tr").count();
      check(users >= 3, `${lang}: /admin lists the node's users (${users})`);
      await accessible(page, `${lang} admin`);
      await shot(page, `${lang}-admin.png`);
      await page.getByRole("button", { name: w.signOut }).click();
      await page.getByLabel(w.token, { exact: true }).waitFor();
    }

    check(errors.length === 0, `${lang}: no JavaScript error in the browser console${errors.length ? ": " + errors.join(" | ") : ""}`);
    await context.close();
  }
} finally {
  await browser.close();
}
if (failures.length > 0) {
  console.log(`${failures.length} check(s) failed`);
  process.exit(1);
}
console.log("every check held");
