// UsageHistory on a real Deno KV: roll-ups, the levels usage() reads, big
// batches, bad input. Retention and crashes: usage_recovery_test.ts.
import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { UsageHistory } from "../../../engine/history/mod.ts";
import { minuteBucket } from "../../../engine/history/_usage_store.ts";
import { DAY, fill, HOUR, MIN, Oracle, sample, T0, total } from "./_helpers.ts";

Deno.test("UsageHistory: minutes, hours and days of a device add up to the same totals", async () => {
  const kv = await Deno.openKv(":memory:");
  const history = new UsageHistory(kv);
  const start = T0 + DAY - 2 * HOUR;
  await history.open(start);
  const oracle = new Oracle();
  await fill(history, oracle, start, 26 * 60);
  const id = sample(2, 0).deviceId;
  const all = [start - DAY, start + 3 * DAY] as const;
  const minutes = await history.series(id, "minute", ...all);
  const hours = await history.series(id, "hour", ...all);
  const days = await history.series(id, "day", ...all);
  const expected = oracle.devices(...all)[id];
  assertEquals(total(minutes), expected);
  assertEquals(total(hours), expected);
  assertEquals(total(days), expected);
  assertEquals(hours.length, 26);
  assertEquals(days.map((d) => d.start), [T0, T0 + DAY]);
  // Each hour point is its minutes' sum.
  for (const hour of hours) {
    assertEquals(hour, {
      start: hour.start,
      ...total(minutes.filter((m) => m.start >= hour.start && m.start < hour.start + HOUR)),
    });
  }
  // Finished hours and days were written as records of their own.
  assert((await kv.get(["usage", "h", id, start])).value);
  assert((await kv.get(["usage", "d", id, T0])).value);
  assertEquals((await kv.get(["usage", "d", id, T0 + DAY])).value, null, "day not finished");
  kv.close();
});

Deno.test("UsageHistory.usage() over any whole-minute range equals the samples written in it", async () => {
  const kv = await Deno.openKv(":memory:");
  const history = new UsageHistory(kv);
  const start = T0 + DAY - 2 * HOUR;
  await history.open(start);
  const oracle = new Oracle();
  await fill(history, oracle, start, 26 * 60);
  const ranges: [number, number][] = [
    [start, start + 26 * HOUR], // all of it
    [T0 + DAY, T0 + 2 * DAY], // one whole finished day
    [start + 17 * MIN, start + 25 * HOUR + 43 * MIN], // ragged both ends, across days
    [start + 30 * HOUR, start + 40 * HOUR], // the unfinished hour and beyond
    [start + 5 * MIN, start + 5 * MIN], // empty
    [T0 - 10 * DAY, T0 + 10 * DAY],
  ];
  for (const [from, to] of ranges) {
    const usage = await history.usage(from, to);
    const expected = oracle.devices(from, to);
    assertEquals(usage.devices, expected, `range ${new Date(from).toISOString()}`);
    assertEquals(usage.total, total(Object.values(expected).map((r) => ({ start: 0, ...r }))));
    assertEquals(usage.gaps, []);
  }
  kv.close();
});

Deno.test("UsageHistory.usage() reads whole days and hours from their own levels", async () => {
  const kv = await Deno.openKv(":memory:");
  const history = new UsageHistory(kv);
  const start = T0 + DAY - 2 * HOUR;
  await history.open(start);
  const oracle = new Oracle();
  await fill(history, oracle, start, 50 * 60);
  // Without the minutes, finished whole days and hours still answer exactly.
  for await (const { key } of kv.list({ prefix: ["usage-by-time", "m"] })) await kv.delete(key);
  assertEquals(
    (await history.usage(T0 + DAY, T0 + 2 * DAY)).devices,
    oracle.devices(T0 + DAY, T0 + 2 * DAY),
  );
  const hours: [number, number] = [start, T0 + DAY + 5 * HOUR];
  assertEquals((await history.usage(...hours)).devices, oracle.devices(...hours));
  // And without the hours, a whole finished day still does.
  for await (const { key } of kv.list({ prefix: ["usage-by-time", "h"] })) await kv.delete(key);
  assertEquals(
    (await history.usage(T0 + DAY, T0 + 2 * DAY)).devices,
    oracle.devices(T0 + DAY, T0 + 2 * DAY),
  );
  kv.close();
});

Deno.test("UsageHistory: the unfinished day's series adds up finished hours and minutes", async () => {
  const kv = await Deno.openKv(":memory:");
  const history = new UsageHistory(kv, { utcOffsetMinutes: 120 });
  const start = T0 + 20 * HOUR; // 22:00 at UTC+2: the local day ends in two hours
  await history.open(start);
  const oracle = new Oracle();
  await fill(history, oracle, start, 3 * 60 + 20);
  const id = sample(1, 0).deviceId;
  const days = await history.series(id, "day", T0 - DAY, T0 + 3 * DAY);
  assertEquals(days.map((d) => d.start), [T0 - 2 * HOUR, T0 + DAY - 2 * HOUR]);
  assertEquals(days[0], { start: T0 - 2 * HOUR, ...oracle.devices(start, T0 + 22 * HOUR)[id] });
  assertEquals(days[1], {
    start: T0 + 22 * HOUR,
    ...oracle.devices(T0 + 22 * HOUR, T0 + 2 * DAY)[id],
  });
  kv.close();
});

