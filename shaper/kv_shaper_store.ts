/**
 * The shaper's applied state in Deno KV: each applied object (with the
 * commands that remove it) under `["shaper", name, "object", n]`, device
 * slots in chunks of 500 under `["shaper", name, "slots", i]`, and the
 * counts under `["shaper", name, "meta"]`. An object keeps its number while
 * it stays applied, so a save writes only the objects that changed, not
 * every one after a device that came or went; the apply order is n = 0, 1,
 * 2... or, once objects came and went, a list of numbers in chunks of 4,000
 * under `["shaper", name, "order", i]`. Entries this small stay far under
 * KV's 64 KiB value limit, thousands of devices too.
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
  /** Chunks of the order; absent when the order is 0 to count - 1. */
  orderChunks?: number;
}

const SLOTS_PER_CHUNK = 500;
const ORDER_PER_CHUNK = 4000;

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
  /**
   * What is stored, as last saved or loaded: each number's object as JSON
   * ("" for a stale entry, to delete); null before either (then the store
   * is listed).
   */
  #saved: Map<number, string> | null = null;
  /** Each stored object's number, by key. */
  #numbers = new Map<string, number>();
  /** Slot and order chunks stored, as JSON, as last loaded or saved. */
  #slotChunks: string[] = [];
  #orderChunks: string[] = [];

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
    const stored = new Map<number, AppliedObject>();
    for await (
      const { key, value } of this.#kv.list<AppliedObject>({ prefix: this.#key("object") })
    ) {
      stored.set(key[3] as number, value);
    }
    const orderChunks = await this.#chunks<number>("order", meta.orderChunks ?? 0);
    const order = meta.orderChunks === undefined
      ? Array.from({ length: meta.count }, (_, n) => n)
      : orderChunks.flat();
    const objects = order.map((n) => stored.get(n)!);
    if (order.length !== meta.count || objects.includes(undefined as never)) {
      throw this.#incomplete();
    }
    const slotChunks = await this.#chunks<[string, number]>("slots", meta.slotChunks ?? 0);
    const slots: Record<string, number> = { ...meta.slots };
    for (const chunk of slotChunks) for (const [id, slot] of chunk) slots[id] = slot;
    // Entries outside the order (a save cut short) are stale: the next save deletes them.
    this.#saved = new Map([...stored.keys()].map((n) => [n, ""]));
    this.#numbers = new Map();
    order.forEach((n, i) => {
      this.#saved!.set(n, JSON.stringify(objects[i]));
      this.#numbers.set(objects[i].key, n);
    });
    this.#slotChunks = slotChunks.map((c) => JSON.stringify(c));
    this.#orderChunks = orderChunks.map((c) => JSON.stringify(c));
    return { objects, slots };
  }

  /** Writes the objects and chunks that changed since the last save or load, then the counts. */
  async save(state: ShaperState): Promise<void> {
    if (this.#saved === null) {
      // Not loaded: whatever is stored may be stale, so each entry counts as different.
      this.#saved = new Map();
      for await (const { key } of this.#kv.list({ prefix: this.#key("object") })) {
        this.#saved.set(key[3] as number, "");
      }
      this.#slotChunks = await this.#listed("slots");
      this.#orderChunks = await this.#listed("order");
    }
    const saved = this.#saved;
    // Objects still applied keep their numbers; new ones take the lowest free.
    const order: number[] = new Array(state.objects.length);
    const kept = new Set<number>();
    state.objects.forEach((o, i) => {
      const n = this.#numbers.get(o.key);
      if (n !== undefined && !kept.has(n)) kept.add(order[i] = n);
    });
    let free = 0;
    for (let i = 0; i < order.length; i++) {
      if (order[i] !== undefined) continue;
      while (kept.has(free)) free++;
      kept.add(order[i] = free);
    }
    const writes: [Deno.KvKey, unknown][] = [];
    const json = state.objects.map((o) => JSON.stringify(o));
    order.forEach((n, i) => {
      if (saved.get(n) !== json[i]) writes.push([this.#key("object", n), state.objects[i]]);
    });
    for (const n of saved.keys()) if (!kept.has(n)) writes.push([this.#key("object", n), null]);
    const slots = chunked(Object.entries(state.slots), SLOTS_PER_CHUNK);
    const inOrder = order.every((n, i) => n === i);
    const orders = inOrder ? [] : chunked(order, ORDER_PER_CHUNK);
    const slotTexts = this.#chunkWrites(writes, "slots", slots, this.#slotChunks);
    const orderTexts = this.#chunkWrites(writes, "order", orders, this.#orderChunks);
    writes.push([this.#key("meta"), {
      count: json.length,
      slotChunks: slots.length,
      ...(inOrder ? {} : { orderChunks: orders.length }),
    }]);
    for (let at = 0; at < writes.length; at += BATCH) {
      const op = this.#kv.atomic();
      for (const [key, value] of writes.slice(at, at + BATCH)) {
        if (value === null) op.delete(key);
        else op.set(key, value);
      }
      const result = await op.commit();
      if (!result.ok) throw new Error(`shaper state of ${this.#name}: a write was refused`);
    }
    this.#saved = new Map(order.map((n, i) => [n, json[i]]));
    this.#numbers = new Map(order.map((n, i) => [state.objects[i].key, n]));
    this.#slotChunks = slotTexts;
    this.#orderChunks = orderTexts;
  }

  #key(kind: string, n?: number): Deno.KvKey {
    return n === undefined ? ["shaper", this.#name, kind] : ["shaper", this.#name, kind, n];
  }

  #incomplete(): Error {
    return new Error(`shaper state of ${this.#name} is incomplete: run "sluice shaper reset"`);
  }

  /** Chunks 0 to count - 1 of a kind; each must be there. */
  async #chunks<T>(kind: string, count: number): Promise<T[][]> {
    const out: T[][] = [];
    for (let i = 0; i < count; i++) {
      const chunk = (await this.#kv.get<T[]>(this.#key(kind, i))).value;
      if (!chunk) throw this.#incomplete();
      out.push(chunk);
    }
    return out;
  }

  /** As many unknown ("") chunk texts as chunks of a kind are stored. */
  async #listed(kind: string): Promise<string[]> {
    let count = 0;
    for await (const { key } of this.#kv.list({ prefix: this.#key(kind) })) {
      count = Math.max(count, (key[3] as number) + 1);
    }
    return new Array(count).fill("");
  }

  /** Writes the chunks that changed, deletes those beyond; returns their texts. */
  #chunkWrites(
    writes: [Deno.KvKey, unknown][],
    kind: string,
    chunks: unknown[][],
    before: string[],
  ): string[] {
    const texts = chunks.map((c) => JSON.stringify(c));
    texts.forEach((text, i) => {
      if (before[i] !== text) writes.push([this.#key(kind, i), chunks[i]]);
    });
    for (let i = chunks.length; i < before.length; i++) writes.push([this.#key(kind, i), null]);
    return texts;
  }
}

function chunked<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < items.length; at += size) out.push(items.slice(at, at + size));
  return out;
}
