// The numbers behind UsageMeter, in typed arrays indexed by row and entry.
//
// A row is the link (row 0) or a device (row d + 1). An entry is one
// (row, app, category) triple, found through an open-addressed hash table;
// the entries of a row are chained. Every device entry keeps the index of
// the link entry for the same app and category, so counting a packet in the
// link costs no second lookup. add() touches only an entry's first 64 bytes
// (its key, marks and open-second counters); tick() folds those into the
// rest (stride E_NUM), where the row's figures have the same window layout.
import { growInt32 } from "./_grow.ts";
import type { Interner } from "./interner.ts";

/** The row of the link; device d is row d + 1. */
export const LINK_ROW = 0;
export const NONE = -1;

/**
 * What add() touches, 64 bytes per entry: E_INT 32-bit words, of which the
 * last six hold the open second's bytes as three float64s (E_OPEN in the
 * float view, E_FLOAT per entry).
 */
export const E_INT = 16, E_FLOAT = 8;
export const E_ROW = 0, E_APP = 1, E_CATEGORY = 2, E_LINK = 3;
/** 1 while the entry is in the open second's active list. */
export const E_ACTIVE = 4;
/** Packets in the open second, [up, down, local]. */
export const E_PACKETS = 5;
/** Marks: in the minute list (when equal to minuteEpoch), in the bucket list (1). */
export const E_MINUTE = 8, E_IN_BUCKET = 9;
/** Bytes in the open second, [up, down, local], in the float view. */
export const E_OPEN = 5;

/**
 * Window figures, at the same offsets in entries (eNum) and rows (rowNum),
 * each [up, down, local]: the last 10 closed seconds; the closed seconds of
 * the current 10-second bucket; the 5 buckets before it and the one before
 * those (the 1 min window); the 29 buckets before it and the one before.
 */
export const W_10S = 10, W_BUCKET = 13, W_SUM_1M = 16, W_OLD_1M = 19, W_SUM_5M = 22;
export const W_OLD_5M = 25;
/** Seconds per bucket, and buckets in the 1 min and 5 min windows. */
export const BUCKET = 10, BUCKETS_1M = 6, BUCKETS_5M = 30;

/** Entry numbers, E_NUM per entry: bytes of closed seconds since start, */
export const E_NUM = 28, E_TOTAL = 0;
/** of the second E_LAST_SECOND (the last the entry was active in), */
export const E_LAST = 3, E_LAST_SECOND = 6;
/** of seconds closed since the last takeMinute(); then the windows. */
export const E_MINUTE_BYTES = 7;

/** Row numbers, R_NUM per row: bytes and packets since start, last second, windows. */
export const R_NUM = 28, R_TOTAL = 0, R_PACKETS = 3, R_LAST = 6, R_LAST_SECOND = 9;

export class UsageState {
  /** Rows in use: the link and devices 0..rows - 2. */
  rows = 1;
  rowHead: Int32Array = new Int32Array(8).fill(NONE);
  rowNum: Float64Array = rowNumbers(new Float64Array(0), 8);
  /**
   * Per row: bumped when its device is forgotten and the row cleared for the
   * next device on its index. Window log records carry the generation they
   * were logged in, and are skipped once it has moved on: their bytes left
   * the row's and entries' figures when it was cleared.
   */
  rowGen: Int32Array = new Int32Array(8);
  /** Entries in use. */
  entries = 0;
  /** Int32 and float64 views of the same 64-byte-per-entry memory. */
  eInt: Int32Array = new Int32Array(64 * E_INT);
  eOpen: Float64Array = new Float64Array(this.eInt.buffer);
  eNum: Float64Array = entryNumbers(new Float64Array(0), 64);
  /** The next entry of the same row. */
  eNext: Int32Array = new Int32Array(64);
  /** Entries with bytes in the open second (marked 1 at E_ACTIVE). */
  active: Int32Array = new Int32Array(64);
  activeCount = 0;
  /** Device entries with bytes since the last takeMinute(), and their mark. */
  minute: Int32Array = new Int32Array(64);
  minuteCount = 0;
  minuteEpoch = 1;
  /** The last closed second (NaN before one), and the device rows with bytes in it. */
  closedSecond = NaN;
  closedRows: Int32Array = new Int32Array(8);
  closedRowCount = 0;
  /** Entries with bytes in the current 10-second bucket. */
  bucket: Int32Array = new Int32Array(64);
  bucketCount = 0;

  readonly #apps: Interner;
  readonly #categories: Interner;
  #buckets: Int32Array = new Int32Array(128).fill(NONE);
  #mask = 127;
  #cacheRow = -1;
  #cacheApp = -1;
  #cacheCategory = -1;
  #cacheEntry = NONE;

  /** App and category ids must be ones these interners gave. */
  constructor(apps: Interner, categories: Interner) {
    this.#apps = apps;
    this.#categories = categories;
  }

  /** The entry of (row, app, category), created when new. */
  entry(row: number, app: number, category: number): number {
    if (row === this.#cacheRow && app === this.#cacheApp && category === this.#cacheCategory) {
      return this.#cacheEntry;
    }
    const h = hash(row, app, category), buckets = this.#buckets, mask = this.#mask;
    const ints = this.eInt;
    let e: number;
    for (let b = h & mask;; b = (b + 1) & mask) {
      e = buckets[b];
      if (e === NONE) {
        e = this.#create(row, app, category);
        break;
      }
      const at = e * E_INT;
      if (ints[at] === row && ints[at + E_APP] === app && ints[at + E_CATEGORY] === category) break;
    }
    this.#cacheRow = row;
    this.#cacheApp = app;
    this.#cacheCategory = category;
    this.#cacheEntry = e;
    return e;
  }

