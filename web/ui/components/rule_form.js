/**
 * The rule editor: id, name, enabled, which devices, what it does (limit,
 * block, priority, quota, time budget) and optional time windows. Figures
 * are typed as the policy file writes them ("20Mbit", "2GB", "3h"); the
 * server checks them and its field errors show under each field.
 *
 * @module
 */
import { html, useEffect, useRef, useState } from "../lib/html.js";
import { CheckField, errorFor, fieldErrors, SelectField, TextField, useFieldId } from "./field.js";
import { ACTION_KINDS, DAYS, draftToRule, emptyDraft, ruleToDraft } from "./rule_text.js";

const PRIORITIES = [["high", "High"], ["normal", "Normal"], ["low", "Low"]];
const PERIODS = [["hour", "Hour"], ["day", "Day"], ["week", "Week"], ["month", "Month"]];
const DIRECTIONS = [["both", "Both ways"], ["down", "Download only"], ["up", "Upload only"]];
const THEN = [["block", "Block"], ["limit", "Limit"]];
const RATE_HINT = 'e.g. "20Mbit", "512kbit", "3MB/s"';
/** Error keys the form shows beside a field; others are listed at its foot. */
const KNOWN =
  /^(id|name|enabled|apps|categories|schedule(\.\d+(\.(days|from|to))?)?|devices(\.(device|group|all|unknown))?|action(\.(kind|down|up|priority|bytes|period|direction|seconds|then(\.(kind|down|up))?))?)$/;

/**
 * `rule` to edit (null for a new one); `groups` the policy's group names;
 * `devices` [{ id, name }] for the device picker. `onSave(rule)` and
 * `onDelete()` return promises; a rejection's message and field errors
 * (ApiError) show in the form.
 */
export function RuleForm({ rule, groups, devices, onSave, onDelete, onCancel }) {
  const [draft, setDraft] = useState(() => rule ? ruleToDraft(rule) : emptyDraft());
  const [errors, setErrors] = useState({});
  const [message, setMessage] = useState(null);
  const [busy, setBusy] = useState(false);
  const head = useRef(null);
  const listId = useFieldId("devices");
  const editing = rule != null;

  useEffect(() => {
    head.current?.scrollIntoView?.({ block: "nearest" });
    head.current?.focus();
  }, [rule]);

  const set = (key) => (value) => setDraft((d) => ({ ...d, [key]: value }));
  const err = (...keys) => errorFor(errors, ...keys);
  const run = async (fn) => {
    setBusy(true);
    setMessage(null);
    try {
      await fn();
    } catch (e) {
      setErrors(fieldErrors(e.fields));
      setMessage(e.message);
      setBusy(false);
    }
  };
  const submit = (event) => {
    event.preventDefault();
    run(() => onSave(draftToRule(draft)));
  };

  const groupNames = Object.keys(groups ?? {});
  const current = draft.sel.startsWith("group:") ? draft.sel.slice(6) : null;
  if (current !== null && !groupNames.includes(current)) groupNames.push(current);
  const selOptions = [
    ["all", "All devices"],
    ["unknown", "Unknown devices (no label, no group)"],
    ["device", "One device…"],
    ...groupNames.map((g) => [`group:${g}`, `Group: ${g}`]),
  ];
  const setWindow = (i, patch) =>
    setDraft((d) => ({
      ...d,
      schedule: d.schedule.map((w, j) => j === i ? { ...w, ...patch } : w),
    }));
  const others = Object.entries(errors).filter(([key]) => !KNOWN.test(key));

  return html`
    <form class="card rule-form" onSubmit=${submit} aria-labelledby="rule-form-title" novalidate>
      <h2 id="rule-form-title" tabindex="-1" ref=${head}>${editing
        ? `Edit rule ${rule.id}`
        : "New rule"}</h2>
      ${message ? html`<p class="error" role="alert">${message}</p>` : null}
      <div class="form-grid">
        <${TextField} label="Id" value=${draft.id} onValue=${set("id")} error=${err("id")}
          required autocomplete="off" spellcheck=${false}
          hint="Letters, digits, _ . : - (events name the rule by it)" />
        <${TextField} label="Name" value=${draft.name} onValue=${set("name")} error=${err("name")}
          autocomplete="off" />
        <${CheckField} label="Enabled" checked=${draft.enabled} onValue=${set("enabled")}
          error=${err("enabled")} />
      </div>
      <div class="form-grid">
        <${SelectField} label="Devices" value=${draft.sel} onValue=${set(
          "sel",
        )} options=${selOptions}
          error=${err("devices", "devices.group", "devices.all", "devices.unknown")} />
        ${draft.sel === "device"
          ? html`
            <${TextField} label="Which device" value=${draft.device} onValue=${set("device")}
              error=${err("devices.device")} list=${listId} autocomplete="off" spellcheck=${false}
              placeholder="mac:aa:bb:cc:dd:ee:ff or ip:192.168.1.20" />
            <datalist id=${listId}>
                          ${(devices ?? []).map((d) =>
                            html`<option key=${d.id} value=${d.id}>${d.name}</option>`
                          )}
                        </datalist>
          `
          : null}
        <${TextField} label="Apps" value=${draft.apps} onValue=${set("apps")} error=${err("apps")}
          hint="Optional: catalogue ids, comma-separated (youtube, netflix)" autocomplete="off" />
        <${TextField} label="Categories" value=${draft.categories} onValue=${set("categories")}
          error=${err("categories")} hint="Optional: Gaming, Streaming, …" autocomplete="off" />
      </div>
      <div class="form-grid">
        <${SelectField} label="Action" value=${draft.kind} onValue=${set(
          "kind",
        )} options=${ACTION_KINDS}
          error=${err("action", "action.kind")} />
        ${actionFields(draft, set, err)}
      </div>
      <fieldset class="schedule">
        <legend>Schedule</legend>
        ${err("schedule") ? html`<p class="field-error">${err("schedule")}</p>` : null}
        ${draft.schedule.length === 0
          ? html`<p class="muted small">Always in force. Add a time window to limit when.</p>`
          : null}
        ${draft.schedule.map((w, i) =>
          html`
            <${Window} key=${i} index=${i} window=${w} err=${err}
              onChange=${(patch) => setWindow(i, patch)}
              onRemove=${() =>
                setDraft((d) => ({ ...d, schedule: d.schedule.filter((_, j) => j !== i) }))} />
          `
        )}
        <button type="button" onClick=${() =>
          setDraft((d) => ({
            ...d,
            schedule: [...d.schedule, { days: DAYS.slice(), from: "21:00", to: "07:00" }],
          }))}>Add time window</button>
      </fieldset>
      ${others.length
        ? html`<ul class="field-error other-errors">
          ${others.map(([k, m]) => html`<li key=${k}><code>${k}</code>: ${m}</li>`)}
        </ul>`
        : null}
      <div class="buttons">
        ${editing
          ? html`
            <button type="button" class="danger push-left" disabled=${busy}
              onClick=${() => run(onDelete)}>Delete</button>
          `
          : null}
        <button type="button" onClick=${onCancel}>Cancel</button>
        <button type="submit" class="primary" disabled=${busy}>Save rule</button>
      </div>
    </form>
  `;
}

