/**
 * Form pieces shared by the rules and settings views: labelled inputs that
 * show the server's field errors under them (wired with aria-invalid and
 * aria-describedby), the error map as the API sends it, and policy figures
 * ("20Mbit", "5m") moved between inputs and JSON.
 *
 * @module
 */
import { html, useRef } from "../lib/html.js";

let nextId = 0;

/** A stable element id for this component instance: "f-12". */
export function useFieldId(prefix = "f") {
  const ref = useRef(null);
  if (ref.current === null) ref.current = `${prefix}-${++nextId}`;
  return ref.current;
}

/**
 * The API's `fields` with one key style: "webhooks[0].url" and
 * "webhooks.0.url" both become "webhooks.0.url".
 *
 * @example
 * ```js
 * fieldErrors({ "schedule[1].days": "needs a day" }); // { "schedule.1.days": "needs a day" }
 * ```
 */
export function fieldErrors(fields) {
  const out = {};
  for (const [key, message] of Object.entries(fields ?? {})) {
    // Index style varies ("a[0].b" from the policy parser, "a.0.b" from zod paths).
    const k = key.replace(/\[(\d+)\]/g, ".$1").replace(/^\./, "").replace(/^body\./, "");
    out[k] ??= message;
  }
  return out;
}

/** The first error among `keys` in a normalised map, or null. */
export function errorFor(errors, ...keys) {
  for (const key of keys) if (errors?.[key]) return errors[key];
  return null;
}

/** Errors whose keys the form has no field for: [[key, message]]. */
export function otherErrors(errors, known) {
  return Object.entries(errors ?? {}).filter(([key]) => !known.some((k) => key === k));
}

/** A figure for an input: text as written, a number as its digits. */
export function figureText(value) {
  return value == null ? "" : String(value);
}

/**
 * A rate for an input: text as written; a number of bytes/s as Mbit or
 * kbit text when that is exact (31250000 → "250Mbit"), else its digits.
 */
export function rateText(value) {
  if (typeof value !== "number") return figureText(value);
  const bits = value * 8;
  if (bits >= 1e6 && bits % 1e5 === 0) return `${bits / 1e6}Mbit`;
  if (bits >= 1e3 && bits % 1e3 === 0) return `${bits / 1e3}kbit`;
  return String(value);
}

/** An input's figure for JSON: undefined when empty, digits as a number, else the text. */
export function figureValue(text) {
  const t = String(text ?? "").trim();
  if (t === "") return undefined;
  return /^\d+(\.\d+)?$/.test(t) ? Number(t) : t;
}

/** The error line under a field; `id` is what the control's aria-describedby names. */
export function FieldError({ id, error }) {
  return error ? html`<span class="field-error" id=${id}>${error}</span>` : null;
}

/**
 * A labelled text input (or `type` number, time, password…). `onValue`
 * gets the new text; `error` shows under it; other props go to the input.
 */
export function TextField({ label, value, onValue, error, hint, class: cls, ...rest }) {
  const id = useFieldId();
  const describedBy = [error ? `${id}-err` : "", hint ? `${id}-hint` : ""].join(" ").trim();
  return html`
    <div class=${`field ${cls ?? ""}`}>
      <label for=${id}>${label}</label>
      <input id=${id} value=${value ?? ""} onInput=${(e) => onValue?.(e.currentTarget.value)}
        aria-invalid=${error ? "true" : null} aria-describedby=${describedBy || null} ...${rest} />
      ${hint ? html`<span class="hint" id=${`${id}-hint`}>${hint}</span>` : null}
      <${FieldError} id=${`${id}-err`} error=${error} />
    </div>
  `;
}

/** A labelled select; `options` is [[value, text]]. */
export function SelectField({ label, value, onValue, options, error, class: cls, ...rest }) {
  const id = useFieldId();
  return html`
    <div class=${`field ${cls ?? ""}`}>
      <label for=${id}>${label}</label>
      <select id=${id} value=${value} onChange=${(e) => onValue?.(e.currentTarget.value)}
        aria-invalid=${error ? "true" : null} aria-describedby=${error ? `${id}-err` : null}
        ...${rest}>
        ${options.map(([v, text]) => html`<option key=${v} value=${v}>${text}</option>`)}
      </select>
      <${FieldError} id=${`${id}-err`} error=${error} />
    </div>
  `;
}

/** A checkbox with its label beside it. */
export function CheckField({ label, checked, onValue, error, class: cls, ...rest }) {
  const id = useFieldId();
  return html`
    <div class=${`field check ${cls ?? ""}`}>
      <input id=${id} type="checkbox" checked=${!!checked}
        onChange=${(e) => onValue?.(e.currentTarget.checked)}
        aria-invalid=${error ? "true" : null} aria-describedby=${error ? `${id}-err` : null}
        ...${rest} />
      <label for=${id}>${label}</label>
      <${FieldError} id=${`${id}-err`} error=${error} />
    </div>
  `;
}

/** A dismissible banner: { kind: "ok" | "error", text, action?: { label, run } }. */
export function Banner({ message, onDismiss }) {
  if (!message) return null;
  return html`
    <p class=${`banner ${message.kind}`} role=${message.kind === "error" ? "alert" : "status"}>
      <span>${message.text}</span>
      <span class="banner-actions">
        ${message.action
          ? html`<button type="button" class="link" onClick=${message.action.run}>${message.action.label}</button>`
          : null}
        <button type="button" class="link" aria-label="Dismiss" onClick=${onDismiss}>×</button>
      </span>
    </p>
  `;
}
