// /subjects/new and /subjects/{id}/edit: a subject's record in a form. Create is POST
// /api/v1/subjects; edit reads the subject, then PUTs it with If-Match: "<version>", so that a
// change made by someone else meanwhile is refused (412) rather than overwritten. The API is the
// authority on every value: the form checks only what the API's rules say exactly (a name, the
// owner agency for non-supervisors, the H3 restriction, the form of a date, a leave's two days),
// then asks POST /api/v1/subjects/validate (nothing stored) and puts each problem on the field it
// names, the first focused; only a valid record is saved. What validation cannot know (the user's
// permission on the owner agency, a version changed meanwhile) comes from the save: its problems
// ("birthDate[0]: ...") are put on their fields too. Properties the form does not show are kept
// as they are.
import { useEffect, useRef, useState } from "preact/hooks";

import * as api from "./api";
import { t } from "./i18n";
import { Link, navigate } from "./router";
import { vocabulary } from "./stats";

type Kind = "name" | "text" | "textarea" | "partialDate" | "date" | "select" | "checks" | "leave" | "link";

interface Field {
  key: string;
  kind: Kind;
  many: boolean;
  personOnly?: boolean;
  options?: readonly string[];
  vocab?: string; // catalogue prefix of the options' words
  hint?: string; // catalogue key of a help text
}

export const CATEGORIES = [
  "foreign_terrorist_fighter", "returnee", "returning_minor", "homegrown_terrorist_fighter",
  "hate_propagandist", "potentially_violent_extremist", "terrorism_convict",
  "radicalised_prisoner", "weapons_trafficking", "drugs_trafficking",
] as const;
const DATA_SUBJECTS = ["suspect", "convicted", "victim", "contact_or_associate", "witness", "other"] as const;
const LINK_TYPES = [
  "family", "associate", "co_defendant", "cell_mate", "communication", "travel", "membership",
] as const;

// The form's fields by section, as src/model/property.cc defines them.
const SECTIONS: { title: string; fields: Field[] }[] = [
  {
    title: "sectionIdentity",
    fields: [
      { key: "name", kind: "name", many: true },
      { key: "alias", kind: "name", many: true },
      { key: "birthDate", kind: "partialDate", many: true, personOnly: true, hint: "hintPartialDate" },
      { key: "nationality", kind: "text", many: true, personOnly: true, hint: "hintCountry" },
      { key: "gender", kind: "select", many: false, personOnly: true, options: ["male", "female", "other"], vocab: "gender" },
    ],
  },
  {
    title: "sectionRecord",
    fields: [
      { key: "category", kind: "checks", many: true, options: CATEGORIES, vocab: "category" },
      { key: "dataSubject", kind: "select", many: false, options: DATA_SUBJECTS, vocab: "dataSubject" },
      { key: "informationType", kind: "select", many: false, options: ["fact", "assessment"], vocab: "informationType" },
      { key: "ownerAgency", kind: "text", many: false, hint: "hintAgency" },
      { key: "threatLevel", kind: "select", many: false, options: ["1", "2", "3", "4"] },
      { key: "handlingCode", kind: "select", many: false, options: ["H0", "H1", "H2", "H3"], vocab: "handling" },
      { key: "handlingRestriction", kind: "textarea", many: false },
      { key: "sourceReliability", kind: "select", many: false, options: ["A", "B", "C", "X"], vocab: "reliability" },
      { key: "informationAccuracy", kind: "select", many: false, options: ["1", "2", "3", "4"], vocab: "accuracy" },
      { key: "reviewDate", kind: "date", many: false },
      { key: "retentionDate", kind: "date", many: false },
    ],
  },
  {
    title: "sectionCustody",
    fields: [
      { key: "establishment", kind: "text", many: false, personOnly: true },
      { key: "sentenceEnd", kind: "date", many: false, personOnly: true },
      { key: "plannedRelease", kind: "date", many: false, personOnly: true },
      { key: "leave", kind: "leave", many: true, personOnly: true },
    ],
  },
  {
    title: "sectionLinks",
    fields: [
      { key: "link", kind: "link", many: true, hint: "hintLink" },
      { key: "notes", kind: "textarea", many: true },
    ],
  },
];
const FIELDS = SECTIONS.flatMap((s) => s.fields);

