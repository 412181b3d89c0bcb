// /subjects/{id}: the subject card (GET /api/v1/subjects/{id}, justified and audited): names,
// custody and the record's review and retention dates on a timeline, every other property; an
// Edit link for users whose tier feeds the register (the API decides).
import { useEffect, useState } from "preact/hooks";

import * as api from "./api";
import { t } from "./i18n";
import { Link } from "./router";

// The properties the timeline shows (so not repeated in the list of properties).
const TIMELINE_PROPERTIES = [
  "establishment",
  "sentenceEnd",
  "plannedRelease",
  "leave",
  "reviewDate",
  "retentionDate",
];

interface Milestone {
  date: string; // YYYY-MM-DD
  end?: string; // a leave's last day
  what: string;
}

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

// The dated events of custody and of the record's life, in date order.
function milestones(properties: Record<string, string[]>): Milestone[] {
  const out: Milestone[] = [];
  const one = (key: string, what: string) => {
    for (const date of properties[key] ?? []) out.push({ date, what });
  };
  one("sentenceEnd", t("field_sentenceEnd"));
  one("plannedRelease", t("field_plannedRelease"));
  for (const leave of properties.leave ?? []) {
    const [start, end] = leave.split("/");
    out.push({ date: start, end, what: t("field_leave") });
  }
  one("reviewDate", t("field_reviewDate"));
  one("retentionDate", t("field_retentionDate"));
  return out.sort((a, b) => a.date.localeCompare(b.date));
}

// Custody and review on a timeline: an ordered list with today in its place, each event said to
// be past, today, under way (a leave) or ahead, in words and not only by its look.
function Timeline(props: { properties: Record<string, string[]> }) {
  const today = todayUtc();
  const events = milestones(props.properties);
  const establishment = props.properties.establishment ?? [];
  if (events.length === 0 && establishment.length === 0) return null;
  const items = [];
  let todayShown = false;
  const todayItem = (
    <li class="today" aria-current="date">
      <span dir="ltr">
        <time dateTime={today}>{today}</time>
      </span>{" "}
      <strong>{t("today")}</strong>
    </li>
  );
  for (const e of events) {
    if (!todayShown && e.date > today) {
      items.push(todayItem);
      todayShown = true;
    }
    const last = e.end ?? e.date;
    const when =
      last < today ? "past" : e.date > today ? "future" : e.date === last ? "now" : "ongoing";
    items.push(
      <li class={when}>
        {/* Left to right in Arabic too, so that a leave reads from its first day to its last. */}
        <span dir="ltr">
          <time dateTime={e.date}>{e.date}</time>
          {e.end && (
            <>
              {" → "}
              <time dateTime={e.end}>{e.end}</time>
            </>
          )}
        </span>{" "}
        <span class="what">{e.what}</span> <span class="when">({t(`when_${when}`)})</span>
      </li>,
    );
  }
  if (!todayShown) items.push(todayItem);
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t("timeline")}</h2>
      {establishment.length > 0 && (
        <p>
          {t("field_establishment")}: <bdi>{establishment.join(", ")}</bdi>
        </p>
      )}
      <ol class="timeline">{items}</ol>
    </section>
  );
}

// Whether the user's role and tier feed the register.
export function mayWrite(session: api.Session | null): boolean {
  if (!session) return false;
  const { role, tier } = session.user;
  return (role === "analyst" || role === "supervisor") && tier === "consult_and_feed";
}

// Whether the user may change this subject as policy/authorize.cc says: a writer of its owner
// agency, or a supervisor when it has none. The API decides again when the form is saved.
function mayEdit(session: api.Session | null, subject: api.Subject): boolean {
  const owner = (subject.properties.ownerAgency ?? [])[0];
  if (!mayWrite(session) || subject.state !== "active") return false;
  return owner ? owner === session!.user.agency : session!.user.role === "supervisor";
}

export function SubjectPage(props: { id: string; session: api.Session | null }) {
  const [subject, setSubject] = useState<api.Subject | null>(null);
  const [error, setError] = useState("");

  useEffect(() => {
    let cancelled = false;
    setSubject(null);
    setError("");
    api.subject(props.id).then(
      (s) => !cancelled && setSubject(s),
      (e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [props.id]);

  if (error) {
    return (
      <main id="main">
        <h1>{t("subjectTitle", { id: props.id })}</h1>
        <p class="error" role="alert">
          {t("error", { message: error })}
        </p>
        <Link href="/search">{t("backToSearch")}</Link>
      </main>
    );
  }
  if (!subject) {
    return (
      <main id="main">
        <p role="status">{t("loading")}</p>
      </main>
    );
  }
  const names = subject.properties.name ?? [];
  const aliases = [
    ...(subject.properties.alias ?? []),
    ...(subject.properties.weakAlias ?? []),
    ...(subject.properties.nomDeGuerre ?? []),
  ];
  const others = Object.entries(subject.properties).filter(
    ([key]) =>
      !["name", "alias", "weakAlias", "nomDeGuerre"].includes(key) && !TIMELINE_PROPERTIES.includes(key),
  );
  return (
    <main id="main">
      <h1>{names[0] ?? t("subjectTitle", { id: subject.id })}</h1>
      <p class="id">
        {subject.id} · {subject.schema} · {t("version", { version: subject.version })} ·{" "}
        {t("state")}: {subject.state}
      </p>
      {mayEdit(props.session, subject) && (
        <p>
          <Link href={`/subjects/${encodeURIComponent(subject.id)}/edit`} class="button">
            {t("edit")}
          </Link>
        </p>
      )}
      {subject.handling_notice && (
        <p class="notice" role="note">
          <strong>{t("handlingNotice")}:</strong> {subject.handling_notice}
        </p>
      )}
      {subject.handling_restriction && (
        <p class="notice" role="note">
          <strong>{t("restriction")}:</strong> {subject.handling_restriction}
        </p>
      )}
      <section aria-labelledby="names-title">
        <h2 id="names-title">{t("names")}</h2>
        <ul>
          {names.map((n) => (
            <li>
              <bdi>{n}</bdi>
            </li>
          ))}
        </ul>
        {aliases.length > 0 && (
          <>
            <h3>{t("aliases")}</h3>
            <ul>
              {aliases.map((n) => (
                <li>
                  <bdi>{n}</bdi>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <Timeline properties={subject.properties} />
      <section aria-labelledby="properties-title">
        <h2 id="properties-title">{t("properties")}</h2>
        <dl class="properties">
          {others.map(([key, values]) => (
            <>
              <dt>{key}</dt>
              <dd>
                <bdi>{values.join(", ")}</bdi>
              </dd>
            </>
          ))}
        </dl>
      </section>
      {/* Sections to come below the properties (issue 21): the version history and "shared with"
          (which partners received this record, when). */}
      <p>
        <Link href={`/network/${encodeURIComponent(subject.id)}`}>{t("network")}</Link>
        {" · "}
        <Link href="/search">{t("backToSearch")}</Link>
      </p>
    </main>
  );
}
