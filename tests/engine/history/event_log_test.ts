// EventLog: newest first, paging, ranges, filters, same-millisecond events.
import { assertEquals, assertRejects } from "@std/assert";
import { EventLog, type LoggedEvent } from "../../../engine/history/mod.ts";
import { T0 } from "./_helpers.ts";

async function filled(kv: Deno.Kv): Promise<EventLog> {
  const log = new EventLog(kv);
  for (let i = 0; i < 25; i++) {
    await log.append({
      time: T0 + i * 1000,
      kind: i % 3 === 0 ? "alert" : i % 3 === 1 ? "policy" : "admin",
      device: `mac:${i % 2}`,
      message: `event ${i}`,
      ...(i % 3 === 1 ? { reason: "over quota", data: { limitKbps: 512, i } } : {}),
    });
  }
  return log;
}

Deno.test("EventLog.list() pages through every event, newest first, each once", async () => {
  const kv = await Deno.openKv(":memory:");
  const log = await filled(kv);
  const seen: LoggedEvent[] = [];
  let cursor: string | undefined;
  const sizes: number[] = [];
  for (;;) {
    const page = await log.list({ limit: 10, cursor });
    sizes.push(page.events.length);
    seen.push(...page.events);
    if (page.cursor === null) break;
    cursor = page.cursor;
  }
  assertEquals(sizes, [10, 10, 5]);
  assertEquals(seen.map((e) => e.message), Array.from({ length: 25 }, (_, i) => `event ${24 - i}`));
  assertEquals(seen[23], {
    id: `${T0 + 1000}-0`,
    time: T0 + 1000,
    kind: "policy",
    device: "mac:1",
    message: "event 1",
    reason: "over quota",
    data: { limitKbps: 512, i: 1 },
  });
  // An exact multiple of the page size ends without an empty page.
  const exact = await log.list({ limit: 25 });
  assertEquals([exact.events.length, exact.cursor], [25, null]);
  kv.close();
});

Deno.test("EventLog.list() by time range and by kind and device, paged", async () => {
  const kv = await Deno.openKv(":memory:");
  const log = await filled(kv);
  const range = await log.list({ fromMs: T0 + 5000, toMs: T0 + 9000 });
  assertEquals(range.events.map((e) => e.message), ["event 8", "event 7", "event 6", "event 5"]);
  const first = await log.list({ kind: "alert", device: "mac:0", limit: 2 });
  assertEquals(first.events.map((e) => e.message), ["event 24", "event 18"]);
  const rest = await log.list({ kind: "alert", device: "mac:0", limit: 2, cursor: first.cursor! });
  assertEquals(rest.events.map((e) => e.message), ["event 12", "event 6"]);
  const last = await log.list({ kind: "alert", device: "mac:0", limit: 2, cursor: rest.cursor! });
  assertEquals([last.events.map((e) => e.message), last.cursor], [["event 0"], null]);
  kv.close();
});

Deno.test("EventLog.append() keeps events of the same millisecond apart, also from two writers", async () => {
  const kv = await Deno.openKv(":memory:");
  const a = new EventLog(kv), b = new EventLog(kv);
  const ids = [
    await a.append({ time: T0, kind: "admin", message: "1" }),
    await b.append({ time: T0, kind: "admin", message: "2" }),
    await a.append({ time: T0, kind: "admin", message: "3" }),
  ];
  assertEquals(ids, [`${T0}-0`, `${T0}-1`, `${T0}-2`]);
  assertEquals((await a.list()).events.map((e) => e.message), ["3", "2", "1"]);
  kv.close();
});

Deno.test("EventLog refuses bad events and queries with one line", async () => {
  const kv = await Deno.openKv(":memory:");
  const log = new EventLog(kv);
  await assertRejects(
    () => log.append({ time: 1.5, kind: "alert", message: "x" }),
    RangeError,
    "time",
  );
  await assertRejects(() => log.append({ time: 1, kind: "", message: "x" }), TypeError, "kind");
  await assertRejects(
    () => log.append({ time: 1, kind: "a", message: "x", device: 5 as unknown as string }),
    TypeError,
    "device",
  );
  await assertRejects(() => log.list({ limit: 0 }), RangeError, "limit");
  await assertRejects(() => log.list({ fromMs: 10, toMs: 5 }), RangeError, "after");
  kv.close();
});
