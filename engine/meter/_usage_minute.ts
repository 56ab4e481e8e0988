// A device's bytes not yet handed out by UsageMeter.takeMinute(), as plain
// data: every device's at a minute's take, or one device's as it is forgotten.
import type { Interner } from "./interner.ts";
import {
  E_APP,
  E_CATEGORY,
  E_FLOAT,
  E_INT,
  E_MINUTE_BYTES,
  E_NUM,
  E_OPEN,
  NONE,
  type UsageState,
} from "./_usage_state.ts";
import type { MinuteUsage } from "./usage_types.ts";

/**
 * Each device's bytes in the seconds closed since the last take, for the
 * devices that had any, sorted by device; resets them. An entry listed with
 * no bytes (its device was forgotten since) is left out.
 */
export function takeMinute(s: UsageState, apps: Interner, categories: Interner): MinuteUsage[] {
  const byRow = new Map<number, MinuteUsage>(), num = s.eNum, ints = s.eInt;
  for (let i = 0; i < s.minuteCount; i++) {
    const e = s.minute[i], row = ints[e * E_INT], at = e * E_NUM + E_MINUTE_BYTES;
    const up = num[at], down = num[at + 1], local = num[at + 2];
    if (up === 0 && down === 0 && local === 0) continue;
    num[at] = num[at + 1] = num[at + 2] = 0;
    let m = byRow.get(row);
    if (!m) byRow.set(row, m = emptyMinute(row - 1));
    addTo(
      m,
      apps.name(ints[e * E_INT + E_APP]),
      categories.name(ints[e * E_INT + E_CATEGORY]),
      up,
      down,
      local,
    );
  }
  s.minuteCount = 0;
  s.minuteEpoch++;
  return [...byRow.values()].sort((a, b) => a.device - b.device);
}

/**
 * A device row's bytes not yet taken: the seconds closed since the last take
 * and the open second. Null when none. Reads only: the caller clears the row.
 */
export function pendingMinute(
  s: UsageState,
  apps: Interner,
  categories: Interner,
  row: number,
): MinuteUsage | null {
  const num = s.eNum, ints = s.eInt, open = s.eOpen;
  let m: MinuteUsage | null = null;
  for (let e = s.rowHead[row]; e !== NONE; e = s.eNext[e]) {
    const at = e * E_NUM + E_MINUTE_BYTES, f = e * E_FLOAT + E_OPEN;
    const up = num[at] + open[f], down = num[at + 1] + open[f + 1];
    const local = num[at + 2] + open[f + 2];
    if (up === 0 && down === 0 && local === 0) continue;
    m ??= emptyMinute(row - 1);
    addTo(
      m,
      apps.name(ints[e * E_INT + E_APP]),
      categories.name(ints[e * E_INT + E_CATEGORY]),
      up,
      down,
      local,
    );
  }
  return m;
}

/** A device's minute with nothing in it yet. */
export function emptyMinute(device: number, id?: string): MinuteUsage {
  const m: MinuteUsage = {
    device,
    up: 0,
    down: 0,
    local: 0,
    apps: new Map(),
    categories: new Map(),
  };
  if (id !== undefined) m.id = id;
  return m;
}

/** Adds bytes of one app and category to a minute. */
export function addTo(
  m: MinuteUsage,
  app: string,
  category: string,
  up: number,
  down: number,
  local: number,
): void {
  m.up += up, m.down += down, m.local += local;
  addSums(m.apps, app, up, down, local);
  addSums(m.categories, category, up, down, local);
}

/** Adds all of `from` to `to` (the same device's bytes, from two sources). */
export function addMinute(to: MinuteUsage, from: MinuteUsage): void {
  to.up += from.up, to.down += from.down, to.local += from.local;
  for (const [app, [up, down, local]] of from.apps) addSums(to.apps, app, up, down, local);
  for (const [c, [up, down, local]] of from.categories) addSums(to.categories, c, up, down, local);
}

function addSums(
  map: Map<string, [number, number, number]>,
  key: string,
  up: number,
  down: number,
  local: number,
): void {
  const sums = map.get(key);
  if (sums) sums[0] += up, sums[1] += down, sums[2] += local;
  else map.set(key, [up, down, local]);
}
