// A set of device indexes with constant-time add and delete, walked by
// position: AutoPriority's devices still settling, for its tick.

import { grown } from "./_rate_window.ts";

export class IndexSet {
  #items = new Int32Array(0);
  /** Per index, its position in #items; -1 when absent. */
  #place = new Int32Array(0);
  #size = 0;

  /** Members. */
  get size(): number {
    return this.#size;
  }

  /** The member at position `k` (below size); delete() moves the last one there. */
  at(k: number): number {
    return this.#items[k];
  }

  has(index: number): boolean {
    return this.#place[index] >= 0;
  }

  /** Makes room for indexes below `n`. */
  grow(n: number): void {
    this.#place = grown(this.#place, n, -1);
    this.#items = grown(this.#items, n);
  }

  /** Adds `index` (below the room made), if absent. */
  add(index: number): void {
    if (this.#place[index] >= 0) return;
    this.#place[index] = this.#size;
    this.#items[this.#size++] = index;
  }

  /** Deletes `index`, if present: the last member takes its position. */
  delete(index: number): void {
    const place = this.#place[index];
    if (!(place >= 0)) return;
    const last = this.#items[--this.#size];
    this.#items[place] = last;
    this.#place[last] = place;
    this.#place[index] = -1;
  }
}
