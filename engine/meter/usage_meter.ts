/**
 * Bytes per device, direction, app and category, as 1-second rates, rolling
 * 10 s / 1 min / 5 min averages and totals since start; the link the same.
 *
 * @module
 */
import { Interner } from "./interner.ts";
import { type ReadContext, topDevices, usageOf } from "./_usage_readout.ts";
import { ClosedSecond } from "./closed_second.ts";
import { pendingMinute, takeMinute } from "./_usage_minute.ts";
import {
  E_ACTIVE,
  E_FLOAT,
  E_INT,
  E_LINK,
  E_OPEN,
  E_PACKETS,
  LINK_ROW,
  UsageState,
} from "./_usage_state.ts";
import { UsageWindows } from "./_usage_windows.ts";
import type { DeviceUsage, LinkUsage, MinuteUsage, UsageRanking } from "./usage_types.ts";

/** Direction of traffic relative to a LAN device. */
export const UsageDirection = {
  /** Device to outside. */
  UP: 0,
  /** Outside to device. */
  DOWN: 1,
  /** LAN to LAN, counted apart from the link. */
  LOCAL: 2,
} as const;

/** Options for {@linkcode UsageMeter}. */
export interface UsageMeterOptions {
  /** Names of the app ids passed to add(); default: a new interner, id 0 named "unknown". */
  apps?: Interner;
  /** Names of the category ids; default: a new interner, id 0 named "Other". */
  categories?: Interner;
}

const RANKINGS: readonly UsageRanking[] = ["rate", "total", "10s", "1m", "5m"];

/**
 * Meters bytes per device, direction, app and category, and the link's
 * (every device's UP and DOWN, LOCAL apart) by app and category too.
 * {@linkcode add} is the packet path: it allocates nothing, and grows typed
 * arrays as new devices and apps appear. {@linkcode tick} closes seconds of
 * packet time; it costs O(counters active in the seconds and 10-second
 * buckets entering and leaving the windows), nothing for devices idle
 * through them. Readouts are plain data.
 *
 * A second is closed when a tick reaches a later one; its bytes are then the
 * rate. The 10 s average is exact. The 1 min and 5 min ones are kept in
 * 10-second buckets: the oldest bucket counts for its share still inside the
 * window, as if its bytes were spread evenly, so they are exact for steady
 * traffic and otherwise off by at most part of one bucket. While the meter
 * is younger than a window, its average is over the seconds since the first
 * tick. Bytes added before the first tick belong to the first tick's second.
 *
 * Memory: about 290 bytes per counter (device, app and category seen), 200
 * per device, and 40 per record in the window logs, which hold 11 records
 * per counter active every second and 31 per counter active every bucket.
 * A device index is given to another device only after
 * {@linkcode forgetDevice}: the new device's figures then start from zero,
 * and it reuses the old one's counters (memory stays bounded by the devices
 * held at once).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const meter = new UsageMeter();
 * const youtube = meter.apps.id("youtube"), streaming = meter.categories.id("Streaming");
 * meter.tick(1000.2);
 * meter.add(0, UsageDirection.DOWN, youtube, streaming, 1500, 1);
 * meter.add(0, UsageDirection.UP, youtube, streaming, 100, 1);
 * meter.tick(1001.4);
 * const phone = meter.device(0);
 * assertEquals(phone.rate, { up: 100, down: 1500, local: 0 });
 * assertEquals(phone.windows["10s"].down, 1500); // only one second closed so far
 * assertEquals(phone.apps.map((a) => [a.app, a.category, a.total]), [["youtube", "Streaming", 1600]]);
 * assertEquals(meter.link().totals.down, 1500);
 * assertEquals(meter.top(3), [0]);
 * ```
 */
export class UsageMeter {
  readonly apps: Interner;
  readonly categories: Interner;
  /** The last closed second's bytes per device, read without allocating. */
  readonly closed: ClosedSecond;
  readonly #s: UsageState;
  readonly #windows: UsageWindows;
  #open = NaN;
  #first = NaN;

