// The console in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core),
// against a running `entente serve`: an analyst signs in with a token, gives a justification,
// searches a listed name, narrows the search with a filter that keeps the subject and one that
// leaves it out (kept in the address through a reload), asks the partners (their hits, or the
// node's refusal in words), opens the subject card with its custody and review timeline, its
// history and to whom it was shared, reloads it (deep link), the network, the radar, the inbox
// and the statistics, and signs out; a writer (an analyst whose tier feeds the register) creates
// a subject with the form, edits it (the card's history names the creation and the change),
// shares it with a partner, sees a problem of the API's validation on its field with nothing
// saved, a stale edit refused, and sets a checklist task's status;
// then two supervisors of the writer's agency: the first asks for the erasure of the writer's
// subject (202, nothing erased, the history lists the request and its reason) and cannot confirm
// it (the API's refusal shown), the second confirms it (the card says only its id remains) and
// restricts another subject (its state and history say so), asks for its erasure and withdraws
// the request; each decision asked again in the page ("Are you sure?") with Cancel, Escape and
// the keyboard tried;
// then an auditor and an administrator; in English and in Arabic (right to left). Every page is
// checked with axe-core (no serious or critical violation) and the browser's console must hold
// no error (a Content-Security-Policy violation included). Screenshots go to --shots.
//
//   node browser.mjs --url https://127.0.0.1:PORT --token TOKEN --name NAME --id SUBJECT_ID
//                    [--shots DIR] [--auditor-token T] [--admin-token T] [--writer-token T]
//                    [--expect-exchanges] [--supervisor-token T --second-supervisor-token T]
// --writer-token: a user of the same agency as the subjects it creates (its own) with the tier
// consult_and_feed. --supervisor-token, --second-supervisor-token: two supervisors of that agency
// (their path needs --writer-token, whose subjects they decide on). --expect-exchanges: the node has exchanged messages, so /stats must draw
// charts (without it, the empty state is accepted too).
// Exit code 0 when every check holds; each failure is printed.
import { AxeBuilder } from "@axe-core/playwright";
import { execSync } from "node:child_process";
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
const writerToken = arg("writer-token", "");
const supervisorToken = arg("supervisor-token", "");
const secondSupervisorToken = arg("second-supervisor-token", "");
// A command that delivers a partner's alert to this node (`entente deliver --dir FR`), run while
// the inbox is open: the alert must appear without a reload.
const deliverCommand = arg("deliver", "");
const expectExchanges = process.argv.includes("--expect-exchanges");
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
        subject: "Subject", show: "Show", verify: "Verify the chain",
        timeline: "Custody and review", today: "Today", figures: "The figures as a table",
        noExchanges: "No exchanges in this window.", newTitle: "New subject", required: "required",
        name: "Name", alias: "Alias", birthDate: "Birth date", nationality: "Nationality", returnee: "Returnee",
        dataSubject: "Data subject category", informationType: "Type of information", ownerAgency: "Owner agency",
        handlingCode: "Handling code", reliability: "Source reliability", accuracy: "Accuracy of the information",
        reviewDate: "Next review", retentionDate: "Retention limit", establishment: "Establishment",
        sentenceEnd: "End of sentence", plannedRelease: "Planned release", leaveStart: "Leave: first day",
        leaveEnd: "Leave: last day", create: "Create the subject", save: "Save the changes", edit: "Edit",
        version: (v) => `Version ${v}`, stale: "Someone changed this subject", reload: "Reload the subject",
        prepare: "Prepare the checklist", taskStatus: "Status", saveTask: "Save", saved: "Saved: Done", acknowledge: "Acknowledge", acknowledged: "Acknowledged",
        assignee: "Assigned to", taskComment: "Add a comment",
        searchButton: "Search", history: "History", sharedWith: "Shared with",
        notDisclosed: "Not disclosed to any partner.", noCreate: "No creation entry", noChange: "No change recorded.",
        created: "Created", updatedFrom: (v) => `Updated from version ${v}`, askPartners: "Ask the partners",
        noPartnerHit: "No hit at the partners.", partnerHits: "hit(s) at the partners.",
        partnersRefused: "The partners could not be asked:", withFilters: "with these filters",
        decisions: "Supervisor's decisions", restrictReason: "Reason for the restriction",
        restrictButton: "Restrict the record", eraseReason: "Reason for the erasure", eraseButton: "Request the erasure",
        confirmReason: "Reason for confirming the erasure", confirmButton: "Confirm the erasure",
        withdrawButton: "Withdraw the request", areYouSure: "Are you sure?", yesConfirm: "Confirm", cancel: "Cancel",
        reasonRequired: "Give the reason: it is required.", requested: "Erasure requested: nothing is erased yet",
        within: (days) => `within ${days} days`, erased: "Erased: only the record's id remains.",
        subjectErased: (id) => `Subject ${id} was erased: only its id remains.`,
        restricted: "Restricted: only a supervisor of its owner agency", refused: "The node refused:",
        state: (s) => `State: ${s}`, stateRestricted: "restricted", opRequestErasure: "Erasure requested",
        opRestrict: "Restricted", withdrawReason: "Reason for withdrawing the request",
        withdrawn: "Erasure request withdrawn: the record stays as it was.", opWithdraw: "Erasure request withdrawn" },
  ar: { token: "الرمز", signIn: "تسجيل الدخول", justification: "المبرر", continue: "متابعة", signOut: "تسجيل الخروج",
        subject: "الشخص", show: "عرض", verify: "التحقق من السلسلة",
        timeline: "الاحتجاز والمراجعة", today: "اليوم", figures: "الأرقام في جدول",
        noExchanges: "لا توجد تبادلات في هذه الفترة.", newTitle: "ملف جديد", required: "مطلوب",
        name: "الاسم", alias: "اسم مستعار", birthDate: "تاريخ الميلاد", nationality: "الجنسية", returnee: "عائد",
        dataSubject: "فئة صاحب البيانات", informationType: "نوع المعلومات", ownerAgency: "الجهة المالكة",
        handlingCode: "رمز المعالجة", reliability: "موثوقية المصدر", accuracy: "دقة المعلومات",
        reviewDate: "المراجعة القادمة", retentionDate: "حد الاحتفاظ", establishment: "المؤسسة العقابية",
        sentenceEnd: "نهاية العقوبة", plannedRelease: "الإفراج المقرر", leaveStart: "إجازة: اليوم الأول",
        leaveEnd: "إجازة: اليوم الأخير", create: "إنشاء الملف", save: "حفظ التغييرات", edit: "تعديل",
        version: (v) => `الإصدار ${v}`, stale: "عدّل شخص آخر هذا الملف", reload: "إعادة تحميل الملف",
        prepare: "إعداد قائمة المهام", taskStatus: "الحالة", saveTask: "حفظ", saved: "حُفظ: منجزة",
        assignee: "مسندة إلى", taskComment: "إضافة تعليق",
        searchButton: "بحث", history: "السجل التاريخي", sharedWith: "تمت مشاركته مع",
        notDisclosed: "لم يُكشف لأي شريك.", noCreate: "لا يوجد قيد إنشاء", noChange: "لم يُسجَّل أي تغيير.",
        created: "أُنشئ", updatedFrom: (v) => `عُدّل من الإصدار ${v}`, askPartners: "سؤال الشركاء",
        noPartnerHit: "لا إصابة لدى الشركاء.", partnerHits: "إصابة لدى الشركاء.",
        partnersRefused: "تعذّر سؤال الشركاء:", withFilters: "بعوامل التصفية هذه",
        decisions: "قرارات المشرف", restrictReason: "سبب التقييد",
        restrictButton: "تقييد الملف", eraseReason: "سبب المحو", eraseButton: "طلب المحو",
        confirmReason: "سبب تأكيد المحو", confirmButton: "تأكيد المحو",
        withdrawButton: "سحب الطلب", areYouSure: "هل أنت متأكد؟", yesConfirm: "تأكيد", cancel: "إلغاء",
        reasonRequired: "اذكر السبب: إنه مطلوب.", requested: "طُلب المحو: لم يُمحَ شيء بعد",
        within: (days) => `خلال ${days} أيام`, erased: "مُحي: لم يبقَ من الملف إلا معرّفه.",
        subjectErased: (id) => `مُحي الملف ${id}: لم يبقَ إلا معرّفه.`,
        restricted: "قُيّد: لم يعد يطّلع على الملف إلا مشرف من جهته المالكة", refused: "رفضت العقدة:",
        state: (s) => `الحالة: ${s}`, stateRestricted: "مقيَّد", opRequestErasure: "طُلب المحو",
        opRestrict: "قُيّد", withdrawReason: "سبب سحب الطلب",
        withdrawn: "سُحب طلب المحو: يبقى الملف كما كان.", opWithdraw: "سُحب طلب المحو" },
};

