/**
 * The policy's settings as one form: link capacity, time zone and shares,
 * alert thresholds, automatic priorities and webhooks, saved together with
 * PUT /settings (admins; viewers see it read-only). Retention is shown, not
 * edited: it is the history's, not the policy's.
 *
 * @module
 */
import { html, useMemo, useState } from "../lib/html.js";
import { api } from "../lib/api.js";
import { rate } from "../lib/format.js";
import { CheckField, errorFor, fieldErrors, TextField, useFieldId } from "./field.js";
import { ALERT_KINDS, draftToSettings, durationText, settingsToDraft } from "./settings_text.js";

const RATE_HINT = 'e.g. "100Mbit", "3MB/s"';
const KNOWN =
  /^(timeZone|link(\.(down|up))?|shares(\.(high|normal|low))?|auto(\.(enabled|lowAbove|highBelow))?|alerts(\.(sustained(\.(rate|for))?|spike(\.(sigma|minRate))?|quotaWarnAt|offlineAfter))?|webhooks(\.\d+(\.(url|kinds|secret)(\.\d+)?)?)?)$/;

/** " · in force: X" for a hint, when the server said what is in force. */
function inForce(value) {
  return value == null || value === "–" ? "" : ` · in force: ${value}`;
}

/** Seconds as text for a hint: 7200 → "2 h", 90 → "90 s". */
function seconds(s) {
  if (s == null) return null;
  if (s >= 3600 && s % 3600 === 0) return `${s / 3600} h`;
  if (s >= 60 && s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}

function zones() {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return [];
  }
}

/**
 * `settings` from GET /settings; `admin` decides whether it can be saved;
 * `onSaved(next)` after a save, `onReload()` when the policy changed meanwhile.
 */
