/**
 * Overview: the link now (rates, share of capacity, totals), the last five
 * minutes as a chart, who and what uses it most, active alerts, and whether
 * capture keeps up (drops), and how the link feels (round trips,
 * retransmissions). Everything comes from the live snapshot.
 *
 * @module
 */
import { html } from "../lib/html.js";
import { useLive } from "../lib/live.js";
import { ago, bytes, count, rate, when } from "../lib/format.js";
import { deviceHref } from "../lib/router.js";
import { LiveChart } from "../components/live_chart.js";

const TOP = 8;

/** The overview; `theme` is passed to the chart so it redraws in the new colours. */
export function Overview({ theme }) {
  const snap = useLive();
  return html`
    <section class="view overview" aria-labelledby="view-title">
      <div class="view-head">
        <h1 id="view-title">Overview</h1>
        <span class="muted">${snap
          ? `as of ${new Date(snap.time).toLocaleTimeString()}`
          : "waiting for data…"}</span>
      </div>
      <div class="grid">
        <${Link} snap=${snap} />
        <div class="card wide">
          <h2>Last five minutes</h2>
          <${LiveChart} theme=${theme} />
        </div>
        <${TopDevices} snap=${snap} />
        <${TopApps} snap=${snap} />
        <${Alerts} snap=${snap} />
        <${Quality} snap=${snap} />
        <${Capture} snap=${snap} />
      </div>
    </section>
  `;
}

function Link({ snap }) {
  const l = snap?.link;
  return html`
    <div class="card wide link" aria-label="Link">
      <div class="stat">
        <span class="label">Down</span>
        <strong class="down" data-testid="link-down">${rate(l?.down)}</strong>
        <${Meter} value=${l?.down} max=${l?.capacityDown} />
        <span class="muted">${l ? `${bytes(l.totalDown)} since start` : ""}</span>
      </div>
      <div class="stat">
        <span class="label">Up</span>
        <strong class="up" data-testid="link-up">${rate(l?.up)}</strong>
        <${Meter} value=${l?.up} max=${l?.capacityUp} />
        <span class="muted">${l ? `${bytes(l.totalUp)} since start` : ""}</span>
      </div>
      <div class="stat">
        <span class="label">Devices online</span>
        <strong>${snap ? count(snap.devices.filter((d) => d.online).length) : "–"}</strong>
        <span class="muted">${snap ? `of ${count(snap.devices.length)} known` : ""}</span>
      </div>
    </div>
  `;
}

/** Share of the link's capacity, when it is known. */
function Meter({ value, max }) {
  if (!max || value == null) return html`<span class="muted small">capacity not set</span>`;
  const pct = Math.min(100, Math.round((value / max) * 100));
  return html`<span class="meter" title=${`${pct}% of ${rate(max)}`}>
    <meter min="0" max="100" value=${pct} high="80" optimum="0"></meter> ${pct}%
  </span>`;
}

function TopDevices({ snap }) {
  const top = snap ? topBy(snap.devices.filter((d) => d.down + d.up > 0), TOP) : [];
  return html`
    <div class="card">
      <h2>Top devices</h2>
      <table class="table" aria-label="Top devices">
        <thead><tr><th>Device</th><th class="num">Down</th><th class="num">Up</th><th class="hide-narrow">App</th></tr></thead>
        <tbody>
          ${top.map((d) =>
            html`
              <tr key=${d.id}>
                <td><a href=${deviceHref(d.id)}>${d.name}</a></td>
                <td class="num">${rate(d.down)}</td>
                <td class="num">${rate(d.up)}</td>
                <td class="hide-narrow muted">${d.topApp ?? ""}</td>
              </tr>
            `
          )}
        </tbody>
      </table>
      ${snap && top.length === 0 ? html`<p class="muted">No traffic right now.</p>` : null}
    </div>
  `;
}

function TopApps({ snap }) {
  const top = snap ? topBy(snap.apps.filter((a) => a.down + a.up > 0), TOP) : [];
  return html`
    <div class="card">
      <h2>Top apps</h2>
      <table class="table" aria-label="Top apps">
        <thead><tr><th>App</th><th class="num">Down</th><th class="num">Up</th><th class="hide-narrow">Category</th></tr></thead>
        <tbody>
          ${top.map((a) =>
            html`
              <tr key=${a.id}>
                <td>${a.name}</td>
                <td class="num">${rate(a.down)}</td>
                <td class="num">${rate(a.up)}</td>
                <td class="hide-narrow muted">${a.category}</td>
              </tr>
            `
          )}
        </tbody>
      </table>
      ${snap && top.length === 0 ? html`<p class="muted">No app traffic right now.</p>` : null}
    </div>
  `;
}

