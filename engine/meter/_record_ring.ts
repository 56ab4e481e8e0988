// A circular log of (entry, generation, up, down, local) records in numbered
// slots (a second or a bucket each), written in slot order and freed oldest
// first. The generation is the entry's row's when the record was logged.

/** Numbers per record: entry, row generation, up, down, local. */
export const RECORD = 5;

export class RecordRing {
  /** The records; re-read after open(), which may replace it. */
  records: Float64Array = new Float64Array(1024 * RECORD);
  readonly #slots: number;
  /** Per slot (id % slots): the id it holds (NaN when none), its first record and count. */
  readonly #slotId: Float64Array;
  readonly #slotStart: Int32Array;
  readonly #slotCount: Int32Array;
  #head = 0;
  #count = 0;

  /** `slots` must exceed the number of slots live at once. */
  constructor(slots: number) {
    this.#slots = slots;
    this.#slotId = new Float64Array(slots).fill(NaN);
    this.#slotStart = new Int32Array(slots);
    this.#slotCount = new Int32Array(slots);
  }

  /** Records held, in all slots. */
  get count(): number {
    return this.#count;
  }

  /** Capacity, in records: indexes wrap at it. */
  get size(): number {
    return this.records.length / RECORD;
  }

  /** Starts slot `id`, with room for `n` records to be pushed. */
  open(id: number, n: number): void {
    if (this.#count + n > this.size) this.#grow(this.#count + n);
    const slot = id % this.#slots;
    this.#slotId[slot] = id;
    this.#slotStart[slot] = this.#head;
    this.#slotCount[slot] = 0;
  }

  /** Appends a record to the slot last opened, `id`. */
  push(id: number, entry: number, gen: number, up: number, down: number, local: number): void {
    const r = this.records, at = this.#head * RECORD;
    r[at] = entry, r[at + 1] = gen, r[at + 2] = up, r[at + 3] = down, r[at + 4] = local;
    if (++this.#head === this.size) this.#head = 0;
    this.#count++;
    this.#slotCount[id % this.#slots]++;
  }

  /** The index of slot `id`'s first record, -1 when it holds none. */
  first(id: number): number {
    const slot = id % this.#slots;
    return id >= 0 && this.#slotId[slot] === id ? this.#slotStart[slot] : -1;
  }

  /** How many records slot `id` holds. */
  countOf(id: number): number {
    const slot = id % this.#slots;
    return id >= 0 && this.#slotId[slot] === id ? this.#slotCount[slot] : 0;
  }

  /** Frees slot `id`, which must be the oldest live one. */
  drop(id: number): void {
    const slot = id % this.#slots;
    if (id < 0 || this.#slotId[slot] !== id) return;
    this.#count -= this.#slotCount[slot];
    this.#slotId[slot] = NaN;
  }

  #grow(min: number): void {
    const old = this.records, oldSize = this.size;
    let size = oldSize * 2;
    while (size < min) size *= 2;
    const tail = (this.#head - this.#count + oldSize) % oldSize;
    const records = new Float64Array(size * RECORD);
    // Unwrap: the live records from the tail, in order, to the start.
    const first = Math.min(this.#count, oldSize - tail);
    records.set(old.subarray(tail * RECORD, (tail + first) * RECORD));
    records.set(old.subarray(0, (this.#count - first) * RECORD), first * RECORD);
    for (let slot = 0; slot < this.#slots; slot++) {
      if (this.#slotId[slot] === this.#slotId[slot]) {
        this.#slotStart[slot] = (this.#slotStart[slot] - tail + oldSize) % oldSize;
      }
    }
    this.records = records;
    this.#head = this.#count;
  }
}
