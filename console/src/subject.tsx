// /subjects/{id}: the subject card (GET /api/v1/subjects/{id}, justified and audited).
import { useEffect, useState } from "preact/hooks";

import * as api from "./api";
import { t } from "./i18n";
import { Link } from "./router";

export function SubjectPage(props: { id: string }) {
  const [subject, setSubject] = useState<api.Subject | null>(null);
  const [error, setError] = useState("");

  useEffect(() => {
    let cancelled = false;
    setSubject(null);
    setError("");
    api.subject(props.id).then(
      (s) => !cancelled && setSubject(s),
      (e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [props.id]);

  if (error) {
    return (
      <main id="main">
        <h1>{t("subjectTitle", { id: props.id })}</h1>
        <p class="error" role="alert">
          {t("error", { message: error })}
        </p>
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
    ([key]) => !["name", "alias", "weakAlias", "nomDeGuerre"].includes(key),
  );
  return (
    <main id="main">
      <h1>{names[0] ?? t("subjectTitle", { id: subject.id })}</h1>
      <p class="id">
        {subject.id} · {subject.schema} · {t("version", { version: subject.version })} ·{" "}
        {t("state")}: {subject.state}
      </p>
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
      <p>
        <Link href={`/network/${encodeURIComponent(subject.id)}`}>{t("network")}</Link>
        {" · "}
        <Link href="/search">{t("backToSearch")}</Link>
      </p>
    </main>
  );
}
