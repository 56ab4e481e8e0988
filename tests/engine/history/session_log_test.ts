// SessionLog: numbered sessions, start, update, stop, list, unstopped.
import { assertEquals, assertRejects } from "@std/assert";
import { SessionLog } from "../../../engine/history/mod.ts";
import { T0 } from "./_helpers.ts";

const totals = (n: number) => ({ up: n, down: 10 * n, local: 0, devices: 2 });

Deno.test("SessionLog keeps a numbered log of starts, stops and totals", async () => {
  const kv = await Deno.openKv(":memory:");
  const log = new SessionLog(kv);
  const first = await log.start(T0, { interface: "eth0", note: "first run" });
  assertEquals(first, {
    id: 1,
    start: T0,
    stop: null,
    interface: "eth0",
    note: "first run",
    totals: { up: 0, down: 0, local: 0, devices: 0 },
  });
  await log.update(1, totals(5));
  await log.stop(1, T0 + 60_000, totals(7));
  const second = await log.start(T0 + 120_000);
  await log.update(second.id, totals(1)); // then the monitor died
  assertEquals((await log.get(1))?.totals, totals(7));
  assertEquals((await log.unstopped()).map((s) => [s.id, s.totals.up]), [[2, 1]]);
  const page = await log.list({ limit: 1 });
  assertEquals(page.sessions.map((s) => s.id), [2]);
  const next = await log.list({ limit: 1, cursor: page.cursor! });
  assertEquals([next.sessions.map((s) => s.stop), next.cursor], [[T0 + 60_000], null]);
  kv.close();
});

Deno.test("SessionLog refuses stopping twice, stops before the start and unknown ids", async () => {
  const kv = await Deno.openKv(":memory:");
  const log = new SessionLog(kv);
  const s = await log.start(T0);
  await assertRejects(() => log.stop(s.id, T0 - 1, totals(1)), RangeError, "before the start");
  await log.stop(s.id, T0, totals(1));
  await assertRejects(() => log.stop(s.id, T0 + 1, totals(1)), Error, "already stopped");
  await assertRejects(() => log.update(s.id, totals(2)), Error, "already stopped");
  await assertRejects(() => log.update(9, totals(2)), RangeError, "no session 9");
  await assertRejects(() => log.update(s.id, { ...totals(1), up: -1 }), RangeError, "totals.up");
  kv.close();
});
