// The supervisor's decisions on the subject card: restrict the record, request its erasure (four
// eyes: a second supervisor confirms it within 7 days), confirm another supervisor's request,
// withdraw one's own (POST /api/v1/subjects/{id}/restrict, .../erase, .../erase/withdraw, each
// with its reason, justified and audited). Shown to a supervisor of the record's owner agency (any
// supervisor when it has none), as policy/authorize.cc decides; the API decides again. Which
// erasure step is offered comes from the card's history: its last request_erasure that no
// erasure or withdrawal followed, younger than 7 days. Each decision is asked again in the page
// ("Are you sure?", Confirm or Cancel; Escape cancels), its answer or refusal is said in a live
// region that takes the focus, and the card and its history are read again.
import type { ComponentChild } from "preact";
import { useLayoutEffect, useRef, useState } from "preact/hooks";

import * as api from "./api";
import { ltr, t } from "./i18n";

// How long an erasure request waits for its confirmation (service::kErasureRequestDays).
export const ERASURE_CONFIRM_DAYS = 7;
const DAY_MS = 86_400_000;

// A name put into a sentence, isolated in its own direction (U+2068 ... U+2069): a
// Latin name in an Arabic sentence, or the reverse, keeps its order.
function isolated(text: string): string {
  return `\u2068${text}\u2069`;
}

// A decision's answer (ok) or refusal, in words.
export interface Outcome {
  ok: boolean;
  text: string;
}

// Whether the user may decide on this subject: a supervisor of its owner agency, or any
// supervisor when it has none; an erased subject has nothing left to decide.
export function mayDecide(session: api.Session | null, subject: api.Subject): boolean {
  if (!session || session.user.role !== "supervisor" || subject.state === "erased") return false;
  const owner = (subject.properties.ownerAgency ?? [])[0];
  return !owner || owner === session.user.agency;
}

// The erasure request that waits for its confirmation, if any: the last request_erasure that no
// erasure or withdrawal followed, made less than ERASURE_CONFIRM_DAYS ago (an older one has
// lapsed: the next call is a new request).
export function pendingErasure(changes: api.SubjectChange[], now = Date.now()): api.SubjectChange | null {
  let pending: api.SubjectChange | null = null;
  for (const c of changes) {
    if (c.operation === "request_erasure") pending = c;
    else if (c.operation === "erase" || c.operation === "withdraw_erasure") pending = null;
  }
  if (pending?.at && now - Date.parse(pending.at) > ERASURE_CONFIRM_DAYS * DAY_MS) return null;
  return pending;
}

// An instant as the user's local date and time, isolated left to right for a sentence.
function when(at: string | null | undefined, plusDays = 0): string {
  if (!at) return "";
  const date = new Date(Date.parse(at) + plusDays * DAY_MS);
  if (Number.isNaN(date.getTime())) return ltr(at);
  const two = (n: number) => String(n).padStart(2, "0");
  return ltr(
    `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ` +
      `${two(date.getHours())}:${two(date.getMinutes())}`,
  );
}

// The last decision's answer or refusal: a polite status for an answer, an alert for a
// refusal; focused when it changes, so that a keyboard user whose button went away (the form of
// a decision taken) starts again from what was said.
export function DecisionOutcome(props: { outcome: Outcome | null }) {
  const said = useRef<HTMLParagraphElement>(null);
  // In the same commit that draws it, so that it holds the focus as soon as it shows.
  useLayoutEffect(() => {
    if (props.outcome) said.current?.focus();
  }, [props.outcome]);
  const { outcome } = props;
  return (
    <>
      <div role="status" class="decision-outcome">
        {outcome?.ok && (
          <p ref={said} tabIndex={-1} class="outcome done">
            {outcome.text}
          </p>
        )}
      </div>
      {outcome && !outcome.ok && (
        <p ref={said} tabIndex={-1} role="alert" class="outcome error">
          {outcome.text}
        </p>
      )}
    </>
  );
}

