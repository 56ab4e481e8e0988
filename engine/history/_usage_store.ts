// How usage sits in Deno KV. Each period (a minute, an hour, a day) is
// written as one batch, every value carrying the writer's generation `g`:
//
//   hours and days, written once an hour or a day:
//     ["usage", "h"|"d", deviceId, startMs]            one device's record: charts
//     ["usage-by-time", "h"|"d", startMs, chunk]       all devices packed (~60 KB
//                                                      estimated a value): reports, recovery
//   minutes, written every minute, so packed only:
//     ["usage-minutes", bucket, startMs, part]         the devices of one of 64 buckets
//                                                      (FNV-1a of the id), packed
//   every period, committed last:
//     ["usage-done", "m"|"h"|"d", startMs]             {g, devices, chunks}
//
// Why minutes differ: each KV key costs tens of microseconds to write, so one
// record per device (plus the packed rows needed to read every device at
// once) made a 10,000-device minute ~670 ms; bucketed rows alone take ~110 ms
// (tests/bench/kv.ts). They still serve every device at once (64 list calls),
// and one device's minutes are one list call over its bucket, which holds
// about 1/64 of the devices. Hours and days are written once an hour or day
// and read most (charts), so they keep one record per device.
//
// Those are the default space, "usage"; another space (UsageHistoryOptions.space,
// "proc-usage" say) puts the same layout under its own names ("proc-usage",
// "proc-usage-by-time", ...), so one KV holds separate histories that never
// see each other.
//
// A batch larger than one commit spans several; readers trust a value only
// when the period's marker exists with the same `g`, so a batch cut short by
// a crash is invisible, and one rewritten by a later writer (a new
// generation) hides whatever the crashed one left behind.
import { AtomicBatches, type CommitLimits } from "./_kv_batch.ts";
import type { Level } from "./periods.ts";
import { addByDevice, type UsagePoint, type UsageRecord, usageSize } from "./usage_record.ts";

/** The marker of a complete period batch. */
export interface PeriodMarker {
  g: number;
  devices: number;
  chunks: number;
}

interface Chunk {
  g: number;
  rows: [deviceId: string, record: UsageRecord][];
}

type StoredRecord = UsageRecord & { g: number };

const CODE: Record<Level, string> = { minute: "m", hour: "h", day: "d" };
/** Buckets of the minute level: part of the storage format, never to change. */
export const MINUTE_BUCKETS = 64;
// Deno KV refuses values over 64 KiB; usageSize() over-estimates, so this is safe.
const CHUNK_BYTES = 60_000;
const END = Number.MAX_SAFE_INTEGER;

/** The first key part of each kind of row, derived from a history's space. */
export interface UsageKeys {
  /** One device's hour and day records: the space itself. */
  records: string;
  byTime: string;
  minutes: string;
  done: string;
  state: string;
  meta: string;
}

/** The keys of `space`: "usage" gives "usage", "usage-by-time", "usage-minutes", ... */
export function usageKeys(space: string): UsageKeys {
  return {
    records: space,
    byTime: `${space}-by-time`,
    minutes: `${space}-minutes`,
    done: `${space}-done`,
    state: `${space}-state`,
    meta: `${space}-meta`,
  };
}

/** Takes the next writer generation: 1, 2, ... for each open() of the store. */
export async function nextGeneration(kv: Deno.Kv, keys: UsageKeys): Promise<number> {
  const generationKey: Deno.KvKey = [keys.state, "generation"];
  for (;;) {
    const entry = await kv.get<number>(generationKey);
    const next = (entry.value ?? 0) + 1;
    const result = await kv.atomic().check(entry).set(generationKey, next).commit();
    if (result.ok) return next;
  }
}

/** The minute bucket of a device: 32-bit FNV-1a of its id's UTF-16 code units, mod 64. */
export function minuteBucket(deviceId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < deviceId.length; i++) {
    hash = Math.imul(hash ^ deviceId.charCodeAt(i), 0x01000193);
  }
  return (hash >>> 0) % MINUTE_BUCKETS;
}

