import { assertEquals, assertLessOrEqual, assertThrows } from "@std/assert";
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

/** Blocks the kid's tablet on Wednesdays from 21:00 to 07:00; no automatic priorities. */
function bedtimeEngine(): PolicyEngine {
  return new PolicyEngine(parsePolicy({
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
}

Deno.test("PolicyEngine applies and lifts a schedule at its exact boundaries, with no traffic needed", () => {
  const engine = bedtimeEngine();
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

Deno.test("PolicyEngine counts a quota of some apps from those apps' bytes alone, and limits just them", () => {
  const engine = new PolicyEngine(parsePolicy({
    link: { down: "100Mbit", up: "20Mbit" },
    auto: { enabled: false },
    rules: [{
      id: "games",
      devices: { all: true },
      categories: ["Gaming"],
      action: { kind: "quota", bytes: "10MB", period: "day", then: { kind: "block" } },
    }],
  }));
  assertEquals(engine.needsApps, true);
  const second = (gaming: number): DeviceSecond => ({
    ...kid(gaming + 3_000_000),
    apps: [
      { app: "steam", category: "Gaming", down: gaming, up: 0 },
      { app: "netflix", category: "Streaming", down: 3_000_000, up: 0 },
    ],
  });
  // 1 MB/s of gaming among 4 MB/s: 10 MB of games is reached at the 10th second, not the 3rd.
  const decisions = run(engine, T0, 12, () => [second(1_000_000)]);
  assertEquals(
    decisions.map((d) => [d.time - T0, d.kind, d.categories, d.reason]),
    [[10_000, "block", ["Gaming"], "blocked: quota used, 10 MB of 10 MB this day (rule games)"]],
  );
  assertEquals(engine.state(KID)?.blocked, false, "the rest of its traffic goes on");
  const scoped = engine.state(KID)?.scoped ?? [];
  assertEquals(scoped.map((s) => [s.categories, s.blocked, s.ruleId]), [[
    ["Gaming"],
    true,
    "games",
  ]]);
  const midnight = Date.parse("2024-01-11T00:00:00Z");
  const lifted = run(engine, midnight - 2000, 4, () => [second(0)]);
  assertEquals(lifted.map((d) => [d.time - midnight, d.kind, d.categories, d.ruleId, d.reason]), [
    [0, "unblock", ["Gaming"], "games", "rule games no longer applies"],
  ]);
  const fresh = new PolicyEngine(engine.policy);
  run(fresh, T0, 9, () => [second(1_000_000)]);
  assertEquals(fresh.state(KID)?.scoped, [], "9 MB of games: not yet");
});

Deno.test("PolicyEngine: a quota seeded before the device appears counts from the seed; a familiar device is not new", () => {
  const engine = new PolicyEngine(parsePolicy({
    link: { down: "100Mbit", up: "20Mbit" },
    auto: { enabled: false },
    rules: [{
      id: "monthly",
      devices: { device: KID },
      action: { kind: "quota", bytes: "50GB", period: "month", then: { kind: "block" } },
    }],
  }));
  engine.seed(KID, "monthly", 49_999_000_000, T0); // from history, after a restart
  engine.familiar(KID);
  const step = engine.second(T0 + 1000, [kid(600_000, 400_000)]);
  assertEquals(step.decisions.map((d) => [d.kind, d.reason]), [
    ["block", "blocked: quota used, 50 GB of 50 GB this month (rule monthly)"],
  ]);
  assertEquals(step.alerts.map((a) => a.alert.kind), ["quota_reached"]); // the warning was the last run's
  assertEquals(step.states.map((s) => [s.id, s.blocked]), [[KID, true]]);
  assertEquals(engine.counters(KID).get("monthly")?.used, 50_000_000_000);
  // A seed for a rule that does not count, or a negative one, is refused.
  assertThrows(
    () => engine.seed(KID, "nope", 1, T0),
    RangeError,
    `no quota or time-budget rule "nope"`,
  );
  assertThrows(() => engine.seed(KID, "monthly", -1, T0), RangeError, "used must be a number >= 0");
});

Deno.test("PolicyEngine: each step lists the states that changed, the first evaluation of a device too", () => {
  const engine = new PolicyEngine(parsePolicy({ link: { down: "100Mbit", up: "20Mbit" } }));
  const first = engine.second(T0, [kid(100)]);
  assertEquals(first.states.map((s) => [s.id, s.level, s.priority]), [[KID, "auto", "normal"]]);
  assertEquals(first.decisions, []); // Normal is where every device starts: nothing decided
  assertEquals(engine.second(T0 + 1000, [kid(100)]).states, []);
});

Deno.test("PolicyEngine.desired() gives the shaper the link, shares, latency-sensitive categories and states by device", () => {
  const engine = new PolicyEngine(parsePolicy({
    link: { down: "100Mbit", up: "20Mbit" },
    auto: { enabled: false, latencySensitive: ["VideoCalls", "Gaming"] },
    rules: [{ id: "cap", devices: { device: KID }, action: { kind: "limit", down: "8Mbit" } }],
  }));
  const other = { ...kid(10), index: 1, id: "mac:02:00:00:00:00:01" };
  engine.second(T0, [kid(10), other]);
  const desired = engine.desired();
  assertEquals(desired.link, { down: 12_500_000, up: 2_500_000 });
  assertEquals(desired.shares, { high: 0.5, normal: 0.35, low: 0.15 });
  assertEquals(desired.latencySensitive, ["VideoCalls", "Gaming"]);
  assertEquals(desired.devices.map((d) => [d.id, d.down]), [[other.id, null], [KID, 1_000_000]]);
});

Deno.test("PolicyEngine.revision moves when a device's state changes, and only then", () => {
  const engine = bedtimeEngine();
  const revisions: number[] = [];
  for (let s = 1; s <= 20; s++) {
    engine.second(T0 + s * 1000, [kid(MBIT)]);
    revisions.push(engine.revision);
  }
  // Seen at 20:59:51 (a first state), blocked at 21:00:00; the same otherwise.
  assertEquals(revisions.filter((r, i) => i > 0 && r !== revisions[i - 1]).length, 1);
  assertEquals(revisions[0], 1);
  assertEquals(revisions.at(-1), 2);
});
