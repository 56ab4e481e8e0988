// OverrideStore: overrides set by one process are seen by another on the
// same KV file, ids are never given twice, bad input writes nothing.
import { assert, assertEquals, assertNotEquals, assertRejects } from "@std/assert";
import { type NewOverride, OverrideStore } from "../../../engine/history/mod.ts";
import { PolicyConfigError } from "../../../engine/policy/mod.ts";

const T = Date.UTC(2024, 0, 10, 12, 0, 0);
const TV = "mac:02:00:00:00:00:07";

function block(at: number, until?: number): NewOverride {
  return {
    devices: { device: TV },
    action: { kind: "block" },
    manual: { at, ...(until === undefined ? {} : { until }), by: "alice" },
  };
}

async function withFile(fn: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "sluice-overrides-" });
  try {
    await fn(`${dir}/sluice.kv`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("OverrideStore.add() names overrides in order and another handle on the file sees them and their version", async () => {
  await withFile(async (path) => {
    const writer = await Deno.openKv(path), reader = await Deno.openKv(path);
    try {
      const setter = new OverrideStore(writer), engine = new OverrideStore(reader);
      assertEquals(await engine.version(), null);
      const first = await setter.add(block(T, T + 3_600_000));
      assertEquals(first, { id: "manual-1", ...block(T, T + 3_600_000) });
      const v1 = await engine.version();
      assertNotEquals(v1, null);
      const second = await setter.add({
        devices: { device: "MAC:02-00-00-00-00-08" },
        action: { kind: "limit", down: "2Mbit" } as unknown as NewOverride["action"],
        manual: { at: T + 1 },
      });
      assertEquals(second.devices, { device: "mac:02:00:00:00:00:08" });
      assertEquals(second.action, { kind: "limit", down: 250_000 });
      assertNotEquals(await engine.version(), v1);
      assertEquals((await engine.list()).map((r) => r.id), ["manual-1", "manual-2"]);
    } finally {
      writer.close();
      reader.close();
    }
  });
});

Deno.test("OverrideStore.add() gives concurrent writers distinct ids", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    // Interleaved: each reads the next id before the others commit, so all
    // but one find it taken and try again.
    const stores = [new OverrideStore(kv), new OverrideStore(kv), new OverrideStore(kv)];
    const added = await Promise.all(
      Array.from({ length: 12 }, (_, i) => stores[i % 3].add(block(T + i))),
    );
    const ids = added.map((r) => r.id).sort();
    assertEquals(new Set(ids).size, 12);
    assertEquals((await stores[0].list()).length, 12);
  } finally {
    kv.close();
  }
});

Deno.test("OverrideStore.add() refuses an invalid override and writes nothing", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const store = new OverrideStore(kv);
    const err = await assertRejects(
      () => store.add(block(T, T)),
      PolicyConfigError,
    );
    assertEquals((err as PolicyConfigError).issues[0].path, "manual.until");
    await assertRejects(
      () => store.add({ ...block(T), action: { kind: "quota" } } as unknown as NewOverride),
      PolicyConfigError,
    );
    assertEquals(await store.list(), []);
    assertEquals(await store.version(), null);
    assertEquals((await store.add(block(T))).id, "manual-1", "no id was used up");
  } finally {
    kv.close();
  }
});

Deno.test("OverrideStore.remove() and prune() remove what is there, and change the version only then", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const store = new OverrideStore(kv);
    await store.add(block(T, T + 60_000));
    await store.add(block(T, T + 120_000));
    await store.add(block(T));
    const before = await store.version();
    assertEquals(await store.remove(["manual-9"]), []);
    assertEquals(await store.version(), before);
    assertEquals(await store.prune(T + 60_000), ["manual-1"]);
    assertEquals(await store.remove(["manual-3", "manual-3", "manual-8"]), ["manual-3"]);
    assertEquals((await store.list()).map((r) => r.id), ["manual-2"]);
    assert((await store.version()) !== before);
    assertEquals((await store.add(block(T))).id, "manual-4", "ids are not reused");
  } finally {
    kv.close();
  }
});
