// PolicyEngine.reconfigure() and preview(): the policy edited while running.
import { assertEquals } from "@std/assert";
import { parsePolicy } from "../../../engine/policy/policy_config.ts";
import { type DeviceSecond, PolicyEngine } from "../../../engine/policy/policy_engine.ts";
import type { Rule } from "../../../engine/policy/policy_types.ts";

const MBIT = 125_000;
const TV = "mac:02:00:00:00:00:07";
const T0 = Date.parse("2024-01-10T20:00:00Z");

function tv(down: number, apps = false): DeviceSecond {
  const d: DeviceSecond = { index: 0, id: TV, name: "TV", labelled: true, down, up: 0 };
  if (apps) d.apps = [{ app: "youtube", category: "Streaming", down, up: 0 }];
  return d;
}

function policy(rules: unknown[], extra: Record<string, unknown> = {}) {
  return parsePolicy({
    link: { down: "100Mbit", up: "20Mbit" },
    auto: { enabled: false },
    groups: { screens: [TV] },
    rules,
    ...extra,
  });
}

const cap = (down: string) => ({
  id: "cap",
  devices: { device: TV },
  action: { kind: "limit", down },
});
const quota = {
  id: "q",
  devices: { all: true },
  action: { kind: "quota", bytes: "1GB", period: "day", then: { kind: "block" } },
};
const pause: Rule = {
  id: "manual-1",
  devices: { group: "screens" },
  action: { kind: "priority", priority: "low" },
  manual: { at: T0 },
};

Deno.test("reconfigure() applies new rules from the next second and bumps the revision", () => {
  const engine = new PolicyEngine(policy([cap("8Mbit")]));
  engine.second(T0 + 1000, [tv(1000)]);
  assertEquals(engine.state(TV)?.down, 8 * MBIT);
  const before = engine.revision;
  assertEquals(engine.reconfigure(policy([cap("2Mbit")])), []);
  assertEquals(engine.revision, before + 1);
  assertEquals(engine.configured.rules.map((r) => r.id), ["cap"]);
  // No traffic needed: every device is evaluated again.
  const step = engine.second(T0 + 2000, []);
  assertEquals(step.decisions.map((d) => [d.kind, d.to]), [["limit", "2 Mbit/s down"]]);
  assertEquals(engine.state(TV)?.down, 2 * MBIT);
});

Deno.test("reconfigure() keeps the manual overrides, refusing those that no longer fit", () => {
  const engine = new PolicyEngine(policy([cap("8Mbit")]));
  engine.setOverrides([pause]);
  engine.second(T0 + 1000, [tv(1000)]);
  assertEquals(engine.state(TV)?.priority, "low");
  engine.reconfigure(policy([]));
  assertEquals(engine.policy.rules.map((r) => r.id), ["manual-1"]);
  engine.second(T0 + 2000, []);
  assertEquals([engine.state(TV)?.priority, engine.state(TV)?.down], ["low", null]);
  const refused = engine.reconfigure(policy([], { groups: {} }));
  assertEquals(refused, [{ path: "manual-1.devices.group", message: 'no group "screens"' }]);
  assertEquals(engine.policy.rules, []);
});

Deno.test("reconfigure() keeps the counters of rules that remain and drops the others", () => {
  const engine = new PolicyEngine(policy([quota]));
  engine.seed("mac:02:00:00:00:00:99", "q", 5000, T0);
  engine.second(T0 + 1000, [tv(1000)]);
  assertEquals(engine.counters(TV).get("q")?.used, 1000);
  engine.reconfigure(policy([quota, cap("8Mbit")]));
  assertEquals(engine.counters(TV).get("q")?.used, 1000);
  engine.reconfigure(policy([cap("8Mbit")]));
  assertEquals(engine.counters(TV).size, 0);
  // A seed for a device not seen yet goes with its rule too.
  engine.reconfigure(policy([quota]));
  engine.second(T0 + 2000, [{ ...tv(10), index: 1, id: "mac:02:00:00:00:00:99" }]);
  assertEquals(engine.counters("mac:02:00:00:00:00:99").get("q")?.used, 10);
});

Deno.test("reconfigure() makes needsApps follow the rules", () => {
  const engine = new PolicyEngine(policy([]));
  assertEquals(engine.needsApps, false);
  engine.reconfigure(policy([{ ...quota, apps: ["youtube"] }]));
  assertEquals(engine.needsApps, true);
  engine.second(T0 + 1000, [tv(3000, true)]);
  assertEquals(engine.counters(TV).get("q")?.used, 3000);
  engine.reconfigure(policy([]));
  assertEquals(engine.needsApps, false);
});

Deno.test("reconfigure() keeps active alerts unless the alert settings changed", () => {
  const alerts = { sustained: { rate: "1Mbit", for: "2s" } };
  const engine = new PolicyEngine(policy([], { alerts }));
  for (let s = 1; s <= 3; s++) engine.second(T0 + s * 1000, [tv(5 * MBIT)]);
  assertEquals(engine.activeAlerts().map((a) => a.kind), ["sustained_rate"]);
  engine.reconfigure(policy([cap("80Mbit")], { alerts }));
  assertEquals(engine.activeAlerts().length, 1);
  engine.reconfigure(policy([cap("80Mbit")], { alerts: { ...alerts, cooldown: "1m" } }));
  assertEquals(engine.activeAlerts().length, 0);
});

Deno.test("reconfigure() starts automatic priorities afresh only when their settings change", () => {
  const auto = { enabled: true, window: 2, confirm: 1, lowAbove: "10Mbit", highBelow: "1Mbit" };
  const engine = new PolicyEngine(policy([], { auto }));
  for (let s = 1; s <= 3; s++) engine.second(T0 + s * 1000, [tv(50 * MBIT)]);
  assertEquals(engine.state(TV)?.priority, "low");
  engine.reconfigure(policy([cap("80Mbit")], { auto }));
  engine.second(T0 + 4000, []);
  assertEquals(engine.state(TV)?.priority, "low");
  engine.reconfigure(policy([], { auto: { enabled: false } }));
  engine.second(T0 + 5000, []);
  assertEquals(engine.state(TV)?.priority, "normal");
});

Deno.test("preview() evaluates a device with other overrides, changing nothing", () => {
  const engine = new PolicyEngine(policy([cap("8Mbit")]));
  const allow: Rule = {
    id: "manual-2",
    devices: { device: TV },
    action: { kind: "allow" },
    manual: { at: T0 },
  };
  engine.setOverrides([allow]);
  engine.second(T0 + 1000, [tv(1000)]);
  assertEquals(engine.state(TV)?.down, null);
  assertEquals(engine.preview(TV, [], T0 + 1000).down, 8 * MBIT);
  assertEquals(engine.preview("mac:02:00:00:00:00:42", [], T0 + 1000).down, null);
  assertEquals(engine.state(TV)?.down, null);
});
