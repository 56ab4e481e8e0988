import { assertEquals, assertLessOrEqual } from "@std/assert";
import { parsePolicy } from "../../../engine/policy/policy_config.ts";
import { type DeviceSecond, PolicyEngine } from "../../../engine/policy/policy_engine.ts";
import type { Decision } from "../../../engine/policy/policy_types.ts";

const MBIT = 125_000;
const KID = "mac:02:00:00:00:00:0a";
// Wednesday 2024-01-10 20:59:50 in Europe/Berlin.
const T0 = Date.parse("2024-01-10T20:59:50+01:00");

function kid(down: number, up = 0): DeviceSecond {
  return { index: 3, id: KID, name: "Kid's tablet", labelled: true, down, up };
}

/** Runs `seconds` seconds from `start`, feeding `traffic(t)`; returns every decision. */
function run(
  engine: PolicyEngine,
  start: number,
  seconds: number,
  traffic: (t: number) => DeviceSecond[],
): Decision[] {
  const out: Decision[] = [];
  for (let s = 1; s <= seconds; s++) {
    const t = start + s * 1000;
    out.push(...engine.second(t, traffic(t)).decisions);
  }
  return out;
}

Deno.test("PolicyEngine applies and lifts a schedule at its exact boundaries, with no traffic needed", () => {
  const engine = new PolicyEngine(parsePolicy({
    timeZone: "Europe/Berlin",
    link: { down: "100Mbit", up: "20Mbit" },
    auto: { enabled: false },
    groups: { kids: [KID] },
    rules: [{
      id: "bedtime",
      devices: { group: "kids" },
      schedule: [{ days: ["wed"], from: "21:00", to: "07:00" }],
      action: { kind: "block" },
    }],
  }));
  const decisions = run(engine, T0, 10 * 3600 + 60, (t) => t === T0 + 1000 ? [kid(1000)] : []);
  assertEquals(decisions.map((d) => [new Date(d.time).toISOString(), d.kind, d.ruleId]), [
    ["2024-01-10T20:00:00.000Z", "block", "bedtime"],
    ["2024-01-11T06:00:00.000Z", "unblock", null],
  ]);
});

Deno.test("PolicyEngine: a quota crossing decides in the same second, and lifts at the period's start", () => {
  const engine = new PolicyEngine(parsePolicy({
    timeZone: "Europe/Berlin",
    link: { down: "100Mbit", up: "20Mbit" },
    auto: { enabled: false },
    rules: [{
      id: "daily",
      devices: { all: true },
      action: {
        kind: "quota",
        bytes: "1GB",
        period: "day",
        then: { kind: "limit", down: "1Mbit" },
      },
    }],
  }));
  // 10 MB/s: the 100th second brings the day's use to 1 GB.
  const decisions = run(engine, T0 - 99_000, 300, () => [kid(10_000_000)]);
  assertEquals(decisions[0].kind, "limit");
  assertEquals(decisions[0].time, T0 + 1000, "decided on the sample that crossed: latency 0 s");
  assertEquals(
    decisions[0].reason,
    "limited to 1 Mbit/s down: quota used, 1 GB of 1 GB this day (rule daily)",
  );
  const midnight = Date.parse("2024-01-11T00:00:00+01:00");
  const later = run(engine, midnight - 5000, 10, () => [kid(100)]);
  assertEquals(later.map((d) => [d.time - midnight, d.kind]), [[0, "unlimit"]]);
});

Deno.test("PolicyEngine: an automatic demotion is decided at the confirming sample, and a noisy device does not flap", () => {
  const engine = new PolicyEngine(parsePolicy({
    link: { down: "100Mbit", up: "20Mbit" },
    auto: { lowAbove: "25Mbit", highBelow: "5Mbit" },
    alerts: { spike: null, sustained: null },
  }));
  const heavy = run(engine, T0, 20, () => [kid(40 * MBIT)]).filter((d) => d.kind === "priority");
  assertEquals(heavy.map((d) => [d.to, (d.time - T0) / 1000]), [["Low", 3]]);
  assertEquals(
    heavy[0].reason,
    "Low since 19:59:53: download 40 Mbit/s over 3 s > 25 Mbit/s threshold, confirmed 3 samples",
  );
  // Seeded noise around the threshold: ±20% of 25 Mbit/s for 10,000 s.
  let seed = 42;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const noisy = run(engine, T0 + 20_000, 10_000, () => [kid(25 * MBIT * (0.8 + 0.4 * random()))]);
  assertLessOrEqual(noisy.filter((d) => d.kind === "priority").length, 2);
});

Deno.test("PolicyEngine raises a new-device alert once and quota alerts at 80% and 100%", () => {
  const engine = new PolicyEngine(parsePolicy({
    link: { down: "100Mbit", up: "20Mbit" },
    auto: { enabled: false },
    alerts: { sustained: null, spike: null },
    rules: [{
      id: "daily",
      devices: { all: true },
      action: { kind: "quota", bytes: "100MB", period: "day", then: { kind: "block" } },
    }],
  }));
  const kinds: string[] = [];
  for (let s = 1; s <= 12; s++) {
    for (const e of engine.second(T0 + s * 1000, [kid(10_000_000)]).alerts) {
      kinds.push(`${e.type} ${e.alert.kind} @${s}`);
    }
  }
  assertEquals(kinds, [
    "started new_device @1",
    "started quota_warning @8",
    "started quota_reached @10",
  ]);
  assertEquals(engine.state(KID)?.blocked, true);
});
