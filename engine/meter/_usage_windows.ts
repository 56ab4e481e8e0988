// Closing seconds and 10-second buckets: UsageMeter's rolling windows.
//
// Closing a second folds each active entry's open bytes into its totals,
// last second, minute and windows, and its row's, and logs them, one record
// per entry, for the 10 s window. Closing a bucket logs each entry's bucket
// bytes once for the 1 min and 5 min windows. A second or a bucket leaving a
// window is read back from its log and subtracted. So a tick costs
// O(entries active in the seconds and buckets entering and leaving the
// windows); rows idle through a window cost nothing, and the logs hold 11
// records per entry active every second, plus 31 per entry active every
// bucket. Bytes are whole numbers, so the sums return to exactly zero.
// A row cleared for a new device (UsageState.clearRow) skips the records
// logged before: they carry its old generation.
import {
  BUCKET,
  BUCKETS_1M,
  BUCKETS_5M,
  E_ACTIVE,
  E_FLOAT,
  E_IN_BUCKET,
  E_INT,
  E_LAST,
  E_LAST_SECOND,
  E_MINUTE,
  E_MINUTE_BYTES,
  E_NUM,
  E_OPEN,
  E_PACKETS,
  E_TOTAL,
  LINK_ROW,
  R_LAST,
  R_LAST_SECOND,
  R_NUM,
  R_PACKETS,
  R_TOTAL,
  type UsageState,
  W_10S,
  W_BUCKET,
  W_OLD_1M,
  W_OLD_5M,
  W_SUM_1M,
  W_SUM_5M,
} from "./_usage_state.ts";
import { RECORD, RecordRing } from "./_record_ring.ts";

const SECONDS_10S = 10;

export class UsageWindows {
  readonly #s: UsageState;
  readonly #seconds = new RecordRing(SECONDS_10S + 1);
  readonly #buckets = new RecordRing(BUCKETS_5M + 1);

  constructor(state: UsageState) {
    this.#s = state;
  }

  /** Records held by both logs. */
  get records(): number {
    return this.#seconds.count + this.#buckets.count;
  }

  /** Closes second `open` and moves to second `next` (later); the seconds between are idle. */
  advance(open: number, next: number): void {
    this.#closeSecond(open);
    const lastSecond = Math.min(next - 1, open + SECONDS_10S);
    for (let second = open; second <= lastSecond; second++) this.#expireSecond(second);
    const bucket = Math.floor(open / BUCKET), nextBucket = Math.floor(next / BUCKET);
    if (nextBucket === bucket) return;
    this.#closeBucket(bucket);
    const lastBucket = Math.min(nextBucket - 1, bucket + BUCKETS_5M);
    for (let b = bucket; b <= lastBucket; b++) this.#shiftBuckets(b);
  }

