// The justification every read of personal data needs (X-Justification), asked once and kept
// for the tab's session until the user changes it.
import { useState } from "preact/hooks";

import type { Justification } from "./api";
import { t } from "./i18n";

export function JustificationForm(props: {
  initial: Justification | null;
  onDone: (j: Justification) => void;
}) {
  const [text, setText] = useState(props.initial?.text ?? "");
  const [caseReference, setCaseReference] = useState(props.initial?.caseReference ?? "");
  const [error, setError] = useState("");
  return (
    <main id="main" class="narrow">
      <h1>{t("justificationTitle")}</h1>
      <p id="justification-help">{t("justificationHelp")}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if ([...text.trim()].length < 10) {
            setError(t("justificationShort"));
            return;
          }
          props.onDone({ text: text.trim(), caseReference: caseReference.trim() });
        }}
      >
        <label for="justification">{t("justification")}</label>
        <textarea
          id="justification"
          rows={3}
          required
          aria-describedby="justification-help"
          value={text}
          onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        />
        <label for="case-reference">{t("caseReference")}</label>
        <input
          id="case-reference"
          value={caseReference}
          onInput={(e) => setCaseReference((e.target as HTMLInputElement).value)}
        />
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit">{t("continue")}</button>
      </form>
    </main>
  );
}
