// DeviceQuality: smoothed RTTs and retransmission rates per device.
import { assertEquals, assertThrows } from "@std/assert";
import {
  DeviceQuality,
  RECENT_RTTS,
  RECENT_SEGMENTS,
} from "../../../engine/meter/device_quality.ts";

Deno.test("DeviceQuality gives nulls and zeros before any sample", () => {
  const quality = new DeviceQuality();
  assertEquals(quality.get(3), {
    lanRttMs: null,
    wanRttMs: null,
    lanRttSamples: 0,
    wanRttSamples: 0,
    rttSamples: 0,
    retransmitRate: null,
    segments: 0,
    retransmits: 0,
  });
  quality.addRtt(3, "lan", 0.001);
  assertEquals(quality.get(3).wanRttMs, null);
  assertEquals(quality.get(3).retransmitRate, null);
  assertEquals(quality.get(2).lanRttMs, null);
  assertEquals(quality.devices, 4);
});

Deno.test("DeviceQuality RTTs are medians per side, in milliseconds", () => {
  const quality = new DeviceQuality();
  for (const ms of [30, 10, 20, 500]) quality.addRtt(0, "wan", ms / 1000);
  for (const ms of [1, 3, 2]) quality.addRtt(0, "lan", ms / 1000);
  const q = quality.get(0);
  assertEquals([q.wanRttMs, q.lanRttMs], [25, 2]);
  assertEquals([q.wanRttSamples, q.lanRttSamples, q.rttSamples], [4, 3, 7]);
});

Deno.test(`DeviceQuality RTT medians cover the last ${RECENT_RTTS} samples`, () => {
  const quality = new DeviceQuality();
  for (let i = 0; i < 100; i++) quality.addRtt(1, "wan", 0.5); // an old slow path
  for (let i = 0; i < RECENT_RTTS; i++) quality.addRtt(1, "wan", 0.02);
  assertEquals(quality.get(1).wanRttMs, 20);
  assertEquals(quality.get(1).wanRttSamples, 100 + RECENT_RTTS);
});

Deno.test("DeviceQuality retransmit rate follows recent segments; totals since start", () => {
  const quality = new DeviceQuality();
  quality.addSegments(0, 100, 5);
  assertEquals(quality.get(0).retransmitRate, 0.05);
  // A lossy stretch, then a clean one long enough to push it out.
  for (let i = 0; i < RECENT_SEGMENTS; i++) quality.addSegments(0, 1, i % 10 === 0 ? 1 : 0);
  for (let i = 0; i < 2 * RECENT_SEGMENTS; i++) quality.addSegments(0, 1, 0);
  const q = quality.get(0);
  assertEquals(q.retransmitRate, 0);
  assertEquals([q.segments, q.retransmits], [100 + 3 * RECENT_SEGMENTS, 105]);
  quality.addSegments(0, 0, 0);
  assertEquals(quality.get(0).segments, 100 + 3 * RECENT_SEGMENTS);
});

Deno.test("DeviceQuality grows to high device indexes and keeps devices apart", () => {
  const quality = new DeviceQuality();
  quality.addRtt(50_000, "lan", 0.004);
  quality.addSegments(7, 10, 1);
  assertEquals(quality.devices, 50_001);
  assertEquals(quality.get(50_000).lanRttMs, 4);
  assertEquals(quality.get(7).retransmitRate, 0.1);
  assertEquals(quality.get(8).retransmitRate, null);
});

Deno.test("DeviceQuality refuses bad sides, RTTs, counts and devices", () => {
  const quality = new DeviceQuality();
  assertThrows(() => quality.addRtt(0, "lag" as "lan", 0.01), TypeError);
  assertThrows(() => quality.addRtt(0, "toString" as "lan", 0.01), TypeError);
  assertThrows(() => quality.addRtt(0, "wan", -0.01), RangeError);
  assertThrows(() => quality.addRtt(0, "wan", NaN), RangeError);
  assertThrows(() => quality.addRtt(-1, "wan", 0.01), RangeError);
  assertThrows(() => quality.addSegments(0, 1, 2), RangeError);
  assertThrows(() => quality.addSegments(0, -1, 0), RangeError);
  assertThrows(() => quality.addSegments(1.5, 1, 0), RangeError);
  assertThrows(() => quality.get(-1), RangeError);
  assertEquals(quality.devices, 0);
});

Deno.test("DeviceQuality.forgetDevice() leaves the index as never seen for the next device", () => {
  const quality = new DeviceQuality();
  const neverSeen = quality.get(9);
  for (const ms of [30, 40, 50]) quality.addRtt(2, "wan", ms / 1000);
  quality.addRtt(2, "lan", 0.003);
  quality.addSegments(2, 2 * RECENT_SEGMENTS + 10, 40);
  quality.addRtt(3, "wan", 0.020);
  quality.forgetDevice(2);
  assertEquals(quality.get(2), neverSeen);
  // The next device's samples alone: none of the old ring's RTTs in its median.
  quality.addRtt(2, "wan", 0.100);
  quality.addSegments(2, 10, 1);
  const next = quality.get(2);
  assertEquals([next.wanRttMs, next.wanRttSamples, next.lanRttMs], [100, 1, null]);
  assertEquals([next.segments, next.retransmits, next.retransmitRate], [10, 1, 0.1]);
  assertEquals(quality.get(3).wanRttMs, 20, "other devices keep theirs");
  quality.forgetDevice(70); // never seen: nothing to forget
  assertEquals(quality.devices, 4);
  assertThrows(() => quality.forgetDevice(-1), RangeError);
  assertThrows(() => quality.forgetDevice(1.5), RangeError);
});
