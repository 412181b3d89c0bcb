// /search?q=NAME[&birthDate=YYYY-MM-DD][&category=CODE][&owner_agency=BE|BE/police]
// [&nationality=CC][&custody=held|not_held][&handling_code=H0..H3]: the register searched by name
// in any spelling or script, narrowed by the filters, which stay in the address (a deep link that
// survives a reload); the best candidates, ranked, with their score and explanation, even when
// none reaches the match threshold (POST /api/v1/screen, a search). "Ask the partners" runs the
// same search against the partners' encoded indexes (hit/no-hit: a reference to quote and the
// agency to ask, no personal data), or says why this node cannot.
import { useEffect, useState } from "preact/hooks";

import * as api from "./api";
import { ltr, t } from "./i18n";
import { Link } from "./router";
import { vocabulary } from "./stats";
import { CATEGORIES } from "./subject_form";

const CUSTODY = ["held", "not_held"] as const;
const HANDLING_CODES = ["H0", "H1", "H2", "H3"] as const;

// The filters the address holds (unknown parameters ignored).
function filtersOf(params: URLSearchParams): api.SearchFilters {
  const out: api.SearchFilters = {};
  for (const key of api.SEARCH_FILTERS) {
    const value = params.get(key);
    if (value) out[key] = value;
  }
  return out;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

type PartnerState =
  | { kind: "idle" }
  | { kind: "asking" }
  | { kind: "refused"; message: string }
  | { kind: "answered"; answer: api.PartnerAnswer };

export function SearchPage(props: { query: string; navigate: (path: string) => void }) {
  const params = new URLSearchParams(window.location.search);
  const wantedBirthDate = params.get("birthDate") ?? "";
  const wantedFilters = filtersOf(params);
  // What the search depends on: the name, the birth date and the filters of the address.
  const searchKey = JSON.stringify([props.query, wantedBirthDate, wantedFilters]);
  const [name, setName] = useState(props.query);
  const [birthDate, setBirthDate] = useState(wantedBirthDate);
  const [filters, setFilters] = useState<api.SearchFilters>(wantedFilters);
  const [results, setResults] = useState<api.Candidate[] | null>(null);
  const [error, setError] = useState<api.ApiError | Error | null>(null);
  const [busy, setBusy] = useState(false);
  const [partners, setPartners] = useState<PartnerState>({ kind: "idle" });

  useEffect(() => {
    setName(props.query);
    setBirthDate(wantedBirthDate);
    setFilters(wantedFilters);
    setPartners({ kind: "idle" });
    setError(null);
    if (!props.query) {
      setResults(null);
      return;
    }
    let cancelled = false;
    setBusy(true);
    api
      .search(props.query, wantedBirthDate, wantedFilters)
      .then(
        (hits) => !cancelled && setResults(hits),
        (e: unknown) => {
          if (cancelled) return;
          setResults(null);
          setError(e instanceof Error ? e : new Error(String(e)));
        },
      )
      .finally(() => !cancelled && setBusy(false));
    return () => {
      cancelled = true;
    };
  }, [searchKey]);

  const askPartners = () => {
    setPartners({ kind: "asking" });
    api.askPartners(props.query, wantedBirthDate, wantedFilters).then(
      (answer) => setPartners({ kind: "answered", answer }),
      (e: unknown) => setPartners({ kind: "refused", message: messageOf(e) }),
    );
  };

  // A filter the API refused (400 naming "body.filters.X") is marked on its field.
  const refusedFilter =
    error instanceof api.ApiError && error.field.startsWith("body.filters.")
      ? error.field.slice("body.filters.".length)
      : "";
  const invalid = (key: api.SearchFilter) =>
    refusedFilter === key ? { "aria-invalid": "true" as const, "aria-describedby": "search-error" } : {};
  const setFilter = (key: api.SearchFilter, value: string) => setFilters({ ...filters, [key]: value });
  const filtered = Object.keys(wantedFilters).length > 0;

  let summary = "";
  if (busy) summary = t("loading");
  else if (results) {
    summary =
      results.length === 0
        ? t(filtered ? "noResultsFiltered" : "noResults")
        : t(filtered ? "resultsFiltered" : "results", { count: results.length });
  }

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
          for (const key of api.SEARCH_FILTERS) {
            const value = (filters[key] ?? "").trim();
            if (value) next.set(key, key === "nationality" ? value.toUpperCase() : value);
          }
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
        <fieldset class="filters">
          <legend>{t("filters")}</legend>
          <div>
            <label for="filter-category">{t("filterCategory")}</label>
            <select
              id="filter-category"
              value={filters.category ?? ""}
              {...invalid("category")}
              onChange={(e) => setFilter("category", (e.target as HTMLSelectElement).value)}
            >
              <option value="">{t("filterAny")}</option>
              {CATEGORIES.map((c) => (
                <option value={c}>{vocabulary("category", c)}</option>
              ))}
            </select>
          </div>
          <div>
            <label for="filter-owner">{t("owner")}</label>
            <input
              id="filter-owner"
              dir="ltr"
              autocomplete="off"
              placeholder={t("filterOwnerPlaceholder")}
              value={filters.owner_agency ?? ""}
              {...invalid("owner_agency")}
              onInput={(e) => setFilter("owner_agency", (e.target as HTMLInputElement).value)}
            />
          </div>
          <div>
            <label for="filter-nationality">{t("field_nationality")}</label>
            <input
              id="filter-nationality"
              dir="ltr"
              autocomplete="off"
              maxLength={2}
              pattern="[A-Za-z]{2}"
              title={t("hintCountry")}
              aria-describedby={refusedFilter === "nationality" ? "search-error" : "filter-nationality-hint"}
              aria-invalid={refusedFilter === "nationality" ? "true" : undefined}
              value={filters.nationality ?? ""}
              onInput={(e) => setFilter("nationality", (e.target as HTMLInputElement).value)}
            />
            <p id="filter-nationality-hint" class="hint">
              {t("hintCountry")}
            </p>
          </div>
          <div>
            <label for="filter-custody">{t("filterCustody")}</label>
            <select
              id="filter-custody"
              value={filters.custody ?? ""}
              {...invalid("custody")}
              onChange={(e) => setFilter("custody", (e.target as HTMLSelectElement).value)}
            >
              <option value="">{t("filterAny")}</option>
              {CUSTODY.map((c) => (
                <option value={c}>{t(`custody_${c}`)}</option>
              ))}
            </select>
          </div>
          <div>
            <label for="filter-handling">{t("field_handlingCode")}</label>
            <select
              id="filter-handling"
              value={filters.handling_code ?? ""}
              {...invalid("handling_code")}
              onChange={(e) => setFilter("handling_code", (e.target as HTMLSelectElement).value)}
            >
              <option value="">{t("filterAny")}</option>
              {HANDLING_CODES.map((c) => (
                <option value={c}>{vocabulary("handling", c)}</option>
              ))}
            </select>
          </div>
        </fieldset>
        <button type="submit" disabled={busy}>
          {t("searchButton")}
        </button>
      </form>
      {error && (
        <p class="error" role="alert" id="search-error">
          {t("error", { message: error.message })}
        </p>
      )}
      {/* Present before any answer, so that screen readers announce each new one. */}
      <p role="status" class="summary" id="results-status">
        {summary}
      </p>
      {results && results.length > 0 && !busy && <Results hits={results} />}
      {props.query && results && !busy && (
        <Partners state={partners} onAsk={askPartners} />
      )}
    </main>
  );
}

