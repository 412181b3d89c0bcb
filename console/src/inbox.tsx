// /inbox: the cases of the exchange and their messages (acknowledging a release notice or an
// alert), the hits on this register and this node's hits at partners, the partners' follow-up
// requests with their 48-hour deadline and the release/refuse decision. Polled every 20 s, so
// new items show without a reload.
import { useEffect, useState } from "preact/hooks";

import * as api from "./api";
import { t } from "./i18n";
import { Link } from "./router";

const POLL_MS = 20_000;

function hoursLeft(due: string | null): string {
  if (!due) return "";
  const hours = Math.round((Date.parse(due) - Date.now()) / 3_600_000);
  return hours >= 0 ? t("dueIn", { hours }) : t("lateBy", { hours: -hours });
}

function Thread(props: { caseId: string }) {
  const [thread, setThread] = useState<api.CaseThread | null>(null);
  const [error, setError] = useState("");
  const [acknowledged, setAcknowledged] = useState<Set<string>>(new Set());
  useEffect(() => {
    api.caseThread(props.caseId).then(setThread, (e: unknown) =>
      setError(e instanceof Error ? e.message : String(e)),
    );
  }, [props.caseId]);
  if (error) return <p class="error" role="alert">{t("error", { message: error })}</p>;
  if (!thread) return <p role="status">{t("loading")}</p>;
  return (
    <ol class="thread">
      {thread.messages.map((m) => (
        <li>
          <p>
            <strong>{m.type}</strong> · {m.direction === "in" ? t("received") : t("sent")} ·{" "}
            {m.sender} → {m.recipients} · {m.handling_code} · {m.stored_at}
          </p>
          {m.message?.body && <p class="body"><bdi>{m.message.body}</bdi></p>}
          {m.direction === "in" && (m.type === "release_notice" || m.type === "alert") && (
            <button
              type="button"
              disabled={acknowledged.has(m.id)}
              onClick={async () => {
                try {
                  await api.acknowledge(m.id);
                  setAcknowledged(new Set([...acknowledged, m.id]));
                } catch (e) {
                  setError(e instanceof Error ? e.message : String(e));
                }
              }}
            >
              {acknowledged.has(m.id) ? t("acknowledged") : t("acknowledge")}
            </button>
          )}
        </li>
      ))}
    </ol>
  );
}

function Decision(props: { followUp: api.FollowUp; onDone: () => void }) {
  const [reason, setReason] = useState("");
  const [error, setError] = useState("");
  const id = `reason-${props.followUp.message_id}`;
  const decide = async (decision: "release" | "refuse") => {
    try {
      await api.decideFollowUp(props.followUp.message_id, decision, reason);
      props.onDone();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div class="decision">
      <label for={id}>{t("reason")}</label>
      <input id={id} value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
      <button type="button" onClick={() => decide("release")}>{t("release")}</button>{" "}
      <button type="button" onClick={() => decide("refuse")}>{t("refuse")}</button>
      {error && <p class="error" role="alert">{error}</p>}
    </div>
  );
}

export function InboxPage() {
  const [inbox, setInbox] = useState<api.Inbox | null>(null);
  const [error, setError] = useState("");
  const [open, setOpen] = useState<string>("");
  const [revision, setRevision] = useState(0);

  useEffect(() => {
    let cancelled = false;
    const load = () =>
      api.inbox().then(
        (i) => {
          if (!cancelled) {
            setInbox(i);
            setError("");
          }
        },
        (e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)),
      );
    void load();
    const timer = setInterval(load, POLL_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [revision]);

  return (
    <main id="main">
      <h1>{t("inboxTitle")}</h1>
      {error && <p class="error" role="alert">{t("error", { message: error })}</p>}
      {!inbox && !error && <p role="status">{t("loading")}</p>}
      {inbox && (
        <>
          <section aria-labelledby="cases-title">
            <h2 id="cases-title">{t("cases", { count: inbox.cases.length })}</h2>
            {inbox.cases.length === 0 ? (
              <p>{t("nothing")}</p>
            ) : (
              <table class="results cases">
                <thead>
                  <tr>
                    <th scope="col">{t("case")}</th>
                    <th scope="col">{t("openedBy")}</th>
                    <th scope="col">{t("messages")}</th>
                    <th scope="col">{t("lastActivity")}</th>
                    <th scope="col">{t("overdue")}</th>
                  </tr>
                </thead>
                <tbody>
                  {inbox.cases.map((c) => (
                    <>
                      <tr class={c.overdue.length > 0 ? "overdue" : ""}>
                        <td>
                          <button
                            type="button"
                            class="secondary"
                            aria-expanded={open === c.case_id}
                            onClick={() => setOpen(open === c.case_id ? "" : c.case_id)}
                          >
                            <span class="id">{c.case_id}</span>
                          </button>
                          {c.minors ? ` · ${t("minors")}` : ""}
                        </td>
                        <td>{c.opened_by}</td>
                        <td>{c.messages}</td>
                        <td>{c.last_at}</td>
                        <td>{c.overdue.length}</td>
                      </tr>
                      {open === c.case_id && (
                        <tr>
                          <td colSpan={5}>
                            <Thread caseId={c.case_id} />
                          </td>
                        </tr>
                      )}
                    </>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="followups-title">
            <h2 id="followups-title">{t("followUps", { count: inbox.followUps.length })}</h2>
            {inbox.followUps.length === 0 ? (
              <p>{t("nothing")}</p>
            ) : (
              <table class="results">
                <thead>
                  <tr>
                    <th scope="col">{t("partner")}</th>
                    <th scope="col">{t("subject")}</th>
                    <th scope="col">{t("deadline")}</th>
                    <th scope="col">{t("decision")}</th>
                  </tr>
                </thead>
                <tbody>
                  {inbox.followUps.map((f) => (
                    <tr class={f.state === "overdue" ? "overdue" : ""}>
                      <td>{f.partner} · {f.requester}</td>
                      <td>
                        <Link href={`/subjects/${encodeURIComponent(f.subject_id)}`}>{f.subject_id}</Link>
                      </td>
                      <td>{f.decision ? f.state : hoursLeft(f.due_at)}</td>
                      <td>
                        {f.decision ? (
                          `${f.decision} · ${f.reason}`
                        ) : (
                          <Decision followUp={f} onDone={() => setRevision((r) => r + 1)} />
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          {(["in", "out"] as const).map((direction) => {
            const hits = direction === "in" ? inbox.hitsIn : inbox.hitsOut;
            return (
              <section aria-labelledby={`hits-${direction}`}>
                <h2 id={`hits-${direction}`}>
                  {t(direction === "in" ? "hitsIn" : "hitsOut", { count: hits.length })}
                </h2>
                {hits.length === 0 ? (
                  <p>{t("nothing")}</p>
                ) : (
                  <table class="results">
                    <thead>
                      <tr>
                        <th scope="col">{t("partner")}</th>
                        <th scope="col">{direction === "in" ? t("subject") : t("reference")}</th>
                        <th scope="col">{t("score")}</th>
                        <th scope="col">{t("when")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {hits.map((h) => (
                        <tr>
                          <td>{h.country} · {h.agency}</td>
                          <td>
                            {h.subject_id ? (
                              <Link href={`/subjects/${encodeURIComponent(h.subject_id)}`}>{h.subject_id}</Link>
                            ) : (
                              <span class="id">{h.reference}</span>
                            )}
                          </td>
                          <td>{(h.score * 100).toFixed(1)} %</td>
                          <td>{h.at}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </section>
            );
          })}
        </>
      )}
    </main>
  );
}
