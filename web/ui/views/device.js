/**
 * One device: what it is and does now (the live snapshot, plus what
 * GET /devices/:id adds: label, groups, first and last seen, the policy's
 * state), its usage over 24 h, 7 d or 30 d with the apps behind it, its
 * open flows, the rules that apply, and the decisions made about it with
 * their reasons. Admins rename it and act on it here too.
 *
 * @module
 */
import { html, useState } from "../lib/html.js";
import { useLive } from "../lib/live.js";
import { bytes, rate, when } from "../lib/format.js";
import { useFetch } from "../components/use_fetch.js";
import { HistoryChart } from "../components/history_chart.js";
import {
  AppsTable,
  FlowsPanel,
  RANGES,
  RangeSwitch,
  RulesList,
} from "../components/device_panels.js";
import { EventList, usePagedEvents } from "../components/event_list.js";
import { DeviceActions, LabelEditor } from "../components/device_manage.js";

/** The device page for `id` (from the path); `user` decides whether editing shows. */
export function Device({ id, user }) {
  const snap = useLive();
  const live = snap?.devices.find((x) => x.id === id) ?? null;
  const base = `/devices/${encodeURIComponent(id)}`;
  const detail = useFetch(base);
  const [range, setRange] = useState("24h");
  const history = useFetch(`${base}/history?range=${range}`);
  const apps = useFetch(`${base}/apps?range=${range}`);
  const decisions = usePagedEvents(`${base}/decisions`, { limit: 20 });
  const admin = user?.role === "admin";

  const d = detail.data?.device ?? null;
  const name = d?.label ?? live?.name ?? d?.name ?? id;
  const rangeText = RANGES.find(([k]) => k === range)[1];
  const missing = detail.error && !live;
  const names = new Map([[id, name]]);
  const changed = () => {
    detail.reload();
    decisions.reload();
  };

  return html`
    <section class="view device-view" aria-labelledby="view-title">
      <p><a href="/devices">← Devices</a></p>
      <div class="view-head">
        <h1 id="view-title">${name}</h1>
        ${live
          ? html`<span class=${`badge ${live.control?.state ?? "free"}`}>${
            live.control?.state ?? "no policy"
          }</span>`
          : null}
      </div>
      ${missing
        ? html`<p class="banner error" role="alert"><span>${detail.error}</span></p>`
        : null}
      <div class="grid">
        <div class=${admin && (live || d) ? "card" : "card wide"}>
          <h2>Facts</h2>
          <${Facts} id=${id} live=${live} detail=${detail.data} waiting=${!snap &&
            detail.loading} />
        </div>
        ${admin && (live || d)
          ? html`
            <div class="card">
              <h2>Manage</h2>
              <${LabelEditor} key=${id} id=${id} label=${d?.label ?? null} onSaved=${changed} />
              <${DeviceActions} device=${{ id, name }} state=${live?.control?.state ??
                stateOf(detail.data?.state)} onDone=${changed} />
            </div>
          `
          : null}
        <div class="card wide">
          <div class="card-head">
            <h2 id="history-title">History</h2>
            <${RangeSwitch} value=${range} onChange=${setRange} />
          </div>
          ${history.error
            ? html`<p class="error" role="alert">Could not load history: ${history.error}</p>`
            : null}
          ${history.data
            ? html`
              <${HistoryChart} history=${history
                .data} label=${`Usage of ${name} over ${rangeText}`} />
              <p class="muted small">${totalsText(history.data.points)}</p>
            `
            : history.error
            ? null
            : html`<p class="muted chart-wait">Loading…</p>`}
        </div>
        <div class="card wide">
          <h2>Apps</h2>
          ${apps.error
            ? html`<p class="error" role="alert">Could not load apps: ${apps.error}</p>`
            : null}
          ${apps.data || !apps.loading
            ? html`<${AppsTable} apps=${apps.data} rangeText=${rangeText} />`
            : html`<p class="muted">Loading…</p>`}
        </div>
        <div class="card wide">
          <h2>Flows</h2>
          <${FlowsPanel} id=${id} />
        </div>
        <div class="card">
          <h2>Rules</h2>
          ${detail.data
            ? html`<${RulesList} rules=${detail.data.rules} overrides=${detail.data.overrides} />`
            : html`<p class="muted">${detail.error ?? "Loading…"}</p>`}
        </div>
        <div class="card">
          <h2>Decisions</h2>
          <${EventList} log=${decisions} label="Decisions" names=${names}
            showDevice=${false} now=${snap?.time} empty="No decisions about this device yet." />
        </div>
      </div>
    </section>
  `;
}

function Facts({ id, live, detail, waiting }) {
  const d = detail?.device ?? null;
  const any = live ?? d;
  if (!any) {
    return html`<p class="muted">${
      waiting ? "waiting for data…" : "This device is not in the live picture."
    }</p>`;
  }
  const c = live?.control ?? null;
  const s = detail?.state ?? null;
  return html`
    <dl class="facts">
      <dt>Id</dt>
      <dd>${id}</dd>
      <dt>Label</dt>
      <dd>${d?.label ?? "–"}</dd>
      <dt>Groups</dt>
      <dd>${d?.groups?.length ? d.groups.join(", ") : "–"}</dd>
      <dt>Vendor</dt>
      <dd>${any.vendor ?? "unknown"}</dd>
      <dt>MAC</dt>
      <dd>${any.mac ?? "–"}</dd>
      <dt>Addresses</dt>
      <dd>${any.addresses?.join(", ") || "–"}</dd>
      <dt>Status</dt>
      <dd>${any.online ? "online" : "offline"}</dd>
      <dt>First seen</dt>
      <dd>${d?.firstSeen ? when(d.firstSeen) : "–"}</dd>
      <dt>Last seen</dt>
      <dd>${d?.lastSeen ? when(d.lastSeen) : "–"}</dd>
      <dt>Down / up now</dt>
      <dd>${rate(any.down)} / ${rate(any.up)}</dd>
      <dt>Today</dt>
      <dd>${bytes(any.today)}</dd>
      <dt>Busiest app</dt>
      <dd>${any.topApp ?? "–"}</dd>
      <dt>Priority</dt>
      <dd>${c?.priority ?? s?.priority ?? "–"}</dd>
      <dt>State</dt>
      <dd>${c ? c.state : s ? stateOf(s) : "no policy"}${limitText(c, s)}</dd>
      <dt>Why</dt>
      <dd>${c?.reason ?? s?.reason ?? "–"}</dd>
      ${detail?.alerts?.length
        ? html`
          <dt>Active alerts</dt>
          <dd>${detail.alerts.map((a) =>
            html`<span class="fact-line" key=${a.key}>${a.message}</span>`
          )}</dd>
        `
        : null}
    </dl>
  `;
}

/** The policy engine's DeviceState as "free", "limited" or "blocked". */
function stateOf(s) {
  if (!s) return "free";
  if (s.blocked) return "blocked";
  return s.down != null || s.up != null ? "limited" : "free";
}

function limitText(c, s) {
  const down = c ? c.limitDown : s?.down;
  const up = c ? c.limitUp : s?.up;
  const parts = [];
  if (down != null) parts.push(`↓${rate(down)}`);
  if (up != null) parts.push(`↑${rate(up)}`);
  return parts.length ? ` ${parts.join(" ")}` : "";
}

function totalsText(points) {
  let down = 0, up = 0;
  for (const p of points ?? []) {
    down += p.down;
    up += p.up;
  }
  return `In total ${bytes(down)} down, ${bytes(up)} up.`;
}