  constructor(options: UsageMeterOptions = {}) {
    this.apps = options.apps ?? new Interner("unknown");
    this.categories = options.categories ?? new Interner("Other");
    this.#s = new UsageState(this.apps, this.categories);
    this.#windows = new UsageWindows(this.#s);
    this.closed = new ClosedSecond(this.#s, this.apps, this.categories);
  }

  /** Device indexes seen so far run 0..devices - 1. */
  get devices(): number {
    return this.#s.rows - 1;
  }

  /** The second being filled (the last tick's, floored); NaN before the first tick. */
  get second(): number {
    return this.#open;
  }

  /**
   * Counts bytes and packets of a device. `countInLink` false leaves the link
   * out: for the second device of a LAN-to-LAN packet, so the link's LOCAL
   * figure counts the packet once. Allocation-free; a hash lookup unless the
   * same device, app and category came last: a caller that keeps the
   * {@linkcode counter} per flow can use {@linkcode addTo} and skip it.
   */
  add(
    device: number,
    direction: 0 | 1 | 2,
    app: number,
    category: number,
    bytes: number,
    packets: number,
    countInLink = true,
  ): void {
    checkCounts(direction, bytes, packets);
    this.#count(this.counter(device, app, category), direction, bytes, packets, countInLink);
  }

  /**
   * The counter of (device, app, category), created when new: a number that
   * stays valid for the meter's life, for {@linkcode addTo}.
   */
  counter(device: number, app: number, category: number): number {
    if ((device | 0) !== device || device < 0 || device === 0x7fffffff) {
      throw new RangeError(`device must be an index (integer >= 0), got ${device}`);
    }
    const s = this.#s, row = device + 1;
    if (row >= s.rows) s.ensureRow(row);
    return s.entry(row, app, category);
  }

  /** {@linkcode add}, to a counter from {@linkcode counter}. */
  addTo(
    counter: number,
    direction: 0 | 1 | 2,
    bytes: number,
    packets: number,
    countInLink = true,
  ): void {
    const s = this.#s;
    if (
      (counter >>> 0) !== counter || counter >= s.entries || s.eInt[counter * E_INT] === LINK_ROW
    ) {
      throw new RangeError(`not a counter: ${counter}`);
    }
    checkCounts(direction, bytes, packets);
    this.#count(counter, direction, bytes, packets, countInLink);
  }

  /**
   * Counts bytes and packets in the link alone, by app and category: for
   * bytes of a device that was forgotten while its flow stayed open, which
   * the link carried but no device held now may be given. Allocation-free.
   */
  addLink(
    direction: 0 | 1 | 2,
    app: number,
    category: number,
    bytes: number,
    packets: number,
  ): void {
    checkCounts(direction, bytes, packets);
    const s = this.#s, e = s.entry(LINK_ROW, app, category), ints = s.eInt;
    if (ints[e * E_INT + E_ACTIVE] === 0) s.activate(e);
    ints[e * E_INT + E_PACKETS + direction] += packets;
    s.eOpen[e * E_FLOAT + E_OPEN + direction] += bytes;
  }

  /**
   * Forgets device `index`, for another device to be given the index: its
   * figures (totals, rate, windows, apps, the open second's bytes) go to
   * zero, and the next device's start from there. The link keeps every byte
   * it counted. Returns the bytes the device had not yet handed out by
   * {@linkcode takeMinute} (the seconds closed since and the open second),
   * for the caller to report under the device's id, or null when none.
   * O(the device's counters); RangeError for a bad index.
   */
  forgetDevice(index: number): MinuteUsage | null {
    if (!Number.isInteger(index) || index < 0 || index >= 0x7fffffff) {
      throw new RangeError(`device must be an index (integer >= 0), got ${index}`);
    }
    const s = this.#s, row = index + 1;
    if (row >= s.rows) return null;
    const pending = pendingMinute(s, this.apps, this.categories, row);
    s.clearRow(row);
    return pending;
  }

  #count(e: number, direction: number, bytes: number, packets: number, countInLink: boolean): void {
    const s = this.#s, ints = s.eInt, open = s.eOpen;
    if (ints[e * E_INT + E_ACTIVE] === 0) s.activate(e);
    ints[e * E_INT + E_PACKETS + direction] += packets;
    open[e * E_FLOAT + E_OPEN + direction] += bytes;
    if (!countInLink) return;
    const link = ints[e * E_INT + E_LINK];
    if (ints[link * E_INT + E_ACTIVE] === 0) s.activate(link);
    ints[link * E_INT + E_PACKETS + direction] += packets;
    open[link * E_FLOAT + E_OPEN + direction] += bytes;
  }