interface Problem {
  field: string; // a property of the form ("birthDate"), or "" for the form as a whole
  index: number; // the value's position, -1 for the property
  message: string;
}

// The API's message split into its problems: "birthDate[0]: month 13 is not 1-12; name: ...".
// A problem's text may hold "; " itself ("link type 'x' unknown; expected one of ..."): only a
// "; " followed by a field and ": " starts the next one.
export function problemsOf(message: string): Problem[] {
  return message.split(/; (?=[A-Za-z_.]+(?:\[\d+\])?: )/).map((part) => {
    const match = /^([A-Za-z_.]+)(?:\[(\d+)\])?: ([\s\S]*)$/.exec(part);
    if (!match) return { field: "", index: -1, message: part };
    let field = match[1].replace(/^body\.properties\./, "").replace(/^body\./, "");
    if (field === "owner_agency") field = "ownerAgency";
    return {
      field: FIELDS.some((f) => f.key === field) ? field : "",
      index: match[2] === undefined ? -1 : Number(match[2]),
      message: match[3],
    };
  });
}

// The problems POST /api/v1/subjects/validate found, in the form's order: each on the field it
// names ("" for a property the form does not show, its name then kept in the message).
function locate(found: api.ValidationProblem[]): Problem[] {
  const order = (p: Problem) => (p.field ? FIELDS.findIndex((f) => f.key === p.field) : FIELDS.length);
  return found
    .map((p) => {
      const field = FIELDS.find((f) => f.key === p.field);
      if (!field) {
        const at = p.index === undefined ? "" : `[${p.index}]`;
        return { field: "", index: -1, message: p.field ? `${p.field}${at}: ${p.message}` : p.message };
      }
      // A property of one value shows one field: the problem goes there whatever its position.
      const index = field.many ? (p.index ?? -1) : 0;
      return { field: field.key, index, message: p.message };
    })
    .map((p, i) => ({ p, i }))
    .sort((a, b) => order(a.p) - order(b.p) || a.p.index - b.p.index || a.i - b.i)
    .map(({ p }) => p);
}

function inputId(key: string, index: number, part = ""): string {
  return `f-${key}-${Math.max(index, 0)}${part}`;
}

function label(key: string, index = 0): string {
  const text = t(`field_${key}`);
  return index > 0 ? `${text} (${index + 1})` : text;
}

type Values = Record<string, string[]>;

// The user's checks, which the API makes too (model/validation.cc, policy/authorize.cc).
function check(values: Values, schema: string, session: api.Session | null): Problem[] {
  const out: Problem[] = [];
  const filled = (key: string) => (values[key] ?? []).some((v) => v !== "");
  if (!filled("name") && !filled("firstName") && !filled("lastName")) {
    out.push({ field: "name", index: 0, message: t("needsName") });
  }
  if (!filled("ownerAgency") && session?.user.role !== "supervisor") {
    out.push({ field: "ownerAgency", index: 0, message: t("needsOwner") });
  }
  if ((values.handlingCode ?? [])[0] === "H3" && !filled("handlingRestriction")) {
    out.push({ field: "handlingRestriction", index: 0, message: t("needsRestriction") });
  }
  if (schema === "Person") {
    (values.birthDate ?? []).forEach((v, i) => {
      if (v !== "" && !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(v)) {
        out.push({ field: "birthDate", index: i, message: t("partialDateForm") });
      }
    });
    (values.leave ?? []).forEach((v, i) => {
      const [start = "", end = ""] = v.split("/");
      if (v === "/" || v === "") return;
      if (!start || !end) out.push({ field: "leave", index: i, message: t("leaveNeedsBoth") });
      else if (end < start) out.push({ field: "leave", index: i, message: t("leaveEndsBefore") });
    });
  }
  return out;
}

// What is sent: every value given, person-only properties left out of an organisation.
function draftOf(values: Values, schema: string): api.SubjectDraft {
  const properties: Record<string, string[]> = {};
  for (const [key, list] of Object.entries(values)) {
    const field = FIELDS.find((f) => f.key === key);
    if (field?.personOnly && schema !== "Person") continue;
    if (key === "handlingRestriction" && (values.handlingCode ?? [])[0] !== "H3") continue;
    const given = list.filter((v) => v !== "" && v !== "/" && !(field?.kind === "link" && v.endsWith(":")));
    if (given.length > 0) properties[key] = given;
  }
  return { schema, properties };
}

