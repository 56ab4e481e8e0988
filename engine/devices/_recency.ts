// Device slots in least recently seen order, as a doubly linked list over
// typed arrays: moving a slot to the front on each packet allocates nothing,
// and the slot to forget when the table is full is the tail.

const NONE = -1;

/** A copy of `a` resized to `size` elements: slot arrays grow with the table. */
export function grown<T extends Float64Array | Uint32Array | Int32Array | Uint8Array>(
  a: T,
  size: number,
): T {
  const out = new (a.constructor as new (n: number) => T)(size);
  out.set(a.subarray(0, Math.min(a.length, size)));
  return out;
}

export class Recency {
  #prev = new Int32Array(0);
  #next = new Int32Array(0);
  #head = NONE;
  #tail = NONE;

  /** The least recently seen slot, -1 when empty. */
  get oldest(): number {
    return this.#tail;
  }

  grow(size: number): void {
    const from = this.#prev.length;
    this.#prev = grown(this.#prev, size).fill(NONE, from);
    this.#next = grown(this.#next, size).fill(NONE, from);
  }

  /** Makes the slot (linked or new) the most recently seen. */
  touch(d: number): void {
    if (d === this.#head) return;
    this.remove(d);
    this.#prev[d] = NONE;
    this.#next[d] = this.#head;
    if (this.#head >= 0) this.#prev[this.#head] = d;
    this.#head = d;
    if (this.#tail < 0) this.#tail = d;
  }

  /** Unlinks the slot; a slot not linked (both neighbours -1, not the head) is left alone. */
  remove(d: number): void {
    const p = this.#prev[d], n = this.#next[d];
    if (p >= 0) this.#next[p] = n;
    else if (this.#head === d) this.#head = n;
    else if (n < 0) return; // not linked
    if (n >= 0) this.#prev[n] = p;
    else if (this.#tail === d) this.#tail = p;
    this.#prev[d] = this.#next[d] = NONE;
  }
}
