// An open-addressing hash map from a small numeric key (a tag and four 32-bit
// words: a MAC, an IPv4 or an IPv6 address) to a non-negative integer, held in
// typed arrays so that a lookup allocates nothing. A JS Map would need a
// string for IPv6, and boxes a 48-bit MAC that does not fit a small integer.

const EMPTY = 0;

/** Tag and words of a key; tag 0 is reserved for empty slots. */
export class KeyMap {
  #tags: Uint8Array;
  #words: Int32Array;
  #hashes: Int32Array;
  #values: Int32Array;
  #mask: number;
  #size = 0;

  constructor(initialCapacity = 64) {
    const capacity = 2 ** Math.ceil(Math.log2(Math.max(8, initialCapacity)));
    this.#tags = new Uint8Array(capacity);
    this.#words = new Int32Array(capacity * 4);
    this.#hashes = new Int32Array(capacity);
    this.#values = new Int32Array(capacity);
    this.#mask = capacity - 1;
  }

  /** Keys held now. */
  get size(): number {
    return this.#size;
  }

  /** The value under the key, or -1. The per-packet path: the probe is written out here. */
  get(tag: number, a: number, b: number, c: number, d: number): number {
    a |= 0, b |= 0, c |= 0, d |= 0;
    const tags = this.#tags, words = this.#words, mask = this.#mask;
    let h = Math.imul(tag ^ 0x2c1b3c6d, 0x9e3779b1); // hash(), inlined by hand
    h = Math.imul(h ^ a, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 15) ^ b, 0xc2b2ae35);
    h = Math.imul(h ^ (h >>> 13) ^ c, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 16) ^ d, 0xc2b2ae35);
    for (let slot = (h ^ (h >>> 16)) & mask;; slot = (slot + 1) & mask) {
      const t = tags[slot];
      if (t === EMPTY) return -1;
      const w = slot * 4;
      if (
        t === tag && words[w] === a && words[w + 1] === b && words[w + 2] === c &&
        words[w + 3] === d
      ) return this.#values[slot];
    }
  }

  /** Puts or replaces the value under the key. */
  set(tag: number, a: number, b: number, c: number, d: number, value: number): void {
    a |= 0, b |= 0, c |= 0, d |= 0;
    const h = hash(tag, a, b, c, d), found = this.#find(tag, a, b, c, d, h);
    if (found >= 0) {
      this.#values[found] = value;
      return;
    }
    if ((this.#size + 1) * 2 > this.#mask + 1) this.#grow();
    let slot = h & this.#mask;
    while (this.#tags[slot] !== EMPTY) slot = (slot + 1) & this.#mask;
    this.#tags[slot] = tag;
    const w = slot * 4, words = this.#words;
    words[w] = a, words[w + 1] = b, words[w + 2] = c, words[w + 3] = d;
    this.#hashes[slot] = h;
    this.#values[slot] = value;
    this.#size++;
  }

  /** Removes the key if held; removes it only while it maps to `value`, when given. */
  delete(tag: number, a: number, b: number, c: number, d: number, value = -1): void {
    let slot = this.#find(tag, a | 0, b | 0, c | 0, d | 0, hash(tag, a, b, c, d));
    if (slot < 0 || (value >= 0 && this.#values[slot] !== value)) return;
    // Backward-shift deletion: pull later entries of the probe run into the hole.
    const mask = this.#mask;
    for (let next = (slot + 1) & mask; this.#tags[next] !== EMPTY; next = (next + 1) & mask) {
      const home = this.#hashes[next] & mask;
      const movable = slot <= next ? home <= slot || home > next : home <= slot && home > next;
      if (!movable) continue;
      this.#tags[slot] = this.#tags[next];
      this.#words.copyWithin(slot * 4, next * 4, next * 4 + 4);
      this.#hashes[slot] = this.#hashes[next];
      this.#values[slot] = this.#values[next];
      slot = next;
    }
    this.#tags[slot] = EMPTY;
    this.#size--;
  }

  #find(tag: number, a: number, b: number, c: number, d: number, h: number): number {
    const tags = this.#tags, words = this.#words, mask = this.#mask;
    for (let slot = h & mask;; slot = (slot + 1) & mask) {
      const t = tags[slot];
      if (t === EMPTY) return -1;
      const w = slot * 4;
      if (
        t === tag && words[w] === a && words[w + 1] === b && words[w + 2] === c &&
        words[w + 3] === d
      ) return slot;
    }
  }

  #grow(): void {
    const tags = this.#tags, words = this.#words, hashes = this.#hashes, values = this.#values;
    const capacity = tags.length * 2;
    this.#tags = new Uint8Array(capacity);
    this.#words = new Int32Array(capacity * 4);
    this.#hashes = new Int32Array(capacity);
    this.#values = new Int32Array(capacity);
    this.#mask = capacity - 1;
    for (let old = 0; old < tags.length; old++) {
      if (tags[old] === EMPTY) continue;
      let slot = hashes[old] & this.#mask;
      while (this.#tags[slot] !== EMPTY) slot = (slot + 1) & this.#mask;
      this.#tags[slot] = tags[old];
      this.#words.set(words.subarray(old * 4, old * 4 + 4), slot * 4);
      this.#hashes[slot] = hashes[old];
      this.#values[slot] = values[old];
    }
  }
}

/** Mixes the key's words (murmur3-style finalising steps). */
function hash(tag: number, a: number, b: number, c: number, d: number): number {
  let h = Math.imul(tag ^ 0x2c1b3c6d, 0x9e3779b1);
  h = Math.imul(h ^ a, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15) ^ b, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 13) ^ c, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 16) ^ d, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