/** Writes one period's batch, then its marker. */
export async function writePeriod(
  kv: Deno.Kv,
  level: Level,
  start: number,
  records: Map<string, UsageRecord>,
  g: number,
  expireIn: number,
  limits: CommitLimits,
  keys: UsageKeys,
): Promise<void> {
  const batches = new AtomicBatches(kv, limits);
  let chunks = 0;
  /** Packs rows into values of at most CHUNK_BYTES (estimated), each set under `key(part)`. */
  const pack = async (rows: Iterable<[string, UsageRecord]>, key: (part: number) => Deno.KvKey) => {
    let packed: Chunk["rows"] = [], bytes = 0, part = 0;
    const flush = async () => {
      await batches.set(key(part++), { g, rows: packed }, bytes + 32, expireIn);
      chunks++;
      packed = [];
      bytes = 0;
    };
    for (const [deviceId, record] of rows) {
      const size = usageSize(record) + deviceId.length * 3;
      if (packed.length > 0 && bytes + size > CHUNK_BYTES) await flush();
      packed.push([deviceId, record]);
      bytes += size;
    }
    if (packed.length > 0) await flush();
  };
  const code = CODE[level];
  if (level === "minute") {
    const buckets = new Map<number, [string, UsageRecord][]>();
    for (const row of records) {
      const bucket = minuteBucket(row[0]);
      const rows = buckets.get(bucket);
      if (rows) rows.push(row);
      else buckets.set(bucket, [row]);
    }
    for (const [bucket, rows] of buckets) {
      await pack(rows, (part) => [keys.minutes, bucket, start, part]);
    }
  } else {
    for (const [deviceId, record] of records) {
      const stored: StoredRecord = { ...record, g };
      await batches.set(
        [keys.records, code, deviceId, start],
        stored,
        usageSize(record) + 16,
        expireIn,
      );
    }
    await pack(records, (chunk) => [keys.byTime, code, start, chunk]);
  }
  const marker: PeriodMarker = { g, devices: records.size, chunks };
  await batches.finish([keys.done, code, start], marker, expireIn);
}

/** The markers of `level` periods starting in [from, to). */
export async function listMarkers(
  kv: Deno.Kv,
  level: Level,
  from: number,
  to: number,
  keys: UsageKeys,
): Promise<Map<number, PeriodMarker>> {
  const markers = new Map<number, PeriodMarker>();
  if (from >= to) return markers;
  const code = CODE[level];
  const iter = kv.list<PeriodMarker>({
    start: [keys.done, code, from],
    end: [keys.done, code, Math.min(to, END)],
  }, { batchSize: 1000 });
  for await (const entry of iter) markers.set(entry.key[2] as number, entry.value);
  return markers;
}

/** The start of the last `level` period with a marker, or null. */
export async function lastMarker(
  kv: Deno.Kv,
  level: Level,
  keys: UsageKeys,
): Promise<number | null> {
  for await (
    const entry of kv.list({ prefix: [keys.done, CODE[level]] }, { reverse: true, limit: 1 })
  ) return entry.key[2] as number;
  return null;
}

/**
 * Adds every device's usage in the complete periods starting in [from, to)
 * into `into`. `markers` must hold the markers of that range; periods
 * without one are skipped.
 */
export async function addPeriods(
  kv: Deno.Kv,
  level: Level,
  from: number,
  to: number,
  markers: Map<number, PeriodMarker>,
  into: Map<string, UsageRecord>,
  keys: UsageKeys,
): Promise<void> {
  if (from >= to || markers.size === 0) return;
  const add = async (prefix: Deno.KvKeyPart[], startAt: number) => {
    const iter = kv.list<Chunk>({
      start: [...prefix, from],
      end: [...prefix, Math.min(to, END)],
    }, { batchSize: 100 });
    for await (const { key, value } of iter) {
      if (markers.get(key[startAt] as number)?.g !== value.g) continue;
      for (const [deviceId, record] of value.rows) addByDevice(into, deviceId, record);
    }
  };
  if (level === "minute") {
    const buckets = Array.from({ length: MINUTE_BUCKETS }, (_, b) => add([keys.minutes, b], 2));
    await Promise.all(buckets);
  } else await add([keys.byTime, CODE[level]], 2);
}

/** One device's complete `level` records starting in [from, to), oldest first. */
export async function devicePoints(
  kv: Deno.Kv,
  level: Level,
  deviceId: string,
  from: number,
  to: number,
  keys: UsageKeys,
): Promise<UsagePoint[]> {
  if (from >= to) return [];
  const end = Math.min(to, END);
  const points: UsagePoint[] = [];
  if (level === "minute") {
    const bucket = minuteBucket(deviceId);
    const [markers, chunks] = await Promise.all([
      listMarkers(kv, level, from, to, keys),
      Array.fromAsync(kv.list<Chunk>({
        start: [keys.minutes, bucket, from],
        end: [keys.minutes, bucket, end],
      }, { batchSize: 200 })),
    ]);
    for (const { key, value } of chunks) {
      const start = key[2] as number;
      if (markers.get(start)?.g !== value.g) continue;
      const row = value.rows.find((r) => r[0] === deviceId);
      if (row) points.push({ start, ...row[1] });
    }
    return points;
  }
  const code = CODE[level];
  const [markers, entries] = await Promise.all([
    listMarkers(kv, level, from, to, keys),
    Array.fromAsync(kv.list<StoredRecord>({
      start: [keys.records, code, deviceId, from],
      end: [keys.records, code, deviceId, end],
    }, { batchSize: 1000 })),
  ]);
  for (const { key, value } of entries) {
    const start = key[3] as number;
    if (markers.get(start)?.g !== value.g) continue;
    points.push({ start, up: value.up, down: value.down, local: value.local, apps: value.apps });
  }
  return points;
}