  /**
   * Moves to the second of `time` (seconds, a float): closes the open second
   * when `time` is in a later one; the seconds skipped count as idle. The
   * first tick only starts the clock. RangeError when `time` goes back
   * before the open second, or is negative or not finite; TypeError when not
   * a number.
   */
  tick(time: number): void {
    if (typeof time !== "number") throw new TypeError(`tick() takes seconds, got ${typeof time}`);
    if (!(time >= 0) || time === Infinity) {
      throw new RangeError(`tick() takes finite seconds >= 0, got ${time}`);
    }
    const second = Math.floor(time), open = this.#open;
    if (open !== open) {
      this.#open = this.#first = second;
      return;
    }
    if (second <= open) {
      if (second === open) return;
      throw new RangeError(`tick(${time}) goes back before second ${open}`);
    }
    this.#windows.advance(open, second);
    this.#open = second;
  }

  /** A device's figures; zeros for an index never added. */
  device(index: number): DeviceUsage {
    if (!Number.isInteger(index) || index < 0) {
      throw new RangeError(`device must be an index (integer >= 0), got ${index}`);
    }
    return { device: index, ...usageOf(this.#context(), index + 1) };
  }

  /** The link's figures: every UP and DOWN add(), LOCAL apart. */
  link(): LinkUsage {
    return usageOf(this.#context(), LINK_ROW);
  }

  /**
   * Up to `n` device indexes with the most traffic (up + down + local) by
   * `by`, largest first, lowest index first among equals; devices at zero
   * are left out.
   */
  top(n: number, by: UsageRanking = "rate"): number[] {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be an integer >= 0, got ${n}`);
    const kind = RANKINGS.indexOf(by);
    if (kind < 0) throw new TypeError(`by must be one of ${RANKINGS.join(", ")}, got ${by}`);
    return topDevices(this.#context(), n, kind);
  }

  /**
   * Each device's bytes in the seconds closed since the previous call (or
   * the start), per app and category, for devices that had any; sorted by
   * device. Resets them. Call it just after the tick() that enters a new
   * minute: a take then covers that minute's whole seconds, and the open
   * second's bytes go to the next take.
   */
  takeMinute(): MinuteUsage[] {
    return takeMinute(this.#s, this.apps, this.categories);
  }

  #context(): ReadContext {
    const open = this.#open;
    return {
      state: this.#s,
      apps: this.apps,
      categories: this.categories,
      open,
      closedSeconds: open - this.#first,
    };
  }
}

function checkCounts(direction: number, bytes: number, packets: number): void {
  if (direction !== 0 && direction !== 1 && direction !== 2) {
    throw new RangeError(`direction must be 0 (up), 1 (down) or 2 (local), got ${direction}`);
  }
  if (!(bytes >= 0) || (packets | 0) !== packets || packets < 0) {
    throw new RangeError(
      `bytes must be >= 0 and packets an integer >= 0, got ${bytes} and ${packets}`,
    );
  }
}
