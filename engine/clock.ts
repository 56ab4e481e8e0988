/**
 * The engine's sense of time. Nothing in engine/ reads the wall clock: live
 * capture passes a clock that does (wired in main.ts), replays and the
 * simulator drive time from packet timestamps or a {@linkcode ManualClock},
 * and tests set it by hand.
 *
 * @module
 */

/** A source of the current time, in seconds since the Unix epoch (fractions allowed). */
export interface Clock {
  now(): number;
}

/**
 * A clock that moves only when told to: for tests, replays and the simulator.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const clock = new ManualClock(1_700_000_000);
 * clock.advance(90);
 * assertEquals(clock.now(), 1_700_000_090);
 * ```
 */
export class ManualClock implements Clock {
  #now: number;

  constructor(start = 0) {
    this.#now = checked(start);
  }

  now(): number {
    return this.#now;
  }

  /** Sets the time; it may not go backwards (RangeError). */
  set(time: number): void {
    if (checked(time) < this.#now) {
      throw new RangeError(`clock cannot go back from ${this.#now} to ${time}`);
    }
    this.#now = time;
  }

  /** Moves the time forward by `seconds` (not negative). */
  advance(seconds: number): void {
    if (!(seconds >= 0)) throw new RangeError(`cannot advance the clock by ${seconds} s`);
    this.set(this.#now + seconds);
  }
}

function checked(time: number): number {
  if (!Number.isFinite(time)) {
    throw new RangeError(`clock time must be a finite number, got ${time}`);
  }
  return time;
}
