/**
 * The audit log in Deno KV: every alert, policy decision and admin action,
 * listed by time range, newest first, a page at a time.
 *
 * @module
 */
import { checkRange, checkTime } from "./periods.ts";

/**
 * One logged event, as plain data.
 *
 * `kind` says what happened; Sluice uses "alert", "policy" (a decision a
 * policy made, e.g. a device blocked or shaped) and "admin" (something a user
 * did, e.g. a label or the config changed). `reason` is why, for decisions;
 * `data` holds any further plain data (it must survive structured clone, and
 * the whole event must stay under Deno KV's 64 KiB value limit).
 */
export interface HistoryEvent {
  /** When it happened, epoch ms. */
  time: number;
  kind: string;
  /** The device it concerns, if one. */
  device?: string;
  message: string;
  reason?: string;
  data?: unknown;
}

/** An event as stored, with the id it was given. */
export interface LoggedEvent extends HistoryEvent {
  /** Unique and ordered by time: `"<time>-<n>"`. */
  id: string;
}

/** What {@linkcode EventLog.list} returns. */
export interface EventPage {
  /** Newest first. */
  events: LoggedEvent[];
  /** Pass back (with the same filters) for the next page; null after the last. */
  cursor: string | null;
}

/** Filters and paging of {@linkcode EventLog.list}. */
export interface EventQuery {
  /** Events at or after this time (epoch ms). */
  fromMs?: number;
  /** Events before this time. */
  toMs?: number;
  /** Only events of this kind. */
  kind?: string;
  /** Only events about this device. */
  device?: string;
  /** Events per page, 1 to 1000 (default 50). */
  limit?: number;
  /** From the previous page. */
  cursor?: string;
}

/** Options for {@linkcode EventLog}. */
export interface EventLogOptions {
  /** How long an event is kept from when it is appended, in ms (default 400 days). */
  retentionMs?: number;
}

const PREFIX = "events";

/**
 * The next n of the last few event times, per KV: the logs of one process
 * (the policy's, the shaper's) share them, so that one does not try each n
 * taken before, a commit each, when it logs at a time written to already
 * (a thousand shaper operations in one second, then the policy's decisions).
 */
const NEXT_N = new WeakMap<Deno.Kv, Map<number, number>>();

/**
 * Appends events under `["events", time, n]` and lists them back newest first.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const kv = await Deno.openKv(":memory:");
 * const log = new EventLog(kv);
 * await log.append({ time: 1000, kind: "admin", message: "label set", device: "mac:a" });
 * await log.append({ time: 2000, kind: "alert", message: "quota reached", device: "mac:a" });
 * const page = await log.list({ limit: 1 });
 * assertEquals(page.events.map((e) => e.message), ["quota reached"]);
 * const next = await log.list({ limit: 1, cursor: page.cursor! });
 * assertEquals(next.events.map((e) => e.kind), ["admin"]);
 * assertEquals(next.cursor, null);
 * kv.close();
 * ```
 */
export class EventLog {
  readonly #kv: Deno.Kv;
  readonly #retention: number;
  readonly #nextN: Map<number, number>;

  constructor(kv: Deno.Kv, options: EventLogOptions = {}) {
    this.#kv = kv;
    let nextN = NEXT_N.get(kv);
    if (!nextN) NEXT_N.set(kv, nextN = new Map());
    this.#nextN = nextN;
    this.#retention = options.retentionMs ?? 400 * 86_400_000;
    if (!(this.#retention > 0) || !Number.isFinite(this.#retention)) {
      throw new RangeError(`retentionMs must be a positive number, got ${this.#retention}`);
    }
  }

  /** Stores one event and returns its id. */
  async append(event: HistoryEvent): Promise<string> {
    const { time, kind, message } = event;
    checkTime(time, "event.time");
    if (typeof kind !== "string" || kind === "") {
      throw new TypeError("event.kind must be a non-empty string");
    }
    if (typeof message !== "string") throw new TypeError("event.message must be a string");
    for (const field of ["device", "reason"] as const) {
      if (event[field] !== undefined && typeof event[field] !== "string") {
        throw new TypeError(`event.${field} must be a string when given`);
      }
    }
    const value: HistoryEvent = { time, kind, message };
    if (event.device !== undefined) value.device = event.device;
    if (event.reason !== undefined) value.reason = event.reason;
    if (event.data !== undefined) value.data = event.data;
    // Several events in one millisecond (or another writer's) take the next free n.
    let n = this.#nextN.get(time) ?? 0;
    for (;;) {
      const key = [PREFIX, time, n];
      const result = await this.#kv.atomic()
        .check({ key, versionstamp: null })
        .set(key, value, { expireIn: this.#retention })
        .commit();
      if (result.ok) break;
      n++;
    }
    this.#nextN.set(time, n + 1);
    if (this.#nextN.size > 64) this.#nextN.delete(this.#nextN.keys().next().value!);
    return `${time}-${n}`;
  }

  /** One page of events, newest first. */
  async list(query: EventQuery = {}): Promise<EventPage> {
    const { fromMs, toMs, kind, device, limit = 50, cursor } = query;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new RangeError(`limit must be 1 to 1000, got ${limit}`);
    }
    if (fromMs !== undefined) checkTime(fromMs, "fromMs");
    if (toMs !== undefined) checkTime(toMs, "toMs");
    if (fromMs !== undefined && toMs !== undefined) checkRange(fromMs, toMs);
    const iter = this.#kv.list<HistoryEvent>({
      start: fromMs === undefined ? [PREFIX] : [PREFIX, fromMs],
      end: toMs === undefined ? [PREFIX, Number.MAX_SAFE_INTEGER] : [PREFIX, toMs],
    }, { reverse: true, cursor, batchSize: Math.min(limit + 1, 500) });
    const events: LoggedEvent[] = [];
    let next: string | null = null;
    for await (const { key, value } of iter) {
      if (kind !== undefined && value.kind !== kind) continue;
      if (device !== undefined && value.device !== device) continue;
      // One match past a full page proves there is a next page; it starts there.
      if (events.length === limit) return { events, cursor: next };
      events.push({ id: `${key[1] as number}-${key[2] as number}`, ...value });
      if (events.length === limit) next = iter.cursor;
    }
    return { events, cursor: null };
  }
}