function FieldInput(props: {
  field: Field;
  index: number;
  value: string;
  onChange: (value: string) => void;
  problem?: Problem;
  required: boolean;
}) {
  const { field, index, value, problem } = props;
  const id = inputId(field.key, index);
  const errorId = `${id}-error`;
  const hintId = field.hint ? `hint-${field.key}` : "";
  const describedBy = [problem ? errorId : "", hintId].filter(Boolean).join(" ") || undefined;
  const common = {
    "aria-invalid": problem ? ("true" as const) : undefined,
    "aria-describedby": describedBy,
  };
  const text = (e: Event) => props.onChange((e.target as HTMLInputElement).value);
  const error = problem && (
    <p id={errorId} class="error field-error">
      {problem.message}
    </p>
  );
  if (field.kind === "leave") {
    const [start = "", end = ""] = value.split("/");
    return (
      <div class="pair">
        <div>
          <label for={id}>{t("leaveStart", { field: label(field.key, index) })}</label>
          <input id={id} type="date" value={start} {...common} onInput={(e) => props.onChange(`${(e.target as HTMLInputElement).value}/${end}`)} />
        </div>
        <div>
          <label for={inputId(field.key, index, "-end")}>{t("leaveEnd", { field: label(field.key, index) })}</label>
          <input
            id={inputId(field.key, index, "-end")}
            type="date"
            value={end}
            aria-invalid={common["aria-invalid"]}
            onInput={(e) => props.onChange(`${start}/${(e.target as HTMLInputElement).value}`)}
          />
        </div>
        {error}
      </div>
    );
  }
  if (field.kind === "link") {
    const colon = value.indexOf(":");
    const type = colon >= 0 ? value.slice(0, colon) : "associate";
    const target = colon >= 0 ? value.slice(colon + 1) : "";
    return (
      <div class="pair">
        <div>
          <label for={inputId(field.key, index, "-type")}>{t("linkTypeOf", { field: label(field.key, index) })}</label>
          <select
            id={inputId(field.key, index, "-type")}
            value={type}
            onChange={(e) => props.onChange(`${(e.target as HTMLSelectElement).value}:${target}`)}
          >
            {LINK_TYPES.map((o) => (
              <option value={o}>{vocabulary("linkType", o)}</option>
            ))}
          </select>
        </div>
        <div>
          <label for={id}>{t("linkTarget", { field: label(field.key, index) })}</label>
          <input id={id} value={target} {...common} onInput={(e) => props.onChange(`${type}:${(e.target as HTMLInputElement).value}`)} />
        </div>
        {error}
      </div>
    );
  }
  let control;
  if (field.kind === "select") {
    control = (
      <select id={id} value={value} {...common} onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}>
        <option value="">{t("notGiven")}</option>
        {(field.options ?? []).map((o) => (
          <option value={o}>{field.vocab ? vocabulary(field.vocab, o) : o}</option>
        ))}
      </select>
    );
  } else if (field.kind === "textarea") {
    control = <textarea id={id} rows={3} value={value} required={props.required} {...common} onInput={text} />;
  } else {
    control = (
      <input
        id={id}
        type={field.kind === "date" ? "date" : "text"}
        dir={field.kind === "name" ? "auto" : undefined}
        value={value}
        required={props.required}
        {...common}
        onInput={text}
      />
    );
  }
  return (
    <div class="field">
      <label for={id}>
        {label(field.key, index)}
        {props.required && <span class="required"> ({t("required")})</span>}
      </label>
      {control}
      {error}
    </div>
  );
}

