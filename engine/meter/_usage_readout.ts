// UsageMeter's figures as plain data.
import type { Interner } from "./interner.ts";
import {
  E_APP,
  E_CATEGORY,
  E_FLOAT,
  E_INT,
  E_LAST,
  E_LAST_SECOND,
  E_NUM,
  E_OPEN,
  E_PACKETS,
  E_TOTAL,
  NONE,
  R_LAST,
  R_LAST_SECOND,
  R_NUM,
  R_PACKETS,
  R_TOTAL,
  type UsageState,
} from "./_usage_state.ts";
import { windowAverage } from "./_window_average.ts";
import type {
  AppUsage,
  CategoryUsage,
  Directions,
  Usage,
  UsageTotals,
  WindowRates,
} from "./usage_types.ts";

const WINDOW_SECONDS = [10, 60, 300];

/** What a readout needs besides the numbers. */
export interface ReadContext {
  state: UsageState;
  apps: Interner;
  categories: Interner;
  /** The open second (NaN before the first tick). */
  open: number;
  /** Seconds closed since the first tick. */
  closedSeconds: number;
}

/** The usage of one row (the link or a device); totals include the open second. */
export function usageOf(c: ReadContext, row: number): Usage {
  const s = c.state;
  if (row >= s.rows) {
    return { rate: zero(), windows: zeroWindows(), totals: zeroTotals(), apps: [], categories: [] };
  }
  const rows = s.rowNum, r = row * R_NUM, num = s.eNum, ints = s.eInt, open = s.eOpen;
  const totals: UsageTotals = {
    up: rows[r + R_TOTAL],
    down: rows[r + R_TOTAL + 1],
    local: rows[r + R_TOTAL + 2],
    packetsUp: rows[r + R_PACKETS],
    packetsDown: rows[r + R_PACKETS + 1],
    packetsLocal: rows[r + R_PACKETS + 2],
  };
  const apps: AppUsage[] = [];
  for (let e = s.rowHead[row]; e !== NONE; e = s.eNext[e]) {
    // Totals so far: closed seconds, and the open one.
    const o = e * E_NUM, f = e * E_FLOAT + E_OPEN, p = e * E_INT + E_PACKETS;
    const up = num[o + E_TOTAL] + open[f], down = num[o + E_TOTAL + 1] + open[f + 1];
    const local = num[o + E_TOTAL + 2] + open[f + 2];
    totals.up += open[f], totals.down += open[f + 1], totals.local += open[f + 2];
    totals.packetsUp += ints[p], totals.packetsDown += ints[p + 1];
    totals.packetsLocal += ints[p + 2];
    // A counter left at zero by a forgotten device, that the device now on its index never used.
    if (up === 0 && down === 0 && local === 0) continue;
    apps.push({
      app: c.apps.name(ints[e * E_INT + E_APP]),
      category: c.categories.name(ints[e * E_INT + E_CATEGORY]),
      up,
      down,
      local,
      total: up + down + local,
      rate: num[o + E_LAST_SECOND] === c.open - 1 ? directions(num, o + E_LAST) : zero(),
      windows: windowRates(num, o, c),
    });
  }
  apps.sort((a, b) => b.total - a.total || byText(a.app, b.app) || byText(a.category, b.category));
  return {
    rate: rows[r + R_LAST_SECOND] === c.open - 1 ? directions(rows, r + R_LAST) : zero(),
    windows: windowRates(rows, r, c),
    totals,
    apps,
    categories: byCategory(apps),
  };
}

/**
 * Up to `n` device indexes by `kind` (0 rate, 1 total, 2..4 the 10 s, 1 min
 * and 5 min windows), largest first, lowest index first among equals;
 * devices at zero left out.
 */
export function topDevices(c: ReadContext, n: number, kind: number): number[] {
  const s = c.state, open = c.open, closed = c.closedSeconds, rows = s.rowNum;
  const values = new Float64Array(s.rows);
  for (let row = 1; row < s.rows; row++) {
    const r = row * R_NUM;
    if (kind >= 2) {
      const window = WINDOW_SECONDS[kind - 2];
      for (let d = 0; d < 3; d++) values[row] += windowAverage(rows, r, d, window, open, closed);
      continue;
    }
    if (kind === 0 && rows[r + R_LAST_SECOND] !== open - 1) continue;
    const at = r + (kind === 0 ? R_LAST : R_TOTAL);
    values[row] = rows[at] + rows[at + 1] + rows[at + 2];
  }
  if (kind === 1) {
    // Totals include the open second.
    for (let i = 0; i < s.activeCount; i++) {
      const e = s.active[i], o = e * E_FLOAT + E_OPEN;
      values[s.eInt[e * E_INT]] += s.eOpen[o] + s.eOpen[o + 1] + s.eOpen[o + 2];
    }
  }
  const devices: number[] = [];
  for (let row = 1; row < s.rows; row++) if (values[row] > 0) devices.push(row - 1);
  devices.sort((a, b) => values[b + 1] - values[a + 1] || a - b);
  return devices.slice(0, n);
}

/** The window averages of the entry or row whose numbers start at `at`. */
function windowRates(a: Float64Array, at: number, c: ReadContext): WindowRates {
  const rates = [10, 60, 300].map((window) => ({
    up: windowAverage(a, at, 0, window, c.open, c.closedSeconds),
    down: windowAverage(a, at, 1, window, c.open, c.closedSeconds),
    local: windowAverage(a, at, 2, window, c.open, c.closedSeconds),
  }));
  return { "10s": rates[0], "1m": rates[1], "5m": rates[2] };
}

function byCategory(apps: readonly AppUsage[]): CategoryUsage[] {
  const categories = new Map<string, CategoryUsage>();
  for (const a of apps) {
    let c = categories.get(a.category);
    if (!c) {
      c = { category: a.category, up: 0, down: 0, local: 0, total: 0 };
      categories.set(a.category, c);
    }
    c.up += a.up, c.down += a.down, c.local += a.local, c.total += a.total;
  }
  return [...categories.values()].sort((a, b) =>
    b.total - a.total || byText(a.category, b.category)
  );
}

function directions(a: Float64Array, at: number): Directions {
  return { up: a[at], down: a[at + 1], local: a[at + 2] };
}

function zero(): Directions {
  return { up: 0, down: 0, local: 0 };
}

function zeroWindows(): WindowRates {
  return { "10s": zero(), "1m": zero(), "5m": zero() };
}

function zeroTotals(): UsageTotals {
  return { up: 0, down: 0, local: 0, packetsUp: 0, packetsDown: 0, packetsLocal: 0 };
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
