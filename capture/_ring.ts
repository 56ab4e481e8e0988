// A single-producer, single-consumer ring of packet records in a SharedArrayBuffer:
// the capture worker writes, the engine's thread reads in place (no copy per packet).
//
// Record: u32 seconds, u32 nanoseconds, u32 wire length, u32 captured length, then
// the bytes, padded to 16. A captured length of WRAP means "continue at offset 0".

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
  SIZE: 8,
} as const;

export const STATE_RUNNING = 0, STATE_STOP = 1, STATE_ENDED = 2;
export const RECORD_HEADER = 16;
export const WRAP = 0xffffffff;

/** Bytes a record of `capLen` captured bytes takes: a multiple of 16, so a wrap marker always fits. */
export function recordSize(capLen: number): number {
  return RECORD_HEADER + ((capLen + 15) & ~15);
}

/**
 * Where the producer can write a record of `size` bytes, or -1 when the ring
 * is full. Positions stay in [0, capacity); write === read means empty, so a
 * write never catches up with read. Writes the wrap marker when the record
 * must start over at 0.
 */
export function reserve(view: DataView, write: number, read: number, size: number): number {
  if (write < read) return write + size < read ? write : -1;
  const tail = view.byteLength - write;
  if (size < tail || (size === tail && read !== 0)) return write;
  if (size >= read) return -1;
  view.setUint32(write + 12, WRAP, true);
  return 0;
}

/** The position after a record that starts at `at` and takes `size` bytes. */
export function advance(view: DataView, at: number, size: number): number {
  const next = at + size;
  return next === view.byteLength ? 0 : next;
}