Deno.test("UsageHistory: a minute of 2,500 devices spans many commits and reads back whole", async () => {
  const kv = await Deno.openKv(":memory:");
  const history = new UsageHistory(kv);
  await history.open(T0);
  const samples = Array.from({ length: 2500 }, (_, d) => sample(d, 0, 5));
  await history.writeMinute(T0, samples);
  await history.advance(T0 + HOUR);
  const usage = await history.usage(T0, T0 + HOUR);
  assertEquals(Object.keys(usage.devices).length, 2500);
  const { deviceId, ...record } = samples[1234];
  assertEquals(usage.devices[deviceId], record);
  const marker = await kv.get<{ devices: number; chunks: number }>(["usage-done", "h", T0]);
  assertEquals(marker.value?.devices, 2500);
  assert(marker.value!.chunks > 1);
  kv.close();
});

Deno.test("UsageHistory: writes queued without awaiting land in order", async () => {
  const kv = await Deno.openKv(":memory:");
  const history = new UsageHistory(kv);
  await history.open(T0);
  await Promise.all(
    [0, 1, 2, 60, 61].map((m) => history.writeMinute(T0 + m * MIN, [sample(0, m)])),
  );
  const hours = await history.series(sample(0, 0).deviceId, "hour", T0, T0 + DAY);
  assertEquals(hours.map((h) => h.start), [T0, T0 + HOUR]);
  kv.close();
});

Deno.test('UsageHistory: an app given as "" counts as unknown, a device given twice once', async () => {
  const kv = await Deno.openKv(":memory:");
  const history = new UsageHistory(kv);
  await history.open(T0);
  const one = {
    deviceId: "ip:10.0.0.9",
    up: 5,
    down: 7,
    local: 1,
    apps: { "": [5, 7] as [number, number] },
  };
  await history.writeMinute(T0, [one, { ...one, apps: { unknown: [5, 7] } }]);
  const [point] = await history.series("ip:10.0.0.9", "minute", T0, T0 + MIN);
  assertEquals(point, { start: T0, up: 10, down: 14, local: 2, apps: { unknown: [10, 14] } });
  kv.close();
});

Deno.test("UsageHistory: bad input is refused with one clear line", async () => {
  const kv = await Deno.openKv(":memory:");
  assertThrows(
    () => new UsageHistory(kv, { retention: { minute: MIN } }),
    RangeError,
    "retention.minute",
  );
  assertThrows(() => new UsageHistory(kv, { utcOffsetMinutes: 90 }), RangeError, "whole hours");
  const history = new UsageHistory(kv);
  await assertRejects(() => history.writeMinute(T0, []), Error, "open()");
  await history.open(T0 + HOUR);
  await assertRejects(() => history.open(T0), Error, "already");
  await assertRejects(() => history.writeMinute(T0 + HOUR + 1, []), RangeError, "whole minute");
  await assertRejects(() => history.writeMinute(T0, []), RangeError, "already finished");
  await history.writeMinute(T0 + HOUR + MIN, []);
  await assertRejects(() => history.writeMinute(T0 + HOUR + MIN, []), RangeError, "not after");
  await assertRejects(
    () => history.writeMinute(T0 + 2 * HOUR, [{ ...sample(0, 0), down: -1 }]),
    RangeError,
    "samples[0].down",
  );
  await assertRejects(
    () => history.writeMinute(T0 + 2 * HOUR, [{ ...sample(0, 0), deviceId: "" }]),
    TypeError,
  );
  await assertRejects(() => history.advance(NaN), RangeError, "nowMs");
  await assertRejects(() => history.usage(T0 + HOUR, T0), RangeError, "after toMs");
  await assertRejects(() => history.usage(T0 + 1, T0 + HOUR), RangeError, "whole minute");
  await assertRejects(
    () => history.series("ip:a", "week" as "day", T0, T0 + 1),
    TypeError,
    "level",
  );
  kv.close();
});

Deno.test("UsageHistory.series() of minutes picks one device out of a shared bucket", async () => {
  const ids = Array.from({ length: 200 }, (_, d) => sample(d, 0).deviceId);
  const bucket = minuteBucket(ids[0]);
  const mates = ids.filter((id) => minuteBucket(id) === bucket);
  assert(mates.length > 1, "two devices share a bucket");
  const kv = await Deno.openKv(":memory:");
  const history = new UsageHistory(kv);
  await history.open(T0);
  const oracle = new Oracle();
  for (let m = 0; m < 5; m++) {
    await oracle.write(history, T0 + m * MIN, ids.map((_, d) => sample(d, m)));
  }
  const points = await history.series(mates[1], "minute", T0, T0 + HOUR);
  assertEquals(points.map((p) => p.start), [0, 1, 2, 3, 4].map((m) => T0 + m * MIN));
  const { deviceId: _, ...third } = sample(ids.indexOf(mates[1]), 3);
  assertEquals(points[3], { start: T0 + 3 * MIN, ...third });
  kv.close();
});

