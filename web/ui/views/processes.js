/**
 * Processes: on a host watched with `sluice run --processes`, which program
 * uses the network — rates, totals and protocols per process, busiest first,
 * with what could not be attributed as "unknown", so the rows add up to the
 * link. Everything comes from the live snapshot.
 *
 * @module
 */
import { html, useState } from "../lib/html.js";
import { useLive } from "../lib/live.js";
import { bytes, rate } from "../lib/format.js";

const NO_DATA = "No process data: per-process attribution runs on the host itself, with";

/** The processes view. */
export function Processes() {
  const snap = useLive();
  const [query, setQuery] = useState("");
  const all = snap?.processes ?? null;
  const q = query.trim().toLowerCase();
  const rows = (all ?? [])
    .filter((p) =>
      !q || p.name.toLowerCase().includes(q) || (p.command ?? "").toLowerCase().includes(q) ||
      String(p.pid ?? "").includes(q)
    )
    .sort((a, b) =>
      b.down + b.up - (a.down + a.up) || b.totalDown + b.totalUp - (a.totalDown + a.totalUp)
    );
  return html`
    <section class="view" aria-labelledby="view-title">
      <div class="view-head">
        <h1 id="view-title">Processes</h1>
        ${all
          ? html`
            <input type="search" placeholder="Search name, command, PID…"
              aria-label="Search processes" value=${query}
              onInput=${(e) => setQuery(e.currentTarget.value)} />
          `
          : null}
      </div>
      ${!snap
        ? html`<p class="muted">waiting for data…</p>`
        : !all
        ? html`<p class="card muted">${NO_DATA} <code>sluice run --processes</code> (Linux).</p>`
        : html`
          <div class="card">
            <table class="table" aria-label="Processes">
              <thead>
                <tr>
                  <th>Process</th><th class="num">PID</th><th class="num">Down</th>
                  <th class="num">Up</th><th class="num hide-narrow">Total down</th>
                  <th class="num hide-narrow">Total up</th><th class="hide-narrow">Protocols</th>
                </tr>
              </thead>
              <tbody>
                ${rows.map((p) =>
                  html`
                    <tr key=${`${p.pid}:${p.name}`}>
                      <td title=${p.command ?? ""}>${p.name}</td>
                      <td class="num">${p.pid ?? "–"}</td>
                      <td class="num">${rate(p.down)}</td>
                      <td class="num">${rate(p.up)}</td>
                      <td class="num hide-narrow">${bytes(p.totalDown)}</td>
                      <td class="num hide-narrow">${bytes(p.totalUp)}</td>
                      <td class="hide-narrow muted">${p.protocols.join(", ")}</td>
                    </tr>
                  `
                )}
              </tbody>
            </table>
            ${rows.length === 0 ? html`<p class="muted">No process matches.</p>` : null}
          </div>
        `}
    </section>
  `;
}
