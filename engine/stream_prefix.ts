/**
 * Collects the first bytes of one direction of a TCP stream from segments
 * that may arrive out of order, repeat or overlap, so a dissector can read a
 * message split across segments (a post-quantum TLS ClientHello, say).
 * Bounded: bytes past `limit` are ignored.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const prefix = new StreamPrefix(1024);
 * prefix.start(1000);
 * prefix.add(1003, Uint8Array.of(4, 5)); // arrives first, out of order
 * prefix.add(1000, Uint8Array.of(1, 2, 3));
 * assertEquals([...prefix.bytes()], [1, 2, 3, 4, 5]);
 * ```
 */
const EMPTY = new Uint8Array(0);

export class StreamPrefix {
  #base: number | undefined;
  #data: Uint8Array;
  #filled = 0;
  /** Out-of-order segments waiting for the gap before them: stream offset to bytes. */
  #pending = new Map<number, Uint8Array>();
  #pendingBytes = 0;

  constructor(readonly limit = 16 * 1024) {
    this.#data = EMPTY; // most streams never get a byte: allocate on the first
  }

  /** Sets the stream's first sequence number (the SYN's sequence number plus one). */
  start(sequence: number): void {
    if (this.#base === undefined) this.#base = sequence >>> 0;
  }

  /**
   * Adds a segment's payload at its sequence number. Without a SYN, the
   * first segment seen starts the stream. Returns whether the contiguous
   * prefix grew.
   */
  add(sequence: number, payload: Uint8Array): boolean {
    if (payload.length === 0) return false;
    if (this.#base === undefined) this.#base = sequence >>> 0;
    // Offsets are modulo 2^32 from the base; "negative" ones are retransmissions from before it.
    let offset = ((sequence >>> 0) - this.#base) >>> 0;
    if (offset >= 0x8000_0000) return false;
    if (offset >= this.limit) return false;
    let bytes = payload.subarray(0, this.limit - offset);
    if (offset < this.#filled) { // overlaps what we have: keep only the new tail
      bytes = bytes.subarray(this.#filled - offset);
      offset = this.#filled;
      if (bytes.length === 0) return false;
    }
    if (offset > this.#filled) {
      if (!this.#pending.has(offset) && this.#pendingBytes + bytes.length <= this.limit) {
        this.#pending.set(offset, bytes.slice());
        this.#pendingBytes += bytes.length;
      }
      return false;
    }
    this.#append(bytes);
    // Drain pending segments that now touch or overlap the prefix.
    for (let moved = true; moved;) {
      moved = false;
      for (const [at, chunk] of this.#pending) {
        if (at > this.#filled) continue;
        this.#pending.delete(at);
        this.#pendingBytes -= chunk.length;
        if (at + chunk.length > this.#filled) this.#append(chunk.subarray(this.#filled - at));
        moved = true;
      }
    }
    return true;
  }

  /** The contiguous bytes from the start of the stream. */
  bytes(): Uint8Array {
    return this.#data.subarray(0, this.#filled);
  }

  /** Whether the prefix reached its limit. */
  get full(): boolean {
    return this.#filled >= this.limit;
  }

  #append(bytes: Uint8Array): void {
    const need = Math.min(this.limit, this.#filled + bytes.length);
    if (need > this.#data.length) {
      const grown = new Uint8Array(
        Math.min(this.limit, Math.max(need, 1024, this.#data.length * 2)),
      );
      grown.set(this.#data.subarray(0, this.#filled));
      this.#data = grown;
    }
    const take = need - this.#filled;
    this.#data.set(bytes.subarray(0, take), this.#filled);
    this.#filled = need;
  }
}
