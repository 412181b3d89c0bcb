// The node's API as the console calls it: same origin, the session cookie (HttpOnly, never seen
// here), the CSRF token on every change, the justification on every read of personal data.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    // The field the API names first ("birthDate[0]", "owner_agency"), when it names one.
    readonly field = "",
  ) {
    super(message);
  }
}

export interface SessionUser {
  id: string;
  name: string;
  agency: string;
  role: string;
  tier: string;
  designations: string[];
}

export interface Session {
  user: SessionUser;
  node_country: string;
  csrf_token?: string;
  expires_at: string | null;
}

export interface Justification {
  text: string;
  caseReference: string;
}

let csrfToken = "";
let justification: Justification | null = loadJustification();

function loadJustification(): Justification | null {
  const saved = sessionStorage.getItem("entente.justification");
  if (!saved) return null;
  try {
    const parsed = JSON.parse(saved) as Justification;
    return typeof parsed.text === "string" ? parsed : null;
  } catch {
    return null;
  }
}

export function currentJustification(): Justification | null {
  return justification;
}

export function setJustification(value: Justification | null): void {
  justification = value;
  if (value) sessionStorage.setItem("entente.justification", JSON.stringify(value));
  else sessionStorage.removeItem("entente.justification");
}

interface CallOptions {
  body?: unknown;
  justified?: boolean;
  headers?: Record<string, string>;
  // A polled GET: the last answer is kept with its entity tag and sent back as If-None-Match;
  // the node answers 304 without the body while nothing changed.
  revalidate?: boolean;
}

// The last answers of polled GETs, by path: their tag and their JSON. Emptied on sign-out.
const revalidated = new Map<string, { tag: string; json: unknown }>();

export async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  if (options.justified && justification) {
    headers["X-Justification"] = justification.text;
    if (justification.caseReference) headers["X-Case-Reference"] = justification.caseReference;
  }
  const kept = options.revalidate && method === "GET" ? revalidated.get(path) : undefined;
  if (kept) headers["If-None-Match"] = kept.tag;
  const response = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  if (response.status === 304 && kept) return kept.json as T;
  const text = await response.text();
  const json = text ? (JSON.parse(text) as unknown) : {};
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string; field?: string } }).error ?? {};
    throw new ApiError(
      response.status,
      error.code ?? "",
      error.message ?? response.statusText,
      error.field ?? "",
    );
  }
  const tag = response.headers.get("ETag");
  if (options.revalidate && method === "GET" && tag) revalidated.set(path, { tag, json });
  return json as T;
}

export async function signIn(token: string): Promise<Session> {
  const session = await call<Session>("POST", "/api/v1/session", { body: { token } });
  csrfToken = session.csrf_token ?? "";
  return session;
}

