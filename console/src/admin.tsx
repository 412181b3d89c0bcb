// /admin (administrators): the node's users (disable, enable, a new token shown once), the
// partners and their sharing rules, the outbox and its failures (requeue).
import { useEffect, useState } from "preact/hooks";

import * as api from "./api";
import { t } from "./i18n";

export function AdminPage() {
  const [state, setState] = useState<api.AdminView | null>(null);
  const [error, setError] = useState("");
  const [issued, setIssued] = useState<{ id: string; token: string } | null>(null);
  const [revision, setRevision] = useState(0);

  useEffect(() => {
    api.adminView().then(setState, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [revision]);

  const act = async (action: () => Promise<unknown>) => {
    setError("");
    try {
      await action();
      setRevision((r) => r + 1);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <main id="main">
      <h1>{t("adminTitle")}</h1>
      {error && <p class="error" role="alert">{t("error", { message: error })}</p>}
      {issued && (
        <p class="notice" role="status">
          {t("newToken", { id: issued.id })} <code>{issued.token}</code>
        </p>
      )}
      {!state && !error && <p role="status">{t("loading")}</p>}
      {state && (
        <>
          <section aria-labelledby="users-title">
            <h2 id="users-title">{t("users", { count: state.users.length })}</h2>
            <table class="results users">
              <thead>
                <tr>
                  <th scope="col">{t("user")}</th>
                  <th scope="col">{t("agency")}</th>
                  <th scope="col">{t("role")}</th>
                  <th scope="col">{t("tier")}</th>
                  <th scope="col">{t("expires")}</th>
                  <th scope="col">{t("state")}</th>
                  <th scope="col">{t("actions")}</th>
                </tr>
              </thead>
              <tbody>
                {state.users.map((u) => (
                  <tr>
                    <td>{u.name || u.id} <span class="id">{u.id}</span></td>
                    <td>{u.agency}</td>
                    <td>{u.role}</td>
                    <td>{u.tier}{u.designations ? ` · ${u.designations}` : ""}</td>
                    <td>{u.expires_at ?? "—"}</td>
                    <td>{u.state}</td>
                    <td>
                      <button
                        type="button"
                        class="secondary"
                        onClick={() => act(() => api.setUserEnabled(u.id, u.state === "disabled"))}
                      >
                        {u.state === "disabled" ? t("enable") : t("disable")}
                      </button>{" "}
                      <button
                        type="button"
                        class="secondary"
                        onClick={() =>
                          act(async () => {
                            const rotated = await api.rotateToken(u.id);
                            setIssued({ id: u.id, token: rotated.token });
                          })
                        }
                      >
                        {t("rotate")}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="partners-title">
            <h2 id="partners-title">{t("partners", { count: state.partners.length })}</h2>
            {state.partners.length === 0 ? (
              <p>{t("nothing")}</p>
            ) : (
              <table class="results">
                <thead>
                  <tr>
                    <th scope="col">{t("partner")}</th>
                    <th scope="col">URL</th>
                    <th scope="col">{t("rules")}</th>
                  </tr>
                </thead>
                <tbody>
                  {state.partners.map((p) => (
                    <tr>
                      <td>{p.country}</td>
                      <td>{p.url}</td>
                      <td><pre>{JSON.stringify(p.rules, null, 1)}</pre></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="outbox-title">
            <h2 id="outbox-title">{t("outbox")}</h2>
            {state.outbox.queues.length === 0 ? (
              <p>{t("nothing")}</p>
            ) : (
              <table class="results">
                <thead>
                  <tr>
                    <th scope="col">{t("partner")}</th>
                    <th scope="col">{t("state")}</th>
                    <th scope="col">{t("messages")}</th>
                    <th scope="col">{t("oldest")}</th>
                  </tr>
                </thead>
                <tbody>
                  {state.outbox.queues.map((q) => (
                    <tr class={q.stalled ? "overdue" : ""}>
                      <td>{q.recipient}</td>
                      <td>{q.state}{q.stalled ? ` · ${t("stalled")}` : ""}</td>
                      <td>{q.count}</td>
                      <td>{q.oldest_created_at}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {state.outbox.failed.map((f) => (
              <p class="notice">
                {f.recipient} · {f.message_id} · {f.last_error}{" "}
                <button type="button" class="secondary" onClick={() => act(() => api.requeue(f.seq))}>
                  {t("requeue")}
                </button>
              </p>
            ))}
          </section>
        </>
      )}
    </main>
  );
}
