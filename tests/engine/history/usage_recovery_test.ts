// UsageHistory on a real Deno KV: retention, recovery after a crash, batches
// cut short.
import { assert, assertEquals, assertRejects } from "@std/assert";
import { UsageHistory, type UsageRecord } from "../../../engine/history/mod.ts";
import { DAY, fill, HOUR, instrumentedKv, MIN, Oracle, sample, T0 } from "./_helpers.ts";

Deno.test("UsageHistory: reads leave out points older than their level's retention", async () => {
  const kv = await Deno.openKv(":memory:");
  const retention = { minute: HOUR, hour: DAY, day: 2 * DAY };
  const history = new UsageHistory(kv, { retention });
  await history.open(T0);
  const oracle = new Oracle();
  await fill(history, oracle, T0, 3 * 24 * 60 + 60); // to day 3, 01:00
  const now = history.now;
  const id = sample(0, 0).deviceId;
  const range = [T0 - DAY, T0 + 5 * DAY] as const;
  for (const [level, ms] of [["minute", MIN], ["hour", HOUR], ["day", DAY]] as const) {
    const points = await history.series(id, level, ...range);
    assert(points.length > 0);
    for (const p of points) assert(p.start + retention[level] > now, `${level} ${p.start} kept`);
    assertEquals(points.at(-1)!.start + ms > now - ms, true);
  }
  // Days expire two days after they start: the first two are gaps, the rest is exact.
  assertEquals(now, T0 + 3 * DAY + 56 * MIN);
  const usage = await history.usage(T0, now);
  assertEquals(usage.gaps, [{ fromMs: T0, toMs: T0 + 2 * DAY }]);
  assertEquals(usage.devices, oracle.devices(T0 + 2 * DAY, now));
  // A ragged start inside a kept day, in an hour past the hours' retention: a gap too.
  const ragged = await history.usage(T0 + 2 * DAY + 30 * MIN, T0 + 3 * DAY);
  assertEquals(ragged.gaps, [{ fromMs: T0 + 2 * DAY + 30 * MIN, toMs: T0 + 2 * DAY + HOUR }]);
  assertEquals(ragged.devices, oracle.devices(T0 + 2 * DAY + HOUR, T0 + 3 * DAY));
  kv.close();
});

Deno.test("UsageHistory: every record expires its level's retention after its period's start", async () => {
  const base = await Deno.openKv(":memory:");
  const { kv, sets } = instrumentedKv(base);
  const history = new UsageHistory(kv, { retention: { minute: 2 * HOUR } });
  await history.open(T0 + 10 * HOUR);
  await history.writeMinute(T0 + 10 * HOUR + 59 * MIN, [sample(0, 0)]);
  await history.writeMinute(T0 + DAY, [sample(0, 1)]); // finishes the hour and the day
  const now = T0 + DAY + MIN; // writer's time after the last minute
  const expected: Record<string, number> = {
    m: 2 * HOUR,
    h: 90 * DAY,
    d: 730 * DAY,
  };
  const starts: Record<string, number> = { m: T0 + DAY, h: T0 + 10 * HOUR, d: T0 };
  let checked = 0;
  for (const { key, expireIn } of sets) {
    // ["usage", level, id, start], ["usage-by-time", level, start, n], ["usage-done", level, start],
    // ["usage-minutes", bucket, start, part]
    const [space] = key as [string];
    if (!space.startsWith("usage") || space === "usage-state") continue;
    const level = space === "usage-minutes" ? "m" : key[1] as string;
    const start = (space === "usage" ? key[3] : key[2]) as number;
    if (start !== starts[level]) continue;
    assertEquals(expireIn, start + expected[level] - now, `${key.join("/")}`);
    checked++;
  }
  assertEquals(checked, 8); // minute: rows and marker; hour and day: record, rows and marker
  base.close();
});