function FieldBlock(props: {
  field: Field;
  values: string[];
  setValues: (values: string[]) => void;
  problems: Problem[];
  required: boolean;
}) {
  const { field, problems } = props;
  const problemAt = (i: number) =>
    problems.find((p) => p.field === field.key && (p.index === i || (p.index === -1 && i === 0)));
  if (field.kind === "checks") {
    const problem = problemAt(0);
    return (
      <fieldset
        class="checks"
        id={inputId(field.key, 0)}
        aria-invalid={problem ? "true" : undefined}
        aria-describedby={problem ? `${inputId(field.key, 0)}-error` : undefined}
      >
        <legend>{label(field.key)}</legend>
        {(field.options ?? []).map((o) => (
          <label class="check">
            <input
              type="checkbox"
              checked={props.values.includes(o)}
              onChange={(e) => {
                const on = (e.target as HTMLInputElement).checked;
                props.setValues(on ? [...props.values, o] : props.values.filter((v) => v !== o));
              }}
            />{" "}
            {field.vocab ? vocabulary(field.vocab, o) : o}
          </label>
        ))}
        {problem && (
          <p id={`${inputId(field.key, 0)}-error`} class="error field-error">
            {problem.message}
          </p>
        )}
      </fieldset>
    );
  }
  const shown = props.values.length > 0 ? props.values : [""];
  const hint = field.hint && (
    <p id={`hint-${field.key}`} class="hint">
      {t(field.hint)}
    </p>
  );
  if (!field.many) {
    return (
      <>
        <FieldInput
          field={field}
          index={0}
          value={shown[0]}
          onChange={(v) => props.setValues([v])}
          problem={problemAt(0)}
          required={props.required}
        />
        {hint}
      </>
    );
  }
  return (
    <div class="repeat">
      {shown.map((value, i) => (
        <div class="row">
          <FieldInput
            field={field}
            index={i}
            value={value}
            onChange={(v) => props.setValues(shown.map((old, j) => (j === i ? v : old)))}
            problem={problemAt(i)}
            required={props.required && i === 0}
          />
          {shown.length > 1 && (
            <button
              type="button"
              class="secondary"
              aria-label={t("removeValue", { field: label(field.key, i) })}
              onClick={() => props.setValues(shown.filter((_, j) => j !== i))}
            >
              {t("remove")}
            </button>
          )}
        </div>
      ))}
      {hint}
      <button type="button" class="secondary add" onClick={() => props.setValues([...shown, ""])}>
        {t("addValue", { field: t(`field_${field.key}`) })}
      </button>
    </div>
  );
}

