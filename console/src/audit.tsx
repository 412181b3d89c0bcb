// /audit (auditors): the log filtered by actor, subject (including every screening or search
// that returned it), action, outcome and time, with what was searched; the hash chain's
// verification; CSV for an inspection report.
import { useState } from "preact/hooks";

import * as api from "./api";
import { csvCell, download } from "./download";
import { t } from "./i18n";

const FIELDS = ["actor", "subject", "action", "outcome", "from", "to"] as const;
type Filter = Record<(typeof FIELDS)[number], string>;

export function auditCsv(entries: api.AuditEntry[]): string {
  const header = ["seq", "at", "actor", "actor_agency", "action", "subject_id", "justification", "details"];
  const rows = entries.map((e) =>
    [e.seq, e.at, e.actor, e.actor_agency, e.action, e.subject_id, e.justification, e.details]
      .map(csvCell)
      .join(","),
  );
  return [header.join(","), ...rows].join("\n") + "\n";
}

export function AuditPage() {
  const [filter, setFilter] = useState<Filter>({ actor: "", subject: "", action: "", outcome: "", from: "", to: "" });
  const [entries, setEntries] = useState<api.AuditEntry[] | null>(null);
  const [remaining, setRemaining] = useState(0);
  const [verdict, setVerdict] = useState<api.AuditVerification | null>(null);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  const load = async (after = 0) => {
    setBusy(true);
    setError("");
    try {
      const page = await api.audit(filter, after);
      setEntries(after === 0 ? page.entries : [...(entries ?? []), ...page.entries]);
      setRemaining(page.remaining);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main">
      <h1>{t("auditTitle")}</h1>
      <form
        class="search"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        {FIELDS.map((field) => (
          <div>
            <label for={`audit-${field}`}>{t(`audit_${field}`)}</label>
            <input
              id={`audit-${field}`}
              type={field === "from" || field === "to" ? "date" : "text"}
              value={filter[field]}
              onInput={(e) => setFilter({ ...filter, [field]: (e.target as HTMLInputElement).value })}
            />
          </div>
        ))}
        <button type="submit" disabled={busy}>{t("show")}</button>
      </form>
      <p>
        <button
          type="button"
          onClick={async () => {
            try {
              setVerdict(await api.verifyAudit());
            } catch (e) {
              setError(e instanceof Error ? e.message : String(e));
            }
          }}
        >
          {t("verifyChain")}
        </button>{" "}
        {verdict && (
          <span role="status" class={verdict.intact ? "" : "error"}>
            {verdict.intact
              ? t("chainIntact", { entries: verdict.entries })
              : t("chainBroken", { seq: verdict.first_broken_seq ?? 0, reason: verdict.reason ?? "" })}
          </span>
        )}
      </p>
      {error && <p class="error" role="alert">{t("error", { message: error })}</p>}
      {entries && (
        <>
          <p>
            {t("auditShown", { count: entries.length, remaining })}{" "}
            {remaining > 0 && (
              <button type="button" class="secondary" onClick={() => load(entries[entries.length - 1]?.seq ?? 0)}>
                {t("more")}
              </button>
            )}{" "}
            <button
              type="button"
              onClick={() => {
                download("audit.csv", "text/csv", auditCsv(entries));
              }}
            >
              {t("exportCsv")}
            </button>
          </p>
          <table class="results audit">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t("when")}</th>
                <th scope="col">{t("audit_actor")}</th>
                <th scope="col">{t("audit_action")}</th>
                <th scope="col">{t("audit_subject")}</th>
                <th scope="col">{t("justification")}</th>
                <th scope="col">{t("details")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr>
                  <td>{e.seq}</td>
                  <td>{e.at}</td>
                  <td>{e.actor} · {e.actor_agency}</td>
                  <td>{e.action}</td>
                  <td>{e.subject_id}</td>
                  <td><bdi>{e.justification}</bdi></td>
                  <td>
                    <details>
                      <summary>{t("details")}</summary>
                      <pre>{JSON.stringify(e.details, null, 1)}</pre>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </main>
  );
}