// A day `days` after today (UTC), YYYY-MM-DD.
function day(days) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

// The writer's path: a subject created with the form, edited, an API error on its field, a stale
// edit refused (412), a checklist task's status set.
async function writerPath(page, lang, w) {
  await page.goto(`${url}/subjects/new`);
  await signIn(page, w, writerToken);
  await page.getByLabel(w.justification, { exact: true }).fill("Browser test of the subject forms (synthetic data)");
  await page.getByRole("button", { name: w.continue }).click();
  await page.getByRole("heading", { level: 1, name: w.newTitle }).waitFor({ timeout: 15000 });
  const owner = await page.getByLabel(`${w.ownerAgency} (${w.required})`, { exact: true }).inputValue();
  check(/^[A-Z]{2}\/[a-z_]+$/.test(owner), `${lang}: /subjects/new proposes the user's agency as owner (${owner})`);
  await accessible(page, `${lang} new subject`);
  await shot(page, `${lang}-subject-new.png`);

  // A required field left empty: said on the field, nothing sent.
  await page.getByRole("button", { name: w.create }).click();
  const nameField = page.getByLabel(`${w.name} (${w.required})`, { exact: true });
  await page.getByRole("alert").first().waitFor();
  check((await nameField.getAttribute("aria-invalid")) === "true" && page.url().endsWith("/subjects/new"),
    `${lang}: the form refuses a subject without a name, on the field`);

  await nameField.fill("Testperson Console Zeta");
  await page.getByLabel(w.birthDate, { exact: true }).fill("1990-04-12");
  await page.getByLabel(w.nationality, { exact: true }).fill("BE");
  await page.getByLabel(w.returnee, { exact: true }).check();
  await page.getByLabel(w.dataSubject, { exact: true }).selectOption("suspect");
  await page.getByLabel(w.informationType, { exact: true }).selectOption("fact");
  await page.getByLabel(w.handlingCode, { exact: true }).selectOption("H0");
  await page.getByLabel(w.reliability, { exact: true }).selectOption("B");
  await page.getByLabel(w.accuracy, { exact: true }).selectOption("2");
  await page.getByLabel(w.reviewDate, { exact: true }).fill(day(180));
  await page.getByLabel(w.retentionDate, { exact: true }).fill(day(3 * 365));
  await page.getByLabel(w.establishment, { exact: true }).fill("Prison de Testville");
  await page.getByLabel(w.sentenceEnd, { exact: true }).fill(day(2 * 365));
  await page.getByLabel(w.plannedRelease, { exact: true }).fill(day(365));
  await page.getByLabel(w.leaveStart, { exact: true }).fill(day(10));
  await page.getByLabel(w.leaveEnd, { exact: true }).fill(day(12));
  await page.getByRole("button", { name: w.create }).click();
  await page.waitForURL(/\/subjects\/[A-Z]{2}-[0-9a-f]+$/, { timeout: 15000 });
  const created = decodeURIComponent(page.url().split("/subjects/")[1]);
  await page.getByRole("heading", { level: 1, name: "Testperson Console Zeta" }).waitFor();
  check((await page.getByText(w.version(1), { exact: false }).count()) > 0,
    `${lang}: the form created ${created}, its card shows version 1`);
  const timeline = page.getByRole("region", { name: w.timeline });
  const events = await timeline.getByRole("listitem").allInnerTexts();
  const dates = events.map((e) => e.slice(0, 10));
  check(events.length === 6 && events[0].includes(w.today) && dates.every((d, i) => i === 0 || d >= dates[i - 1]),
    `${lang}: the new card's timeline lists today, then the leave, review, release, end of sentence and retention in order`);
  await accessible(page, `${lang} created subject`);
  await shot(page, `${lang}-subject-created.png`);

  // Edited: an alias added, version 2.
  await page.getByRole("link", { name: w.edit, exact: true }).click();
  await page.waitForURL(`**/subjects/${encodeURIComponent(created)}/edit`);
  await page.getByLabel(w.alias, { exact: true }).fill("Zeta Testalias");
  await accessible(page, `${lang} edit subject`);
  await shot(page, `${lang}-subject-edit.png`);
  await page.getByRole("button", { name: w.save }).click();
  await page.waitForURL(`**/subjects/${encodeURIComponent(created)}`);
  await page.getByText("Zeta Testalias").waitFor();
  check((await page.getByText(w.version(2), { exact: false }).count()) > 0,
    `${lang}: the edit added an alias, the card shows version 2`);

  // The card's history: the creation, then the update naming the property it changed.
  const history = page.getByRole("region", { name: w.history, exact: true });
  await history.locator("table.history").waitFor({ timeout: 15000 });
  const changes = await history.locator("table.history tbody tr").allInnerTexts();
  check(changes.length === 2 && changes[0].includes(w.created) && changes[1].includes(w.updatedFrom(1)) &&
        changes[1].includes(w.alias) && changes.every((c) => c.includes("BE/police")),
    `${lang}: the card's history shows the creation and the update that changed the alias (${changes.map((c) => c.replace(/\s+/g, " ")).join(" | ")})`);
  const shared = page.getByRole("region", { name: w.sharedWith, exact: true });
  check((await shared.getByText(w.notDisclosed, { exact: true }).count()) === 1,
    `${lang}: the new subject is "${w.notDisclosed}"`);
  check((await page.getByRole("region", { name: w.decisions, exact: true }).count()) === 0,
    `${lang}: an analyst's card has no "${w.decisions}"`);
  await accessible(page, `${lang} subject history`);
  await shot(page, `${lang}-subject-history.png`);

  // Shared with a partner (FR/police, a partner of the node under test): the card says to whom,
  // what and in which message.
  const sent = await page.evaluate(async (subjectId) => {
    const session = await (await fetch("/api/v1/session")).json();
    const answer = await fetch("/api/v1/messages", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": session.csrf_token,
                 "X-Justification": "Browser test of the subject forms (synthetic data)" },
      body: JSON.stringify({ type: "spontaneous", recipients: ["FR/police"], subject_ids: [subjectId],
                             body: "A synthetic subject shared by the browser test" }),
    });
    return { status: answer.status, body: await answer.json() };
  }, created);
  if (sent.status === 201) {
    await page.reload();
    await shared.locator("table.disclosures").waitFor({ timeout: 15000 });
    const rows = await shared.locator("table.disclosures tbody tr").allInnerTexts();
    check(rows.length === 1 && rows[0].includes("FR/police") && rows[0].includes(sent.body.id),
      `${lang}: the card's "${w.sharedWith}" lists the message to FR/police (${rows.join(" | ").replace(/\s+/g, " ")})`);
    await accessible(page, `${lang} subject shared`);
    await shot(page, `${lang}-subject-shared.png`);
  } else {
    // A node whose partner receives none of the subject's categories refuses the message (403);
    // the harness (--expect-exchanges) registers FR for returnees, so there it must go.
    check(!expectExchanges,
      `${lang}: the message naming the new subject is sent to FR/police (${sent.status}: ${sent.body.error?.message ?? ""})`);
  }

  // A value the API's validation refuses: its message on the field it names (aria-invalid,
  // aria-describedby), that field focused, nothing sent to be saved, the version unchanged.
  await page.goto(`${url}/subjects/${encodeURIComponent(created)}/edit`);
  await page.getByLabel(w.birthDate, { exact: true }).fill("1990-02-30");
  const requests = [];
  const listen = (r) => {
    if (r.url().includes("/api/v1/subjects") && r.method() !== "GET") requests.push(`${r.method()} ${new URL(r.url()).pathname}`);
  };
  page.on("request", listen);
  await page.getByRole("button", { name: w.save }).click();
  await page.getByRole("alert").first().waitFor();
  page.off("request", listen);
  const birth = page.getByLabel(w.birthDate, { exact: true });
  const described = (await birth.getAttribute("aria-describedby")) ?? "";
  const said = described ? await page.locator(`[id="${described.split(" ")[0]}"]`).innerText() : "";
  const focused = await birth.evaluate((e) => e === document.activeElement);
  const after = await page.evaluate(async (subjectId) => {
    const headers = { "X-Justification": "Browser test of the subject forms (synthetic data)" };
    return (await (await fetch(`/api/v1/subjects/${subjectId}`, { headers })).json()).version;
  }, created);
  check((await birth.getAttribute("aria-invalid")) === "true" && said.includes("30") && focused,
    `${lang}: the validation's problem is on the birth date field, focused (${said})`);
  check(requests.length === 1 && requests[0].endsWith("/api/v1/subjects/validate") && after === 2,
    `${lang}: an invalid record is only validated, not saved (${requests.join(", ")}; version ${after})`);
  await accessible(page, `${lang} refused edit`);
  await shot(page, `${lang}-subject-refused.png`);

  // A stale edit: someone saves version 3 while the form holds version 2; 412, said plainly.
  await page.goto(`${url}/subjects/${encodeURIComponent(created)}/edit`);
  await page.getByLabel(w.alias, { exact: true }).waitFor();
  const meanwhile = await page.evaluate(async (subjectId) => {
    const session = await (await fetch("/api/v1/session")).json();
    const headers = { "X-Justification": "Browser test of the subject forms (synthetic data)" };
    const current = await (await fetch(`/api/v1/subjects/${subjectId}`, { headers })).json();
    current.properties.notes = ["Changed meanwhile by another user"];
    const answer = await fetch(`/api/v1/subjects/${subjectId}`, {
      method: "PUT",
      headers: { ...headers, "Content-Type": "application/json", "X-CSRF-Token": session.csrf_token,
                 "If-Match": `"${current.version}"` },
      body: JSON.stringify({ schema: current.schema, properties: current.properties }),
    });
    return answer.status;
  }, created);
  await page.getByLabel(w.nationality, { exact: true }).fill("FR");
  await page.getByRole("button", { name: w.save }).click();
  const alert = page.getByRole("alert").filter({ hasText: w.stale });
  await alert.waitFor({ timeout: 15000 });
  check(meanwhile === 200 && (await alert.isVisible()), `${lang}: a stale edit is refused in words (412)`);
  await accessible(page, `${lang} stale edit`);
  await shot(page, `${lang}-subject-stale.png`);
  await page.getByRole("button", { name: w.reload }).click();
  await page.getByText(w.version(3), { exact: false }).waitFor();
  check((await page.getByLabel(w.nationality, { exact: true }).inputValue()) === "BE",
    `${lang}: reloading shows version 3, the user's change gone`);

  // The radar: a checklist prepared, a task's status set, the API's answer shown.
  await page.goto(`${url}/radar`);
  await page.getByRole("button", { name: w.prepare }).first().waitFor({ timeout: 15000 });
  // The first entry without a checklist yet (the other language's run prepared one before).
  const index = await page.getByRole("row").evaluateAll((rows, prepare) =>
    rows.findIndex((r) => [...r.querySelectorAll("button")].some((b) => b.textContent === prepare)), w.prepare);
  const row = page.getByRole("row").nth(index);
  await row.getByRole("button", { name: w.prepare }).click();
  await row.locator("summary").click({ timeout: 15000 });
  await row.getByLabel(w.taskStatus).first().selectOption("done");
  const assignee = `Liaison officer ${lang.toUpperCase()}`;
  const comment = `Release file sent to the prefecture (${lang})`;
  await row.getByLabel(w.assignee, { exact: true }).first().fill(assignee);
  await row.getByLabel(w.taskComment, { exact: true }).first().fill(comment);
  await row.getByRole("button", { name: w.saveTask, exact: true }).first().click();
  const result = row.getByRole("status").filter({ hasText: w.saved });
  await result.first().waitFor({ timeout: 15000 });
  await row.locator("ul.comments li").filter({ hasText: comment }).first().waitFor({ timeout: 15000 });
  check(true, `${lang}: /radar prepares a checklist and sets a task's status (${await result.first().innerText()})`);
  // The API kept the assignee and the comment: the radar read again shows them.
  await page.reload();
  await page.locator("table.radar").first().waitFor({ timeout: 15000 });
  const kept = await page.evaluate(async ([who, text]) => {
    const headers = { "X-Justification": "Browser test of the release radar (synthetic data)" };
    const radar = await (await fetch("/api/v1/radar?days=3650", { headers })).json();
    return radar.entries.some((e) => (e.checklist ?? []).some((t) =>
      t.status === "done" && t.assignee === who && t.comments.some((c) => c.text === text)));
  }, [assignee, comment]);
  check(kept, `${lang}: the task's status, assignee and comment are kept by the node`);
  await accessible(page, `${lang} radar task`);
  await shot(page, `${lang}-radar-task.png`);

  // A second subject for the supervisors to restrict, created through the API.
  const other = await page.evaluate(async () => {
    const session = await (await fetch("/api/v1/session")).json();
    const answer = await fetch("/api/v1/subjects", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": session.csrf_token,
                 "X-Justification": "Browser test of the subject forms (synthetic data)" },
      body: JSON.stringify({ schema: "Person", properties: { name: ["Testperson Console Eta"], birthDate: ["1988-09-03"],
                                                              ownerAgency: [session.user.agency] } }),
    });
    return (await answer.json()).id;
  });
  check(typeof other === "string" && other.length > 0, `${lang}: a second subject ${other} is created through the API`);

  await page.getByRole("button", { name: w.signOut }).click();
  await page.getByLabel(w.token, { exact: true }).waitFor();
  return { created, other };
}

