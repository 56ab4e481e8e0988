import { assertEquals, assertThrows } from "@std/assert";
import { parseOverride, withOverrides } from "../../../engine/policy/override.ts";
import { parsePolicy, PolicyConfigError } from "../../../engine/policy/policy_config.ts";
import { type DeviceSecond, PolicyEngine } from "../../../engine/policy/policy_engine.ts";
import type { Rule } from "../../../engine/policy/policy_types.ts";

const KID = "mac:02:00:00:00:00:0a";
const TV = "mac:02:00:00:00:00:0b";
const T0 = Date.parse("2024-01-10T20:00:00Z");

function pause(id: string, at: number, until?: number, device = KID): Rule {
  return parseOverride({
    id,
    devices: { device },
    action: { kind: "block" },
    manual: { at, ...(until === undefined ? {} : { until }), by: "alice" },
  });
}

function second(down: number, id = KID, index = 3): DeviceSecond {
  return { index, id, name: id === KID ? "Kid's tablet" : "TV", labelled: true, down, up: 0 };
}

const POLICY = parsePolicy({
  link: { down: "100Mbit", up: "20Mbit" },
  auto: { enabled: false },
  groups: { kids: [KID] },
  rules: [{ id: "cap", devices: { all: true }, action: { kind: "limit", down: "20Mbit" } }],
});

Deno.test("parseOverride() reads figures and device ids as a policy file does", () => {
  const rule = parseOverride({
    id: "manual-2",
    devices: { device: "MAC:02-00-00-00-00-0A" },
    categories: ["Streaming"],
    action: { kind: "limit", down: "2Mbit", up: 62_500 },
    manual: { at: T0, until: T0 + 3_600_000 },
  });
  assertEquals(rule, {
    id: "manual-2",
    devices: { device: KID },
    categories: ["Streaming"],
    action: { kind: "limit", down: 250_000, up: 62_500 },
    manual: { at: T0, until: T0 + 3_600_000 },
  });
  // Stored overrides are read back through it: parsed numbers read the same.
  assertEquals(parseOverride(rule), rule);
});

Deno.test("parseOverride() refuses what is not an override, naming each field", () => {
  const issues = (value: unknown) =>
    assertThrows(() => parseOverride(value), PolicyConfigError).issues.map((i) =>
      `${i.path}: ${i.message}`
    );
  const base = { id: "manual-1", devices: { device: KID }, manual: { at: T0 } };
  assertEquals(issues({ ...base, action: { kind: "block" }, manual: undefined }), [
    "manual: is required for an override",
  ]);
  assertEquals(
    issues({
      ...base,
      action: { kind: "quota", bytes: "1GB", period: "day", then: { kind: "block" } },
    }),
    ['action.kind: a manual override is block, limit, priority, allow; got "quota"'],
  );
  assertEquals(issues({ ...base, action: { kind: "block" }, manual: { at: T0, until: T0 } }), [
    "manual.until: must be after manual.at",
  ]);
  assertEquals(issues({ ...base, action: { kind: "limit" } }), [
    "action: a limit needs down, up or both",
  ]);
  assertEquals(issues({ ...base, devices: { device: "tv" }, action: { kind: "block" } }), [
    'devices.device: "tv" is not a device id ("mac:aa:bb:cc:dd:ee:ff" or "ip:ADDRESS")',
  ]);
});

Deno.test("parsePolicy() keeps manual- ids for overrides and overrides to what they may do", () => {
  const err = assertThrows(() =>
    parsePolicy({
      link: { down: "100Mbit", up: "20Mbit" },
      rules: [
        { id: "manual-1", devices: { all: true }, action: { kind: "block" } },
        {
          id: "m",
          devices: { all: true },
          action: { kind: "timeBudget", seconds: "1h", then: { kind: "block" } },
          manual: { at: 0 },
        },
      ],
    }), PolicyConfigError);
  assertEquals(err.issues.map((i) => i.path), ["rules[0].id", "rules[1].action.kind"]);
});

Deno.test("withOverrides() refuses an override whole when it does not fit the policy, and keeps the rest", () => {
  const ok = pause("manual-1", T0);
  const clash = { ...pause("manual-2", T0), id: "cap" };
  const noGroup = { ...pause("manual-3", T0), devices: { group: "guests" } };
  const inGroup = { ...pause("manual-4", T0), devices: { group: "kids" } };
  const { policy, refused } = withOverrides(POLICY, [ok, clash, noGroup, inGroup]);
  assertEquals(policy.rules.map((r) => r.id), ["cap", "manual-1", "manual-4"]);
  assertEquals(refused, [
    { path: "cap.id", message: "is taken by another rule" },
    { path: "manual-3.devices.group", message: 'no group "guests"' },
  ]);
  assertEquals(POLICY.rules.length, 1, "the policy itself is left as it was");
});