export async function currentSession(): Promise<Session | null> {
  try {
    const session = await call<Session>("GET", "/api/v1/session");
    csrfToken = session.csrf_token ?? "";
    return session;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export async function signOut(): Promise<void> {
  await call("DELETE", "/api/v1/session");
  csrfToken = "";
  revalidated.clear();
  setJustification(null);
}

export interface Candidate {
  answer: string;
  subject_id: string;
  owner_agency: string;
  score: number;
  match: boolean;
  caption?: string;
  explanation?: string;
}

// The search's filters (POST /api/v1/screen "filters"); an empty one is left out. With any filter
// only full answers are listed.
export const SEARCH_FILTERS = ["category", "owner_agency", "nationality", "custody", "handling_code"] as const;
export type SearchFilter = (typeof SEARCH_FILTERS)[number];
export type SearchFilters = Partial<Record<SearchFilter, string>>;

function screenBody(name: string, birthDate: string, filters: SearchFilters): Record<string, unknown> {
  const properties: Record<string, string[]> = { name: [name] };
  if (birthDate) properties.birthDate = [birthDate];
  const given: SearchFilters = {};
  for (const key of SEARCH_FILTERS) {
    const value = (filters[key] ?? "").trim();
    if (value) given[key] = value;
  }
  const body: Record<string, unknown> = { query: { schema: "Person", properties }, limit: 20 };
  if (Object.keys(given).length > 0) body.filters = given;
  return body;
}

export async function search(name: string, birthDate: string, filters: SearchFilters = {}): Promise<Candidate[]> {
  const answer = await call<{ hits: Candidate[] }>("POST", "/api/v1/screen", {
    body: screenBody(name, birthDate, filters),
    justified: true,
  });
  return answer.hits;
}

// A hit in a partner's encoded index (hit/no-hit): no personal data, only the reference to quote
// to the agency that owns the record.
export interface PartnerHit {
  hit_id: string;
  country: string;
  reference: string;
  owner: string;
  score: number;
}

export interface PartnerAnswer {
  hits: PartnerHit[];
  unavailable: string[]; // "FR: why"
}

// The same search asked of the partners too ("partners": true). A node without hit/no-hit
// refuses it (409, its message says why).
export async function askPartners(
  name: string,
  birthDate: string,
  filters: SearchFilters = {},
): Promise<PartnerAnswer> {
  const answer = await call<{ partner_hits?: PartnerHit[]; partners_unavailable?: string[] }>(
    "POST",
    "/api/v1/screen",
    { body: { ...screenBody(name, birthDate, filters), partners: true }, justified: true },
  );
  return { hits: answer.partner_hits ?? [], unavailable: answer.partners_unavailable ?? [] };
}

export interface Subject {
  id: string;
  schema: string;
  properties: Record<string, string[]>;
  version: number;
  state: string;
  created_at?: string | null;
  updated_at?: string | null;
  handling_notice?: string;
  handling_restriction?: string;
}

export async function subject(id: string): Promise<Subject> {
  return call<Subject>("GET", `/api/v1/subjects/${encodeURIComponent(id)}`, { justified: true });
}

// One change of the record (GET /api/v1/subjects/{id}/history). A subject loaded by an import
// has no "create" entry.
export interface SubjectChange {
  at: string | null;
  actor: string;
  agency: string;
  operation: string; // create, update, restrict, request_erasure, erase, withdraw_erasure
  from_version?: number;
  changed?: string[];
  reason?: string;
}

// One disclosure to partners: a message sent that carried or named the record, or a follow-up
// decision.
export interface SubjectDisclosure {
  at: string | null;
  actor: string;
  agency: string;
  kind: string; // message, followup
  message_type?: string;
  content: string; // records, references, released, refused
  recipients: string[];
  message_id: string;
  case_id?: string;
}

export interface SubjectHistory {
  changes: SubjectChange[];
  disclosures: SubjectDisclosure[];
  truncated: boolean;
}

// A read of the subject: justified and audited as one.
export async function subjectHistory(id: string): Promise<SubjectHistory> {
  return call<SubjectHistory>("GET", `/api/v1/subjects/${encodeURIComponent(id)}/history`, {
    justified: true,
  });
}

// What a supervisor's decision on a subject did: "restricted" (200); for an erasure,
// "erasure_requested" (202, a second supervisor confirms within confirm_within_days) or "erased"
// (200, the second supervisor's call); "erasure_withdrawn". A refusal is an ApiError: 409 when
// the one who asked tries to confirm or the subject is already in that state, 404 when no
// erasure is pending, 403 for another agency's record.
export interface StateDecision {
  id: string;
  state: string;
  confirm_within_days?: number;
}

// Restricts the subject (a supervisor of its owner agency), the reason audited.
export async function restrictSubject(id: string, reason: string): Promise<StateDecision> {
  return call<StateDecision>("POST", `/api/v1/subjects/${encodeURIComponent(id)}/restrict`, {
    body: { reason },
    justified: true,
  });
}

// Requests the subject's erasure, or confirms another supervisor's pending request (four eyes).
export async function eraseSubject(id: string, reason: string): Promise<StateDecision> {
  return call<StateDecision>("POST", `/api/v1/subjects/${encodeURIComponent(id)}/erase`, {
    body: { reason },
    justified: true,
  });
}

// Withdraws the pending erasure request.
export async function withdrawErasure(id: string, reason: string): Promise<StateDecision> {
  return call<StateDecision>("POST", `/api/v1/subjects/${encodeURIComponent(id)}/erase/withdraw`, {
    body: { reason },
    justified: true,
  });
}

// What the forms send: the record's schema and every property (the API validates them).
export interface SubjectDraft {
  schema: string;
  properties: Record<string, string[]>;
}

export interface ValidationProblem {
  field: string; // a property ("birthDate"), or "" for the record as a whole
  index?: number; // the value's position, when one value is at fault
  message: string;
}

// The checks of POST and PUT, nothing stored. What they cannot know (the user's permission on the
// owner agency, a version changed meanwhile) is said by the save itself.
export async function validateSubject(
  draft: SubjectDraft & { id?: string },
): Promise<{ valid: boolean; problems: ValidationProblem[] }> {
  return call("POST", "/api/v1/subjects/validate", { body: draft, justified: true });
}

export async function createSubject(draft: SubjectDraft): Promise<{ id: string; version: number }> {
  return call("POST", "/api/v1/subjects", { body: draft, justified: true });
}

// Conditional on the version the form was opened with: 412 when someone changed it meanwhile.
export async function updateSubject(
  id: string,
  version: number,
  draft: SubjectDraft,
): Promise<{ id: string; version: number }> {
  return call("PUT", `/api/v1/subjects/${encodeURIComponent(id)}`, {
    body: draft,
    justified: true,
    headers: { "If-Match": `"${version}"` },
  });
}

export interface NetworkNode {
  id: string;
  hops: number;
  country: string;
  in_register: boolean;
  name: string;
}

export interface Network {
  nodes: NetworkNode[];
  links: { src: string; dst: string; type: string }[];
  withheld: number;
  truncated: boolean;
}

export async function network(id: string, depth: number): Promise<Network> {
  return call<Network>("GET", `/api/v1/network/${encodeURIComponent(id)}?depth=${depth}`, {
    justified: true,
  });
}

export async function networkPath(id: string, other: string): Promise<Network> {
  return call<Network>(
    "GET",
    `/api/v1/network/${encodeURIComponent(id)}/path/${encodeURIComponent(other)}`,
    { justified: true },
  );
}

export const TASK_STATUSES = ["open", "in_progress", "done", "cancelled"] as const;

export interface TaskComment {
  at: string;
  author: string;
  agency: string;
  text: string;
}

export interface ChecklistTask {
  id: number;
  subject_id: string;
  event_date: string;
  task: string;
  owner_agency: string;
  status: string;
  due_date: string;
  overdue: boolean;
  // Who does it, in words ("" for nobody yet), and its comments, oldest first.
  assignee: string;
  comments: TaskComment[];
}

export interface RadarEntry {
  subject_id: string;
  kind: string;
  start_date: string;
  end_date: string;
  withheld: boolean;
  establishment?: string;
  name?: string;
  owner_agency?: string;
  threat_level?: string;
  overdue_tasks?: number;
  checklist?: ChecklistTask[];
}

export interface Radar {
  from: string;
  to: string;
  left_out: number;
  overdue_tasks: number;
  entries: RadarEntry[];
}

export async function radar(days: number): Promise<Radar> {
  return call<Radar>("GET", `/api/v1/radar?days=${days}`, { justified: true });
}

// The standard checklist of a release or leave (created once; the same tasks after).
export async function prepareChecklist(subjectId: string, eventDate: string): Promise<ChecklistTask[]> {
  const answer = await call<{ tasks: ChecklistTask[] }>("POST", "/api/v1/radar/checklists", {
    body: { subject_id: subjectId, event_date: eventDate },
    justified: true,
  });
  return answer.tasks;
}

// A change to a task: any of its status, its assignee, a comment to add (signed and dated by the
// node).
export interface TaskChange {
  status?: string;
  assignee?: string;
  comment?: string;
}

export async function updateTask(id: number, change: TaskChange): Promise<ChecklistTask> {
  return call<ChecklistTask>("PUT", `/api/v1/radar/tasks/${id}`, { body: change, justified: true });
}

export interface ExchangeCount {
  from: string;
  to: string;
  month: string;
  type: string;
  count: number;
}

export interface ResponseTimes {
  asker: string;
  answerer: string;
  answered: number;
  median_hours: number;
  p90_hours: number;
  max_hours: number;
}

export interface ExchangeStats {
  messages: number;
  hit_notifications_sent: number;
  hit_notifications_received: number;
  exchanges: ExchangeCount[];
  response_times: ResponseTimes[];
}

// Counts only, no personal data: no justification. `to` is exclusive (the API's [from, to)).
export async function stats(from: string, to: string): Promise<ExchangeStats> {
  const query = new URLSearchParams();
  if (from) query.set("from", from);
  if (to) query.set("to", to);
  return call<ExchangeStats>("GET", `/api/v1/stats?${query.toString()}`);
}

export interface CaseListing {
  case_id: string;
  messages: number;
  first_at: string | null;
  last_at: string | null;
  minors: boolean;
  opened_by: string;
  overdue: string[];
}

export interface MessageView {
  id: string;
  direction: "in" | "out";
  case_id: string;
  type: string;
  sender: string;
  recipients: string;
  handling_code: string;
  stored_at: string | null;
  message?: { body?: string };
}

export interface CaseThread {
  case_id: string;
  messages: MessageView[];
}

export interface HitRecord {
  hit_id: string;
  country: string;
  reference: string;
  owner: string;
  agency: string;
  score: number;
  at: string | null;
  subject_id?: string;
  followup_id?: string;
}

export interface FollowUp {
  message_id: string;
  state: string;
  partner: string;
  requester: string;
  reference: string;
  subject_id: string;
  due_at: string | null;
  decision: string;
  reason: string;
}

export interface Inbox {
  cases: CaseListing[];
  hitsIn: HitRecord[];
  hitsOut: HitRecord[];
  followUps: FollowUp[];
}

export async function inbox(): Promise<Inbox> {
  const [cases, hitsIn, hitsOut, followUps] = await Promise.all([
    call<{ cases: CaseListing[] }>("GET", "/api/v1/cases", { justified: true, revalidate: true }),
    call<{ hits: HitRecord[] }>("GET", "/api/v1/hits?direction=in", {
      justified: true,
      revalidate: true,
    }),
    call<{ hits: HitRecord[] }>("GET", "/api/v1/hits?direction=out", {
      justified: true,
      revalidate: true,
    }),
    call<{ follow_ups: FollowUp[] }>("GET", "/api/v1/follow-ups", {
      justified: true,
      revalidate: true,
    }),
  ]);
  return {
    cases: cases.cases,
    hitsIn: hitsIn.hits,
    hitsOut: hitsOut.hits,
    followUps: followUps.follow_ups,
  };
}

export async function caseThread(id: string): Promise<CaseThread> {
  return call<CaseThread>("GET", `/api/v1/cases/${encodeURIComponent(id)}`, { justified: true });
}

export async function acknowledge(messageId: string): Promise<void> {
  await call("POST", `/api/v1/messages/${encodeURIComponent(messageId)}/acknowledge`, {
    body: {},
    justified: true,
  });
}

export async function decideFollowUp(
  messageId: string,
  decision: "release" | "refuse",
  reason: string,
): Promise<void> {
  await call("POST", `/api/v1/follow-ups/${encodeURIComponent(messageId)}/decision`, {
    body: { decision, reason },
    justified: true,
  });
}

export interface AuditEntry {
  seq: number;
  at: string | null;
  actor: string;
  actor_agency: string;
  action: string;
  subject_id: string;
  justification: string;
  details: unknown;
}

export interface AuditVerification {
  entries: number;
  intact: boolean;
  first_broken_seq?: number;
  reason?: string;
}

export async function audit(
  filter: Record<string, string>,
  after: number,
): Promise<{ entries: AuditEntry[]; remaining: number }> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value.trim()) query.set(key, value.trim());
  if (after > 0) query.set("after", String(after));
  query.set("limit", "200");
  return call("GET", `/api/v1/audit?${query.toString()}`, { justified: true });
}