Deno.test("UsageHistory: idle days between minutes are skipped, the days around them exact", async () => {
  const kv = await Deno.openKv(":memory:");
  const history = new UsageHistory(kv);
  await history.open(T0 + 23 * HOUR);
  const oracle = new Oracle();
  await oracle.write(history, T0 + 23 * HOUR + 59 * MIN, [sample(0, 0)]);
  await history.advance(T0 + 2 * DAY + 5 * HOUR); // nothing for two days
  await oracle.write(history, T0 + 3 * DAY + 10 * MIN, [sample(0, 1), sample(1, 1)]);
  const id = sample(0, 0).deviceId;
  assertEquals((await history.series(id, "day", T0, T0 + 5 * DAY)).map((p) => p.start), [
    T0,
    T0 + 3 * DAY,
  ]);
  const markers = await Array.fromAsync(kv.list({ prefix: ["usage-done", "d"] }));
  assertEquals(markers.map((m) => m.key[2]), [T0], "only days with minutes are written");
  const usage = await history.usage(T0, T0 + 4 * DAY);
  assertEquals(usage.devices, oracle.devices(T0, T0 + 4 * DAY));
  kv.close();
});

Deno.test("UsageHistory: writes wait until open() has finished recovering", async () => {
  const kv = await Deno.openKv(":memory:");
  const history = new UsageHistory(kv);
  const opening = history.open(T0);
  await assertRejects(() => history.writeMinute(T0, [sample(0, 0)]), Error, "open()");
  await opening;
  await history.writeMinute(T0, [sample(0, 0)]);
  kv.close();
});

Deno.test("UsageHistory: reads started before an hour finishes count it once", async () => {
  const kv = await Deno.openKv(":memory:");
  const history = new UsageHistory(kv);
  await history.open(T0 + 9 * HOUR);
  const oracle = new Oracle();
  await fill(history, oracle, T0 + 9 * HOUR, 119); // 09:00 to 10:56
  const before = oracle.devices(T0, T0 + DAY);
  const id = sample(1, 0).deviceId;
  const reads = [history.usage(T0, T0 + DAY), history.series(id, "day", T0, T0 + DAY)] as const;
  const write = oracle.write(history, T0 + 11 * HOUR, [sample(1, 1)]); // finishes hour 10
  const [usage, days] = await Promise.all(reads);
  await write;
  assertEquals(usage.devices, before);
  assertEquals(days, [{ start: T0, ...before[id] }]);
  assertEquals((await history.usage(T0, T0 + DAY)).devices, oracle.devices(T0, T0 + DAY));
  kv.close();
});

Deno.test("UsageHistory with another space keeps its own keys: two histories in one KV never see each other", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const devices = new UsageHistory(kv);
    const procs = new UsageHistory(kv, { space: "proc-usage", utcOffsetMinutes: 60 });
    assertEquals([devices.space, procs.space], ["usage", "proc-usage"]);
    await devices.open(T0);
    await procs.open(T0); // its own offset and generation: no clash with the default space
    const dev = { deviceId: "mac:02:00:00:00:00:01", up: 1, down: 2, local: 0, apps: {} };
    const proc = { deviceId: "proc:curl", up: 10, down: 20, local: 0, apps: {} };
    for (let m = 0; m < 90; m++) {
      await devices.writeMinute(T0 + m * MIN, [dev]);
      await procs.writeMinute(T0 + m * MIN, [proc]);
    }
    const range = [T0, T0 + 2 * HOUR] as const;
    assertEquals(Object.keys((await devices.usage(...range)).devices), [dev.deviceId]);
    assertEquals(Object.keys((await procs.usage(...range)).devices), [proc.deviceId]);
    assertEquals(await devices.series(proc.deviceId, "hour", ...range), []);
    assertEquals(await procs.series(dev.deviceId, "minute", ...range), []);
    assertEquals((await procs.series(proc.deviceId, "hour", ...range)).map((p) => p.down), [
      1200,
      600,
    ]);
    assert((await kv.get(["proc-usage", "h", proc.deviceId, T0])).value);
    assert((await kv.get(["proc-usage-meta", "utcOffsetMinutes"])).value === 60);
    // A reader opened later on the default space finds only devices, from the store.
    const reader = new UsageHistory(kv);
    await reader.open(T0 + 2 * HOUR, { readOnly: true });
    assertEquals(Object.keys((await reader.usage(...range)).devices), [dev.deviceId]);
    assertThrows(() => new UsageHistory(kv, { space: "Usage!" }), RangeError, "space");
  } finally {
    kv.close();
  }
});
