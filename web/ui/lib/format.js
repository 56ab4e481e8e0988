/**
 * How numbers read on screen. Rates arrive as bytes/s and are shown in
 * bits/s (what ISPs sell); totals arrive and are shown in bytes. Decimal
 * prefixes throughout, like the link's advertised speed.
 *
 * @module
 */

const RATE_UNITS = ["bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s"];
const BYTE_UNITS = ["B", "kB", "MB", "GB", "TB", "PB"];

/** Three significant digits at most: 1.23, 12.3, 123. */
function scaled(value, units) {
  let i = 0;
  while (Math.abs(value) >= 1000 && i < units.length - 1) {
    value /= 1000;
    i++;
  }
  const digits = i === 0 || Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${units[i]}`;
}

/** A rate in bytes/s, shown in bits/s: rate(1500000) → "12.0 Mbit/s". */
export function rate(bytesPerSecond) {
  if (bytesPerSecond == null || !Number.isFinite(bytesPerSecond)) return "–";
  return scaled(bytesPerSecond * 8, RATE_UNITS);
}

/** A total in bytes: bytes(2500000) → "2.50 MB". */
export function bytes(n) {
  if (n == null || !Number.isFinite(n)) return "–";
  return scaled(n, BYTE_UNITS);
}

/** A count with thousands separators. */
export function count(n) {
  return n == null ? "–" : Number(n).toLocaleString();
}

/** How long ago an epoch-ms time was, coarsely: "just now", "5 min ago", "3 h ago". */
export function ago(time, now = Date.now()) {
  const s = Math.max(0, Math.round((now - time) / 1000));
  if (s < 10) return "just now";
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** A local date and time for an epoch-ms value, for titles and tables. */
export function when(time) {
  return new Date(time).toLocaleString();
}