Deno.test("UsageHistory.open() rebuilds the unfinished hour and day after a crash", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/history.kv`;
  const oracle = new Oracle();
  const start = T0 + 23 * HOUR + 20 * MIN;
  {
    const kv = await Deno.openKv(path);
    const history = new UsageHistory(kv);
    await history.open(start);
    for (let m = 0; m < 30; m++) {
      await oracle.write(history, start + m * MIN, [sample(0, m), sample(1, m)]);
    }
    kv.close(); // dropped mid-hour: nothing but minutes was written
  }
  const id = sample(0, 0).deviceId;
  {
    const kv = await Deno.openKv(path);
    const history = new UsageHistory(kv);
    await history.open(start + 30 * MIN);
    const [hour] = await history.series(id, "hour", T0, T0 + DAY);
    assertEquals(hour, { start: T0 + 23 * HOUR, ...oracle.devices(start, start + 30 * MIN)[id] });
    for (let m = 30; m < 46; m++) await oracle.write(history, start + m * MIN, [sample(0, m)]);
    kv.close(); // dropped again, just past midnight
  }
  {
    const kv = await Deno.openKv(path);
    const history = new UsageHistory(kv);
    await history.open(T0 + DAY + 2 * HOUR); // restarted later: the old hour and day are finished
    const stored = await kv.get<UsageRecord>(["usage", "h", id, T0 + 23 * HOUR]);
    const { g: _g, ...record } = stored.value as UsageRecord & { g: number };
    assertEquals(record, oracle.devices(T0 + 23 * HOUR, T0 + DAY)[id]);
    const day = await kv.get<UsageRecord>(["usage", "d", id, T0]);
    assertEquals({ ...day.value, g: 0 }, { ...oracle.devices(T0, T0 + DAY)[id], g: 0 });
    const [today] = await history.series(id, "day", T0 + DAY, T0 + 2 * DAY);
    assertEquals(today, { start: T0 + DAY, ...oracle.devices(T0 + DAY, T0 + 2 * DAY)[id] });
    assertEquals((await history.usage(T0, T0 + 2 * DAY)).devices, oracle.devices(T0, T0 + 2 * DAY));
    kv.close();
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("UsageHistory: a batch cut short is never read, and a rewrite hides what it left", async () => {
  const base = await Deno.openKv(":memory:");
  const limits = { maxMutations: 3 };
  {
    const history = new UsageHistory(base, { commitLimits: limits });
    await history.open(T0);
    await history.writeMinute(T0, [sample(0, 0)]);
  }
  const { kv, commits } = instrumentedKv(base, { failAfter: 2 });
  const crashed = new UsageHistory(kv, { commitLimits: limits });
  await crashed.open(T0 + MIN); // commit 1: its generation
  const devices = [1, 2, 3, 4, 5, 6, 7].map((d) => sample(d, 1));
  await assertRejects(() => crashed.writeMinute(T0 + MIN, devices), Error, "simulated crash");
  assertEquals(commits(), 2);
  const left = await Array.fromAsync(base.list({ prefix: ["usage-minutes"] }));
  assert(left.length > 1, "part of the batch reached the store");

  const history = new UsageHistory(base, { commitLimits: limits });
  await history.open(T0 + MIN);
  const whole = await history.usage(T0, T0 + 2 * MIN);
  assertEquals(Object.keys(whole.devices), [sample(0, 0).deviceId]);
  assertEquals(await history.series(devices[0].deviceId, "minute", T0, T0 + HOUR), []);
  // The same minute written again by the next writer, for fewer devices.
  await history.writeMinute(T0 + MIN, [sample(5, 1)]);
  const again = await history.usage(T0 + MIN, T0 + 2 * MIN);
  assertEquals(Object.keys(again.devices), [sample(5, 1).deviceId]);
  assertEquals(await history.series(devices[0].deviceId, "minute", T0, T0 + HOUR), []);
  base.close();
});

/** Every key and versionstamp in the store: to show a reader wrote nothing. */
async function snapshot(kv: Deno.Kv): Promise<string[]> {
  const out: string[] = [];
  for await (const { key, versionstamp } of kv.list({ prefix: [] })) {
    out.push(`${JSON.stringify(key)}@${versionstamp}`);
  }
  return out;
}

Deno.test("UsageHistory.open(now, { readOnly }) finishes in memory what a crash left, writing nothing", async () => {
  const kv = await Deno.openKv(":memory:");
  const oracle = new Oracle();
  const start = T0 + 22 * HOUR + 30 * MIN;
  {
    const writer = new UsageHistory(kv);
    await writer.open(start);
    await fill(writer, oracle, start, 2 * 60); // to 00:30, then dropped: hours 22, 23, the day unfinished
  }
  const before = await snapshot(kv);
  const reader = new UsageHistory(kv);
  await reader.open(T0 + DAY + 3 * HOUR, { readOnly: true });
  assertEquals(await snapshot(kv), before);
  const id = sample(3, 0).deviceId;
  for (const [from, to] of [[T0, T0 + 2 * DAY], [start + 17 * MIN, T0 + DAY + 20 * MIN]]) {
    assertEquals((await reader.usage(from, to)).devices, oracle.devices(from, to));
  }
  const hours = await reader.series(id, "hour", T0, T0 + 2 * DAY);
  assertEquals(hours.map((h) => h.start), [22, 23, 24].map((h) => T0 + h * HOUR));
  assertEquals(hours[1], {
    start: T0 + 23 * HOUR,
    ...oracle.devices(T0 + 23 * HOUR, T0 + DAY)[id],
  });
  const days = await reader.series(id, "day", T0, T0 + 2 * DAY);
  assertEquals(days, [
    { start: T0, ...oracle.devices(T0, T0 + DAY)[id] },
    { start: T0 + DAY, ...oracle.devices(T0 + DAY, T0 + 2 * DAY)[id] },
  ]);
  await assertRejects(() => reader.writeMinute(T0 + DAY + 3 * HOUR, []), Error, "read-only");
  await assertRejects(() => reader.advance(T0 + 2 * DAY), Error, "read-only");
  assertEquals(await snapshot(kv), before);
  kv.close();
});

Deno.test("UsageHistory: a read-only reader beside a live writer sees the store as at its open()", async () => {
  const kv = await Deno.openKv(":memory:");
  const oracle = new Oracle();
  const writer = new UsageHistory(kv);
  await writer.open(T0 + 10 * HOUR);
  await fill(writer, oracle, T0 + 10 * HOUR, 90);
  const reader = new UsageHistory(kv);
  await reader.open(T0 + 11 * HOUR + 30 * MIN, { readOnly: true });
  await oracle.write(writer, T0 + 12 * HOUR + 5 * MIN, [sample(9, 9)]); // the writer finishes hour 11
  const today: [number, number] = [T0, T0 + DAY];
  assertEquals(
    (await reader.usage(...today)).devices,
    oracle.devices(T0, T0 + 11 * HOUR + 30 * MIN),
  );
  assertEquals((await writer.usage(...today)).devices, oracle.devices(...today));
  kv.close();
});

Deno.test("UsageHistory keeps its days at the store's offset: another reader offset reads exactly, another writer offset is refused", async () => {
  const kv = await Deno.openKv(":memory:");
  const writer = new UsageHistory(kv); // UTC days
  const start = T0 + DAY - 2 * HOUR;
  await writer.open(start);
  const oracle = new Oracle();
  await fill(writer, oracle, start, 40 * 60);
  // A reader at UTC+10: its local day runs 14:00 to 14:00 UTC.
  const reader = new UsageHistory(kv, { utcOffsetMinutes: 600 });
  await reader.open(start + 40 * HOUR, { readOnly: true });
  assertEquals(reader.utcOffsetMinutes, 0);
  const from = T0 + DAY - 10 * HOUR, to = from + DAY;
  const got = await reader.usage(from, to);
  assertEquals(got.gaps, []);
  for (const [id, expected] of Object.entries(oracle.devices(from, to))) {
    assertEquals(
      [got.devices[id]?.up, got.devices[id]?.down],
      [expected.up, expected.down],
      id,
    );
  }
  await assertRejects(
    () => new UsageHistory(kv, { utcOffsetMinutes: 60 }).open(start + 41 * HOUR),
    RangeError,
    "rolls days up at UTC offset 0 minutes, not 60",
  );
  kv.close();
});
