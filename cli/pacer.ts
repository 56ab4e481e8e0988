// Paces a simulation against the wall clock for `sluice demo`: simulated time
// runs `speed` times as fast as real time. The clock and the sleep are given,
// so tests drive the pacer without waiting.

/** The wall clock a {@linkcode Pacer} reads and waits on. */
export interface PaceClock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Falling this far behind (wall ms) starts the pacing afresh instead of racing to catch up. */
const MAX_LAG_MS = 1000;

/**
 * Holds simulated time to `speed` × wall time from the first `wait()` at or
 * after `from` (epoch s); earlier simulated time runs as fast as it can
 * (fast-forward). When the machine cannot keep up, it re-anchors rather than
 * bursting, and counts the slip.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * let wall = 0;
 * const slept: number[] = [];
 * const clock = { now: () => wall, sleep: async (ms: number) => { slept.push(ms); wall += ms; } };
 * const pacer = new Pacer(10, clock);
 * await pacer.wait(100); // anchors: simulated 100 s is now
 * await pacer.wait(101); // 1 simulated second at 10× is 100 ms of wall time
 * assertEquals(slept, [100]);
 * ```
 */
export class Pacer {
  readonly speed: number;
  readonly from: number;
  #clock: PaceClock;
  #wall = NaN;
  #sim = NaN;
  #slips = 0;

  constructor(speed: number, clock: PaceClock, from = -Infinity) {
    if (!(speed > 0) || !Number.isFinite(speed)) {
      throw new RangeError(`speed must be a positive number, got ${speed}`);
    }
    this.speed = speed;
    this.#clock = clock;
    this.from = from;
  }

  /** Times the pacer fell behind by more than a second and started afresh. */
  get slips(): number {
    return this.#slips;
  }

  /** Whether simulated time is now paced (past the fast-forward). */
  get pacing(): boolean {
    return !Number.isNaN(this.#wall);
  }

  /** Waits until simulated `simTime` (epoch s) is due on the wall clock. */
  async wait(simTime: number, signal?: AbortSignal): Promise<void> {
    if (simTime < this.from) return;
    const now = this.#clock.now();
    if (Number.isNaN(this.#wall)) {
      this.#wall = now;
      this.#sim = simTime;
      return;
    }
    const due = this.#wall + (simTime - this.#sim) * 1000 / this.speed;
    if (now - due > MAX_LAG_MS) {
      this.#slips++;
      this.#wall = now;
      this.#sim = simTime;
      return;
    }
    if (due - now >= 1) await this.#clock.sleep(due - now, signal);
  }
}

/** The real wall clock: performance.now() and a timer that an abort cuts short. */
export const wallPaceClock: PaceClock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done, { once: true });
    }),
};
