/**
 * The last second a `UsageMeter` closed: which devices had bytes
 * in it and how many, each way. What a consumer fed once a second (the
 * policy engine) reads, without a full readout per device.
 *
 * @module
 */
import type { Interner } from "./interner.ts";
import {
  E_APP,
  E_CATEGORY,
  E_INT,
  E_LAST,
  E_LAST_SECOND,
  E_NUM,
  NONE,
  R_LAST,
  R_LAST_SECOND,
  R_NUM,
  type UsageState,
} from "./_usage_state.ts";
import type { ClosedAppBytes } from "./usage_types.ts";

/**
 * A view of the meter's last closed second; `UsageMeter.closed`. It moves
 * on with each tick that closes a second.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { UsageDirection, UsageMeter } from "./usage_meter.ts";
 * const meter = new UsageMeter();
 * meter.tick(100);
 * meter.add(4, UsageDirection.DOWN, 0, 0, 1500, 1);
 * meter.tick(101);
 * const closed = meter.closed;
 * assertEquals([closed.second, closed.devices, closed.device(0)], [100, 1, 4]);
 * assertEquals(closed.bytes(4, UsageDirection.DOWN), 1500);
 * assertEquals(closed.bytes(3, UsageDirection.DOWN), 0);
 * ```
 */
export class ClosedSecond {
  readonly #s: UsageState;
  readonly #apps: Interner;
  readonly #categories: Interner;

  /** Made by `UsageMeter`. */
  constructor(state: UsageState, apps: Interner, categories: Interner) {
    this.#s = state;
    this.#apps = apps;
    this.#categories = categories;
  }

  /** The second (epoch seconds); NaN before the first closes. */
  get second(): number {
    return this.#s.closedSecond;
  }

  /** How many devices had bytes in it: {@linkcode device}(0) to (n - 1). */
  get devices(): number {
    return this.#s.closedRowCount;
  }

  /** The index of the `i`th device with bytes in it, in the order they were counted. */
  device(i: number): number {
    if ((i >>> 0) !== i || i >= this.#s.closedRowCount) {
      throw new RangeError(`i must be 0 to ${this.#s.closedRowCount - 1}, got ${i}`);
    }
    return this.#s.closedRows[i] - 1;
  }

  /** Device `index`'s bytes in it, one direction (0 up, 1 down, 2 local); 0 when none. */
  bytes(index: number, direction: 0 | 1 | 2): number {
    if ((index >>> 0) !== index || index >= 0x7fffffff) {
      throw new RangeError(`device must be an index (integer >= 0), got ${index}`);
    }
    if (direction !== 0 && direction !== 1 && direction !== 2) {
      throw new RangeError(`direction must be 0 (up), 1 (down) or 2 (local), got ${direction}`);
    }
    const s = this.#s, row = index + 1;
    if (row >= s.rows) return 0;
    const rows = s.rowNum, r = row * R_NUM;
    return rows[r + R_LAST_SECOND] === s.closedSecond ? rows[r + R_LAST + direction] : 0;
  }

  /** Device `index`'s bytes in it by app and category (those with any). */
  apps(index: number): ClosedAppBytes[] {
    const out: ClosedAppBytes[] = [];
    if (this.bytes(index, 0) + this.bytes(index, 1) + this.bytes(index, 2) === 0) return out;
    const s = this.#s, num = s.eNum, ints = s.eInt;
    for (let e = s.rowHead[index + 1]; e !== NONE; e = s.eNext[e]) {
      const o = e * E_NUM;
      if (num[o + E_LAST_SECOND] !== s.closedSecond) continue;
      out.push({
        app: this.#apps.name(ints[e * E_INT + E_APP]),
        category: this.#categories.name(ints[e * E_INT + E_CATEGORY]),
        up: num[o + E_LAST],
        down: num[o + E_LAST + 1],
        local: num[o + E_LAST + 2],
      });
    }
    return out;
  }
}