// The supervisors' path. Supervisor one asks for the erasure of the writer's subject `erasable`:
// a reason is required (said on the field, nothing sent), "Are you sure?" is asked in the page
// (Cancel and Escape send nothing; the keyboard confirms), the API answers 202 and the page says
// nothing is erased yet, the history lists the request and its reason, and the request can now
// only be withdrawn. A page of supervisor one's opened before the request sends it again: the
// API refuses (409, the one who asked cannot confirm) and the page says so. Supervisor two sees
// the request and its reason, confirms it (200): the card says only its id remains, as the API
// (404). Supervisor two then restricts `restrictable` (its state and history say so), asks for its
// erasure and withdraws the request.
async function supervisorPath(page, lang, w, erasable, restrictable, errors) {
  const because = "Browser test of the supervisor's decisions (synthetic data)";
  const justify = async (p) => {
    await p.getByLabel(w.justification, { exact: true }).fill(because);
    await p.getByRole("button", { name: w.continue }).click();
  };
  const label = (text) => `${text} (${w.required})`;
  const decided = (p, id, suffix) => p.waitForResponse((r) =>
    r.request().method() === "POST" && new URL(r.url()).pathname === `/api/v1/subjects/${encodeURIComponent(id)}/${suffix}`);
  const focusedIs = (locator) => locator.evaluate((e) => e === document.activeElement);

  await page.goto(`${url}/subjects/${encodeURIComponent(erasable)}`);
  await signIn(page, w, supervisorToken);
  await justify(page);
  const decisions = page.getByRole("region", { name: w.decisions, exact: true });
  const eraseReason = decisions.getByLabel(label(w.eraseReason), { exact: true });
  await eraseReason.waitFor({ timeout: 15000 });
  const first = await page.evaluate(async () => (await (await fetch("/api/v1/session")).json()).user.id);
  check((await decisions.getByLabel(label(w.restrictReason), { exact: true }).count()) === 1 &&
        (await decisions.getByRole("button", { name: w.confirmButton, exact: true }).count()) === 0 &&
        (await decisions.getByRole("button", { name: w.withdrawButton, exact: true }).count()) === 0,
    `${lang}: a supervisor of the owner agency sees "${w.decisions}": restrict or request the erasure`);
  await accessible(page, `${lang} supervisor decisions`);
  await shot(page, `${lang}-supervisor-decisions.png`);

  // Supervisor one's second page, opened before the request (a new tab asks for the justification).
  const stale = await page.context().newPage();
  watchErrors(stale, errors);
  await stale.goto(`${url}/subjects/${encodeURIComponent(erasable)}`);
  await justify(stale);
  const staleDecisions = stale.getByRole("region", { name: w.decisions, exact: true });
  await staleDecisions.getByLabel(label(w.eraseReason), { exact: true }).waitFor({ timeout: 15000 });

  // No reason: said on the field, which takes the focus; nothing sent.
  const sent = [];
  const listen = (r) => {
    if (r.method() === "POST" && /\/(erase|restrict)(\/withdraw)?$/.test(new URL(r.url()).pathname)) sent.push(r.url());
  };
  page.on("request", listen);
  const requestButton = decisions.getByRole("button", { name: w.eraseButton, exact: true });
  await requestButton.click();
  await decisions.getByRole("alert").filter({ hasText: w.reasonRequired }).waitFor();
  check((await eraseReason.getAttribute("aria-invalid")) === "true" && (await focusedIs(eraseReason)),
    `${lang}: a request without a reason is refused on its field, focused`);

  // "Are you sure?": Cancel, then Escape, send nothing and give the focus back to the button.
  const reason = `No longer needed for the purpose it was kept for (browser test, ${lang})`;
  await eraseReason.fill(reason);
  await requestButton.click();
  const question = decisions.getByRole("group", { name: w.areYouSure });
  await question.waitFor();
  check(await focusedIs(question.locator("p")), `${lang}: "${w.areYouSure}" is asked in the page and takes the focus`);
  await accessible(page, `${lang} supervisor erasure question`);
  await shot(page, `${lang}-supervisor-erasure-question.png`);
  await question.getByRole("button", { name: w.cancel, exact: true }).click();
  await question.waitFor({ state: "detached" });
  const cancelled = await focusedIs(requestButton);
  await requestButton.click();
  await question.waitFor();
  await page.keyboard.press("Escape");
  await question.waitFor({ state: "detached" });
  check(cancelled && (await focusedIs(requestButton)) && sent.length === 0,
    `${lang}: Cancel and Escape send nothing and give the focus back to "${w.eraseButton}"`);

  // With the keyboard only: Enter on the button, Tab to Confirm, Enter. 202: nothing erased yet.
  await requestButton.focus();
  await page.keyboard.press("Enter");
  await question.waitFor();
  await page.keyboard.press("Tab");
  const onConfirm = await focusedIs(question.getByRole("button", { name: w.yesConfirm, exact: true }));
  const requested = decided(page, erasable, "erase");
  await page.keyboard.press("Enter");
  const requestAnswer = await requested;
  const requestBody = await requestAnswer.json();
  page.off("request", listen);
  const said = decisions.getByRole("status").filter({ hasText: w.requested });
  await said.waitFor({ timeout: 15000 });
  const saidText = await said.innerText();
  check(onConfirm, `${lang}: with the keyboard, Tab goes from the question to "${w.yesConfirm}" and Enter sends`);
  check(requestAnswer.status() === 202 && requestBody.state === "erasure_requested" &&
        saidText.includes(w.within(requestBody.confirm_within_days)) && (await focusedIs(said.locator("p"))),
    `${lang}: the API's ${requestAnswer.status()} is said and focused (${saidText})`);
  // Read again: the history lists the request and its reason; only a withdrawal is offered now.
  const history = page.getByRole("region", { name: w.history, exact: true });
  const requestRow = history.locator("table.history tbody tr").filter({ hasText: w.opRequestErasure });
  await requestRow.waitFor({ timeout: 15000 });
  await decisions.getByRole("button", { name: w.withdrawButton, exact: true }).waitFor({ timeout: 15000 });
  const rowText = await requestRow.innerText();
  check(rowText.includes(reason) && rowText.includes(first) &&
        (await decisions.getByRole("button", { name: w.eraseButton, exact: true }).count()) === 0 &&
        (await decisions.getByRole("button", { name: w.confirmButton, exact: true }).count()) === 0,
    `${lang}: the history lists the request with its reason (${rowText.replace(/\s+/g, " ")}); the one who asked may only withdraw it`);
  await accessible(page, `${lang} supervisor erasure requested`);
  await shot(page, `${lang}-supervisor-erasure-requested.png`);

  // The one who asked cannot confirm: the page opened before sends the erasure again; the API's
  // refusal is said, and the page read again offers the withdrawal.
  await staleDecisions.getByLabel(label(w.eraseReason), { exact: true }).fill("Confirming my own request (browser test)");
  await staleDecisions.getByRole("button", { name: w.eraseButton, exact: true }).click();
  const refused = decided(stale, erasable, "erase");
  await staleDecisions.getByRole("group", { name: w.areYouSure }).getByRole("button", { name: w.yesConfirm, exact: true }).click();
  const refusal = await refused;
  const refusalBody = await refusal.json();
  const alert = staleDecisions.getByRole("alert").filter({ hasText: w.refused });
  await alert.waitFor({ timeout: 15000 });
  const alertText = await alert.innerText();
  await staleDecisions.getByRole("button", { name: w.withdrawButton, exact: true }).waitFor({ timeout: 15000 });
  check(refusal.status() === 409 && alertText.includes(refusalBody.error.message),
    `${lang}: the one who asked cannot confirm: the API's ${refusal.status()} is said (${alertText})`);
  await accessible(stale, `${lang} supervisor own confirmation refused`);
  await shot(stale, `${lang}-supervisor-refused.png`);
  await stale.close();
  await page.getByRole("button", { name: w.signOut }).click();
  await page.getByLabel(w.token, { exact: true }).waitFor();

  // Supervisor two: the request, its author and reason; confirmed, the record is erased.
  await page.goto(`${url}/subjects/${encodeURIComponent(erasable)}`);
  await signIn(page, w, secondSupervisorToken);
  await justify(page);
  const confirmReason = decisions.getByLabel(label(w.confirmReason), { exact: true });
  await confirmReason.waitFor({ timeout: 15000 });
  const pendingText = await decisions.innerText();
  check(pendingText.includes(reason) && pendingText.includes(first) &&
        (await decisions.getByRole("button", { name: w.eraseButton, exact: true }).count()) === 0,
    `${lang}: a second supervisor sees the request of ${first} and its reason, and may confirm it`);
  await accessible(page, `${lang} supervisor confirm`);
  await shot(page, `${lang}-supervisor-confirm.png`);
  await confirmReason.fill(`Agreed: the purpose has lapsed (browser test, ${lang})`);
  await decisions.getByRole("button", { name: w.confirmButton, exact: true }).click();
  const erasing = decided(page, erasable, "erase");
  await decisions.getByRole("group", { name: w.areYouSure }).getByRole("button", { name: w.yesConfirm, exact: true }).click();
  const erasedAnswer = await erasing;
  const erasedBody = await erasedAnswer.json();
  await page.getByText(w.subjectErased(erasable), { exact: true }).waitFor({ timeout: 15000 });
  const erasedSaid = await page.locator("main").getByRole("status").filter({ hasText: w.erased }).count();
  const after = await page.evaluate(async ([subjectId, why]) => {
    const answer = await fetch(`/api/v1/subjects/${encodeURIComponent(subjectId)}`, { headers: { "X-Justification": why } });
    return answer.status;
  }, [erasable, because]);
  check(erasedAnswer.status() === 200 && erasedBody.state === "erased" && erasedSaid === 1 && after === 404 &&
        (await page.getByRole("region", { name: w.decisions, exact: true }).count()) === 0,
    `${lang}: the second supervisor's confirmation erases ${erasable} (200); the card says only its id remains (the API: ${after})`);
  await accessible(page, `${lang} supervisor erased`);
  await shot(page, `${lang}-supervisor-erased.png`);

  // Another subject restricted: its state and its history say so, restricting is no longer offered.
  await page.goto(`${url}/subjects/${encodeURIComponent(restrictable)}`);
  const restrictReason = decisions.getByLabel(label(w.restrictReason), { exact: true });
  await restrictReason.waitFor({ timeout: 15000 });
  const restrictWhy = `Kept for the ongoing case only (browser test, ${lang})`;
  await restrictReason.fill(restrictWhy);
  await decisions.getByRole("button", { name: w.restrictButton, exact: true }).click();
  const restricting = decided(page, restrictable, "restrict");
  await decisions.getByRole("group", { name: w.areYouSure }).getByRole("button", { name: w.yesConfirm, exact: true }).click();
  const restrictedAnswer = await restricting;
  await decisions.getByRole("status").filter({ hasText: w.restricted }).waitFor({ timeout: 15000 });
  await page.locator("p.id").filter({ hasText: w.state(w.stateRestricted) }).waitFor({ timeout: 15000 });
  const restrictRow = history.locator("table.history tbody tr").filter({ hasText: w.opRestrict });
  await restrictRow.waitFor({ timeout: 15000 });
  const restrictRowText = await restrictRow.innerText();
  check(restrictedAnswer.status() === 200 && restrictRowText.includes(restrictWhy) &&
        (await decisions.getByLabel(label(w.restrictReason), { exact: true }).count()) === 0,
    `${lang}: a supervisor restricts ${restrictable} (200); its state and history say so (${restrictRowText.replace(/\s+/g, " ")})`);
  await accessible(page, `${lang} supervisor restricted`);
  await shot(page, `${lang}-supervisor-restricted.png`);

  // Its erasure asked, then withdrawn by the one who asked: the history lists the withdrawal and
  // its reason, and the erasure may be asked again.
  await decisions.getByLabel(label(w.eraseReason), { exact: true }).fill(`Erase it as well (browser test, ${lang})`);
  await decisions.getByRole("button", { name: w.eraseButton, exact: true }).click();
  const asked = decided(page, restrictable, "erase");
  await decisions.getByRole("group", { name: w.areYouSure }).getByRole("button", { name: w.yesConfirm, exact: true }).click();
  const askedAnswer = await asked;
  const withdrawReason = decisions.getByLabel(label(w.withdrawReason), { exact: true });
  await withdrawReason.waitFor({ timeout: 15000 });
  const withdrawWhy = `Asked by mistake (browser test, ${lang})`;
  await withdrawReason.fill(withdrawWhy);
  await decisions.getByRole("button", { name: w.withdrawButton, exact: true }).click();
  const withdrawing = decided(page, restrictable, "erase/withdraw");
  await decisions.getByRole("group", { name: w.areYouSure }).getByRole("button", { name: w.yesConfirm, exact: true }).click();
  const withdrawnAnswer = await withdrawing;
  await decisions.getByRole("status").filter({ hasText: w.withdrawn }).waitFor({ timeout: 15000 });
  const withdrawRow = history.locator("table.history tbody tr").filter({ hasText: w.opWithdraw });
  await withdrawRow.waitFor({ timeout: 15000 });
  await decisions.getByLabel(label(w.eraseReason), { exact: true }).waitFor({ timeout: 15000 });
  const withdrawRowText = await withdrawRow.innerText();
  check(askedAnswer.status() === 202 && withdrawnAnswer.status() === 200 && withdrawRowText.includes(withdrawWhy),
    `${lang}: the one who asked withdraws the request (${askedAnswer.status()}, then ${withdrawnAnswer.status()}); the history lists it (${withdrawRowText.replace(/\s+/g, " ")})`);
  await accessible(page, `${lang} supervisor withdrawn`);
  await shot(page, `${lang}-supervisor-withdrawn.png`);

  await page.getByRole("button", { name: w.signOut }).click();
  await page.getByLabel(w.token, { exact: true }).waitFor();
}