Deno.test("PolicyEngine.setOverrides(): a pause is decided at the next second, with its reason, and lifts at its expiry", () => {
  const engine = new PolicyEngine(POLICY);
  engine.second(T0 + 1000, [second(1000)]);
  const refused = engine.setOverrides([pause("manual-1", T0 + 1500, T0 + 61_500)]);
  assertEquals(refused, []);
  const decided: [number, string, string, string | null][] = [];
  for (let t = T0 + 2000; t <= T0 + 70_000; t += 1000) {
    for (const d of engine.second(t, []).decisions) {
      decided.push([(d.time - T0) / 1000, d.kind, d.reason, d.ruleId]);
    }
  }
  assertEquals(decided, [
    [2, "block", "manual blocked by alice until 2024-01-10 20:01 UTC (rule manual-1)", "manual-1"],
    // 61.5 s falls inside the second ending at 62 s: decided at its end.
    [62, "unblock", "limited to 20 Mbit/s down (rule cap)", "cap"],
    [62, "limit", "limited to 20 Mbit/s down (rule cap)", "cap"],
  ]);
});

Deno.test("PolicyEngine.setOverrides(): the latest override wins, clearing restores the rules, an override waits for its device", () => {
  const engine = new PolicyEngine(POLICY);
  engine.second(T0 + 1000, [second(1000)]);
  const allow = parseOverride({
    id: "manual-2",
    devices: { device: KID },
    action: { kind: "allow" },
    manual: { at: T0 + 1100 },
  });
  const tvPause = pause("manual-3", T0 + 1200, undefined, TV);
  engine.setOverrides([pause("manual-1", T0 + 1000), allow, tvPause]);
  const step = engine.second(T0 + 2000, [second(1000)]);
  assertEquals(step.decisions.map((d) => [d.device, d.kind, d.to, d.ruleId]), [
    [KID, "unlimit", "none", "manual-2"],
  ]);
  assertEquals(engine.state(TV), undefined, "not seen yet");
  const tv = engine.second(T0 + 3000, [second(500, TV, 4)]);
  assertEquals(tv.decisions.map((d) => [d.device, d.kind, d.ruleId]), [[TV, "block", "manual-3"]]);

  engine.setOverrides([]);
  const cleared = engine.second(T0 + 4000, []);
  assertEquals(cleared.decisions.map((d) => [d.device, d.kind, d.to]).sort(), [
    [KID, "limit", "20 Mbit/s down"],
    [TV, "limit", "20 Mbit/s down"],
    [TV, "unblock", "allowed"],
  ]);
});

Deno.test("PolicyEngine.setOverrides(): a newer limit replaces a pause, a priority override adds to it, and the pause shows again when the limit goes", () => {
  const engine = new PolicyEngine(POLICY);
  const limit = parseOverride({
    id: "manual-2",
    devices: { device: KID },
    action: { kind: "limit", down: "2Mbit" },
    manual: { at: T0 + 200 },
  });
  const low = parseOverride({
    id: "manual-3",
    devices: { device: KID },
    action: { kind: "priority", priority: "low" },
    manual: { at: T0 + 300 },
  });
  const state = () => {
    const s = engine.state(KID)!;
    return [s.blocked, s.down, s.priority, s.ruleId];
  };
  engine.setOverrides([pause("manual-1", T0 + 100), limit, low]);
  engine.second(T0 + 1000, [second(1000)]);
  assertEquals(state(), [false, 250_000, "low", "manual-2"]);
  engine.setOverrides([pause("manual-1", T0 + 100), low]);
  engine.second(T0 + 2000, []);
  assertEquals(state(), [true, null, "low", "manual-1"]);
});

Deno.test("PolicyEngine.setOverrides() returns the refused and applies the others", () => {
  const engine = new PolicyEngine(POLICY);
  const refused = engine.setOverrides([
    { ...pause("manual-1", T0), devices: { group: "guests" } },
    pause("manual-2", T0),
  ]);
  assertEquals(refused.map((r) => r.path), ["manual-1.devices.group"]);
  const step = engine.second(T0 + 1000, [second(1000)]);
  assertEquals(step.decisions.map((d) => [d.kind, d.ruleId]), [["block", "manual-2"]]);
  assertEquals(engine.policy.rules.map((r) => r.id), ["cap", "manual-2"]);
});