export function SettingsForm({ settings, admin, onSaved, onReload }) {
  const [draft, setDraft] = useState(() => settingsToDraft(settings));
  const [errors, setErrors] = useState({});
  const [message, setMessage] = useState(null); // { kind, text }
  const [busy, setBusy] = useState(false);
  const zoneList = useFieldId("zones");
  const allZones = useMemo(zones, []);
  const set = (key) => (value) => setDraft((d) => ({ ...d, [key]: value }));
  const err = (...keys) => errorFor(errors, ...keys);
  const setHook = (i, patch) =>
    setDraft((d) => ({
      ...d,
      webhooks: d.webhooks.map((w, j) => j === i ? { ...w, ...patch } : w),
    }));

  const submit = async (event) => {
    event.preventDefault();
    if (!admin) return;
    setBusy(true);
    setMessage(null);
    try {
      // The revision shown goes along: a change made meanwhile is refused, not overwritten.
      const query = settings.revision ? `?revision=${settings.revision}` : "";
      const next = await api("PUT", `/settings${query}`, draftToSettings(draft, settings));
      setErrors({});
      setDraft(settingsToDraft(next));
      setMessage({ kind: "ok", text: `Settings saved (revision ${next.revision ?? "?"}).` });
      onSaved?.(next);
    } catch (e) {
      setErrors(fieldErrors(e.fields));
      setMessage({ kind: "error", text: e.message, stale: e.status === 409 });
    } finally {
      setBusy(false);
    }
  };
  const others = Object.entries(errors).filter(([key]) => !KNOWN.test(key));
  const r = settings.retention;
  const eff = settings.effective; // the values in force, defaults filled in

  return html`
    <form class="settings-form" onSubmit=${submit} novalidate aria-label="Policy settings">
      <fieldset class="plain" disabled=${!admin || busy}>
        <div class="grid">
          <div class="card">
            <h2>Link</h2>
            <div class="form-grid">
              <${TextField} label="Download capacity" value=${draft.down} onValue=${set("down")}
                error=${err("link.down", "link")} hint=${RATE_HINT} autocomplete="off" />
              <${TextField} label="Upload capacity" value=${draft.up} onValue=${set("up")}
                error=${err("link.up")} autocomplete="off" />
              <${TextField} label="Time zone" value=${draft.timeZone} onValue=${set("timeZone")}
                error=${err("timeZone")} list=${zoneList} autocomplete="off" spellcheck=${false}
                hint="For schedules, quota periods and daily budgets" />
            </div>
            <datalist id=${zoneList}>${allZones.map((z) =>
              html`<option key=${z} value=${z} />`
            )}</datalist>
            <fieldset class="shares">
              <legend>Guaranteed share per priority</legend>
              ${err("shares") ? html`<p class="field-error">${err("shares")}</p>` : null}
              <div class="form-grid three">
                <${TextField} label="High" type="number" min="0" max="1" step="0.05" inputmode="decimal"
                  value=${draft.high} onValue=${set("high")} error=${err("shares.high")} />
                <${TextField} label="Normal" type="number" min="0" max="1" step="0.05" inputmode="decimal"
                  value=${draft.normal} onValue=${set("normal")} error=${err("shares.normal")} />
                <${TextField} label="Low" type="number" min="0" max="1" step="0.05" inputmode="decimal"
                  value=${draft.low} onValue=${set("low")} error=${err("shares.low")} />
              </div>
            </fieldset>
          </div>

          <div class="card">
            <h2>Alerts</h2>
            <${CheckField} label="Sustained rate alerts" checked=${draft.sustainedOn}
              onValue=${set("sustainedOn")} error=${err("alerts.sustained")} />
            ${draft.sustainedOn
              ? html`
                <div class="form-grid">
                  <${TextField} label="Sustained rate above" value=${draft.sustainedRate}
                    onValue=${set("sustainedRate")} error=${err("alerts.sustained.rate")}
                    hint=${`Blank: 80% of the download capacity${
                      inForce(rate(eff?.alerts?.sustained?.rate))
                    }`} autocomplete="off" />
                  <${TextField} label="For at least" value=${draft.sustainedFor} onValue=${set(
                    "sustainedFor",
                  )}
                    error=${err(
                      "alerts.sustained.for",
                    )} hint=${`e.g. "5m"; blank: 5 minutes${
                      inForce(seconds(eff?.alerts?.sustained?.seconds))
                    }`} autocomplete="off" />
                </div>
              `
              : null}
            <${CheckField} label="Spike alerts" checked=${draft.spikeOn} onValue=${set("spikeOn")}
              error=${err("alerts.spike")} />
            ${draft.spikeOn
              ? html`
                <div class="form-grid">
                  <${TextField} label="Spike above (standard deviations)" type="number" min="0" step="0.5"
                    inputmode="decimal" value=${draft.spikeSigma} onValue=${set("spikeSigma")}
                    error=${err("alerts.spike.sigma")} hint=${`Blank: 3${
                      inForce(eff?.alerts?.spike?.sigma)
                    }`} />
                  <${TextField} label="Spike minimum rate" value=${draft.spikeMinRate}
                    onValue=${set("spikeMinRate")} error=${err("alerts.spike.minRate")}
                    hint=${`Blank: 10% of the download capacity${
                      inForce(rate(eff?.alerts?.spike?.minRate))
                    }`} autocomplete="off" />
                </div>
              `
              : null}
            <div class="form-grid">
              <${TextField} label="Quota warning at (fraction)" type="number" min="0" max="1" step="0.05"
                inputmode="decimal" value=${draft.quotaWarnAt} onValue=${set("quotaWarnAt")}
                error=${err("alerts.quotaWarnAt")} hint=${`0.8 warns at 80% of a quota${
                  inForce(eff?.alerts?.quotaWarnAt)
                }`} />
              <${TextField} label="Offline after" value=${draft.offlineAfter} onValue=${set(
                "offlineAfter",
              )}
                error=${err("alerts.offlineAfter")} hint=${`e.g. "5m"${
                  inForce(seconds(eff?.alerts?.offlineAfter))
                }`} autocomplete="off" />
            </div>
          </div>

          <div class="card">
            <h2>Automatic priorities</h2>
            <${CheckField} label="Set priorities from each device's usage" checked=${draft
              .autoEnabled}
              onValue=${set("autoEnabled")} error=${err("auto.enabled")} />
            <div class="form-grid">
              <${TextField} label="Low priority above" value=${draft.lowAbove} onValue=${set(
                "lowAbove",
              )}
                error=${err("auto.lowAbove")} hint=${`Blank: 30% of the download capacity${
                  inForce(rate(eff?.auto?.lowAbove))
                }`}
                autocomplete="off" />
              <${TextField} label="High priority below" value=${draft.highBelow} onValue=${set(
                "highBelow",
              )}
                error=${err("auto.highBelow")} hint=${`Blank: 2% of the download capacity${
                  inForce(rate(eff?.auto?.highBelow))
                }`}
                autocomplete="off" />
            </div>
          </div>

          <div class="card">
            <h2>Retention</h2>
            <p class="muted small">How long history keeps each level of detail (set when Sluice starts).</p>
            <dl class="facts">
              <dt>Minutes</dt><dd>${durationText(r?.minute)}</dd>
              <dt>Hours</dt><dd>${durationText(r?.hour)}</dd>
              <dt>Days</dt><dd>${durationText(r?.day)}</dd>
              ${settings.data
                ? html`
                  <dt>Stored in</dt>
                  <dd>${settings.data}</dd>
                `
                : null}
            </dl>
          </div>

          <div class="card wide">
            <h2>Webhooks</h2>
            ${err("webhooks") ? html`<p class="field-error">${err("webhooks")}</p>` : null}
            ${draft.webhooks.length === 0
              ? html`<p class="muted">No webhooks: alerts stay in Sluice.</p>`
              : null}
            ${draft.webhooks.map((w, i) =>
              html`
                <${Webhook} key=${i} index=${i} hook=${w} err=${err}
                  onChange=${(patch) => setHook(i, patch)}
                  onRemove=${() =>
                    setDraft((d) => ({ ...d, webhooks: d.webhooks.filter((_, j) => j !== i) }))} />
              `
            )}
            <button type="button" onClick=${() =>
              setDraft((d) => ({
                ...d,
                webhooks: [...d.webhooks, { url: "", kinds: [], secret: "" }],
              }))}>
              Add webhook</button>
          </div>
        </div>
      </fieldset>
      ${others.length
        ? html`<ul class="field-error other-errors">
          ${others.map(([k, m]) => html`<li key=${k}><code>${k}</code>: ${m}</li>`)}
        </ul>`
        : null}
      <div class=${admin ? "save-bar" : "read-only-bar"}>
        ${message
          ? html`<p class=${message.kind === "error" ? "error" : "ok"} role=${
            message.kind === "error" ? "alert" : "status"
          }>${message.text}</p>`
          : html`<span class="spacer"></span>`}
        ${message?.stale && onReload
          ? html`<button type="button" onClick=${onReload}>Reload settings</button>`
          : null}
        ${admin
          ? html`<button type="submit" class="primary" disabled=${busy}>Save settings</button>`
          : html`<p class="muted small">Read-only: only an admin changes settings.</p>`}
      </div>
    </form>
  `;
}