export async function verifyAudit(): Promise<AuditVerification> {
  return call<AuditVerification>("GET", "/api/v1/audit/verify", { justified: true });
}

export interface User {
  id: string;
  name: string;
  agency: string;
  role: string;
  tier: string;
  designations: string;
  expires_at: string | null;
  state: string;
}

export interface AdminView {
  users: User[];
  partners: { country: string; url: string; rules: unknown }[];
  outbox: {
    queues: { recipient: string; state: string; count: number; oldest_created_at: string | null; stalled: boolean }[];
    failed: { seq: number; message_id: string; recipient: string; last_error: string }[];
  };
}

export async function adminView(): Promise<AdminView> {
  const [users, partners, outbox] = await Promise.all([
    call<{ users: User[] }>("GET", "/api/v1/users"),
    call<{ partners: AdminView["partners"] }>("GET", "/api/v1/partners"),
    call<AdminView["outbox"]>("GET", "/api/v1/federation/outbox"),
  ]);
  return { users: users.users, partners: partners.partners, outbox };
}

export async function setUserEnabled(id: string, enabled: boolean): Promise<void> {
  await call("POST", `/api/v1/users/${encodeURIComponent(id)}/${enabled ? "enable" : "disable"}`, { body: {} });
}

export async function rotateToken(id: string): Promise<{ token: string }> {
  return call("POST", `/api/v1/users/${encodeURIComponent(id)}/rotate`, { body: {} });
}

export async function requeue(seq: number): Promise<void> {
  await call("POST", `/api/v1/federation/outbox/${seq}/requeue`, { body: {} });
}
