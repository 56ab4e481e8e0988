// ConfigStore: revisions, conflicts, history, restore.
import { assertEquals, assertRejects } from "@std/assert";
import { ConfigStore } from "../../../engine/history/mod.ts";

interface Config {
  interface: string;
  quotaGb?: number;
}

Deno.test("ConfigStore saves numbered revisions and refuses a stale editor", async () => {
  const kv = await Deno.openKv(":memory:");
  const config = new ConfigStore<Config>(kv);
  assertEquals(await config.get(), null);
  const r1 = await config.save({ interface: "eth0" }, { basedOn: 0, nowMs: 1000, note: "setup" });
  assertEquals(r1, { revision: 1, savedAt: 1000, note: "setup", value: { interface: "eth0" } });
  const r2 = await config.save({ interface: "eth0", quotaGb: 50 }, { basedOn: 1, nowMs: 2000 });
  assertEquals(r2?.revision, 2);
  assertEquals(await config.save({ interface: "wlan0" }, { basedOn: 1, nowMs: 3000 }), null);
  assertEquals((await config.get())?.value, { interface: "eth0", quotaGb: 50 });
  kv.close();
});

Deno.test("ConfigStore keeps the last revisions and restores one as a new revision", async () => {
  const kv = await Deno.openKv(":memory:");
  const config = new ConfigStore<Config>(kv, { keep: 3 });
  for (let i = 1; i <= 5; i++) {
    await config.save({ interface: `eth${i}` }, { basedOn: i - 1, nowMs: i });
  }
  assertEquals((await config.history()).map((r) => r.revision), [5, 4, 3]);
  assertEquals(await config.revision(2), null);
  const restored = await config.restore(3, { basedOn: 5, nowMs: 6 });
  assertEquals([restored?.revision, restored?.value.interface, restored?.note], [
    6,
    "eth3",
    "restored revision 3",
  ]);
  assertEquals((await config.get())?.revision, 6);
  await assertRejects(() => config.restore(1, { basedOn: 6, nowMs: 7 }), RangeError, "not kept");
  await assertRejects(
    () => config.save({ interface: "x" }, { basedOn: -1, nowMs: 7 }),
    RangeError,
    "basedOn",
  );
  kv.close();
});
