/**
 * Reports: usage per device and per app over a day, week, month or a
 * custom span (GET /reports), with the totals, each row's share of the
 * whole, and CSV exports of the same range as plain download links (the
 * session cookie goes along with a GET).
 *
 * @module
 */
import { html, useEffect, useState } from "../lib/html.js";
import { api } from "../lib/api.js";
import { bytes, count } from "../lib/format.js";
import { deviceHref } from "../lib/router.js";
import { initialRange, RangePicker, rangeQuery } from "../components/range_picker.js";

const FIRST_ROWS = 50;
const DAY = { weekday: "short", day: "numeric", month: "short", year: "numeric" };

/** The reports view. */
export function Reports() {
  const [range, setRange] = useState(null);
  const [state, setState] = useState({ loading: true }); // { loading?, report?, error? }
  const query = range ? rangeQuery(range) : null;

  // "Today" is the engine's day (a demo runs on simulated time), so ask the server.
  useEffect(() => {
    api("GET", "/status").then(
      (s) => setRange((r) => r ?? initialRange(new Date(s.now ?? Date.now()))),
      () => setRange((r) => r ?? initialRange()),
    );
  }, []);

  useEffect(() => {
    if (!query) return;
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    api("GET", `/reports?${query}`).then(
      (report) => current && setState({ report }),
      (err) => current && setState({ error: err.message }),
    );
    return () => {
      current = false;
    };
  }, [query]);

  const r = state.report;
  return html`
    <section class="view reports" aria-labelledby="view-title" aria-busy=${state.loading
      ? "true"
      : "false"}>
      <div class="view-head">
        <h1 id="view-title">Reports</h1>
        ${range ? html`<${RangePicker} value=${range} onChange=${setRange} />` : null}
      </div>
      ${range && !query
        ? html`<p class="banner error" role="alert">Pick valid dates: the end must not be before the start.</p>`
        : null}
      ${state.error ? html`<p class="banner error" role="alert">${state.error}</p>` : null}
      <div class="grid">
        <${Summary} report=${r} loading=${state.loading} />
        <${Exports} query=${query} />
        <${DeviceTable} report=${r} />
        <${AppTable} report=${r} />
      </div>
    </section>
  `;
}

function span(r) {
  const from = r.fromMs ?? r.from, to = r.toMs ?? r.to;
  const a = new Date(from).toLocaleDateString(undefined, DAY);
  const b = new Date(to - 1).toLocaleDateString(undefined, DAY);
  return a === b ? a : `${a} – ${b}`;
}

function Summary({ report: r, loading }) {
  const t = r?.total;
  return html`
    <div class="card wide report-summary" aria-label="Totals">
      <h2>${r ? span(r) : "…"} ${loading && r
        ? html`<span class="muted small">updating…</span>`
        : null}</h2>
      <div class="link">
        <div class="stat"><span class="label">Down</span><strong class="down">${bytes(
          t?.down,
        )}</strong></div>
        <div class="stat"><span class="label">Up</span><strong class="up">${bytes(
          t?.up,
        )}</strong></div>
        <div class="stat"><span class="label">Total</span><strong>${bytes(t?.bytes)}</strong></div>
        <div class="stat"><span class="label">Within the LAN</span><strong>${bytes(
          t?.local,
        )}</strong></div>
        <div class="stat"><span class="label">Devices</span><strong>${r
          ? count(r.devices.length)
          : "–"}</strong></div>
      </div>
      ${r?.gaps?.length
        ? html`
          <p
            class="muted small">History does not cover all of this range (${r.gaps
              .length} gap${r.gaps.length === 1 ? "" : "s"}, e.g. ${span(
                r.gaps[0],
              )}); totals leave those parts out.</p>
        `
        : null}
    </div>
  `;
}

function Exports({ query }) {
  const href = (table) => query ? `/api/v1/reports.csv?table=${table}&${query}` : null;
  return html`
    <div class="card wide exports">
      <h2>Export</h2>
      <p class="export-links">
        <a class="button" download href=${href("devices")} aria-disabled=${query
          ? null
          : "true"}>Export devices CSV</a>
        <a class="button" download href=${href("apps")} aria-disabled=${query
          ? null
          : "true"}>Export apps CSV</a>
        <a class="button" download href=${href("device-apps")} aria-disabled=${query
          ? null
          : "true"}>Export device apps CSV</a>
      </p>
    </div>
  `;
}

function Share({ part, whole }) {
  const share = whole > 0 ? part / whole : 0;
  const pct = share * 100;
  const text = pct >= 10 || pct === 0 ? `${Math.round(pct)}%` : `${pct.toFixed(1)}%`;
  return html`
    <span
      class="share"><meter min="0" max="1" value=${share} aria-label=${`${text} of the total`}></meter><span>${text}</span></span>
  `;
}

function useRows(rows) {
  const [all, setAll] = useState(false);
  const shown = all ? rows : rows.slice(0, FIRST_ROWS);
  const more = rows.length > shown.length
    ? html`<button type="button" class="link more" onClick=${() => setAll(true)}>Show all ${
      count(rows.length)
    }</button>`
    : null;
  return [shown, more];
}

function DeviceTable({ report: r }) {
  const rows = r?.devices ?? [];
  const [shown, more] = useRows(rows);
  const name = (d) => r.names?.[d.deviceId] ?? d.label ?? d.deviceId;
  return html`
    <div class="card wide">
      <h2>Devices</h2>
      <div class="table-scroll">
        <table class="table report-table" aria-label="Devices in the report">
          <thead><tr><th>Device</th><th class="num">Down</th><th class="num hide-narrow">Up</th><th class="num">Total</th><th class="share-col">Share</th></tr></thead>
          <tbody>
            ${shown.map((d) =>
              html`
                <tr key=${d.deviceId}>
                  <td title=${d.deviceId}><a href=${deviceHref(d.deviceId)}>${name(d)}</a></td>
                  <td class="num">${bytes(d.down)}</td>
                  <td class="num hide-narrow">${bytes(d.up)}</td>
                  <td class="num">${bytes(d.bytes)}</td>
                  <td class="share-col">
                    <${Share} part=${d.bytes} whole=${r.total.bytes} />
                  </td>
                </tr>
              `
            )}
          </tbody>
        </table>
      </div>
      ${r && rows.length === 0 ? html`<p class="muted">No usage in this range.</p>` : null}
      ${more}
    </div>
  `;
}

function AppTable({ report: r }) {
  const rows = r?.apps ?? [];
  const [shown, more] = useRows(rows);
  return html`
    <div class="card wide">
      <h2>Apps</h2>
      <div class="table-scroll">
        <table class="table report-table" aria-label="Apps in the report">
          <thead><tr><th>App</th><th class="num">Down</th><th class="num hide-narrow">Up</th><th class="num">Total</th><th class="num hide-narrow">Devices</th><th class="share-col">Share</th></tr></thead>
          <tbody>
            ${shown.map((a) =>
              html`
                <tr key=${a.app}>
                  <td title=${a.app}>${r.appNames?.[a.app] ?? a.app}</td>
                  <td class="num">${bytes(a.down)}</td>
                  <td class="num hide-narrow">${bytes(a.up)}</td>
                  <td class="num">${bytes(a.bytes)}</td>
                  <td class="num hide-narrow">${count(a.devices)}</td>
                  <td class="share-col">
                    <${Share} part=${a.bytes} whole=${r.total.bytes} />
                  </td>
                </tr>
              `
            )}
          </tbody>
        </table>
      </div>
      ${r && rows.length === 0 ? html`<p class="muted">No app traffic in this range.</p>` : null}
      ${more}
    </div>
  `;
}
