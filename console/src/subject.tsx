// /subjects/{id}: the subject card (GET /api/v1/subjects/{id}, justified and audited): names,
// custody and the record's review and retention dates on a timeline, every other property; an
// Edit link for users whose tier feeds the register (the API decides). Then, loaded after the
// card (GET /api/v1/subjects/{id}/history, a justified read too), its history — who changed
// what, when — and to whom it was disclosed; an error there is said in place, the card stays.
// For a supervisor of the record's owner agency, the decisions to restrict it or have it erased
// (subject_actions.tsx), after which the card and its history are read again; an erased
// subject's card says so.
import type { ComponentChild } from "preact";
import { useEffect, useState } from "preact/hooks";

import * as api from "./api";
import { t } from "./i18n";
import { Link } from "./router";
import { vocabulary } from "./stats";
import { DecisionOutcome, mayDecide, type Outcome, SupervisorDecisions } from "./subject_actions";

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

// An instant of the API ("2026-12-07T21:41:47.354Z") as the user's local date and time,
// YYYY-MM-DD HH:MM (read left to right in Arabic too, as the timeline's dates).
function localDateTime(at: string | null | undefined) {
  if (!at) return null;
  const when = new Date(at);
  if (Number.isNaN(when.getTime())) return <span dir="ltr">{at}</span>;
  const two = (n: number) => String(n).padStart(2, "0");
  const text =
    `${when.getFullYear()}-${two(when.getMonth() + 1)}-${two(when.getDate())} ` +
    `${two(when.getHours())}:${two(when.getMinutes())}`;
  return (
    <span dir="ltr">
      <time dateTime={at}>{text}</time>
    </span>
  );
}

// A property's name in the user's language when the form has a label for it, else as recorded.
function propertyName(key: string) {
  const label = t(`field_${key}`);
  return label === `field_${key}` ? <code>{key}</code> : label;
}

function joined(items: ComponentChild[]): ComponentChild[] {
  return items.flatMap((item, i) => (i === 0 ? [item] : [", ", item]));
}

function Who(props: { actor: string; agency: string }) {
  return (
    <>
      <bdi>{props.actor}</bdi> <span class="id">({props.agency})</span>
    </>
  );
}

