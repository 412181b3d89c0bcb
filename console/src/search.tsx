// /search?q=NAME[&birthDate=YYYY-MM-DD]: the register searched by name in any spelling or
// script; the best candidates, ranked, with their score and explanation, even when none reaches
// the match threshold (POST /api/v1/screen, a search).
import { useEffect, useState } from "preact/hooks";

import * as api from "./api";
import { t } from "./i18n";
import { Link } from "./router";

export function SearchPage(props: { query: string; navigate: (path: string) => void }) {
  const params = new URLSearchParams(window.location.search);
  const [name, setName] = useState(props.query);
  const [birthDate, setBirthDate] = useState(params.get("birthDate") ?? "");
  const [results, setResults] = useState<api.Candidate[] | null>(null);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const wantedBirthDate = params.get("birthDate") ?? "";

  useEffect(() => {
    setName(props.query);
    if (!props.query) {
      setResults(null);
      return;
    }
    let cancelled = false;
    setBusy(true);
    setError("");
    api
      .search(props.query, wantedBirthDate)
      .then(
        (hits) => !cancelled && setResults(hits),
        (e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)),
      )
      .finally(() => !cancelled && setBusy(false));
    return () => {
      cancelled = true;
    };
  }, [props.query, wantedBirthDate]);

  return (
    <main id="main">
      <h1>{t("searchTitle")}</h1>
      <form
        class="search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          const next = new URLSearchParams();
          next.set("q", name.trim());
          if (birthDate) next.set("birthDate", birthDate);
          props.navigate(`/search?${next.toString()}`);
        }}
      >
        <div>
          <label for="q">{t("searchLabel")}</label>
          <input
            id="q"
            type="search"
            required
            value={name}
            onInput={(e) => setName((e.target as HTMLInputElement).value)}
          />
        </div>
        <div>
          <label for="birth-date">{t("birthDate")}</label>
          <input
            id="birth-date"
            type="date"
            value={birthDate}
            onInput={(e) => setBirthDate((e.target as HTMLInputElement).value)}
          />
        </div>
        <button type="submit" disabled={busy}>
          {t("searchButton")}
        </button>
      </form>
      {busy && <p role="status">{t("loading")}</p>}
      {error && (
        <p class="error" role="alert">
          {t("error", { message: error })}
        </p>
      )}
      {results && !busy && <Results hits={results} />}
    </main>
  );
}

function Results(props: { hits: api.Candidate[] }) {
  if (props.hits.length === 0) return <p role="status">{t("noResults")}</p>;
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">{t("results", { count: props.hits.length })}</h2>
      <table class="results">
        <thead>
          <tr>
            <th scope="col">{t("subject")}</th>
            <th scope="col">{t("owner")}</th>
            <th scope="col">{t("score")}</th>
            <th scope="col">{t("match")}</th>
            <th scope="col">{t("explanation")}</th>
          </tr>
        </thead>
        <tbody>
          {props.hits.map((hit) => (
            <tr class={hit.match ? "match" : ""}>
              <td>
                <Link href={`/subjects/${encodeURIComponent(hit.subject_id)}`}>
                  {hit.caption || hit.subject_id}
                </Link>{" "}
                <span class="id">{hit.subject_id}</span>
              </td>
              <td>{hit.owner_agency}</td>
              <td>
                <meter min={0} max={1} value={hit.score} aria-label={t("score")} />{" "}
                {(hit.score * 100).toFixed(1)} %
              </td>
              <td>{hit.match ? t("reachesThreshold") : t("belowThreshold")}</td>
              <td>
                {hit.explanation && (
                  <details>
                    <summary>{t("explanation")}</summary>
                    <pre>{hit.explanation}</pre>
                  </details>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
