// DeviceStore: records and labels in their own key spaces, many at once.
import { assertEquals, assertRejects } from "@std/assert";
import { DeviceStore } from "../../../engine/history/mod.ts";

interface Device {
  id: string;
  firstSeen: number;
  lastSeen: number;
  hints: { dhcpHostname?: string };
}

const device = (i: number): Device => ({
  id: `mac:02:00:00:00:${String(i).padStart(5, "0")}`,
  firstSeen: i,
  lastSeen: i + 100,
  hints: { dhcpHostname: `host-${i}` },
});

Deno.test("DeviceStore keeps a label across record rewrites and lists both", async () => {
  const kv = await Deno.openKv(":memory:");
  const store = new DeviceStore<Device>(kv);
  await store.put(device(1));
  await store.setLabel(device(1).id, "  Kitchen tablet ");
  await store.put({ ...device(1), lastSeen: 999 });
  await store.setLabel("ip:10.0.0.9", "Printer"); // labelled before it was seen
  assertEquals(await store.get(device(1).id), {
    device: { ...device(1), lastSeen: 999 },
    label: "Kitchen tablet",
  });
  assertEquals(await store.labels(), {
    "ip:10.0.0.9": "Printer",
    [device(1).id]: "Kitchen tablet",
  });
  const all = await store.list();
  assertEquals([...all.keys()], ["ip:10.0.0.9", device(1).id]);
  assertEquals(all.get("ip:10.0.0.9"), { device: null, label: "Printer" });
  await store.setLabel(device(1).id, null);
  assertEquals((await store.get(device(1).id))?.label, null);
  await store.delete(device(1).id);
  assertEquals(await store.get(device(1).id), null);
  assertEquals(await store.get("mac:none"), null);
  kv.close();
});

Deno.test("DeviceStore.putMany() stores thousands of devices over several commits", async () => {
  const kv = await Deno.openKv(":memory:");
  const store = new DeviceStore<Device>(kv);
  await store.putMany(Array.from({ length: 3000 }, (_, i) => device(i)));
  const all = await store.list();
  assertEquals(all.size, 3000);
  assertEquals(all.get(device(2999).id)?.device, device(2999));
  await store.putMany([]);
  kv.close();
});

Deno.test("DeviceStore refuses bad ids, long labels and huge records", async () => {
  const kv = await Deno.openKv(":memory:");
  const store = new DeviceStore(kv);
  await assertRejects(() => store.put({ id: "" }), TypeError, "id");
  await assertRejects(() => store.setLabel("mac:a", "x".repeat(101)), RangeError, "100");
  await assertRejects(
    () => store.put({ id: "mac:a", blob: "x".repeat(20_000) } as { id: string }),
    RangeError,
    "too large",
  );
  kv.close();
});
