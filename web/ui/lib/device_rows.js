/**
 * The devices table's data work, kept out of the view: its columns and how
 * each sorts, search, and holding the row order still while someone points
 * at a row (sorted by live rates, rows would otherwise move under the
 * pointer every second and a click could land on the wrong device).
 *
 * @module
 */

const STATE_RANK = { blocked: 0, limited: 1, free: 2 };
const PRIORITY_RANK = { high: 0, normal: 1, low: 2 };

/** Sortable columns: key, header, sort key, numeric (sorts high first), CSS class. */
export const COLUMNS = [
  { key: "name", label: "Name", by: (d) => d.name.toLowerCase() },
  { key: "vendor", label: "Vendor", by: (d) => (d.vendor ?? "~").toLowerCase(), cls: "c-vendor" },
  { key: "addr", label: "Addresses", by: (d) => addressKey(d.addresses[0]), cls: "c-addr" },
  { key: "down", label: "Down", by: (d) => d.down, num: true },
  { key: "up", label: "Up", by: (d) => d.up, num: true, cls: "c-up" },
  { key: "today", label: "Today", by: (d) => d.today, num: true, cls: "c-today" },
  { key: "state", label: "Priority / state", by: stateKey, cls: "c-state" },
];

/** Devices whose name, vendor, MAC, busiest app or an address contains `query` (any case). */
export function filterRows(devices, query) {
  const q = query.trim().toLowerCase();
  if (!q) return devices;
  return devices.filter((d) =>
    d.name.toLowerCase().includes(q) ||
    (d.vendor ?? "").toLowerCase().includes(q) ||
    (d.mac ?? "").toLowerCase().includes(q) ||
    (d.topApp ?? "").toLowerCase().includes(q) ||
    d.addresses.some((a) => a.toLowerCase().includes(q))
  );
}

/** Sorted by `key` in `dir` (1 or -1); ties fall back to the name, then the id, so rows do not jitter. */
export function sortRows(devices, { key, dir }) {
  const by = COLUMNS.find((c) => c.key === key)?.by ?? COLUMNS[0].by;
  const keyed = devices.map((d) => [by(d), d.name.toLowerCase(), d.id, d]);
  keyed.sort((a, b) => cmp(a[0], b[0]) * dir || cmp(a[1], b[1]) || cmp(a[2], b[2]));
  return keyed.map((k) => k[3]);
}

/** `rows` in the order of `ids` (the order on screen); devices new since then go last. */
export function keepOrder(ids, rows) {
  const byId = new Map(rows.map((d) => [d.id, d]));
  const out = [];
  for (const id of ids) {
    const d = byId.get(id);
    if (d) {
      out.push(d);
      byId.delete(id);
    }
  }
  for (const d of byId.values()) out.push(d);
  return out;
}

/** Blocked first, then limited, then free; within each, high priority first. */
function stateKey(d) {
  const c = d.control;
  return c ? STATE_RANK[c.state] * 10 + (PRIORITY_RANK[c.priority] ?? 3) : 99;
}

/** IPv4 addresses sort numerically ("10.0.0.9" before "10.0.0.10"); others as text, after. */
function addressKey(a) {
  if (!a) return "~";
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a);
  return m ? m.slice(1).map((p) => p.padStart(3, "0")).join(".") : `~${a.toLowerCase()}`;
}

function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
