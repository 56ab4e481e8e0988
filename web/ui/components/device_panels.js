/**
 * The device page's panels: the range switch, the apps breakdown, the
 * current flows (refreshed while shown) and the rules that apply, with the
 * words that say what a rule does. Kept out of views/device.js so each file
 * stays one concern.
 *
 * @module
 */
import { html } from "../lib/html.js";
import { bytes, count, rate, when } from "../lib/format.js";
import { useFetch } from "./use_fetch.js";

/** The history ranges the API knows, with their button text. */
export const RANGES = [["24h", "24 h"], ["7d", "7 d"], ["30d", "30 d"]];

/**
 * Buttons "24 h", "7 d", "30 d"; the chosen one is pressed.
 *
 * @example
 * ```js
 * html`<${RangeSwitch} value=${range} onChange=${setRange} />`
 * ```
 */
export function RangeSwitch({ value, onChange }) {
  return html`
    <div class="range-switch" role="group" aria-label="Range">
      ${RANGES.map(([key, text]) =>
        html`
          <button type="button" key=${key} aria-pressed=${value === key ? "true" : "false"}
            onClick=${() => onChange(key)}>${text}</button>
        `
      )}
    </div>
  `;
}

/** A bar for a share of the largest value (a <meter>, so no inline style is needed). */
function Bar({ value, max, label }) {
  return html`
    <meter class="bar" min="0" max=${max || 1} value=${value} aria-label=${label}
      title=${label}></meter>
  `;
}

/**
 * The apps of GET /devices/:id/apps (`apps` = { apps: [{ id, name, category, up, down }] }),
 * largest first, with bars for each app's share of the busiest.
 */
export function AppsTable({ apps, rangeText }) {
  const list = apps?.apps ?? [];
  const max = list.reduce((m, a) => Math.max(m, a.down + a.up), 0);
  if (apps && list.length === 0) {
    return html`<p class="muted">No app traffic over ${rangeText}.</p>`;
  }
  return html`
    <div class="scroll-x">
      <table class="table apps-table" aria-label=${`Apps over ${rangeText}`}>
        <thead>
          <tr>
            <th>App</th>
            <th class="hide-narrow">Category</th>
            <th class="num">Down</th>
            <th class="num">Up</th>
            <th class="bar-cell">Share</th>
          </tr>
        </thead>
        <tbody>
        ${list.map((a) =>
          html`
            <tr key=${a.id}>
              <td>${a.name}</td>
              <td class="hide-narrow muted">${a.category ?? ""}</td>
              <td class="num">${bytes(a.down)}</td>
              <td class="num">${bytes(a.up)}</td>
              <td class="bar-cell">
                <${Bar} value=${a.down + a.up} max=${max}
                  label=${`${a.name}: ${bytes(a.down + a.up)}`} />
              </td>
            </tr>
          `
        )}
      </tbody>
      </table>
    </div>
  `;
}

/** The device's open flows, busiest first, refreshed every `every` ms while shown. */
export function FlowsPanel({ id, every = 3000 }) {
  const res = useFetch(`/devices/${encodeURIComponent(id)}/flows`, { every });
  const flows = res.data?.flows ?? [];
  return html`
    ${res.error ? html`<p class="error" role="alert">Could not load flows: ${res.error}</p>` : null}
    ${res.data && flows.length === 0 ? html`<p class="muted">No open flows.</p>` : null}
    ${!res.data && !res.error ? html`<p class="muted">Loading…</p>` : null}
    ${flows.length
      ? html`
        <div class="scroll-x">
          <table class="table flows-table" aria-label="Current flows">
            <thead>
              <tr>
                <th>Remote</th>
                <th>App</th>
                <th class="num">Down</th>
                <th class="num">Up</th>
                <th class="hide-narrow">Protocol</th>
                <th class="hide-narrow">Local</th>
                <th class="hide-narrow num">Packets</th>
              </tr>
            </thead>
            <tbody>
              ${flows.map((f, i) =>
                html`
                  <tr key=${flowKey(f, i)}>
                    <td title=${endpoint(f.remote, f.remotePort)}>
                      ${f.name ?? endpoint(f.remote, f.remotePort)}
                      ${f.name
                        ? html`<span class="sub-inline">${endpoint(f.remote, f.remotePort)}</span>`
                        : null}
                    </td>
                    <td>${f.appName ?? f.app ?? html`<span class="muted">–</span>`}</td>
                    <td class="num">${bytes(f.down)}</td>
                    <td class="num">${bytes(f.up)}</td>
                    <td class="hide-narrow">${f.protocol}</td>
                    <td class="hide-narrow">${endpoint(f.local, f.localPort)}</td>
                    <td class="hide-narrow num">${count(f.packets)}</td>
                  </tr>
                `
              )}
            </tbody>
          </table>
        </div>
        <p class="muted small">${count(flows.length)} open; bytes since each flow began.</p>
      `
      : null}
  `;
}

