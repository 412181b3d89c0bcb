// The node's API as the console calls it: same origin, the session cookie (HttpOnly, never seen
// here), the CSRF token on every change, the justification on every read of personal data.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
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
}

export async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  if (options.justified && justification) {
    headers["X-Justification"] = justification.text;
    if (justification.caseReference) headers["X-Case-Reference"] = justification.caseReference;
  }
  const response = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  const json = text ? (JSON.parse(text) as unknown) : {};
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string } }).error ?? {};
    throw new ApiError(response.status, error.code ?? "", error.message ?? response.statusText);
  }
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

export async function search(name: string, birthDate: string): Promise<Candidate[]> {
  const properties: Record<string, string[]> = { name: [name] };
  if (birthDate) properties.birthDate = [birthDate];
  const answer = await call<{ hits: Candidate[] }>("POST", "/api/v1/screen", {
    body: { query: { schema: "Person", properties }, limit: 20 },
    justified: true,
  });
  return answer.hits;
}

export interface Subject {
  id: string;
  schema: string;
  properties: Record<string, string[]>;
  version: number;
  state: string;
  handling_notice?: string;
  handling_restriction?: string;
}

export async function subject(id: string): Promise<Subject> {
  return call<Subject>("GET", `/api/v1/subjects/${encodeURIComponent(id)}`, { justified: true });
}