function Webhook({ index, hook, err, onChange, onRemove }) {
  const n = index + 1;
  const p = `webhooks.${index}`;
  const toggle = (kind) =>
    onChange({
      kinds: hook.kinds.includes(kind)
        ? hook.kinds.filter((k) => k !== kind)
        : [...hook.kinds, kind],
    });
  return html`
    <div class="webhook" role="group" aria-label=${`Webhook ${n}`}>
      <div class="form-grid">
        <${TextField} label="URL" type="url" value=${hook.url} onValue=${(v) =>
          onChange({ url: v })}
          error=${err(`${p}.url`, p)} placeholder="https://…" autocomplete="off" />
        <${TextField} label="Secret" type="password" value=${hook.secret}
          onValue=${(v) => onChange({ secret: v })} error=${err(
            `${p}.secret`,
          )} autocomplete="new-password"
          hint=${hook.secret === "********"
            ? "Stored; ******** keeps it. Clear it to send unsigned."
            : "Optional, 16+ characters: signs each body"} />
      </div>
      <fieldset class="kinds">
        <legend>Alert kinds <span class="muted small">(none ticked: all)</span></legend>
        ${err(`${p}.kinds`) ? html`<p class="field-error">${err(`${p}.kinds`)}</p>` : null}
        ${ALERT_KINDS.map((k) =>
          html`<label key=${k} class="day"><input type="checkbox" checked=${hook.kinds.includes(k)}
            onChange=${() => toggle(k)} /> ${k.replaceAll("_", " ")}</label>`
        )}
      </fieldset>
      <button type="button" class="danger" aria-label=${`Remove webhook ${n}`} onClick=${onRemove}>Remove</button>
    </div>
  `;
}
