// The console: a single page served by the node at / (docs/console.md). Pages: sign-in, search,
// the subject card and its forms (new, edit), the network, the radar, the inbox, the statistics,
// oversight and administration. Routing is the browser's history: a reload of any page serves
// index.html.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";

import * as api from "./api";
import { applyToDocument, language, LANGUAGES, setLanguage, t, type Language } from "./i18n";
import { JustificationForm } from "./justification";
import { Link, navigate, useLocation } from "./router";
import { SearchPage } from "./search";
import { AdminPage } from "./admin";
import { AuditPage } from "./audit";
import { InboxPage } from "./inbox";
import { NetworkPage } from "./network";
import { RadarPage } from "./radar";
import { StatsPage } from "./stats";
import { mayWrite, SubjectPage } from "./subject";
import { SubjectForm } from "./subject_form";

function SignIn(props: { onSignedIn: (s: api.Session) => void }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  return (
    <main id="main" class="narrow">
      <h1>{t("signInTitle")}</h1>
      <p>{t("signInHelp")}</p>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError("");
          try {
            props.onSignedIn(await api.signIn(token.trim()));
            setToken("");
          } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
          } finally {
            setBusy(false);
          }
        }}
      >
        <label for="token">{t("token")}</label>
        <input
          id="token"
          type="password"
          autocomplete="off"
          required
          value={token}
          onInput={(e) => setToken((e.target as HTMLInputElement).value)}
        />
        {error && (
          <p class="error" role="alert">
            {t("error", { message: error })}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t("signIn")}
        </button>
      </form>
    </main>
  );
}

function LanguagePicker(props: { onChange: () => void }) {
  return (
    <span class="language">
      <label for="language">{t("language")}</label>
      <select
        id="language"
        value={language()}
        onChange={(e) => {
          setLanguage((e.target as HTMLSelectElement).value as Language);
          props.onChange();
        }}
      >
        {LANGUAGES.map((l) => (
          <option value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
    </span>
  );
}

function App() {
  const [session, setSession] = useState<api.Session | null | undefined>(undefined);
  const [justification, setJustificationState] = useState(api.currentJustification());
  const [askJustification, setAskJustification] = useState(false);
  const [, setRevision] = useState(0);
  const location = useLocation();

  useEffect(() => {
    api.currentSession().then(setSession, () => setSession(null));
  }, []);
  const rerender = () => setRevision((r) => r + 1);

  const header = (
    <header class="top">
      <span class="brand">{t("app")}</span>
      {session && (
        <nav aria-label={t("navigation")}>
          <Link href="/search">{t("search")}</Link>
          <Link href="/radar">{t("radar")}</Link>
          <Link href="/inbox">{t("inbox")}</Link>
          {session.user.role !== "administrator" && <Link href="/stats">{t("stats")}</Link>}
          {mayWrite(session) && <Link href="/subjects/new">{t("newSubject")}</Link>}
          {session.user.role === "auditor" && <Link href="/audit">{t("audit")}</Link>}
          {session.user.role === "administrator" && <Link href="/admin">{t("admin")}</Link>}
        </nav>
      )}
      <LanguagePicker onChange={rerender} />
      {session && (
        <span class="who">
          {t("signedInAs", {
            user: session.user.name || session.user.id,
            agency: session.user.agency,
            role: session.user.role,
          })}{" "}
          <button
            type="button"
            class="secondary"
            onClick={async () => {
              await api.signOut().catch(() => undefined);
              setSession(null);
              setJustificationState(null);
              navigate("/signin");
            }}
          >
            {t("signOut")}
          </button>
        </span>
      )}
    </header>
  );

  if (session === undefined) {
    return (
      <>
        {header}
        <main id="main">
          <p>{t("loading")}</p>
        </main>
      </>
    );
  }
  if (session === null) {
    return (
      <>
        {header}
        <SignIn
          onSignedIn={(s) => {
            setSession(s);
            if (location.startsWith("/signin") || location === "/") navigate("/search");
          }}
        />
      </>
    );
  }

  const path = window.location.pathname;
  const needsJustification =
    path.startsWith("/search") ||
    path.startsWith("/subjects/") ||
    path.startsWith("/network/") ||
    path.startsWith("/radar") ||
    path.startsWith("/inbox") ||
    path.startsWith("/audit");
  const justificationBar = justification && (
    <div class="justification" role="status">
      <span>{t("currentJustification", { text: justification.text })}</span>{" "}
      <button type="button" class="secondary" onClick={() => setAskJustification(true)}>
        {t("change")}
      </button>
    </div>
  );
  let page;
  if (needsJustification && (!justification || askJustification)) {
    page = (
      <JustificationForm
        initial={justification}
        onDone={(j) => {
          api.setJustification(j);
          setJustificationState(j);
          setAskJustification(false);
        }}
      />
    );
  } else if (path.startsWith("/audit")) {
    page = <AuditPage />;
  } else if (path.startsWith("/admin")) {
    page = <AdminPage />;
  } else if (path.startsWith("/inbox")) {
    page = <InboxPage />;
  } else if (path.startsWith("/radar")) {
    page = <RadarPage mayChange={mayWrite(session)} />;
  } else if (path.startsWith("/network/")) {
    page = (
      <NetworkPage
        id={decodeURIComponent(path.slice("/network/".length))}
        nodeCountry={session.node_country}
      />
    );
  } else if (path.startsWith("/stats")) {
    const query = new URLSearchParams(window.location.search);
    page = <StatsPage from={query.get("from") ?? ""} to={query.get("to") ?? ""} />;
  } else if (path === "/subjects/new") {
    page = <SubjectForm session={session} />;
  } else if (path.startsWith("/subjects/") && path.endsWith("/edit")) {
    page = (
      <SubjectForm
        id={decodeURIComponent(path.slice("/subjects/".length, -"/edit".length))}
        session={session}
      />
    );
  } else if (path.startsWith("/subjects/")) {
    page = <SubjectPage id={decodeURIComponent(path.slice("/subjects/".length))} session={session} />;
  } else {
    page = <SearchPage query={new URLSearchParams(window.location.search).get("q") ?? ""} navigate={navigate} />;
  }
  return (
    <>
      {header}
      {justificationBar}
      {page}
    </>
  );
}

applyToDocument();
if (window.location.pathname === "/") history.replaceState(null, "", "/search");
render(<App />, document.getElementById("app")!);