function Alerts({ snap }) {
  const alerts = snap ? [...snap.alerts].sort((a, b) => b.since - a.since) : [];
  return html`
    <div class="card">
      <h2>Active alerts ${alerts.length
        ? html`<span class="count">${alerts.length}</span>`
        : null}</h2>
      ${alerts.length === 0
        ? html`<p class="muted">${snap ? "None." : "–"}</p>`
        : html`<ul class="alerts">
          ${
          alerts.slice(0, 20).map((a) =>
            html`
              <li key=${a.key} class=${`alert ${a.kind}`}>
                <span>${a.message}</span>
                <span class="muted small" title=${when(a.since)}>
                  ${ago(a.since, snap.time)}${a.deviceId
                    ? html`${" · "}<a href=${deviceHref(a.deviceId)}>device</a>`
                    : null}
                </span>
              </li>
            `
          )
        }
        </ul>`}
      ${alerts.length > 20
        ? html`<p class="muted"><a href="/alerts">All ${alerts.length} alerts</a></p>`
        : null}
    </div>
  `;
}

/** Link quality: what "the internet is slow" feels like, in figures. */
function Quality({ snap }) {
  const q = snap?.quality, l = snap?.link;
  const use = (v, max) => v != null && max ? `${Math.round((v / max) * 100)}%` : "–";
  const ms = (v) => v == null ? "–" : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;
  return html`
    <div class="card" aria-label="Link quality">
      <h2>Link quality</h2>
      <dl class="facts">
        <dt>Round trip to servers</dt>
        <dd class=${q?.wanRttMs > 150 ? "warn" : ""}>${ms(q?.wanRttMs)}</dd>
        <dt>Round trip on the LAN</dt>
        <dd class=${q?.lanRttMs > 50 ? "warn" : ""}>${ms(q?.lanRttMs)}</dd>
        <dt>TCP retransmissions</dt>
        <dd class=${q?.retransmitRate > 0.02 ? "warn" : ""}>${q?.retransmitRate == null
          ? "–"
          : `${(q.retransmitRate * 100).toFixed(2)}%`}</dd>
        <dt>Download in use</dt>
        <dd>${use(l?.down, l?.capacityDown)}</dd>
        <dt>Upload in use</dt>
        <dd>${use(l?.up, l?.capacityUp)}</dd>
      </dl>
    </div>
  `;
}

function Capture({ snap }) {
  const c = snap?.capture;
  const s = snap?.shaper;
  const dropped = c ? c.kernelDropped + c.ownDropped : 0;
  return html`
    <div class="card">
      <h2>Capture ${c
        ? html`<span class=${`badge ${dropped ? "limited" : "free"}`}>${
          dropped ? "dropping" : "ok"
        }</span>`
        : null}</h2>
      <dl class="facts">
        <dt>Packets</dt>
        <dd>${count(c?.packets)}</dd>
        <dt>Bytes</dt>
        <dd>${bytes(c?.bytes)}</dd>
        <dt>Dropped by the kernel</dt>
        <dd class=${c?.kernelDropped ? "warn" : ""}>${count(c?.kernelDropped)}</dd>
        <dt>Dropped by Sluice</dt>
        <dd class=${c?.ownDropped ? "warn" : ""}>${count(c?.ownDropped)}</dd>
        <dt>Flows tracked</dt>
        <dd>${count(c?.flows)}</dd>
        <dt>Shaper</dt>
        <dd>${s ? s.mode : "–"}</dd>
        <dt>Shaper failures</dt>
        <dd class=${s?.failures ? "warn" : ""}>${count(s?.failures)}</dd>
      </dl>
    </div>
  `;
}

/** The `n` busiest by down + up; a partial pass would save little at 1,000 items. */
function topBy(items, n) {
  return [...items].sort((a, b) => b.down + b.up - (a.down + a.up)).slice(0, n);
}