export function SubjectForm(props: { id?: string; session: api.Session | null }) {
  const editing = props.id !== undefined;
  const [schema, setSchema] = useState("Person");
  const [values, setValues] = useState<Values>({});
  const [version, setVersion] = useState(0);
  const [loaded, setLoaded] = useState(!editing);
  const [loadError, setLoadError] = useState("");
  const [problems, setProblems] = useState<Problem[]>([]);
  const [error, setError] = useState("");
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState(false);
  const [reloads, setReloads] = useState(0);
  // A refusal is announced (role="alert") and brought into view: the save button is far below.
  const alertBox = useRef<HTMLDivElement>(null);
  const reloadButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (stale) reloadButton.current?.focus();
    else if (error && !problems.some((p) => p.field !== "")) alertBox.current?.focus();
  }, [stale, error]);

  useEffect(() => {
    setProblems([]);
    setError("");
    setStale(false);
    if (!editing) {
      setSchema("Person");
      setValues({ ownerAgency: props.session ? [props.session.user.agency] : [] });
      setLoaded(true);
      return;
    }
    let cancelled = false;
    setLoaded(false);
    setLoadError("");
    api.subject(props.id!).then(
      (s) => {
        if (cancelled) return;
        setSchema(s.schema);
        setValues(s.properties);
        setVersion(s.version);
        setLoaded(true);
      },
      (e: unknown) => !cancelled && setLoadError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [props.id, reloads]);

  const title = editing ? t("editTitle", { id: props.id! }) : t("newTitle");
  if (loadError) {
    return (
      <main id="main">
        <h1>{title}</h1>
        <p class="error" role="alert">
          {t("error", { message: loadError })}
        </p>
        <Link href="/search">{t("backToSearch")}</Link>
      </main>
    );
  }
  if (!loaded) {
    return (
      <main id="main">
        <h1>{title}</h1>
        <p role="status">{t("loading")}</p>
      </main>
    );
  }

  const person = schema === "Person";
  // Problems of the validation that no field shows (a save's own refusal is in `error` already).
  const unplaced = problems.filter((p) => p.field === "" && p.message && !error.includes(p.message));
  const required = (key: string) =>
    (key === "name" && !(values.firstName ?? []).length && !(values.lastName ?? []).length) ||
    (key === "ownerAgency" && props.session?.user.role !== "supervisor") ||
    (key === "handlingRestriction" && (values.handlingCode ?? [])[0] === "H3");
  return (
    <main id="main">
      <h1>{title}</h1>
      {editing && (
        <p class="id">
          {props.id} · {schema} · {t("version", { version })}
        </p>
      )}
      <p>{t("formHelp")}</p>
      <form
        class="subject"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          setError("");
          setStale(false);
          const found = check(values, schema, props.session);
          setProblems(found);
          if (found.length > 0) {
            setError(t("formProblems", { count: found.length }));
            document.getElementById(inputId(found[0].field, found[0].index))?.focus();
            return;
          }
          setBusy(true);
          try {
            const draft = draftOf(values, schema);
            // The API's checks first, nothing stored (the subject's own id, so that a link to
            // itself is seen); only a valid record is saved.
            const checked = await api.validateSubject(editing ? { id: props.id!, ...draft } : draft);
            if (!checked.valid) {
              const located = locate(checked.problems);
              setProblems(located);
              setError(t("formProblems", { count: located.length }));
              const first = located.find((p) => p.field !== "");
              const element = first && document.getElementById(inputId(first.field, first.index));
              if (element) element.focus();
              else alertBox.current?.focus();
              return;
            }
            const saved = editing
              ? await api.updateSubject(props.id!, version, draft)
              : await api.createSubject(draft);
            navigate(`/subjects/${encodeURIComponent(saved.id)}`);
          } catch (err) {
            if (err instanceof api.ApiError && err.status === 412) {
              setStale(true);
            } else {
              const message = err instanceof Error ? err.message : String(err);
              const located = err instanceof api.ApiError && err.status === 400 ? problemsOf(message) : [];
              if (err instanceof api.ApiError && err.field === "owner_agency") {
                located.push({ field: "ownerAgency", index: 0, message });
              }
              setProblems(located);
              setError(t("error", { message }));
              const first = located.find((p) => p.field !== "");
              if (first) document.getElementById(inputId(first.field, first.index))?.focus();
            }
          } finally {
            setBusy(false);
          }
        }}
      >
        {stale && (
          <div class="error-box" role="alert">
            <p class="error">{t("staleEdit")}</p>
            <button type="button" ref={reloadButton} onClick={() => setReloads((r) => r + 1)}>
              {t("reloadSubject")}
            </button>
          </div>
        )}
        {error && (
          <div class="error-box" role="alert" tabIndex={-1} ref={alertBox}>
            <p class="error">{error}</p>
            {/* The validation's problems with properties the form does not show. */}
            {unplaced.length > 0 && (
              <ul>
                {unplaced.map((p) => (
                  <li>{p.message}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        {editing ? null : (
          <fieldset class="checks">
            <legend>{t("field_schema")}</legend>
            {["Person", "Organization"].map((s) => (
              <label class="check">
                <input type="radio" name="schema" value={s} checked={schema === s} onChange={() => setSchema(s)} />{" "}
                {vocabulary("schema", s)}
              </label>
            ))}
          </fieldset>
        )}
        {SECTIONS.map((section) => {
          const fields = section.fields.filter(
            (f) =>
              (person || !f.personOnly) &&
              (f.key !== "handlingRestriction" || (values.handlingCode ?? [])[0] === "H3"),
          );
          if (fields.length === 0) return null;
          return (
            <fieldset class="section">
              <legend>{t(section.title)}</legend>
              {fields.map((f) => (
                <FieldBlock
                  field={f}
                  values={values[f.key] ?? []}
                  setValues={(list) => setValues({ ...values, [f.key]: list })}
                  problems={problems}
                  required={required(f.key)}
                />
              ))}
            </fieldset>
          );
        })}
        <p>
          <button type="submit" disabled={busy}>
            {editing ? t("saveChanges") : t("createSubject")}
          </button>{" "}
          <Link href={editing ? `/subjects/${encodeURIComponent(props.id!)}` : "/search"}>{t("cancel")}</Link>
        </p>
      </form>
    </main>
  );
}
