/**
 * Shaper: its mode and failures, what the policy asks of it (the plan's
 * devices) beside what it has installed (the applied objects), and the
 * command log: each change with the command lines it ran, or in dry-run
 * would have run.
 *
 * @module
 */
import { html, useMemo } from "../lib/html.js";
import { useLive } from "../lib/live.js";
import { count, rate } from "../lib/format.js";
import { deviceHref } from "../lib/router.js";
import { useFetch } from "../components/use_fetch.js";
import { EventList, usePagedEvents } from "../components/event_list.js";

const MODE_TEXT = {
  linux: "Linux (tc and nftables)",
  windows: "Windows (QoS policies)",
  "dry-run": "dry run: commands are logged, never run",
  off: "off: nothing is enforced",
};

/** The shaper view. */
export function Shaper() {
  const snap = useLive();
  const res = useFetch("/shaper", { every: 5000 });
  const log = usePagedEvents("/shaper/log", { limit: 25 });
  const devices = snap?.devices;
  const names = useMemo(() => new Map((devices ?? []).map((d) => [d.id, d.name])), [devices]);
  const s = res.data;
  const mode = s?.mode ?? snap?.shaper.mode;
  const failures = s?.failures ?? snap?.shaper.failures;

  return html`
    <section class="view shaper-view" aria-labelledby="view-title">
      <div class="view-head">
        <h1 id="view-title">Shaper</h1>
        ${mode ? html`<span class=${`badge ${mode === "off" ? "" : "free"}`}>${mode}</span>` : null}
      </div>
      ${res.error && !s
        ? html`<p class="banner error" role="alert"><span>${res.error}</span></p>`
        : null}
      <div class="card">
        <dl class="facts">
          <dt>Mode</dt>
          <dd>${mode ? MODE_TEXT[mode] ?? mode : "–"}</dd>
          <dt>Failures</dt>
          <dd class=${failures ? "warn" : ""}>${count(failures)}</dd>
          <dt>Link</dt>
          <dd>${s?.plan ? `↓${rate(s.plan.link.down)} ↑${rate(s.plan.link.up)}` : "–"}</dd>
          <dt>Shares</dt>
          <dd>${s?.plan?.shares ? sharesText(s.plan.shares) : "–"}</dd>
        </dl>
      </div>
      <div class="card">
        <h2>Desired and applied</h2>
        ${s
          ? html`<${PlanTable} shaper=${s} names=${names} />`
          : res.error
          ? null
          : html`<p class="muted">Loading…</p>`}
      </div>
      <div class="card">
        <h2>Command log</h2>
        <${EventList} log=${log} label="Command log" names=${names} commands=${true} now=${snap
          ?.time}
          empty="No shaper changes logged yet." />
      </div>
    </section>
  `;
}

function sharesText(shares) {
  return ["high", "normal", "low"]
    .filter((p) => shares[p] != null)
    .map((p) => `${p} ${Math.round(shares[p] * 100)}%`)
    .join(", ");
}

/** The plan's devices with whether objects for each are applied, then the applied objects. */
function PlanTable({ shaper: s, names }) {
  const planned = s.plan?.devices ?? [];
  const applied = s.applied ?? [];
  const why = new Map((s.desired ?? []).map((d) => [d.id, d.reason]));
  // Object keys name their device as one "/"-separated part ("down/class/mac:…").
  const byDevice = new Map();
  for (const o of applied) {
    for (const part of String(o.key).split("/")) {
      if (/^(mac|ip):/.test(part)) byDevice.set(part, (byDevice.get(part) ?? 0) + 1);
    }
  }
  return html`
    ${!s.plan
      ? html`<p class="muted">No plan: ${
        s.mode === "off" ? "the shaper is off" : "no policy runs"
      }.</p>`
      : planned.length === 0
      ? html`<p class="muted">Every device gets the default: nothing blocked, limited or reprioritised.</p>`
      : html`
        <div class="scroll-x">
          <table class="table plan-table" aria-label="Desired per device">
            <thead>
              <tr>
                <th>Device</th>
                <th>State</th>
                <th class="num">Down limit</th>
                <th class="num">Up limit</th>
                <th>Priority</th>
                <th>Applied</th>
                <th class="hide-narrow">Why</th>
              </tr>
            </thead>
            <tbody>
              ${planned.map((d) => {
                const state = d.blocked
                  ? "blocked"
                  : d.down != null || d.up != null
                  ? "limited"
                  : "free";
                const n = byDevice.get(d.id) ?? 0;
                return html`
                  <tr key=${d.id}>
                    <td title=${[d.id, ...(d.addresses ?? [])].join("\n")}>
                      <a href=${deviceHref(d.id)}>${names.get(d.id) ?? d.id}</a>
                    </td>
                    <td><span class=${`badge ${state}`}>${state}</span></td>
                    <td class="num">${d.down != null ? rate(d.down) : "–"}</td>
                    <td class="num">${d.up != null ? rate(d.up) : "–"}</td>
                    <td>${d.priority}</td>
                    <td class=${n || s.mode === "off" ? "" : "warn"}>${n
                      ? `${n} object${n === 1 ? "" : "s"}`
                      : "not applied"}</td>
                    <td class="hide-narrow muted" title=${why.get(d.id) ?? ""}>${why.get(d.id) ??
                      ""}</td>
                  </tr>
                `;
              })}
            </tbody>
          </table>
        </div>
      `}
    ${s.mode === "dry-run"
      ? html`<p class="muted small">A dry run records objects as if applied; nothing is installed.</p>`
      : null}
    ${applied.length === 0 ? html`<p class="muted">Nothing applied.</p>` : html`
      <details class="applied-box">
        <summary>Applied objects (${count(applied.length)})</summary>
        <ul class="applied-objects" aria-label="Applied objects">
          ${applied.map((o) =>
            html`<li key=${o.key}><code>${o.key}</code> <span class="muted">${o.summary}</span></li>`
          )}
        </ul>
      </details>
    `}
  `;
}