  /** Puts an entry in the open second's active list. */
  activate(e: number): void {
    this.eInt[e * E_INT + E_ACTIVE] = 1;
    if (this.activeCount === this.active.length) {
      this.active = growInt32(this.active, this.activeCount + 1);
    }
    this.active[this.activeCount++] = e;
  }

  /** Puts an entry in the bucket list. */
  inBucket(e: number): void {
    this.eInt[e * E_INT + E_IN_BUCKET] = 1;
    if (this.bucketCount === this.bucket.length) {
      this.bucket = growInt32(this.bucket, this.bucketCount + 1);
    }
    this.bucket[this.bucketCount++] = e;
  }

  /** Puts an entry in the minute list. */
  touchMinute(e: number): void {
    this.eInt[e * E_INT + E_MINUTE] = this.minuteEpoch;
    if (this.minuteCount === this.minute.length) {
      this.minute = growInt32(this.minute, this.minuteCount + 1);
    }
    this.minute[this.minuteCount++] = e;
  }

  /** Lists a device row as having bytes in the second being closed. */
  closedRow(row: number): void {
    if (this.closedRowCount === this.closedRows.length) {
      this.closedRows = growInt32(this.closedRows, this.closedRowCount + 1);
    }
    this.closedRows[this.closedRowCount++] = row;
  }

  /** Makes room for rows up to `row`. */
  ensureRow(row: number): void {
    if (row < this.rows) return;
    if (row >= this.rowHead.length) {
      this.rowHead = growInt32(this.rowHead, row + 1, NONE);
      this.rowNum = rowNumbers(this.rowNum, this.rowHead.length);
      this.rowGen = growInt32(this.rowGen, this.rowHead.length);
    }
    this.rows = row + 1;
  }

  /**
   * Empties a device row for the next device on its index: its figures and
   * its entries' (the open second's too) go to zero, and its generation
   * moves on. The entries stay, chained and hashed, for the next device to
   * reuse, and stay in the lists they are in, where zeros are harmless.
   */
  clearRow(row: number): void {
    const num = this.eNum, ints = this.eInt, open = this.eOpen;
    for (let e = this.rowHead[row]; e !== NONE; e = this.eNext[e]) {
      num.fill(0, e * E_NUM, (e + 1) * E_NUM);
      num[e * E_NUM + E_LAST_SECOND] = NaN;
      const f = e * E_FLOAT + E_OPEN, p = e * E_INT + E_PACKETS;
      open[f] = open[f + 1] = open[f + 2] = 0;
      ints[p] = ints[p + 1] = ints[p + 2] = 0;
    }
    this.rowNum.fill(0, row * R_NUM, (row + 1) * R_NUM);
    this.rowNum[row * R_NUM + R_LAST_SECOND] = NaN;
    this.rowGen[row]++;
  }

  #create(row: number, app: number, category: number): number {
    if ((app | 0) !== app || app < 0 || app >= this.#apps.size) {
      throw new RangeError(`app must be an id the apps interner gave, got ${app}`);
    }
    if ((category | 0) !== category || category < 0 || category >= this.#categories.size) {
      throw new RangeError(`category must be an id the categories interner gave, got ${category}`);
    }
    // The link entry first: creating it may grow the table, so the bucket is found after.
    const link = row === LINK_ROW ? NONE : this.entry(LINK_ROW, app, category);
    if ((this.entries + 1) * 2 > this.#buckets.length) this.#grow();
    const e = this.entries++;
    if (e * E_INT >= this.eInt.length) {
      this.eInt = growInt32(this.eInt, (e + 1) * E_INT);
      this.eOpen = new Float64Array(this.eInt.buffer);
      this.eNum = entryNumbers(this.eNum, this.eInt.length / E_INT);
      this.eNext = growInt32(this.eNext, this.eInt.length / E_INT);
    }
    const at = e * E_INT, ints = this.eInt;
    ints[at] = row;
    ints[at + E_APP] = app;
    ints[at + E_CATEGORY] = category;
    ints[at + E_LINK] = link;
    this.eNext[e] = this.rowHead[row];
    this.rowHead[row] = e;
    this.#buckets[this.#freeBucket(hash(row, app, category))] = e;
    return e;
  }

  #freeBucket(h: number): number {
    const buckets = this.#buckets, mask = this.#mask;
    let b = h & mask;
    while (buckets[b] !== NONE) b = (b + 1) & mask;
    return b;
  }

  #grow(): void {
    const size = this.#buckets.length * 2, ints = this.eInt;
    this.#buckets = new Int32Array(size).fill(NONE);
    this.#mask = size - 1;
    for (let e = 0; e < this.entries; e++) {
      const at = e * E_INT;
      this.#buckets[this.#freeBucket(hash(ints[at], ints[at + E_APP], ints[at + E_CATEGORY]))] = e;
    }
  }
}

/** `old` copied into room for `count` strided records, the new ones' `nanAt` set to NaN. */
function numbers(old: Float64Array, count: number, stride: number, nanAt: number): Float64Array {
  const a = new Float64Array(count * stride);
  a.set(old);
  for (let at = old.length + nanAt; at < a.length; at += stride) a[at] = NaN;
  return a;
}

function entryNumbers(old: Float64Array, entries: number): Float64Array {
  return numbers(old, entries, E_NUM, E_LAST_SECOND);
}

function rowNumbers(old: Float64Array, rows: number): Float64Array {
  return numbers(old, rows, R_NUM, R_LAST_SECOND);
}

function hash(row: number, app: number, category: number): number {
  let h = Math.imul(row, 0x9e3779b1) ^ Math.imul(app + 1, 0x85ebca77) ^
    Math.imul(category + 1, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}