// The subject's history, read once the card is, and again with it after a decision (`revision`).
// The last answer is kept while the next is read, so that the page does not flicker.
function useHistory(
  subject: api.Subject | null,
  revision: number,
): { history: api.SubjectHistory | null; error: string } {
  const [read, setRead] = useState<{ id: string; history: api.SubjectHistory | null; error: string }>({
    id: "",
    history: null,
    error: "",
  });
  const id = subject?.id ?? "";
  useEffect(() => {
    if (!id) return undefined;
    let cancelled = false;
    api.subjectHistory(id).then(
      (history) => !cancelled && setRead({ id, history, error: "" }),
      (e: unknown) =>
        !cancelled && setRead({ id, history: null, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      cancelled = true;
    };
  }, [id, revision]);
  return read.id === id ? read : { history: null, error: "" };
}

// Who changed the record, what and when; to whom it was disclosed.
function History(props: { subject: api.Subject; history: api.SubjectHistory | null; error: string }) {
  const { subject, history, error } = props;

  if (error) {
    return (
      <section aria-labelledby="history-title">
        <h2 id="history-title">{t("history")}</h2>
        <p class="error" role="alert">
          {t("historyError", { message: error })}
        </p>
      </section>
    );
  }
  if (!history) {
    return (
      <section aria-labelledby="history-title">
        <h2 id="history-title">{t("history")}</h2>
        <p role="status">{t("loading")}</p>
      </section>
    );
  }
  const created = history.changes.some((c) => c.operation === "create");
  return (
    <>
      <section aria-labelledby="history-title">
        <h2 id="history-title">{t("history")}</h2>
        {!created && subject.created_at && (
          <p>
            {t("historyNoCreate")} {localDateTime(subject.created_at)}
          </p>
        )}
        {history.changes.length === 0 ? (
          <p class="empty">{t("historyEmpty")}</p>
        ) : (
          <table class="grid history">
            <thead>
              <tr>
                <th scope="col">{t("when")}</th>
                <th scope="col">{t("who")}</th>
                <th scope="col">{t("what")}</th>
              </tr>
            </thead>
            <tbody>
              {history.changes.map((c) => (
                <tr>
                  <td>{localDateTime(c.at)}</td>
                  <td>
                    <Who actor={c.actor} agency={c.agency} />
                  </td>
                  <td>
                    <span class="operation">
                      {c.operation === "update" && c.from_version
                        ? t("op_update_from", { version: c.from_version })
                        : vocabulary("op", c.operation)}
                    </span>
                    {c.changed && c.changed.length > 0 && (
                      <>
                        {": "}
                        {joined(c.changed.map(propertyName))}
                      </>
                    )}
                    {c.reason && (
                      <>
                        {" · "}
                        {t("reason")}: <bdi>{c.reason}</bdi>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="shared-title">
        <h2 id="shared-title">{t("sharedWith")}</h2>
        {history.disclosures.length === 0 ? (
          <p class="empty">{t("notDisclosed")}</p>
        ) : (
          <table class="grid disclosures">
            <thead>
              <tr>
                <th scope="col">{t("when")}</th>
                <th scope="col">{t("toWhom")}</th>
                <th scope="col">{t("what")}</th>
                <th scope="col">{t("messageAndCase")}</th>
              </tr>
            </thead>
            <tbody>
              {history.disclosures.map((d) => (
                <tr>
                  <td>{localDateTime(d.at)}</td>
                  <td>
                    <span dir="ltr">{d.recipients.join(", ")}</span>
                    <br />
                    <span class="hint">
                      {t("sentBy")} <Who actor={d.actor} agency={d.agency} />
                    </span>
                  </td>
                  <td>
                    {d.kind === "followup"
                      ? t("followupDecision")
                      : vocabulary("msg", d.message_type ?? "")}
                    {" · "}
                    {vocabulary("content", d.content)}
                  </td>
                  <td>
                    <span class="id" dir="ltr">
                      {d.message_id}
                    </span>
                    {d.case_id && (
                      <>
                        <br />
                        <span class="id" dir="ltr">
                          {d.case_id}
                        </span>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {history.truncated && <p class="hint">{t("historyTruncated")}</p>}
    </>
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
  const [erased, setErased] = useState(false);
  // Read again after a supervisor's decision, whose answer or refusal stays said meanwhile.
  const [revision, setRevision] = useState(0);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const { history, error: historyError } = useHistory(subject, revision);

  useEffect(() => {
    setSubject(null);
    setError("");
    setErased(false);
    setOutcome(null);
  }, [props.id]);
  useEffect(() => {
    let cancelled = false;
    api.subject(props.id).then(
      (s) => {
        if (cancelled) return;
        setSubject(s);
        setError("");
        setErased(false);
      },
      (e: unknown) => {
        if (cancelled) return;
        setError(e instanceof Error ? e.message : String(e));
        // Only its id remains (the API's 404 names the rule subject_erased).
        setErased(e instanceof api.ApiError && e.status === 404 && e.field === "subject_erased");
      },
    );
    return () => {
      cancelled = true;
    };
  }, [props.id, revision]);

  if (error) {
    return (
      <main id="main">
        <h1>{t("subjectTitle", { id: props.id })}</h1>
        <DecisionOutcome outcome={outcome} />
        {erased ? (
          <p class="notice">{t("subjectErased", { id: props.id })}</p>
        ) : (
          <p class="error" role="alert">
            {t("error", { message: error })}
          </p>
        )}
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
        {t("state")}: {vocabulary("state", subject.state)}
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
      {props.session && mayDecide(props.session, subject) && (
        <SupervisorDecisions
          subject={subject}
          session={props.session}
          changes={history?.changes ?? null}
          outcome={outcome}
          onDecided={(o) => {
            setOutcome(o);
            setRevision((r) => r + 1);
          }}
        />
      )}
      <History subject={subject} history={history} error={historyError} />
      <p>
        <Link href={`/network/${encodeURIComponent(subject.id)}`}>{t("network")}</Link>
        {" · "}
        <Link href="/search">{t("backToSearch")}</Link>
      </p>
    </main>
  );
}