function flowKey(f, i) {
  return `${f.protocol}|${f.local}|${f.localPort}|${f.remote}|${f.remotePort}|${i}`;
}

function endpoint(addr, port) {
  if (port == null) return addr;
  return addr.includes(":") ? `[${addr}]:${port}` : `${addr}:${port}`;
}

/**
 * The rules that select the device (`rules`) and its manual overrides
 * (`overrides`), each with what it does, when, and for overrides who set it.
 */
export function RulesList({ rules, overrides }) {
  const manual = overrides ?? [];
  const policy = rules ?? [];
  return html`
    ${manual.length
      ? html`
        <h3>Manual overrides</h3>
        <ul class="device-rules" aria-label="Manual overrides">
          ${manual.map((r) => html`<${RuleItem} key=${r.id} rule=${r} />`)}
        </ul>
      `
      : null}
    <h3>From the policy</h3>
    ${policy.length
      ? html`
        <ul class="device-rules" aria-label="Policy rules">
          ${policy.map((r) => html`<${RuleItem} key=${r.id} rule=${r} />`)}
        </ul>
      `
      : html`<p class="muted">No policy rule selects this device.</p>`}
  `;
}

/** One rule; a RuleView's `deciding` and `inForce` (GET /devices/:id) show when present. */
function RuleItem({ rule: r }) {
  const off = r.enabled === false || r.inForce === false;
  const m = r.manual;
  return html`
    <li class=${`device-rule ${off ? "disabled" : ""}`}>
      <div class="device-rule-head">
        <strong>${r.name ?? r.id}</strong>
        <span class=${`badge ${badgeOf(r.action)}`}>${actionText(r.action)}</span>
        ${r.deciding ? html`<span class="badge decides">decides now</span>` : null}
        ${r.enabled === false
          ? html`<span class="muted small">disabled</span>`
          : r.inForce === false
          ? html`<span class="muted small">not in force now</span>`
          : null}
      </div>
      <span class="sub">
        ${[
          `id ${r.id}`,
          selectorText(r.devices),
          scopeText(r),
          scheduleText(r.schedule),
          m ? manualText(m) : "",
        ].filter(Boolean).join(" · ")}
      </span>
    </li>
  `;
}

function badgeOf(action) {
  const k = action?.kind;
  if (k === "block") return "blocked";
  if (k === "limit" || k === "quota" || k === "timeBudget") return "limited";
  return "free";
}

/** A rate in a rule: bytes/s as a number, or the policy file's text ("20Mbit"). */
function ruleRate(v) {
  return typeof v === "number" ? rate(v) : String(v);
}

/** What a rule's action does, in a few words. */
export function actionText(a) {
  if (!a) return "–";
  switch (a.kind) {
    case "limit": {
      const parts = [];
      if (a.down != null) parts.push(`↓${ruleRate(a.down)}`);
      if (a.up != null) parts.push(`↑${ruleRate(a.up)}`);
      return `limit ${parts.join(" ")}`.trim();
    }
    case "block":
      return "block";
    case "priority":
      return `priority ${a.priority}`;
    case "allow":
      return "allow";
    case "quota": {
      const size = typeof a.bytes === "number" ? bytes(a.bytes) : String(a.bytes);
      const dir = a.direction && a.direction !== "both" ? ` ${a.direction}` : "";
      return `after ${size}${dir} a ${a.period}: ${actionText(a.then)}`;
    }
    case "timeBudget": {
      const s = typeof a.seconds === "number" ? duration(a.seconds) : String(a.seconds);
      return `after ${s} online a day: ${actionText(a.then)}`;
    }
    default:
      return String(a.kind ?? "–");
  }
}

function duration(seconds) {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

function selectorText(s) {
  if (!s) return "";
  if (s.device) return `device ${s.device}`;
  if (s.group) return `group ${s.group}`;
  if (s.all) return "all devices";
  if (s.unknown) return "unknown devices";
  return "";
}

function scopeText(r) {
  const parts = [...(r.apps ?? []), ...(r.categories ?? []).map((c) => `${c} (category)`)];
  return parts.length ? `only ${parts.join(", ")}` : "";
}

function scheduleText(schedule) {
  if (!schedule?.length) return "";
  return schedule.map((w) => `${(w.days ?? []).join(",")} ${w.from}–${w.to}`).join("; ");
}

function manualText(m) {
  const parts = [];
  if (m.by) parts.push(`set by ${m.by}`);
  if (m.at) parts.push(`at ${when(m.at)}`);
  parts.push(m.until ? `until ${when(m.until)}` : "until lifted");
  return parts.join(" ");
}
