/**
 * The 1 Hz fan-out of live snapshots: the run publishes one each second,
 * the SSE streams and /metrics read them. The last few are kept in a ring,
 * keyed by their second, so a client that reconnects resumes where it left
 * off. Memory is bounded: the ring is the only queue, and a subscriber is
 * only told that something new is there (a slow one drops to the latest).
 *
 * @module
 */
import type { LiveSnapshot } from "./snapshot_types.ts";

/** Told of each snapshot published, with its id; must not throw (errors go to `onError`). */
export type LiveListener = (snapshot: LiveSnapshot, id: number) => void;

/** Options for {@linkcode LiveHub}. */
export interface LiveHubOptions {
  /** Snapshots kept for resuming (default 60: a minute). */
  size?: number;
  /** A listener threw; default: console.error. The other listeners are told all the same. */
  onError?: (error: unknown) => void;
}

/** A snapshot's id: its second, `time / 1000` (the SSE event id). */
export function snapshotId(snapshot: LiveSnapshot): number {
  return Math.floor(snapshot.time / 1000);
}

/**
 * Keeps the last `size` snapshots and tells subscribers of each new one.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import type { LiveSnapshot } from "./snapshot_types.ts";
 * const hub = new LiveHub({ size: 2 });
 * const seen: number[] = [];
 * const unsubscribe = hub.subscribe((_, id) => seen.push(id));
 * for (const t of [1_000, 2_000, 3_000]) hub.publish({ time: t } as LiveSnapshot);
 * unsubscribe();
 * assertEquals(seen, [1, 2, 3]);
 * assertEquals(hub.since(2)?.map((s) => s.time), [3_000]);
 * assertEquals(hub.since(0), null); // second 1 left the ring: cannot resume exactly
 * ```
 */
export class LiveHub {
  readonly size: number;
  readonly #ring: (LiveSnapshot | undefined)[];
  readonly #ids: Float64Array;
  readonly #listeners = new Set<LiveListener>();
  readonly #onError: (error: unknown) => void;
  /** Snapshots held, and the slot of the next one. */
  #count = 0;
  #next = 0;
  /** The id of the newest snapshot pushed out of the ring (-Infinity: none yet). */
  #evicted = -Infinity;

  constructor(options: LiveHubOptions = {}) {
    const size = options.size ?? 60;
    if (!Number.isInteger(size) || size < 1 || size > 86_400) {
      throw new RangeError(`size must be an integer from 1 to 86400, got ${size}`);
    }
    this.size = size;
    this.#ring = new Array(size);
    this.#ids = new Float64Array(size);
    this.#onError = options.onError ?? ((error) => console.error("live listener:", error));
  }

  /** The newest snapshot, or null before the first. */
  get latest(): LiveSnapshot | null {
    return this.#count === 0 ? null : this.#ring[this.#slot(this.#count - 1)]!;
  }

  /** The newest snapshot's id, or NaN before the first. */
  get latestId(): number {
    return this.#count === 0 ? NaN : this.#ids[this.#slot(this.#count - 1)];
  }

  /** Listeners subscribed now. */
  get subscribers(): number {
    return this.#listeners.size;
  }

  /**
   * Adds a snapshot and tells every subscriber; returns its id. A snapshot
   * of the same second as the newest replaces it; RangeError for an older
   * one, or a `time` that is not epoch ms.
   */
  publish(snapshot: LiveSnapshot): number {
    const time = snapshot?.time;
    if (typeof time !== "number" || !Number.isFinite(time) || time < 0) {
      throw new RangeError(`snapshot.time must be epoch ms (finite, >= 0), got ${time}`);
    }
    const id = snapshotId(snapshot), latest = this.latestId;
    if (id < latest) {
      throw new RangeError(`snapshot second ${id} is older than the newest held, ${latest}`);
    }
    if (id === latest) {
      this.#ring[this.#slot(this.#count - 1)] = snapshot;
    } else {
      if (this.#count === this.size) {
        this.#evicted = this.#ids[this.#next];
      } else this.#count++;
      this.#ring[this.#next] = snapshot;
      this.#ids[this.#next] = id;
      this.#next = (this.#next + 1) % this.size;
    }
    // A copy: a listener may unsubscribe (itself or another) while being told.
    for (const listener of [...this.#listeners]) {
      try {
        listener(snapshot, id);
      } catch (error) {
        this.#onError(error);
      }
    }
    return id;
  }

  /**
   * The snapshots after `lastEventId`, oldest first ([] when it is the
   * newest); null when they cannot all be given: some already left the
   * ring, or the id is newer than any held (a client of another run).
   */
  since(lastEventId: number): LiveSnapshot[] | null {
    if (typeof lastEventId !== "number" || Number.isNaN(lastEventId)) {
      throw new TypeError(`lastEventId must be a number, got ${lastEventId}`);
    }
    if (this.#count === 0 || lastEventId < this.#evicted || lastEventId > this.latestId) {
      return null;
    }
    const out: LiveSnapshot[] = [];
    for (let i = 0; i < this.#count; i++) {
      const slot = this.#slot(i);
      if (this.#ids[slot] > lastEventId) out.push(this.#ring[slot]!);
    }
    return out;
  }

  /** Calls `listener` on each snapshot published from now; returns the way to stop. */
  subscribe(listener: LiveListener): () => void {
    if (typeof listener !== "function") {
      throw new TypeError(`listener must be a function, got ${typeof listener}`);
    }
    // Wrapped, so subscribing the same function twice gives two independent subscriptions.
    const own: LiveListener = (snapshot, id) => listener(snapshot, id);
    this.#listeners.add(own);
    return () => {
      this.#listeners.delete(own);
    };
  }

  /** The ring slot of the `i`th snapshot held, oldest first. */
  #slot(i: number): number {
    return (this.#next - this.#count + i + this.size) % this.size;
  }
}
