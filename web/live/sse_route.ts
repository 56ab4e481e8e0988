/**
 * GET /api/v1/live: the live snapshots as Server-Sent Events, one
 * `event: snapshot` a second with `id: <second>`, resumable with
 * Last-Event-ID. `?top=N` trims the devices and apps lists to the N busiest
 * (1,000 devices a second is about 430 kB/s). Each snapshot is turned into
 * JSON once per size asked, however many clients stream it.
 *
 * @module
 */
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import { type LiveHub, snapshotId } from "./live_hub.ts";
import type { LiveSnapshot } from "./snapshot_types.ts";

/** Runs `fn` every `ms` until the returned function is called. */
export type Repeat = (fn: () => void, ms: number) => () => void;

/** Options for {@linkcode liveRoute}. */
export interface LiveRouteOptions {
  /** The client's reconnection delay, sent first as `retry:` (default 2000 ms). */
  retryMs?: number;
  /** A comment line after this long (ms), so proxies keep the stream open; 0: none (default 15000). */
  heartbeatMs?: number;
  /** The heartbeat's timer; default setInterval. Tests pass their own. */
  repeat?: Repeat;
}

const realRepeat: Repeat = (fn, ms) => {
  const id = setInterval(fn, ms);
  return () => clearInterval(id);
};

/** The snapshot with its devices and apps lists cut to the first `top` (they come busiest first). */
export function topOf(snapshot: LiveSnapshot, top: number): LiveSnapshot {
  if (snapshot.devices.length <= top && snapshot.apps.length <= top) return snapshot;
  return {
    ...snapshot,
    devices: snapshot.devices.slice(0, top),
    apps: snapshot.apps.slice(0, top),
  };
}

/** JSON per snapshot and `top` (0: all), dropped with the snapshot. */
const texts = new WeakMap<LiveSnapshot, Map<number, string>>();

function jsonOf(snapshot: LiveSnapshot, top: number): string {
  let byTop = texts.get(snapshot);
  if (byTop === undefined) texts.set(snapshot, byTop = new Map());
  let text = byTop.get(top);
  if (text === undefined) {
    text = JSON.stringify(top === 0 ? snapshot : topOf(snapshot, top));
    // A few sizes at most in practice; bound it all the same.
    if (byTop.size < 8) byTop.set(top, text);
  }
  return text;
}

/**
 * The handler of GET /api/v1/live over `hub`. On connect it sends `retry:`,
 * then the snapshots after the Last-Event-ID header (or `?lastEventId=`)
 * when the hub still holds them all, else the latest; then each snapshot
 * published. A client slower than the snapshots gets the latest when it
 * catches up, not a queue. It stops, and unsubscribes, when the client goes.
 * `?top=N` (1 to 100000) trims the lists; a bad value is a 400.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { LiveHub } from "./live_hub.ts";
 * const hub = new LiveHub();
 * const app = new Hono().get("/api/v1/live", liveRoute(hub, { heartbeatMs: 0 }));
 * const response = await app.request("/api/v1/live?top=0");
 * await response.body?.cancel();
 * if (response.status !== 400) throw new Error("top=0 is refused");
 * ```
 */
export function liveRoute(
  hub: LiveHub,
  options: LiveRouteOptions = {},
): (c: Context) => Response | Promise<Response> {
  const retryMs = options.retryMs ?? 2000, heartbeatMs = options.heartbeatMs ?? 15_000;
  const repeat = options.repeat ?? realRepeat;
  if (!Number.isInteger(retryMs) || retryMs < 0) {
    throw new RangeError(`retryMs must be an integer >= 0, got ${retryMs}`);
  }
  if (!(heartbeatMs >= 0) || heartbeatMs === Infinity) {
    throw new RangeError(`heartbeatMs must be >= 0 ms, got ${heartbeatMs}`);
  }
  return (c) => {
    const top = topParam(c.req.query("top"));
    if (typeof top === "string") {
      return c.json({ error: { status: 400, message: top, fields: { top } } }, 400);
    }
    const resume = lastEventId(c.req.header("Last-Event-ID") ?? c.req.query("lastEventId"));
    c.header("X-Accel-Buffering", "no"); // nginx would hold events back
    return streamSSE(c, async (stream) => {
      let done = false, heartbeat = false, pending = false;
      let wake: (() => void) | null = null;
      const rouse = () => {
        pending = true;
        wake?.();
      };
      const stop = () => {
        done = true;
        wake?.();
      };
      // Subscribed before the first sends: nothing published meanwhile is missed.
      const unsubscribe = hub.subscribe(rouse);
      const stopHeartbeat = heartbeatMs > 0
        ? repeat(() => {
          heartbeat = true;
          rouse();
        }, heartbeatMs)
        : () => {};
      // A client going away cancels the body (Deno.serve does on disconnect): the stream
      // aborts. Not c.req.raw.signal: Deno warns of its legacy abort-on-success once used.
      stream.onAbort(stop);
      let sent = -Infinity;
      const send = async (snapshot: LiveSnapshot) => {
        const id = snapshotId(snapshot);
        await stream.writeSSE({ event: "snapshot", id: String(id), data: jsonOf(snapshot, top) });
        sent = id;
      };
      try {
        await stream.write(`retry: ${retryMs}\n\n`);
        const latest = hub.latest;
        const missed = resume === null ? null : hub.since(resume);
        for (const s of missed ?? (latest === null ? [] : [latest])) {
          if (done) return;
          await send(s);
        }
        while (!done) {
          if (!pending) await new Promise<void>((resolve) => wake = resolve);
          wake = null;
          pending = false;
          if (done) break;
          const newest = hub.latest;
          if (newest !== null && snapshotId(newest) > sent) await send(newest);
          else if (heartbeat) await stream.write(": heartbeat\n\n");
          heartbeat = false;
        }
      } finally {
        unsubscribe();
        stopHeartbeat();
      }
    });
  };
}

/** `?top=`: 0 for none, the number, or a message for a bad one. */
function topParam(text: string | undefined): number | string {
  if (text === undefined || text === "") return 0;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 100_000) {
    return `top must be an integer from 1 to 100000, got ${JSON.stringify(text)}`;
  }
  return n;
}

/** A Last-Event-ID we gave (a second), or null for none or anything else. */
function lastEventId(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,15}$/.test(text.trim())) return null;
  return Number(text.trim());
}
