/**
 * Monitoring sessions in Deno KV, as a classic session log: each run of the
 * monitor gets a number, its start and stop times and what it counted.
 *
 * @module
 */
import { checkTime } from "./periods.ts";

/** What a session counted, in bytes (and how many devices it saw). */
export interface SessionTotals {
  up: number;
  down: number;
  local: number;
  devices: number;
}

/** One monitoring session, as plain data. */
export interface MonitoringSession {
  /** 1 for the first session in the store, then 2, 3, ... */
  id: number;
  /** Epoch ms. */
  start: number;
  /** Null while running (or if the monitor died before stopping it). */
  stop: number | null;
  /** The capture interface, if any. */
  interface?: string;
  note?: string;
  /** As of the last update, or the stop. */
  totals: SessionTotals;
}

const LAST_ID: Deno.KvKey = ["session-state", "last-id"];
const PREFIX = "sessions";

/**
 * Starts, updates, stops and lists sessions, under `["sessions", id]`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const kv = await Deno.openKv(":memory:");
 * const sessions = new SessionLog(kv);
 * const s = await sessions.start(1000, { interface: "eth0" });
 * await sessions.stop(s.id, 61_000, { up: 10, down: 90, local: 0, devices: 2 });
 * const [last] = (await sessions.list()).sessions;
 * assertEquals([last.id, last.stop, last.totals.down], [1, 61_000, 90]);
 * kv.close();
 * ```
 */
export class SessionLog {
  readonly #kv: Deno.Kv;

  constructor(kv: Deno.Kv) {
    this.#kv = kv;
  }

  /** Opens a new session at `startMs` with zero totals. */
  async start(
    startMs: number,
    info: { interface?: string; note?: string } = {},
  ): Promise<MonitoringSession> {
    checkTime(startMs, "startMs");
    for (;;) {
      const last = await this.#kv.get<number>(LAST_ID);
      const id = (last.value ?? 0) + 1;
      const session: MonitoringSession = {
        id,
        start: startMs,
        stop: null,
        totals: { up: 0, down: 0, local: 0, devices: 0 },
      };
      if (info.interface !== undefined) session.interface = String(info.interface);
      if (info.note !== undefined) session.note = String(info.note);
      const result = await this.#kv.atomic().check(last)
        .set(LAST_ID, id)
        .set([PREFIX, id], session)
        .commit();
      if (result.ok) return session;
    }
  }

  /** Records a running session's totals so far, so a crash keeps them. */
  async update(id: number, totals: SessionTotals): Promise<MonitoringSession> {
    const checked = checkTotals(totals);
    return await this.#change(id, (s) => {
      if (s.stop !== null) throw new Error(`session ${id} was already stopped`);
      s.totals = checked;
    });
  }

  /** Stops a session at `stopMs` with its final totals. */
  async stop(id: number, stopMs: number, totals: SessionTotals): Promise<MonitoringSession> {
    checkTime(stopMs, "stopMs");
    const checked = checkTotals(totals);
    return await this.#change(id, (s) => {
      if (s.stop !== null) throw new Error(`session ${id} was already stopped`);
      if (stopMs < s.start) throw new RangeError(`stopMs ${stopMs} is before the start ${s.start}`);
      s.stop = stopMs;
      s.totals = checked;
    });
  }

  /** One session, or null. */
  async get(id: number): Promise<MonitoringSession | null> {
    return (await this.#kv.get<MonitoringSession>([PREFIX, id])).value;
  }

  /** A page of sessions, newest first; pass `cursor` back for the next. */
  async list(
    options: { limit?: number; cursor?: string } = {},
  ): Promise<{ sessions: MonitoringSession[]; cursor: string | null }> {
    const { limit = 50, cursor } = options;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new RangeError(`limit must be 1 to 1000, got ${limit}`);
    }
    const iter = this.#kv.list<MonitoringSession>({ prefix: [PREFIX] }, {
      reverse: true,
      limit: limit + 1,
      cursor,
    });
    const sessions: MonitoringSession[] = [];
    let next: string | null = null;
    for await (const entry of iter) {
      if (sessions.length === limit) return { sessions, cursor: next };
      sessions.push(entry.value);
      next = iter.cursor;
    }
    return { sessions, cursor: null };
  }

  /** Sessions never stopped: the running one, and any a crash left open. */
  async unstopped(): Promise<MonitoringSession[]> {
    const out: MonitoringSession[] = [];
    for await (const { value } of this.#kv.list<MonitoringSession>({ prefix: [PREFIX] })) {
      if (value.stop === null) out.push(value);
    }
    return out;
  }

  async #change(
    id: number,
    edit: (session: MonitoringSession) => void,
  ): Promise<MonitoringSession> {
    if (!Number.isSafeInteger(id) || id < 1) {
      throw new RangeError(`session id must be 1 or more, got ${id}`);
    }
    for (;;) {
      const entry = await this.#kv.get<MonitoringSession>([PREFIX, id]);
      if (entry.value === null) throw new RangeError(`no session ${id}`);
      const session = entry.value;
      edit(session);
      const result = await this.#kv.atomic().check(entry).set([PREFIX, id], session).commit();
      if (result.ok) return session;
    }
  }
}

function checkTotals(totals: SessionTotals): SessionTotals {
  const out = { up: 0, down: 0, local: 0, devices: 0 };
  for (const field of ["up", "down", "local", "devices"] as const) {
    const value = totals?.[field];
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`totals.${field} must be a non-negative integer, got ${value}`);
    }
    out[field] = value;
  }
  return out;
}