function Results(props: { hits: api.Candidate[] }) {
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">{t("resultsTitle")}</h2>
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

// The partners' answer: hits (a reference to quote to the agency that owns the record, the
// score), "no hit", the partners that could not be asked, or why this node cannot ask.
function Partners(props: { state: PartnerState; onAsk: () => void }) {
  const { state } = props;
  let said = "";
  if (state.kind === "asking") said = t("askingPartners");
  // The API's message (in English) kept in its own direction inside an Arabic sentence.
  else if (state.kind === "refused") said = t("partnersRefused", { message: ltr(state.message) });
  else if (state.kind === "answered") {
    said =
      state.answer.hits.length > 0
        ? t("partnerHits", { count: state.answer.hits.length })
        : t("noPartnerHit");
    if (state.answer.unavailable.length > 0) {
      said += " " + t("partnersUnavailable", { list: state.answer.unavailable.join("; ") });
    }
  }
  return (
    <section aria-labelledby="partners-title" class="partners">
      <h2 id="partners-title">{t("partnersTitle")}</h2>
      <p id="partners-help" class="hint">
        {t("partnersHelp")}
      </p>
      <button
        type="button"
        aria-describedby="partners-help"
        disabled={state.kind === "asking"}
        onClick={props.onAsk}
      >
        {t("askPartners")}
      </button>
      <p role="status" id="partners-status" class={state.kind === "refused" ? "error" : ""}>
        {said}
      </p>
      {state.kind === "answered" && state.answer.hits.length > 0 && (
        <table class="grid partner-hits">
          <caption>{t("partnerHitsCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("country")}</th>
              <th scope="col">{t("referenceToQuote")}</th>
              <th scope="col">{t("agencyToAsk")}</th>
              <th scope="col">{t("score")}</th>
            </tr>
          </thead>
          <tbody>
            {state.answer.hits.map((hit) => (
              <tr>
                <td>{hit.country}</td>
                <td>
                  <span class="id" dir="ltr">
                    {hit.reference}
                  </span>
                </td>
                <td>
                  <bdi>{hit.owner}</bdi>
                </td>
                <td>
                  <meter min={0} max={1} value={hit.score} aria-label={t("score")} />{" "}
                  {(hit.score * 100).toFixed(1)} %
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
