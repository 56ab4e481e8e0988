/**
 * One device: for now what the live snapshot knows about it (addresses,
 * rates, state and the policy's reason); history, apps, flows, rules and
 * decisions are coming and listed as such.
 *
 * @module
 */
import { html } from "../lib/html.js";
import { useLive } from "../lib/live.js";
import { bytes, rate } from "../lib/format.js";
import { Coming } from "../components/coming.js";

/** The device page for `id` (from the path). */
export function Device({ id }) {
  const snap = useLive();
  const d = snap?.devices.find((x) => x.id === id) ?? null;
  return html`
    <section class="view" aria-labelledby="view-title">
      <p><a href="/devices">← Devices</a></p>
      <h1 id="view-title">${d ? d.name : id}</h1>
      ${!snap
        ? html`<p class="muted">waiting for data…</p>`
        : !d
        ? html`<p class="muted">This device is not in the live picture.</p>`
        : html`
          <div class="card">
            <dl class="facts">
              <dt>Id</dt>
              <dd>${d.id}</dd>
              <dt>Vendor</dt>
              <dd>${d.vendor ?? "unknown"}</dd>
              <dt>MAC</dt>
              <dd>${d.mac ?? "–"}</dd>
              <dt>Addresses</dt>
              <dd>${d.addresses.join(", ") || "–"}</dd>
              <dt>Status</dt>
              <dd>${d.online ? "online" : "offline"}</dd>
              <dt>Down / up now</dt>
              <dd>${rate(d.down)} / ${rate(d.up)}</dd>
              <dt>Today</dt>
              <dd>${bytes(d.today)}</dd>
              <dt>Busiest app</dt>
              <dd>${d.topApp ?? "–"}</dd>
              <dt>Priority</dt>
              <dd>${d.control?.priority ?? "–"}</dd>
              <dt>State</dt>
              <dd>${d.control?.state ?? "no policy"}</dd>
              <dt>Why</dt>
              <dd>${d.control?.reason ?? "–"}</dd>
            </dl>
          </div>
        `}
      <${Coming} items=${[
        "History over 24 h, 7 d and 30 d",
        "Apps breakdown",
        "Current flows",
        "Its rules",
        "Its decisions, with reasons",
      ]} />
    </section>
  `;
}
