// /radar: releases and leaves in a window (GET /api/v1/radar), by establishment, with each
// release's multi-agency checklist and its overdue tasks; CSV for the weekly meeting.
import { useEffect, useState } from "preact/hooks";

import * as api from "./api";
import { t } from "./i18n";
import { Link } from "./router";

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function radarCsv(radar: api.Radar): string {
  const rows = [
    ["start_date", "end_date", "kind", "subject_id", "name", "establishment", "owner_agency",
      "threat_level", "overdue_tasks"].join(","),
  ];
  for (const e of radar.entries) {
    rows.push(
      [e.start_date, e.end_date, e.kind, e.subject_id, e.name ?? "", e.establishment ?? "",
        e.owner_agency ?? "", e.threat_level ?? "", e.overdue_tasks ?? 0]
        .map(csvCell)
        .join(","),
    );
  }
  return rows.join("\n") + "\n";
}

export function RadarPage() {
  const [days, setDays] = useState(90);
  const [radar, setRadar] = useState<api.Radar | null>(null);
  const [error, setError] = useState("");

  useEffect(() => {
    let cancelled = false;
    setRadar(null);
    setError("");
    api.radar(days).then(
      (r) => !cancelled && setRadar(r),
      (e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [days]);

  const byEstablishment = new Map<string, api.RadarEntry[]>();
  for (const e of radar?.entries ?? []) {
    const key = e.withheld ? t("withheld") : e.establishment || "—";
    byEstablishment.set(key, [...(byEstablishment.get(key) ?? []), e]);
  }
  return (
    <main id="main">
      <h1>{t("radarTitle")}</h1>
      <form class="search" onSubmit={(e) => e.preventDefault()}>
        <div>
          <label for="days">{t("window")}</label>
          <select id="days" value={String(days)} onChange={(e) => setDays(Number((e.target as HTMLSelectElement).value))}>
            {[30, 90, 180, 365].map((d) => (
              <option value={String(d)}>{t("nextDays", { days: d })}</option>
            ))}
          </select>
        </div>
        {radar && (
          <button
            type="button"
            onClick={() => {
              const url = URL.createObjectURL(new Blob([radarCsv(radar)], { type: "text/csv" }));
              const a = document.createElement("a");
              a.href = url;
              a.download = `radar-${radar.from}-${radar.to}.csv`;
              a.click();
              setTimeout(() => URL.revokeObjectURL(url), 1000);
            }}
          >
            {t("exportCsv")}
          </button>
        )}
      </form>
      {error && (
        <p class="error" role="alert">
          {t("error", { message: error })}
        </p>
      )}
      {!radar && !error && <p role="status">{t("loading")}</p>}
      {radar && (
        <>
          <p>
            {t("radarSummary", {
              count: radar.entries.length,
              from: radar.from,
              to: radar.to,
              overdue: radar.overdue_tasks,
            })}
          </p>
          {[...byEstablishment.entries()].map(([establishment, entries]) => (
            <section>
              <h2>{establishment}</h2>
              <table class="results radar">
                <thead>
                  <tr>
                    <th scope="col">{t("date")}</th>
                    <th scope="col">{t("event")}</th>
                    <th scope="col">{t("subject")}</th>
                    <th scope="col">{t("owner")}</th>
                    <th scope="col">{t("threat")}</th>
                    <th scope="col">{t("checklist")}</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((e) => (
                    <tr class={(e.overdue_tasks ?? 0) > 0 ? "overdue" : ""}>
                      <td>
                        {e.start_date}
                        {e.end_date && e.end_date !== e.start_date ? ` → ${e.end_date}` : ""}
                      </td>
                      <td>{e.kind}</td>
                      <td>
                        {e.withheld ? (
                          <span class="id">{e.subject_id}</span>
                        ) : (
                          <Link href={`/subjects/${encodeURIComponent(e.subject_id)}`}>
                            <bdi>{e.name || e.subject_id}</bdi>
                          </Link>
                        )}
                      </td>
                      <td>{e.owner_agency ?? ""}</td>
                      <td>{e.threat_level ?? ""}</td>
                      <td>
                        {(e.checklist ?? []).length > 0 ? (
                          <details>
                            <summary>
                              {t("tasks", { count: (e.checklist ?? []).length, overdue: e.overdue_tasks ?? 0 })}
                            </summary>
                            <ul>
                              {(e.checklist ?? []).map((task) => (
                                <li class={task.overdue ? "overdue" : ""}>
                                  {task.task} — {task.owner_agency} — {task.status} — {task.due_date}
                                  {task.overdue ? ` (${t("overdue")})` : ""}
                                </li>
                              ))}
                            </ul>
                          </details>
                        ) : (
                          "—"
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ))}
        </>
      )}
    </main>
  );
}