function actionFields(d, set, err) {
  switch (d.kind) {
    case "limit":
      return html`
        <${TextField} label="Down" value=${d.down} onValue=${set("down")} error=${err(
          "action.down",
        )}
          hint=${RATE_HINT} autocomplete="off" />
        <${TextField} label="Up" value=${d.up} onValue=${set("up")} error=${err("action.up")}
          autocomplete="off" />
      `;
    case "priority":
      return html`
        <${SelectField} label="Priority" value=${d.priority} onValue=${set("priority")}
          options=${PRIORITIES} error=${err("action.priority")} />
      `;
    case "quota":
      return html`
        <${TextField} label="Quota" value=${d.bytes} onValue=${set("bytes")} error=${err(
          "action.bytes",
        )}
          hint='e.g. "2GB", "500MB"' autocomplete="off" />
        <${SelectField} label="Per" value=${d.period} onValue=${set("period")} options=${PERIODS}
          error=${err("action.period")} />
        <${SelectField} label="Counting" value=${d.direction} onValue=${set("direction")}
          options=${DIRECTIONS} error=${err("action.direction")} />
        ${thenFields(d, set, err)}
      `;
    case "timeBudget":
      return html`
        <${TextField} label="Online time a day" value=${d.seconds} onValue=${set("seconds")}
          error=${err("action.seconds")} hint='e.g. "3h", "90m"' autocomplete="off" />
        ${thenFields(d, set, err)}
      `;
    default:
      return null;
  }
}

function thenFields(d, set, err) {
  return html`
    <${SelectField} label="Then" value=${d.thenKind} onValue=${set("thenKind")} options=${THEN}
      error=${err("action.then", "action.then.kind")} />
    ${d.thenKind === "limit"
      ? html`
        <${TextField} label="Then down" value=${d.thenDown} onValue=${set("thenDown")}
          error=${err("action.then.down")} hint=${RATE_HINT} autocomplete="off" />
        <${TextField} label="Then up" value=${d.thenUp} onValue=${set("thenUp")}
          error=${err("action.then.up")} autocomplete="off" />
      `
      : null}
  `;
}

function Window({ index, window: w, err, onChange, onRemove }) {
  const n = index + 1;
  const toggle = (day) =>
    onChange({ days: w.days.includes(day) ? w.days.filter((x) => x !== day) : [...w.days, day] });
  const daysError = err(`schedule.${index}.days`, `schedule.${index}`);
  return html`
    <div class="window" role="group" aria-label=${`Time window ${n}`}>
      <div class="days" role="group" aria-label=${`Days of window ${n}`}>
        ${DAYS.map((day) =>
          html`<label key=${day} class="day"><input type="checkbox" checked=${w.days.includes(day)}
            onChange=${() => toggle(day)} /> ${day.charAt(0).toUpperCase() + day.slice(1)}</label>`
        )}
      </div>
      ${daysError ? html`<span class="field-error">${daysError}</span>` : null}
      <div class="times">
        <${TextField} label="From" type="time" value=${w.from} onValue=${(v) =>
          onChange({ from: v })}
          error=${err(`schedule.${index}.from`)} />
        <${TextField} label="To" type="time" value=${w.to} onValue=${(v) => onChange({ to: v })}
          error=${err(`schedule.${index}.to`)} />
        <button type="button" class="danger" aria-label=${`Remove time window ${n}`}
          onClick=${onRemove}>Remove</button>
      </div>
    </div>
  `;
}
