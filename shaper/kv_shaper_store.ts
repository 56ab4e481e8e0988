/**
 * The shaper's applied state in Deno KV: each applied object (with the
 * commands that remove it) under `["shaper", name, "object", n]` in apply
 * order, device slots in chunks of 500 under `["shaper", name, "slots", i]`,
 * and the counts under `["shaper", name, "meta"]`. Entries this small stay
 * far under KV's 64 KiB value limit, thousands of devices too.
 *
 * @module
 */
import type { ShaperState, ShaperStore } from "./shaper.ts";
import type { AppliedObject } from "./shaper_types.ts";

interface Meta {
  count: number;
  /** Chunks of slots; absent in a store written before slots were chunked. */
  slotChunks?: number;
  /** The slots themselves, in a store written before they were chunked. */
  slots?: Record<string, number>;
}

const SLOTS_PER_CHUNK = 500;

/** Mutations per commit: far under KV's limits for objects of a few hundred bytes. */
const BATCH = 200;

/**
 * A {@linkcode ShaperStore} in KV; `name` tells apart shapers of several
 * interfaces.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const kv = await Deno.openKv(":memory:");
 * const store = new KvShaperStore(kv, "eth1");
 * assertEquals(await store.load(), null);
 * await store.save({ objects: [], slots: { "mac:02:00:00:00:00:07": 1 } });
 * assertEquals((await store.load())?.slots, { "mac:02:00:00:00:00:07": 1 });
 * kv.close();
 * ```
 */
export class KvShaperStore implements ShaperStore {
  readonly #kv: Deno.Kv;
  readonly #name: string;
  /** The objects as last saved or loaded; null before either (then the store is listed). */
  #saved: string[] | null = null;
  /** Slot chunks stored, as last loaded or saved. */
  #slotChunks = 0;

  constructor(kv: Deno.Kv, name: string) {
    if (typeof name !== "string" || name === "" || name.length > 64) {
      throw new TypeError(`name must be a string of 1 to 64 characters, got ${name}`);
    }
    this.#kv = kv;
    this.#name = name;
  }

  async load(): Promise<ShaperState | null> {
    const meta = (await this.#kv.get<Meta>(["shaper", this.#name, "meta"])).value;
    if (!meta) return null;
    const objects: AppliedObject[] = [];
    const prefix = ["shaper", this.#name, "object"];
    for await (const { key, value } of this.#kv.list<AppliedObject>({ prefix })) {
      const n = key[3] as number;
      if (n < meta.count) objects[n] = value;
    }
    if (objects.length !== meta.count || objects.includes(undefined as never)) {
      throw new Error(`shaper state of ${this.#name} is incomplete: run "sluice shaper reset"`);
    }
    const slots: Record<string, number> = { ...meta.slots };
    for (let i = 0; i < (meta.slotChunks ?? 0); i++) {
      const chunk = (await this.#kv.get<[string, number][]>(["shaper", this.#name, "slots", i]))
        .value;
      if (!chunk) {
        throw new Error(`shaper state of ${this.#name} is incomplete: run "sluice shaper reset"`);
      }
      for (const [id, slot] of chunk) slots[id] = slot;
    }
    this.#saved = objects.map((o) => JSON.stringify(o));
    this.#slotChunks = meta.slotChunks ?? 0;
    return { objects, slots };
  }

  /** Writes the objects that changed since the last save or load, then the count. */
  async save(state: ShaperState): Promise<void> {
    if (this.#saved === null) {
      // Not loaded: whatever is stored may be stale, so each entry counts as different.
      let count = 0;
      const prefix = ["shaper", this.#name, "object"];
      for await (const { key } of this.#kv.list({ prefix })) {
        count = Math.max(count, (key[3] as number) + 1);
      }
      this.#saved = new Array(count).fill("");
      for await (const { key } of this.#kv.list({ prefix: ["shaper", this.#name, "slots"] })) {
        this.#slotChunks = Math.max(this.#slotChunks, (key[3] as number) + 1);
      }
    }
    const saved = this.#saved;
    const writes: [Deno.KvKey, unknown][] = [];
    const json = state.objects.map((o) => JSON.stringify(o));
    json.forEach((text, n) => {
      if (saved[n] !== text) {
        writes.push([["shaper", this.#name, "object", n], state.objects[n]]);
      }
    });
    for (let n = json.length; n < saved.length; n++) {
      writes.push([["shaper", this.#name, "object", n], null]);
    }
    const pairs = Object.entries(state.slots), chunks = Math.ceil(pairs.length / SLOTS_PER_CHUNK);
    for (let i = 0; i < chunks; i++) {
      const chunk = pairs.slice(i * SLOTS_PER_CHUNK, (i + 1) * SLOTS_PER_CHUNK);
      writes.push([["shaper", this.#name, "slots", i], chunk]);
    }
    for (let i = chunks; i < this.#slotChunks; i++) {
      writes.push([["shaper", this.#name, "slots", i], null]);
    }
    writes.push([["shaper", this.#name, "meta"], { count: json.length, slotChunks: chunks }]);
    for (let at = 0; at < writes.length; at += BATCH) {
      const op = this.#kv.atomic();
      for (const [key, value] of writes.slice(at, at + BATCH)) {
        if (value === null) op.delete(key);
        else op.set(key, value);
      }
      const result = await op.commit();
      if (!result.ok) throw new Error(`shaper state of ${this.#name}: a write was refused`);
    }
    this.#saved = json;
    this.#slotChunks = chunks;
  }
}
