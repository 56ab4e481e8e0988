import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { KvShaperStore } from "../../shaper/kv_shaper_store.ts";
import { LinuxRenderer } from "../../shaper/linux_renderer.ts";
import { appliedOf } from "../../shaper/reconcile.ts";
import type { ShaperState } from "../../shaper/shaper.ts";
import type { AppliedObject } from "../../shaper/shaper_types.ts";

/** Real applied objects: the nft table object has stdin-free removes and a long spec. */
const OBJECTS: AppliedObject[] = new LinuxRenderer({ lan: "eth1" }).render({
  link: { down: 12_500_000, up: 2_500_000 },
  shares: { high: 0.5, normal: 0.35, low: 0.15 },
  devices: [{
    id: "mac:02:00:00:00:00:07",
    mac: "02:00:00:00:00:07",
    addresses: ["192.168.1.7", "fd00::7"],
    blocked: false,
    down: 625_000,
    up: null,
    priority: "normal",
  }, {
    id: "mac:02:00:00:00:00:09",
    mac: "02:00:00:00:00:09",
    addresses: [],
    blocked: true,
    down: null,
    up: null,
    priority: "normal",
  }],
}, new Map()).map(appliedOf);

const STATE: ShaperState = { objects: OBJECTS, slots: { "mac:02:00:00:00:00:07": 1 } };

async function withKv(fn: (kv: Deno.Kv) => Promise<void>): Promise<void> {
  const kv = await Deno.openKv(":memory:");
  try {
    await fn(kv);
  } finally {
    kv.close();
  }
}

async function objectKeys(kv: Deno.Kv, name: string): Promise<Deno.KvKey[]> {
  const keys: Deno.KvKey[] = [];
  for await (const { key } of kv.list({ prefix: ["shaper", name, "object"] })) keys.push(key);
  return keys;
}

Deno.test("KvShaperStore.load() is null before any save", () =>
  withKv(async (kv) => {
    assertEquals(await new KvShaperStore(kv, "eth1").load(), null);
  }));

Deno.test("KvShaperStore.save() and load() round-trip the objects in order and the slots", () =>
  withKv(async (kv) => {
    await new KvShaperStore(kv, "eth1").save(STATE);
    assertEquals(await new KvShaperStore(kv, "eth1").load(), STATE);
    assertEquals((await objectKeys(kv, "eth1")).length, OBJECTS.length, "one entry per object");
  }));

Deno.test("KvShaperStore.save() keeps what changed since the last save, including an empty state", () =>
  withKv(async (kv) => {
    const store = new KvShaperStore(kv, "eth1");
    await store.save(STATE);
    const changed = structuredClone(STATE);
    changed.objects[3].spec = "rate 1bit";
    changed.slots = {};
    await store.save(changed);
    assertEquals(await new KvShaperStore(kv, "eth1").load(), changed);
    await store.save({ objects: [], slots: {} });
    assertEquals(await new KvShaperStore(kv, "eth1").load(), { objects: [], slots: {} });
    assertEquals(await objectKeys(kv, "eth1"), []);
  }));

Deno.test("KvShaperStore.save() of a shorter list deletes the stale entries", () =>
  withKv(async (kv) => {
    const store = new KvShaperStore(kv, "eth1");
    await store.save(STATE);
    await store.save({ objects: OBJECTS.slice(0, 2), slots: {} });
    assertEquals(await objectKeys(kv, "eth1"), [
      ["shaper", "eth1", "object", 0],
      ["shaper", "eth1", "object", 1],
    ]);
    assertEquals(await new KvShaperStore(kv, "eth1").load(), {
      objects: OBJECTS.slice(0, 2),
      slots: {},
    });
  }));

Deno.test("KvShaperStore.save() after a load (a new run) deletes the previous run's stale entries", () =>
  withKv(async (kv) => {
    await new KvShaperStore(kv, "eth1").save(STATE);
    const next = new KvShaperStore(kv, "eth1");
    await next.load();
    await next.save({ objects: OBJECTS.slice(1, 4), slots: {} });
    assertEquals((await objectKeys(kv, "eth1")).length, 3);
    assertEquals((await new KvShaperStore(kv, "eth1").load())?.objects, OBJECTS.slice(1, 4));
  }));

Deno.test("KvShaperStore keeps two names independent", () =>
  withKv(async (kv) => {
    const eth1 = new KvShaperStore(kv, "eth1"), eth2 = new KvShaperStore(kv, "eth2");
    await eth1.save(STATE);
    await eth2.save({ objects: OBJECTS.slice(0, 1), slots: { "ip:10.0.0.2": 4 } });
    await eth1.save({ objects: OBJECTS.slice(0, 3), slots: {} });
    assertEquals(await new KvShaperStore(kv, "eth2").load(), {
      objects: OBJECTS.slice(0, 1),
      slots: { "ip:10.0.0.2": 4 },
    });
    assertEquals((await new KvShaperStore(kv, "eth1").load())?.objects, OBJECTS.slice(0, 3));
    assertEquals(await new KvShaperStore(kv, "eth3").load(), null);
  }));

Deno.test("KvShaperStore.load() throws a clear Error when objects are missing", () =>
  withKv(async (kv) => {
    await new KvShaperStore(kv, "eth1").save(STATE);
    await kv.delete(["shaper", "eth1", "object", 1]);
    const err = await assertRejects(() => new KvShaperStore(kv, "eth1").load(), Error);
    assertEquals(
      (err as Error).message,
      'shaper state of eth1 is incomplete: run "sluice shaper reset"',
    );
    // The last one missing too (no hole, a short list).
    await new KvShaperStore(kv, "eth2").save(STATE);
    await kv.delete(["shaper", "eth2", "object", OBJECTS.length - 1]);
    await assertRejects(() => new KvShaperStore(kv, "eth2").load(), Error, "incomplete");
  }));

Deno.test("new KvShaperStore() refuses an empty or over-long name", () =>
  withKv((kv) => {
    assertThrows(() => new KvShaperStore(kv, ""), TypeError, "name");
    assertThrows(() => new KvShaperStore(kv, "x".repeat(65)), TypeError, "name");
    return Promise.resolve();
  }));

Deno.test({
  name: "KvShaperStore.save() without a load first still deletes stale entries",
  fn: () =>
    withKv(async (kv) => {
      await new KvShaperStore(kv, "eth1").save(STATE);
      await new KvShaperStore(kv, "eth1").save({ objects: OBJECTS.slice(0, 2), slots: {} });
      assertEquals((await objectKeys(kv, "eth1")).length, 2);
    }),
});

Deno.test("KvShaperStore.save() keeps the slots of thousands of devices, and drops chunks no longer used", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const many: Record<string, number> = {};
    for (let i = 0; i < 3000; i++) {
      many[`mac:02:00:00:00:${(i >> 8).toString(16)}:${(i & 255).toString(16)}`] = i + 1;
    }
    await new KvShaperStore(kv, "lan0").save({ objects: [], slots: many });
    assertEquals((await new KvShaperStore(kv, "lan0").load())?.slots, many);

    const store = new KvShaperStore(kv, "lan0");
    await store.load();
    await store.save({ objects: [], slots: { "mac:02:00:00:00:00:01": 1 } });
    assertEquals((await new KvShaperStore(kv, "lan0").load())?.slots, {
      "mac:02:00:00:00:00:01": 1,
    });
    const chunks = await Array.fromAsync(kv.list({ prefix: ["shaper", "lan0", "slots"] }));
    assertEquals(chunks.length, 1);
  } finally {
    kv.close();
  }
});