// One decision: its reason (required, labelled), then "Are you sure?" in the page before it is
// sent.
function DecisionForm(props: {
  name: string; // restrict, erase, confirm, withdraw: the ids of its fields
  title: string;
  help: ComponentChild;
  reasonLabel: string;
  button: string;
  question: string;
  danger?: boolean;
  onDecide: (reason: string) => Promise<void>;
}) {
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState("");
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLTextAreaElement>(null);
  const question = useRef<HTMLParagraphElement>(null);
  const submit = useRef<HTMLButtonElement>(null);
  const id = `decision-${props.name}`;

  // Focused as soon as it is drawn, before a key can reach the button it replaces.
  useLayoutEffect(() => {
    if (asking) question.current?.focus();
  }, [asking]);

  const [refocus, setRefocus] = useState(false);
  // The button is back once the question is gone: it takes the focus again.
  useLayoutEffect(() => {
    if (refocus) {
      submit.current?.focus();
      setRefocus(false);
    }
  }, [refocus]);
  const cancel = () => {
    setAsking(false);
    setRefocus(true);
  };
  const send = async () => {
    setBusy(true);
    try {
      await props.onDecide(reason.trim());
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };
  return (
    <form
      class="decision-form"
      aria-labelledby={`${id}-title`}
      noValidate
      onKeyDown={(e) => {
        if (asking && e.key === "Escape" && !busy) {
          e.preventDefault();
          cancel();
        }
      }}
      onSubmit={(e) => {
        e.preventDefault();
        if (!reason.trim()) {
          setProblem(t("reasonRequired"));
          field.current?.focus();
          return;
        }
        setProblem("");
        setAsking(true);
      }}
    >
      <h3 id={`${id}-title`}>{props.title}</h3>
      <div class="hint" id={`${id}-help`}>
        {props.help}
      </div>
      <label for={`${id}-reason`}>
        {props.reasonLabel} <span class="required">({t("required")})</span>
      </label>
      <textarea
        id={`${id}-reason`}
        ref={field}
        rows={2}
        dir="auto"
        required
        readOnly={asking || busy}
        value={reason}
        aria-invalid={problem ? "true" : undefined}
        aria-describedby={problem ? `${id}-problem ${id}-help` : `${id}-help`}
        onInput={(e) => {
          setReason((e.target as HTMLTextAreaElement).value);
          if (problem) setProblem("");
        }}
      />
      {problem && (
        <p id={`${id}-problem`} class="error field-error" role="alert">
          {problem}
        </p>
      )}
      {asking ? (
        <div class="confirm-step" role="group" aria-labelledby={`${id}-question`}>
          <p id={`${id}-question`} ref={question} tabIndex={-1}>
            <strong>{t("areYouSure")}</strong> {props.question}
          </p>
          <button type="button" class={props.danger ? "danger" : ""} disabled={busy} onClick={send}>
            {t("yesConfirm")}
          </button>
          <button type="button" class="secondary" disabled={busy} onClick={cancel}>
            {t("cancel")}
          </button>
        </div>
      ) : (
        <button type="submit" ref={submit} class={props.danger ? "danger" : ""}>
          {props.button}
        </button>
      )}
    </form>
  );
}

// What the API answered, in words.
function answered(answer: api.StateDecision): string {
  switch (answer.state) {
    case "restricted":
      return t("done_restricted");
    case "erasure_requested":
      return t("done_erasure_requested", { days: answer.confirm_within_days ?? ERASURE_CONFIRM_DAYS });
    case "erased":
      return t("done_erased");
    case "erasure_withdrawn":
      return t("done_erasure_withdrawn");
    default:
      return answer.state;
  }
}

export function SupervisorDecisions(props: {
  subject: api.Subject;
  session: api.Session;
  // The history's changes; null while it is read or when it could not be (no erasure step is
  // offered then: the same call requests or confirms, so which it would be must be known).
  changes: api.SubjectChange[] | null;
  outcome: Outcome | null;
  onDecided: (outcome: Outcome) => void;
}) {
  const { subject, session } = props;
  const name = isolated((subject.properties.name ?? [])[0] ?? subject.id);
  const owner = (subject.properties.ownerAgency ?? [])[0];
  const me = session.user.id;
  const pending = props.changes ? pendingErasure(props.changes) : null;

  const decide = async (run: () => Promise<api.StateDecision | Outcome>) => {
    try {
      const answer = await run();
      props.onDecided("text" in answer ? answer : { ok: true, text: answered(answer) });
    } catch (e) {
      props.onDecided({
        ok: false,
        // The API says why in English: isolated left to right in an Arabic sentence.
        text: t("decisionRefused", { message: ltr(e instanceof Error ? e.message : String(e)) }),
      });
    }
  };
  // A request: unless another supervisor asked meanwhile, since the page was read (the call
  // would then confirm their request and erase the record).
  const request = async (reason: string): Promise<api.StateDecision | Outcome> => {
    const now = pendingErasure((await api.subjectHistory(subject.id)).changes);
    if (now && now.actor !== me) {
      return {
        ok: false,
        text: t("erasureAskedMeanwhile", { who: ltr(now.actor), agency: ltr(now.agency) }),
      };
    }
    return api.eraseSubject(subject.id, reason);
  };

  let erasure: ComponentChild;
  if (!props.changes) {
    erasure = <p class="hint">{t("erasureNeedsHistory")}</p>;
  } else if (!pending) {
    erasure = (
      <DecisionForm
        key="erase"
        name="erase"
        title={t("eraseTitle")}
        help={t("eraseHelp", { days: ERASURE_CONFIRM_DAYS })}
        reasonLabel={t("eraseReason")}
        button={t("eraseButton")}
        question={t("eraseQuestion", { name })}
        onDecide={(reason) => decide(() => request(reason))}
      />
    );
  } else if (pending.actor !== me) {
    erasure = (
      <DecisionForm
        key="confirm"
        name="confirm"
        title={t("confirmTitle")}
        help={
          <>
            <p>
              {t("pendingByOther", {
                who: ltr(pending.actor),
                agency: ltr(pending.agency),
                date: when(pending.at),
                deadline: when(pending.at, ERASURE_CONFIRM_DAYS),
              })}
            </p>
            {pending.reason && (
              <p>
                {t("requestReason")}: <bdi>{pending.reason}</bdi>
              </p>
            )}
            <p>{t("confirmHelp")}</p>
          </>
        }
        reasonLabel={t("confirmReason")}
        button={t("confirmButton")}
        question={t("confirmQuestion", { name })}
        danger
        onDecide={(reason) => decide(() => api.eraseSubject(subject.id, reason))}
      />
    );
  } else {
    erasure = (
      <DecisionForm
        key="withdraw"
        name="withdraw"
        title={t("withdrawTitle")}
        help={
          <>
            <p>
              {t("pendingByYou", {
                date: when(pending.at),
                deadline: when(pending.at, ERASURE_CONFIRM_DAYS),
              })}
            </p>
            {pending.reason && (
              <p>
                {t("requestReason")}: <bdi>{pending.reason}</bdi>
              </p>
            )}
          </>
        }
        reasonLabel={t("withdrawReason")}
        button={t("withdrawButton")}
        question={t("withdrawQuestion", { name })}
        onDecide={(reason) => decide(() => api.withdrawErasure(subject.id, reason))}
      />
    );
  }

  return (
    <section aria-labelledby="decisions-title" class="decisions">
      <h2 id="decisions-title">{t("decisions")}</h2>
      <p class="hint">{owner ? t("decisionsHelp", { agency: ltr(owner) }) : t("decisionsHelpNoOwner")}</p>
      <DecisionOutcome outcome={props.outcome} />
      {subject.state === "active" && (
        <DecisionForm
          key="restrict"
          name="restrict"
          title={t("restrictTitle")}
          help={t("restrictHelp")}
          reasonLabel={t("restrictReason")}
          button={t("restrictButton")}
          question={t("restrictQuestion", { name })}
          onDecide={(reason) => decide(() => api.restrictSubject(subject.id, reason))}
        />
      )}
      {erasure}
    </section>
  );
}
