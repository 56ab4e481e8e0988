// Shared by the history tests: samples, and Deno KV handles that record
// what is written or fail like a crash part-way through a batch.
import {
  addUsage,
  emptyUsage,
  type UsageHistory,
  type UsagePoint,
  type UsageRecord,
  type UsageSample,
} from "../../../engine/history/mod.ts";

export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** A Monday, 00:00 UTC. */
export const T0 = Date.UTC(2024, 0, 1);

/** A deterministic sample: device `d` in minute `m` (different for each pair). */
export function sample(d: number, m: number, apps = 3): UsageSample {
  const appUsage: Record<string, [number, number]> = {};
  let up = 0, down = 0;
  for (let a = 0; a < apps; a++) {
    const u = ((d * 31 + m * 7 + a * 13) % 97) + 1, w = ((d * 17 + m * 11 + a * 5) % 89) * 10 + 3;
    appUsage[a === apps - 1 ? "unknown" : `app${a}`] = [u, w];
    up += u;
    down += w;
  }
  return { deviceId: `mac:02:00:00:00:${hex(d)}`, up, down, local: (d + m) % 5, apps: appUsage };
}

export function hex(n: number): string {
  return `${(n >> 8).toString(16).padStart(2, "0")}:${(n & 255).toString(16).padStart(2, "0")}`;
}

/** Every `set` made through atomic operations: key, value and expireIn. */
export interface RecordedSet {
  key: Deno.KvKey;
  value: unknown;
  expireIn?: number;
}

/**
 * A KV handle that records every atomic set, and, once `failAfter` commits
 * have landed, makes every further commit fail as a killed process would
 * leave it: nothing more is written.
 */
export function instrumentedKv(
  kv: Deno.Kv,
  options: { failAfter?: number } = {},
): { kv: Deno.Kv; sets: RecordedSet[]; commits: () => number } {
  const sets: RecordedSet[] = [];
  let commits = 0;
  const wrapOp = (op: Deno.AtomicOperation): Deno.AtomicOperation => {
    const proxy: Deno.AtomicOperation = new Proxy(op, {
      get(target, prop) {
        if (prop === "set") {
          return (key: Deno.KvKey, value: unknown, opts?: { expireIn?: number }) => {
            sets.push({ key, value, expireIn: opts?.expireIn });
            target.set(key, value, opts);
            return proxy;
          };
        }
        if (prop === "commit") {
          return () => {
            if (options.failAfter !== undefined && commits >= options.failAfter) {
              return Promise.reject(new Error("simulated crash"));
            }
            commits++;
            return target.commit();
          };
        }
        const value = Reflect.get(target, prop, target);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          const result = value.apply(target, args);
          return result === target ? proxy : result;
        };
      },
    });
    return proxy;
  };
  const wrapped = new Proxy(kv, {
    get(target, prop) {
      if (prop === "atomic") return () => wrapOp(target.atomic());
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { kv: wrapped, sets, commits: () => commits };
}

/** The crash test's writer starts here (23:30, so hours and a day end soon). */
export const CRASH_START = T0 + 23 * HOUR + 30 * MIN;
/** Devices per minute in the crash test. */
export const CRASH_DEVICES = 300;

/** Writes samples minute by minute and remembers them, as an oracle. */
export class Oracle {
  readonly written: { minute: number; samples: UsageSample[] }[] = [];

  async write(history: UsageHistory, minute: number, samples: UsageSample[]): Promise<void> {
    await history.writeMinute(minute, samples);
    this.written.push({ minute, samples });
  }

  /** Per device, everything written in [from, to). */
  devices(from: number, to: number): Record<string, UsageRecord> {
    const out: Record<string, UsageRecord> = {};
    for (const { minute, samples } of this.written) {
      if (minute < from || minute >= to) continue;
      for (const { deviceId, ...record } of samples) {
        addUsage(out[deviceId] ??= emptyUsage(), record);
      }
    }
    return sorted(out);
  }
}

export function sorted(devices: Record<string, UsageRecord>): Record<string, UsageRecord> {
  return Object.fromEntries(Object.entries(devices).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}

export function total(points: UsagePoint[]): UsageRecord {
  const out = emptyUsage();
  for (const p of points) addUsage(out, p);
  return out;
}

/** Writes every 7th minute from `start` for `minutes` minutes, 4 devices each. */
export async function fill(
  history: UsageHistory,
  oracle: Oracle,
  start: number,
  minutes: number,
): Promise<void> {
  for (let m = 0; m < minutes; m += 7) {
    await oracle.write(history, start + m * MIN, [0, 1, 2, 3].map((d) => sample(d, m)));
  }
}