  #closeSecond(second: number): void {
    const s = this.#s, n = s.activeCount, active = s.active, log = this.#seconds;
    log.open(second, n);
    s.closedSecond = second;
    s.closedRowCount = 0;
    const ints = s.eInt, open = s.eOpen, minuteEpoch = s.minuteEpoch, rowGen = s.rowGen;
    for (let i = 0; i < n; i++) {
      const e = active[i], f = e * E_FLOAT + E_OPEN, p = e * E_INT + E_PACKETS;
      const up = open[f], down = open[f + 1], local = open[f + 2];
      const row = ints[e * E_INT];
      const num = s.eNum, o = e * E_NUM, rows = s.rowNum, r = row * R_NUM;
      add3(rows, r + R_PACKETS, ints[p], ints[p + 1], ints[p + 2]);
      open[f] = open[f + 1] = open[f + 2] = 0;
      ints[p] = ints[p + 1] = ints[p + 2] = 0;
      ints[e * E_INT + E_ACTIVE] = 0;
      add3(num, o + E_TOTAL, up, down, local);
      num[o + E_LAST] = up, num[o + E_LAST + 1] = down, num[o + E_LAST + 2] = local;
      num[o + E_LAST_SECOND] = second;
      add3(num, o + E_MINUTE_BYTES, up, down, local);
      add3(num, o + W_10S, up, down, local);
      add3(num, o + W_BUCKET, up, down, local);
      add3(rows, r + R_TOTAL, up, down, local);
      if (rows[r + R_LAST_SECOND] !== second) {
        rows[r + R_LAST_SECOND] = second;
        rows[r + R_LAST] = rows[r + R_LAST + 1] = rows[r + R_LAST + 2] = 0;
        if (row !== LINK_ROW) s.closedRow(row);
      }
      add3(rows, r + R_LAST, up, down, local);
      add3(rows, r + W_10S, up, down, local);
      add3(rows, r + W_BUCKET, up, down, local);
      if (row !== LINK_ROW && ints[e * E_INT + E_MINUTE] !== minuteEpoch) s.touchMinute(e);
      if (ints[e * E_INT + E_IN_BUCKET] === 0) s.inBucket(e);
      log.push(second, e, rowGen[row], up, down, local);
    }
    s.activeCount = 0;
  }

  /** After `second` closed, the 10 s window drops the second 10 before it. */
  #expireSecond(second: number): void {
    const old = second - SECONDS_10S;
    this.#move(this.#seconds, old, W_10S, -1);
    this.#seconds.drop(old);
  }

  #closeBucket(bucket: number): void {
    const s = this.#s, n = s.bucketCount, list = s.bucket, log = this.#buckets;
    log.open(bucket, n);
    const ints = s.eInt, num = s.eNum, rows = s.rowNum, rowGen = s.rowGen;
    for (let i = 0; i < n; i++) {
      const e = list[i], o = e * E_NUM + W_BUCKET, row = ints[e * E_INT], r = row * R_NUM;
      const up = num[o], down = num[o + 1], local = num[o + 2];
      num[o] = num[o + 1] = num[o + 2] = 0;
      rows[r + W_BUCKET] = rows[r + W_BUCKET + 1] = rows[r + W_BUCKET + 2] = 0;
      ints[e * E_INT + E_IN_BUCKET] = 0;
      add3(num, e * E_NUM + W_SUM_1M, up, down, local);
      add3(num, e * E_NUM + W_SUM_5M, up, down, local);
      add3(rows, r + W_SUM_1M, up, down, local);
      add3(rows, r + W_SUM_5M, up, down, local);
      log.push(bucket, e, rowGen[row], up, down, local);
    }
    s.bucketCount = 0;
  }

  /**
   * After `bucket` closed (or passed idle), each long window's sum keeps its
   * last buckets but one, and the bucket before them becomes its "old" one.
   */
  #shiftBuckets(bucket: number): void {
    const log = this.#buckets;
    this.#move(log, bucket - BUCKETS_1M, W_OLD_1M, -1);
    this.#move(log, bucket - BUCKETS_1M + 1, W_SUM_1M, -1);
    this.#move(log, bucket - BUCKETS_1M + 1, W_OLD_1M, 1);
    this.#move(log, bucket - BUCKETS_5M, W_OLD_5M, -1);
    this.#move(log, bucket - BUCKETS_5M + 1, W_SUM_5M, -1);
    this.#move(log, bucket - BUCKETS_5M + 1, W_OLD_5M, 1);
    log.drop(bucket - BUCKETS_5M);
  }

  /**
   * Adds (sign 1) or subtracts (-1) the records of slot `id` at `field` of
   * their entries and rows; records from before their row was cleared are
   * skipped, as their bytes left its figures then.
   */
  #move(log: RecordRing, id: number, field: number, sign: number): void {
    let at = log.first(id);
    if (at < 0) return;
    const n = log.countOf(id), records = log.records, size = log.size;
    const s = this.#s, num = s.eNum, rows = s.rowNum, ints = s.eInt, rowGen = s.rowGen;
    for (let i = 0; i < n; i++) {
      const o = at * RECORD, e = records[o], row = ints[e * E_INT];
      if (records[o + 1] === rowGen[row]) {
        const up = sign * records[o + 2], down = sign * records[o + 3];
        const local = sign * records[o + 4];
        add3(num, e * E_NUM + field, up, down, local);
        add3(rows, row * R_NUM + field, up, down, local);
      }
      if (++at === size) at = 0;
    }
  }
}

function add3(a: Float64Array, at: number, up: number, down: number, local: number): void {
  a[at] += up, a[at + 1] += down, a[at + 2] += local;
}