// The page's JavaScript errors, kept in `errors`. A refused request (the session probe before
// sign-in answers 401) is logged by the browser as a resource error; JavaScript errors are what
// is checked here.
function watchErrors(page, errors) {
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
  });
}

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
    // A Content-Security-Policy violation (an inline style Chart.js or Cytoscape might add) is an
    // error of the console.
    await context.addInitScript(() =>
      document.addEventListener("securitypolicyviolation", (e) =>
        console.error(`Content-Security-Policy violation: ${e.violatedDirective} ${e.blockedURI}`)));
    const page = await context.newPage();
    const errors = [];
    watchErrors(page, errors);

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

    // The filters: one that keeps the subject (its owner agency), kept in the address through a
    // reload; then one that leaves it out (a handling code it does not have).
    const props = await page.evaluate(async (subjectId) => {
      const headers = { "X-Justification": "Browser test of the console (synthetic data)" };
      return (await (await fetch(`/api/v1/subjects/${encodeURIComponent(subjectId)}`, { headers })).json()).properties;
    }, id);
    const owner = props.ownerAgency[0];
    const handling = (props.handlingCode ?? ["H0"])[0];
    const otherHandling = ["H2", "H1", "H3", "H0"].find((c) => c !== handling);
    await page.getByLabel(w.ownerAgency, { exact: true }).fill(owner);
    await page.getByRole("button", { name: w.searchButton, exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get("owner_agency") === owner);
    const status = page.locator("#results-status");
    await page.waitForFunction(([subjectId, filtered]) =>
      document.querySelector("#results-status").textContent.includes(filtered) &&
      (document.querySelector("table.results")?.textContent ?? "").includes(subjectId), [id, w.withFilters],
    { timeout: 15000 });
    check(true, `${lang}: the filter owner agency ${owner} keeps ${id} (${await status.innerText()})`);
    const filteredUrl = page.url();
    await page.reload();
    await page.locator("table.results").waitFor({ timeout: 15000 });
    check(page.url() === filteredUrl && (await page.getByLabel(w.ownerAgency, { exact: true }).inputValue()) === owner &&
          (await page.locator("table.results").innerText()).includes(id),
      `${lang}: a reload of ${new URL(filteredUrl).search} shows the same filter and the subject`);
    await accessible(page, `${lang} search filtered`);
    await shot(page, `${lang}-search-filtered.png`);

    // Ask the partners: what the page says is what the API answers (this lone node has no
    // hit/no-hit: its refusal, in words).
    const oracle = await page.evaluate(async (who) => {
      const session = await (await fetch("/api/v1/session")).json();
      const answer = await fetch("/api/v1/screen", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": session.csrf_token,
                   "X-Justification": "Browser test of the console (synthetic data)" },
        body: JSON.stringify({ query: { schema: "Person", properties: { name: [who] } }, partners: true }),
      });
      return { status: answer.status, body: await answer.json() };
    }, name);
    await page.getByRole("button", { name: w.askPartners, exact: true }).click();
    const partnerStatus = page.locator("#partners-status");
    await page.waitForFunction((asking) => {
      const text = document.querySelector("#partners-status")?.textContent ?? "";
      return text !== "" && !text.includes(asking);
    }, "…", { timeout: 15000 });
    const partnerSaid = await partnerStatus.innerText();
    if (oracle.status === 200) {
      const count = oracle.body.partner_hits.length;
      check((count === 0 ? partnerSaid.includes(w.noPartnerHit) : partnerSaid.includes(`${count} ${w.partnerHits}`)) &&
            (await page.locator("table.partner-hits tbody tr").count()) === count,
        `${lang}: "${w.askPartners}" shows the partners' answer (${partnerSaid})`);
    } else {
      check(partnerSaid.includes(w.partnersRefused) && partnerSaid.includes(oracle.body.error.message),
        `${lang}: "${w.askPartners}" shows why this node cannot ask (${oracle.status}: ${partnerSaid})`);
    }
    check((await partnerStatus.getAttribute("role")) === "status", `${lang}: the partners' answer is announced (role=status)`);
    await accessible(page, `${lang} search partners`);
    await shot(page, `${lang}-search-partners.png`);

    await page.getByLabel(w.handlingCode, { exact: true }).selectOption(otherHandling);
    await page.getByRole("button", { name: w.searchButton, exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get("handling_code") === otherHandling);
    await page.waitForFunction(([subjectId, filtered]) => {
      const said = document.querySelector("#results-status")?.textContent ?? "";
      return said.includes(filtered) && !(document.querySelector("table.results")?.textContent ?? "").includes(subjectId);
    }, [id, w.withFilters], { timeout: 15000 });
    check(true, `${lang}: the filter handling code ${otherHandling} leaves ${id} (${handling}) out (${await status.innerText()})`);
    await accessible(page, `${lang} search excluded`);
    await shot(page, `${lang}-search-excluded.png`);

    await page.goto(`${url}/search?q=${encodeURIComponent(name)}`);
    await page.locator("table.results").waitFor({ timeout: 15000 });

    await page.locator(`a[href="/subjects/${encodeURIComponent(id)}"]`).first().click();
    await page.waitForURL(`**/subjects/${encodeURIComponent(id)}`);
    await page.getByRole("heading", { level: 1 }).waitFor();
    const heading = await page.getByRole("heading", { level: 1 }).innerText();
    check(heading.length > 0 && !heading.includes(id), `${lang}: /subjects/${id} shows its name (${heading})`);
    // Its history (an imported subject: no creation entry) and to whom it was disclosed, loaded
    // after the card.
    const history = page.getByRole("region", { name: w.history, exact: true });
    const sharedWith = page.getByRole("region", { name: w.sharedWith, exact: true });
    await sharedWith.waitFor({ timeout: 15000 });
    const historyText = await history.innerText();
    check(historyText.includes(w.noCreate) && (historyText.includes(w.noChange) || (await history.locator("table.history tbody tr").count()) > 0),
      `${lang}: the card shows its history (${historyText.replace(/\s+/g, " ").slice(0, 120)})`);
    const disclosures = await sharedWith.locator("table.disclosures tbody tr").count();
    check(disclosures > 0 || (await sharedWith.getByText(w.notDisclosed, { exact: true }).count()) === 1,
      `${lang}: the card says to whom it was disclosed (${disclosures} messages)`);
    await accessible(page, `${lang} subject`);
    await shot(page, `${lang}-subject.png`);
    // Custody and review on a timeline: an ordered list with today in its place.
    const timeline = page.getByRole("region", { name: w.timeline });
    const items = await timeline.getByRole("listitem").allInnerTexts();
    check(items.length >= 2 && items.some((i) => i.includes(w.today)) && (await timeline.locator("[aria-current=date]").count()) === 1,
      `${lang}: the card shows custody and review on a timeline (${items.length} items, today marked)`);

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
    if (deliverCommand && lang === "en") {
      // FR's alert is delivered while the page is open: the polled inbox shows its case without a
      // reload, the alert has its Acknowledge button, and the node sends the acknowledgement.
      const opened = Date.now();
      const polls = [];
      page.on("response", (r) => {
        if (r.url().includes("/api/v1/cases")) polls.push(`${Math.round((Date.now() - opened) / 1000)}s:${r.status()}`);
      });
      const delivered = execSync(`${deliverCommand} 2>&1`, { encoding: "utf8" });
      console.log(`     ${delivered.trim().split("\n").join("\n     ")}`);
      // The case the alert opened (the other cases are this node's messages to FR).
      const alertRow = page.locator("table.cases tbody tr").filter({
        has: page.locator("td", { hasText: /^alert$/ }),
      });
      try {
        await alertRow.first().waitFor({ timeout: 45000 });
      } catch (e) {
        const cases = await page.evaluate(async () => {
          const headers = { "X-Justification": "Browser test of the inbox (synthetic data)" };
          return (await fetch("/api/v1/cases", { headers })).text();
        });
        console.log(`     the cases the API lists: ${cases}; the page's polls: ${polls.join(" ")}; ` +
          `the page shows: ${(await page.locator("main").innerText()).slice(0, 600)}`);
        throw e;
      }
      check(page.url().endsWith("/inbox"),
        `${lang}: FR's alert appears in the open inbox without a reload (${Math.round((Date.now() - opened) / 1000)} s)`);
      const caseId = (await alertRow.first().locator("span.id").innerText()).trim();
      await alertRow.first().getByRole("button").first().click();
      const ack = page.getByRole("button", { name: w.acknowledge, exact: true });
      await ack.first().waitFor({ timeout: 15000 });
      await ack.first().click();
      await page.getByRole("button", { name: w.acknowledged, exact: true }).first().waitFor({ timeout: 15000 });
      const thread = await page.evaluate(async (id) => {
        const headers = { "X-Justification": "Browser test of the inbox (synthetic data)" };
        return (await fetch(`/api/v1/cases/${encodeURIComponent(id)}`, { headers })).json();
      }, caseId);
      const directions = (thread.messages ?? []).map((m) => `${m.direction}:${m.type}`);
      check(directions.includes("in:alert") && directions.some((d) => d.startsWith("out:")),
        `${lang}: the alert is acknowledged and the node sent its acknowledgement (${directions.join(", ")})`);
      await accessible(page, `${lang} inbox alert`);
      await shot(page, `${lang}-inbox-alert.png`);
    }

    // The statistics: exchanges per month by country pair and by type, response times; charts
    // (Chart.js's canvases, named) with their figures in tables, or the empty state.
    await page.locator('a[href="/stats"]').click();
    await page.waitForURL("**/stats");
    const empty = page.getByRole("status").filter({ hasText: w.noExchanges });
    const charts = page.getByRole("img");
    await empty.or(charts.first()).first().waitFor({ timeout: 15000 });
    if (await empty.count()) {
      check(!expectExchanges, `${lang}: /stats says there are no exchanges in the window`);
    } else {
      await page.waitForFunction(() => [...document.querySelectorAll("canvas")].every((c) => c.width > 0));
      const named = await charts.evaluateAll((all) => all.filter((c) => c.tagName === "CANVAS" && c.getAttribute("aria-label")).length);
      await shot(page, `${lang}-stats.png`);
      // Each chart's figures, in a table behind a disclosure.
      const disclosures = page.getByText(w.figures, { exact: true });
      for (let i = 0; i < (await disclosures.count()); ++i) await disclosures.nth(i).click();
      const tables = await page.getByRole("table").count();
      const rows = await page.getByRole("table").first().getByRole("row").count();
      check(named >= 2 && tables === named && rows > 1,
        `${lang}: /stats draws ${named} named charts, each with its figures in a table`);
      await shot(page, `${lang}-stats-tables.png`);
    }
    if (await empty.count()) await shot(page, `${lang}-stats.png`);
    await accessible(page, `${lang} stats`);

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

    const made = writerToken ? await writerPath(page, lang, w) : null;
    if (supervisorToken || secondSupervisorToken) {
      check(made && supervisorToken && secondSupervisorToken,
        `${lang}: the supervisors' path has its tokens (it needs --writer-token, --supervisor-token and --second-supervisor-token)`);
      if (made && supervisorToken && secondSupervisorToken) {
        await supervisorPath(page, lang, w, made.created, made.other, errors);
      }
    }

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
