// The web benchmark's peer: the same live snapshots (the same EventSource on
// /api/v1/live, signed in with the same cookie) shown by a minimal
// hand-written page with no framework: one plain <table> of every device,
// its rows kept and their cells' textContent written when they change. It
// marks "sluice:snapshot" and "sluice:rendered" where the UI does (before
// JSON.parse; once the DOM holds the snapshot), so both are timed alike.
// The bench's own route, not part of the product.

/** Where the bench server serves the peer: PEER_PATH and PEER_PATH + "peer.js". */
export const PEER_PATH = "/bench-peer/";

const HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vanilla DOM peer</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 16px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { padding: 4px 8px; border-bottom: 1px solid #ddd; text-align: left; white-space: nowrap; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
</style>
<script type="module" src="${PEER_PATH}peer.js"></script></head>
<body><h1>Devices <small id="count">waiting for data…</small></h1>
<table><thead><tr><th>Name</th><th>Vendor</th><th>Address</th><th class="num">Down</th>
<th class="num">Up</th><th class="num">Today</th><th>State</th></tr></thead>
<tbody id="rows"></tbody></table></body></html>
`;

// Formatting as the UI's lib/format.js does it, so the text written is alike.
const JS = `
const RATE = ["bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s"];
const BYTES = ["B", "kB", "MB", "GB", "TB", "PB"];
function scaled(v, units) {
  let i = 0;
  while (Math.abs(v) >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  const digits = i === 0 || Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  return v.toFixed(digits) + " " + units[i];
}
const sortKey = new URLSearchParams(location.search).get("sort") === "down" ? "down" : "name";
const tbody = document.getElementById("rows");
const counter = document.getElementById("count");
const rows = []; // [tr, cells, last texts]

function texts(d) {
  return [d.name, d.vendor ?? "", d.addresses[0] ?? d.mac ?? "", scaled(d.down * 8, RATE),
    scaled(d.up * 8, RATE), scaled(d.today, BYTES), d.control ? d.control.state : "no policy"];
}

function sorted(devices) {
  const keyed = devices.map((d) => [d.name.toLowerCase(), d]);
  const byName = (a, b) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1].id < b[1].id ? -1 : 1;
  keyed.sort(sortKey === "down" ? (a, b) => b[1].down - a[1].down || byName(a, b) : byName);
  return keyed.map((k) => k[1]);
}

function render(snap) {
  const devices = sorted(snap.devices);
  while (rows.length < devices.length) {
    const tr = document.createElement("tr");
    const cells = [];
    for (let c = 0; c < 7; c++) {
      const td = tr.appendChild(document.createElement("td"));
      if (c >= 3 && c <= 5) td.className = "num";
      cells.push(td);
    }
    tbody.appendChild(tr);
    rows.push([tr, cells, new Array(7).fill(null)]);
  }
  while (rows.length > devices.length) rows.pop()[0].remove();
  for (let i = 0; i < devices.length; i++) {
    const [, cells, last] = rows[i];
    const t = texts(devices[i]);
    for (let c = 0; c < 7; c++) {
      if (t[c] !== last[c]) cells[c].textContent = last[c] = t[c];
    }
  }
  counter.textContent = devices.length + " devices";
}

const source = new EventSource("/api/v1/live");
source.addEventListener("snapshot", (event) => {
  performance.clearMarks("sluice:snapshot");
  performance.mark("sluice:snapshot");
  render(JSON.parse(event.data));
  performance.clearMarks("sluice:rendered");
  performance.mark("sluice:rendered");
});
`;

/**
 * The peer's page or script for a path under {@linkcode PEER_PATH}; 404 otherwise.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(peerResponse(PEER_PATH).status, 200);
 * assertEquals(peerResponse(PEER_PATH + "nope").status, 404);
 * ```
 */
export function peerResponse(path: string): Response {
  const headers = { "Cache-Control": "no-cache" };
  if (path === PEER_PATH) {
    return new Response(HTML, { headers: { ...headers, "Content-Type": "text/html" } });
  }
  if (path === `${PEER_PATH}peer.js`) {
    return new Response(JS, { headers: { ...headers, "Content-Type": "text/javascript" } });
  }
  return new Response("not found", { status: 404 });
}
