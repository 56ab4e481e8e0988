// Monitor's memory of devices the device table forgot (to make room) during
// the minute: their bytes of the minute, by id, until the minute is handed
// out, so no byte is lost or reported under the device now on the index.
//
// A forgotten device's flows may still be open, and their later bytes are
// still its own. Each (index, generation) forgotten with open flows gets a
// "ghost" holding its id and how many flow sides still point at it; a flow
// side finds its ghost once, when it is next metered, and releases it when
// the flow ends. So ghosts are bounded by open flows, and forgetting costs
// nothing per flow: no flow is visited.
import { addMinute, addTo, emptyMinute } from "./_usage_minute.ts";
import { growInt32 } from "./_grow.ts";
import type { MinuteUsage } from "./usage_types.ts";

const NONE = -1;

export class ForgottenDevices {
  /** Per ghost: the device's index and generation, its id, its open flow sides, the next ghost. */
  #index = new Int32Array(8);
  #gen = new Int32Array(8);
  #flows = new Int32Array(8);
  #next = new Int32Array(8);
  #ids: string[] = [];
  #used = 0;
  #free = NONE;
  #live = 0;
  /** Device index to its first ghost (most indexes have none). */
  readonly #heads = new Map<number, number>();
  readonly #minute = new Map<string, MinuteUsage>();

  /** Ghosts held: forgotten devices with flows still open. */
  get ghosts(): number {
    return this.#live;
  }

  /** Device `index` of `generation`, `id`, forgotten with `flows` flow sides open. */
  add(index: number, generation: number, id: string, flows: number): void {
    let g = this.#free;
    if (g !== NONE) this.#free = this.#next[g];
    else {
      g = this.#used++;
      if (g >= this.#index.length) {
        this.#index = growInt32(this.#index, g + 1);
        this.#gen = growInt32(this.#gen, g + 1);
        this.#flows = growInt32(this.#flows, g + 1);
        this.#next = growInt32(this.#next, g + 1);
      }
    }
    this.#index[g] = index;
    this.#gen[g] = generation;
    this.#flows[g] = flows;
    this.#ids[g] = id;
    this.#next[g] = this.#heads.get(index) ?? NONE;
    this.#heads.set(index, g);
    this.#live++;
  }

  /** The ghost of device `index` of `generation`, or -1. */
  find(index: number, generation: number): number {
    let g = this.#heads.get(index) ?? NONE;
    while (g !== NONE && this.#gen[g] !== (generation | 0)) g = this.#next[g];
    return g;
  }

  /** The forgotten device's id. */
  id(ghost: number): string {
    return this.#ids[ghost];
  }

  /** One of the ghost's flow sides ended: the last one frees it. */
  release(ghost: number): void {
    if (--this.#flows[ghost] > 0) return;
    const index = this.#index[ghost], next = this.#next[ghost];
    let g = this.#heads.get(index) ?? NONE;
    if (g === ghost) {
      if (next === NONE) this.#heads.delete(index);
      else this.#heads.set(index, next);
    } else {
      while (this.#next[g] !== ghost) g = this.#next[g];
      this.#next[g] = next;
    }
    this.#ids[ghost] = "";
    this.#next[ghost] = this.#free;
    this.#free = ghost;
    this.#live--;
  }

  /** Adds bytes of a forgotten device's flow, in `direction` (0 up, 1 down, 2 local). */
  count(ghost: number, direction: number, app: string, category: string, bytes: number): void {
    addTo(
      this.#of(this.#ids[ghost]),
      app,
      category,
      direction === 0 ? bytes : 0,
      direction === 1 ? bytes : 0,
      direction === 2 ? bytes : 0,
    );
  }

  /** Adds a forgotten device's bytes not yet reported (from UsageMeter.forgetDevice()). */
  addMinute(id: string, usage: MinuteUsage): void {
    addMinute(this.#of(id), usage);
  }

  /**
   * Merges the minute's forgotten devices' bytes into `usage` (each entry's
   * `id` set): into the entry of the same id when the device is back, else
   * as entries of device -1, by id. Resets them.
   */
  takeMinute(usage: MinuteUsage[]): void {
    if (this.#minute.size === 0) return;
    const byId = new Map(usage.map((u) => [u.id, u]));
    for (const [id, m] of [...this.#minute].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) {
      const live = byId.get(id);
      if (live) addMinute(live, m);
      else usage.push(m);
    }
    this.#minute.clear();
  }

  #of(id: string): MinuteUsage {
    let m = this.#minute.get(id);
    if (!m) this.#minute.set(id, m = emptyMinute(-1, id));
    return m;
  }
}
