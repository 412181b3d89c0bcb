// /stats?from=YYYY-MM-DD&to=YYYY-MM-DD: exchanges with partners per month, by country pair and by
// message type, and response times per pair (GET /api/v1/stats: counts only, no personal data;
// users of the exchange and auditors). Bar charts drawn by Chart.js, loaded on demand; each chart
// has an accessible name and its figures in a table for keyboard and screen-reader users.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";

import * as api from "./api";
import { language, t } from "./i18n";
import { navigate } from "./router";

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

// The first day of the month eleven months back: a year of months, this one included.
function yearAgo(day: string): string {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 11);
  return d.toISOString().slice(0, 10);
}

function dayAfter(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

// Every month from `from` to `to` (YYYY-MM), or null past three years.
function monthsBetween(from: string, to: string): string[] | null {
  const out: string[] = [];
  const d = new Date(`${from.slice(0, 7)}-01T00:00:00Z`);
  const last = to.slice(0, 7);
  while (d.toISOString().slice(0, 7) <= last) {
    out.push(d.toISOString().slice(0, 7));
    if (out.length > 36) return null;
    d.setUTCMonth(d.getUTCMonth() + 1);
  }
  return out;
}

// A code of the API's vocabulary in words, the code itself when the catalogue has none.
export function vocabulary(prefix: string, code: string): string {
  const key = `${prefix}_${code}`;
  const text = t(key);
  return text === key ? code : text;
}

function pair(from: string, to: string): string {
  return `${from} → ${to}`;
}

interface Table {
  rows: string[];
  columns: string[];
  cells: number[][]; // [row][column]
}

// Counts per month (rows) and `key` (columns), every month of the window shown when it is short.
function tabulate(
  exchanges: api.ExchangeCount[],
  key: (e: api.ExchangeCount) => string,
  months: string[],
): Table {
  const columns = [...new Set(exchanges.map(key))].sort();
  const cells = months.map(() => columns.map(() => 0));
  for (const e of exchanges) {
    const row = months.indexOf(e.month);
    if (row >= 0) cells[row][columns.indexOf(key(e))] += e.count;
  }
  return { rows: months, columns, cells };
}

function numberFormat(options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  // Latin digits in every language, as the dates and ids around them.
  return new Intl.NumberFormat(`${language()}-u-nu-latn`, options);
}

function Chart(props: {
  id: string;
  title: string;
  description: string;
  table: Table;
  stacked: boolean;
  yTitle: string;
  rowHeader: string;
  columnName: (c: string) => string;
  format: Intl.NumberFormat;
  total: boolean;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { table } = props;
  useEffect(() => {
    if (!canvas.current) return;
    const element = canvas.current;
    let destroy: (() => void) | null = null;
    let cancelled = false;
    void import("./stats_charts").then(({ drawBars }) => {
      if (cancelled) return;
      destroy = drawBars(element, {
        labels: table.rows,
        series: table.columns.map((c, j) => ({
          label: props.columnName(c),
          values: table.rows.map((_, i) => table.cells[i][j]),
        })),
        stacked: props.stacked,
        yTitle: props.yTitle,
        rtl: document.documentElement.dir === "rtl",
        locale: `${language()}-u-nu-latn`,
      });
    });
    return () => {
      cancelled = true;
      destroy?.();
    };
  }, [table, props.stacked, props.yTitle]);
  return (
    <section aria-labelledby={`${props.id}-title`} class="chart">
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      <div class="chart-canvas">
        <canvas ref={canvas} role="img" aria-label={props.description} />
      </div>
      <details>
        <summary>{t("chartFigures")}</summary>
        <table class="results stats" id={`${props.id}-table`}>
          <caption>{props.title}</caption>
          <thead>
            <tr>
              <th scope="col">{props.rowHeader}</th>
              {table.columns.map((c) => (
                <th scope="col">{props.columnName(c)}</th>
              ))}
              {props.total && <th scope="col">{t("total")}</th>}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((r, i) => (
              <tr>
                <th scope="row">{r}</th>
                {table.cells[i].map((v) => (
                  <td class="number">{props.format.format(v)}</td>
                ))}
                {props.total && (
                  <td class="number">{props.format.format(table.cells[i].reduce((a, b) => a + b, 0))}</td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

export function StatsPage(props: { from: string; to: string }) {
  const from = props.from || yearAgo(today());
  const to = props.to || today();
  const [fromInput, setFromInput] = useState(from);
  const [toInput, setToInput] = useState(to);
  const [stats, setStats] = useState<api.ExchangeStats | null>(null);
  const [error, setError] = useState("");

  useEffect(() => {
    setFromInput(from);
    setToInput(to);
    let cancelled = false;
    setStats(null);
    setError("");
    // The form's "to" is the last day shown; the API's is the first day left out.
    api.stats(from, dayAfter(to)).then(
      (s) => !cancelled && setStats(s),
      (e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [from, to]);

  // The tables change with the figures only: typing a date does not draw the charts again.
  const tables = useMemo(() => {
    if (!stats) return null;
    const months =
      monthsBetween(from, to) ?? [...new Set(stats.exchanges.map((e) => e.month))].sort();
    const hoursOnly: Table = {
      rows: stats.response_times.map((r) => pair(r.asker, r.answerer)),
      columns: ["median_hours", "p90_hours", "max_hours"],
      cells: stats.response_times.map((r) => [r.median_hours, r.p90_hours, r.max_hours]),
    };
    return {
      byPair: tabulate(stats.exchanges, (e) => pair(e.from, e.to), months),
      byType: tabulate(stats.exchanges, (e) => e.type, months),
      hoursOnly,
    };
  }, [stats]);

  const count = numberFormat();
  const hours = numberFormat({ maximumSignificantDigits: 3 });
  let body = null;
  if (stats && stats.exchanges.length === 0) {
    body = <p role="status">{t("noExchanges")}</p>;
  } else if (stats && tables) {
    const { byPair, byType, hoursOnly } = tables;
    body = (
      <>
        <p role="status">
          {t("statsSummary", {
            messages: count.format(stats.messages),
            sent: count.format(stats.hit_notifications_sent),
            received: count.format(stats.hit_notifications_received),
          })}
        </p>
        <Chart
          id="by-pair"
          title={t("chartByPair")}
          description={t("chartByPairLabel")}
          table={byPair}
          stacked
          yTitle={t("messages")}
          rowHeader={t("month")}
          columnName={(c) => c}
          format={count}
          total
        />
        <Chart
          id="by-type"
          title={t("chartByType")}
          description={t("chartByTypeLabel")}
          table={byType}
          stacked
          yTitle={t("messages")}
          rowHeader={t("month")}
          columnName={(c) => vocabulary("msg", c)}
          format={count}
          total
        />
        {hoursOnly.rows.length === 0 ? (
          <section aria-labelledby="times-title">
            <h2 id="times-title">{t("chartTimes")}</h2>
            <p>{t("noAnswers")}</p>
          </section>
        ) : (
          <>
            <Chart
              id="times"
              title={t("chartTimes")}
              description={t("chartTimesLabel")}
              table={hoursOnly}
              stacked={false}
              yTitle={t("hours")}
              rowHeader={t("countryPair")}
              columnName={(c) => t(c)}
              format={hours}
              total={false}
            />
            <p>
              {t("answeredCounts")}{" "}
              {stats.response_times.map((r, i) => (
                <>
                  {i > 0 && ", "}
                  <bdi>
                    {pair(r.asker, r.answerer)}: {count.format(r.answered)}
                  </bdi>
                </>
              ))}
            </p>
          </>
        )}
      </>
    );
  }
  return (
    <main id="main">
      <h1>{t("statsTitle")}</h1>
      <p>{t("statsHelp")}</p>
      <form
        class="search"
        onSubmit={(e) => {
          e.preventDefault();
          const next = new URLSearchParams();
          if (fromInput) next.set("from", fromInput);
          if (toInput) next.set("to", toInput);
          navigate(`/stats?${next.toString()}`);
        }}
      >
        <div>
          <label for="stats-from">{t("fromDate")}</label>
          <input
            id="stats-from"
            type="date"
            value={fromInput}
            onInput={(e) => setFromInput((e.target as HTMLInputElement).value)}
          />
        </div>
        <div>
          <label for="stats-to">{t("toDate")}</label>
          <input
            id="stats-to"
            type="date"
            value={toInput}
            onInput={(e) => setToInput((e.target as HTMLInputElement).value)}
          />
        </div>
        <button type="submit">{t("show")}</button>
      </form>
      {error && (
        <p class="error" role="alert">
          {t("error", { message: error })}
        </p>
      )}
      {!stats && !error && <p role="status">{t("loading")}</p>}
      {body}
    </main>
  );
}
