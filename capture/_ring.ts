// A single-producer, single-consumer ring of packet records in a SharedArrayBuffer:
// the capture worker writes, the engine's thread reads in place (no copy per packet).
//
// Record: u32 seconds, u32 nanoseconds, u32 captured length, u32 wire length, then the
// bytes, unpadded: pcap's own record header, so libpcap's pcap_dump writes records
// straight into the ring (see _dispatch_loop.ts). A captured length of WRAP, or fewer
// than RECORD_HEADER bytes left before the end, means "continue at offset 0". The
// ring's last byte is never part of a record (fmemopen may write a NUL there).

/** Indexes into the control Int32Array. */
export const Ctl = {
  WRITE: 0,
  READ: 1,
  /** 0 running, 1 stop requested, 2 ended (worker closed the handle). */
  STATE: 2,
  OWN_DROPS: 3,
  KERNEL_DROPS: 4,
  IF_DROPS: 5,
  RECEIVED: 6,
  /** 1 while the reader waits for WRITE to move: the writer then notifies. */
  WAITING: 7,
  /** Packets written into the ring so far (delivered or not yet read). */
  CAPTURED: 8,
  SIZE: 9,
} as const;

export const STATE_RUNNING = 0, STATE_STOP = 1, STATE_ENDED = 2;
export const RECORD_HEADER = 16;
export const WRAP = 0xffffffff;
/** Offsets in a record header. */
export const CAPLEN = 8, WIRELEN = 12;

/** Where the record after the one at `at` (of `capLen` bytes) starts, wrapped to 0 at the end. */
export function nextRecord(view: DataView, at: number): number {
  const next = at + RECORD_HEADER + view.getUint32(at + CAPLEN, true);
  return atRecord(view, next);
}

/** `at`, or 0 when a record cannot start there (the end is too near, or a wrap marker). */
export function atRecord(view: DataView, at: number): number {
  if (view.byteLength - at < RECORD_HEADER) return 0;
  return view.getUint32(at + CAPLEN, true) === WRAP ? 0 : at;
}

/**
 * The producer's side. Positions stay in [0, capacity - 1); write === read means
 * empty, so a write never catches up with read.
 */
export class RingWriter {
  /** Where the next record goes; published to the reader by {@linkcode publish}. */
  write: number;
  /** The reader's position as last seen: looked up again only when the ring seems full. */
  #read: number;

  constructor(readonly ctl: Int32Array, readonly view: DataView) {
    this.write = Atomics.load(ctl, Ctl.WRITE);
    this.#read = Atomics.load(ctl, Ctl.READ);
  }

  /**
   * Contiguous bytes free from {@linkcode write} (after wrapping to 0 when the end
   * is nearer than `need`), at least `need`; 0 when the ring is too full for that.
   */
  room(need: number): number {
    // At most: wrap, look with the read position known, look with a fresh one.
    for (let look = 0; look < 3; look++) {
      const write = this.write, read = this.#read;
      if (write >= read) {
        const tail = this.view.byteLength - 1 - write;
        if (tail >= need) return tail;
        if (read > 0) {
          // Wrap: mark the rest of the ring as skipped, then go on at 0.
          if (this.view.byteLength - write >= RECORD_HEADER) {
            this.view.setUint32(write + CAPLEN, WRAP, true);
          }
          this.write = 0;
          this.publish();
          continue;
        }
      } else if (read - 1 - write >= need) {
        return read - 1 - write;
      }
      this.#read = Atomics.load(this.ctl, Ctl.READ);
    }
    return 0;
  }

  /** Makes everything written up to {@linkcode write} readable, waking a waiting reader. */
  publish(): void {
    const ctl = this.ctl;
    Atomics.store(ctl, Ctl.WRITE, this.write);
    if (Atomics.load(ctl, Ctl.WAITING) === 1) {
      Atomics.store(ctl, Ctl.WAITING, 0);
      Atomics.notify(ctl, Ctl.WRITE);
    }
  }
}
