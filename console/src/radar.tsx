// /radar: releases and leaves in a window (GET /api/v1/radar), by establishment, with each
// release's multi-agency checklist and its overdue tasks; CSV for the weekly meeting. A
// checklist is prepared (POST /api/v1/radar/checklists) and a task's status changed (PUT
// /api/v1/radar/tasks/{id}) from here; the API says whether the task is still overdue.
import { useEffect, useState } from "preact/hooks";

import * as api from "./api";
import { csvCell, download } from "./download";
import { ltr, t } from "./i18n";
import { Link } from "./router";
import { vocabulary } from "./stats";

// One task of a checklist: its status, its assignee and a new comment saved at once, with the
// API's answer shown; its comments listed, oldest first.
function TaskItem(props: {
  task: api.ChecklistTask;
  mayChange: boolean;
  onChanged: (task: api.ChecklistTask) => void;
}) {
  const { task } = props;
  const [status, setStatus] = useState(task.status);
  const [assignee, setAssignee] = useState(task.assignee);
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState("");
  const [error, setError] = useState("");
  const id = `task-${task.id}`;
  return (
    <li class={task.overdue ? "overdue task" : "task"}>
      <span id={`${id}-name`}>{task.task}</span> — {task.owner_agency} —{" "}
      {t("dueOn", { date: ltr(task.due_date) })}
      {task.overdue ? ` (${t("overdue")})` : ""}
      {task.assignee && !props.mayChange && (
        <>
          {" — "}
          {t("assignee")}: <bdi>{task.assignee}</bdi>
        </>
      )}
      {!props.mayChange && <> — {vocabulary("taskStatus", task.status)}</>}
      {props.mayChange && (
        <form
          class="task-status"
          onSubmit={async (e) => {
            e.preventDefault();
            setBusy(true);
            setError("");
            setResult("");
            try {
              const change: api.TaskChange = {};
              if (status !== task.status) change.status = status;
              if (assignee.trim() !== task.assignee) change.assignee = assignee.trim();
              if (comment.trim()) change.comment = comment.trim();
              const updated = await api.updateTask(task.id, change);
              setComment("");
              props.onChanged(updated);
              setResult(
                t(updated.overdue ? "taskUpdatedOverdue" : "taskUpdated", {
                  status: vocabulary("taskStatus", updated.status),
                }),
              );
            } catch (err) {
              setError(t("error", { message: err instanceof Error ? err.message : String(err) }));
            } finally {
              setBusy(false);
            }
          }}
        >
          <label id={`${id}-label`} for={`${id}-status`}>
            {t("taskStatus")}
          </label>
          <select
            id={`${id}-status`}
            aria-labelledby={`${id}-label ${id}-name`}
            value={status}
            onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}
          >
            {api.TASK_STATUSES.map((s) => (
              <option value={s}>{vocabulary("taskStatus", s)}</option>
            ))}
          </select>
          <label for={`${id}-assignee`}>{t("assignee")}</label>
          <input
            id={`${id}-assignee`}
            type="text"
            maxLength={120}
            aria-describedby={`${id}-name`}
            value={assignee}
            onInput={(e) => setAssignee((e.target as HTMLInputElement).value)}
          />
          <label for={`${id}-comment`}>{t("taskComment")}</label>
          <textarea
            id={`${id}-comment`}
            rows={2}
            maxLength={2000}
            aria-describedby={`${id}-name`}
            value={comment}
            onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)}
          />
          <button
            type="submit"
            class="secondary"
            disabled={
              busy ||
              (status === task.status && assignee.trim() === task.assignee && !comment.trim())
            }
          >
            {t("saveTask")}
          </button>
          <span role="status" class="result">
            {result}
          </span>
          {error && (
            <span role="alert" class="error">
              {error}
            </span>
          )}
        </form>
      )}
      {task.comments.length > 0 && (
        <ul class="comments">
          {task.comments.map((c) => (
            <li>
              <time dateTime={c.at}>{ltr(new Date(c.at).toLocaleString())}</time>{" "}
              <bdi>
                {c.author} ({c.agency})
              </bdi>
              : <bdi class="comment-text">{c.text}</bdi>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

// An entry's checklist, or the button that prepares it.
function Checklist(props: {
  entry: api.RadarEntry;
  mayChange: boolean;
  onChanged: (tasks: api.ChecklistTask[]) => void;
}) {
  const { entry } = props;
  const tasks = entry.checklist ?? [];
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  if (tasks.length === 0 && !props.mayChange) return <>—</>;
  if (tasks.length === 0) {
    return (
      <>
        <button
          type="button"
          class="secondary"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            setError("");
            try {
              props.onChanged(await api.prepareChecklist(entry.subject_id, entry.start_date));
            } catch (err) {
              setError(t("error", { message: err instanceof Error ? err.message : String(err) }));
            } finally {
              setBusy(false);
            }
          }}
        >
          {t("prepareChecklist")}
        </button>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
      </>
    );
  }
  return (
    <details>
      <summary>{t("tasks", { count: tasks.length, overdue: entry.overdue_tasks ?? 0 })}</summary>
      <ul>
        {tasks.map((task) => (
          <TaskItem
            key={task.id}
            task={task}
            mayChange={props.mayChange}
            onChanged={(updated) => props.onChanged(tasks.map((x) => (x.id === updated.id ? updated : x)))}
          />
        ))}
      </ul>
    </details>
  );
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

// mayChange: the user's tier feeds the register, as preparing a checklist and changing a task
// need (the API decides).
export function RadarPage(props: { mayChange: boolean }) {
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

  // A checklist prepared or a task changed: the entry's tasks and the overdue counts follow.
  const replaceChecklist = (entry: api.RadarEntry, tasks: api.ChecklistTask[]) => {
    if (!radar) return;
    const overdue = tasks.filter((task) => task.overdue).length;
    setRadar({
      ...radar,
      overdue_tasks: radar.overdue_tasks - (entry.overdue_tasks ?? 0) + overdue,
      entries: radar.entries.map((x) =>
        x.subject_id === entry.subject_id && x.start_date === entry.start_date && x.kind === entry.kind
          ? { ...x, checklist: tasks, overdue_tasks: overdue }
          : x,
      ),
    });
  };

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
              download(`radar-${radar.from}-${radar.to}.csv`, "text/csv", radarCsv(radar));
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
              from: ltr(radar.from),
              to: ltr(radar.to),
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
                        <span dir="ltr">
                          {e.start_date}
                          {e.end_date && e.end_date !== e.start_date ? ` → ${e.end_date}` : ""}
                        </span>
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
                        {e.withheld ? "—" : <Checklist entry={e} mayChange={props.mayChange} onChanged={(tasks) => replaceChecklist(e, tasks)} />}
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
