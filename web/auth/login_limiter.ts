/**
 * Slows password guessing: failed logins are counted per client address and
 * per user name, and after 5 within 15 minutes either one is refused until
 * the oldest of those failures is 15 minutes old. In memory (a restart
 * forgets, which costs a guesser a restart of Sluice per 5 guesses) and
 * bounded: idle entries are pruned and the least recently failed dropped.
 *
 * @module
 */

/** Options of {@linkcode LoginLimiter}. */
export interface LoginLimiterOptions {
  /** Failures allowed within the window (default 5). */
  maxFailures?: number;
  /** The window (default 15 minutes). */
  windowMs?: number;
  /** Addresses and names remembered, each (default 10,000). */
  maxEntries?: number;
}

/** Whether a login may be tried now; if not, for how long (whole seconds). */
export type LoginVerdict = { allowed: true } | { allowed: false; retryAfter: number };

/**
 * Failed-login counts with an injected clock.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const limiter = new LoginLimiter();
 * const now = 1_700_000_000_000;
 * for (let i = 0; i < 5; i++) limiter.fail("192.168.1.9", "admin", now);
 * assertEquals(limiter.check("192.168.1.9", "admin", now), { allowed: false, retryAfter: 900 });
 * assertEquals(limiter.check("192.168.1.9", "admin", now + 900_000), { allowed: true });
 * ```
 */
export class LoginLimiter {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #maxEntries: number;
  /** Failure times, oldest first, at most `#max` per key; Map order is least recent first. */
  readonly #byAddress = new Map<string, number[]>();
  readonly #byName = new Map<string, number[]>();
  /** Logins begun and not yet failed or succeeded, per "a:address" and "n:name". */
  readonly #pending = new Map<string, number>();

  constructor(options: LoginLimiterOptions = {}) {
    this.#max = whole(options.maxFailures ?? 5, "maxFailures");
    this.#windowMs = whole(options.windowMs ?? 15 * 60_000, "windowMs");
    this.#maxEntries = whole(options.maxEntries ?? 10_000, "maxEntries");
  }

  /**
   * Whether `name` may try to log in from `address` now. Logins under way
   * (see {@linkcode begin}) count as failures until they end, so that
   * parallel guesses cannot all pass the check before one fails.
   */
  check(address: string, name: string, now: number): LoginVerdict {
    const a = addressKey(address), n = nameKey(name);
    const byAddress = this.#recent(this.#byAddress, a, now);
    const byName = this.#recent(this.#byName, n, now);
    const until = Math.max(this.#until(byAddress), this.#until(byName));
    if (until > now) return { allowed: false, retryAfter: Math.ceil((until - now) / 1000) };
    const busy = byAddress.length + (this.#pending.get(`a:${a}`) ?? 0) >= this.#max ||
      byName.length + (this.#pending.get(`n:${n}`) ?? 0) >= this.#max;
    return busy ? { allowed: false, retryAfter: 1 } : { allowed: true };
  }

  /**
   * {@linkcode check}, and when allowed notes a login under way: end it with
   * {@linkcode fail} or {@linkcode succeed}.
   */
  begin(address: string, name: string, now: number): LoginVerdict {
    const verdict = this.check(address, name, now);
    if (verdict.allowed) {
      this.#adjust(`a:${addressKey(address)}`, 1);
      this.#adjust(`n:${nameKey(name)}`, 1);
    }
    return verdict;
  }

  /** Counts a failed login against the address and the name. */
  fail(address: string, name: string, now: number): void {
    this.#end(address, name);
    this.#add(this.#byAddress, addressKey(address), now);
    this.#add(this.#byName, nameKey(name), now);
  }

  /**
   * A successful login clears the name's failures, not the address's: one
   * valid account must not let its holder reset the count while guessing
   * other names.
   */
  succeed(address: string, name: string, _now: number): void {
    this.#end(address, name);
    this.#byName.delete(nameKey(name));
  }

  /** Entries held (addresses + names), for tests and monitoring. */
  get size(): number {
    return this.#byAddress.size + this.#byName.size;
  }

  #recent(map: Map<string, number[]>, key: string, now: number): number[] {
    return (map.get(key) ?? []).filter((t) => now - t < this.#windowMs);
  }

  /** Refused until the oldest of the last `#max` failures leaves the window. */
  #until(recent: number[]): number {
    return recent.length < this.#max ? 0 : recent[recent.length - this.#max] + this.#windowMs;
  }

  #end(address: string, name: string): void {
    this.#adjust(`a:${addressKey(address)}`, -1);
    this.#adjust(`n:${nameKey(name)}`, -1);
  }

  #adjust(key: string, by: number): void {
    const count = (this.#pending.get(key) ?? 0) + by;
    if (count > 0) this.#pending.set(key, count);
    else this.#pending.delete(key);
  }

  #add(map: Map<string, number[]>, key: string, now: number): void {
    const times = this.#recent(map, key, now);
    times.push(now);
    if (times.length > this.#max) times.splice(0, times.length - this.#max);
    map.delete(key); // re-inserted last: the Map stays ordered by last failure
    map.set(key, times);
    if (map.size > this.#maxEntries) this.#prune(map, now);
  }

  #prune(map: Map<string, number[]>, now: number): void {
    // The Map is ordered by last failure, so the stale entries are at its start.
    for (const [key, times] of map) {
      if (now - times[times.length - 1] < this.#windowMs && map.size <= this.#maxEntries) break;
      map.delete(key);
    }
  }
}

function addressKey(address: string): string {
  return String(address).slice(0, 64);
}

function nameKey(name: string): string {
  return String(name).toLowerCase().slice(0, 64);
}

function whole(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a whole number above 0, got ${value}`);
  }
  return value;
}
