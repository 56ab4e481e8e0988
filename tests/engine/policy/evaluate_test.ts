import { assertEquals } from "@std/assert";
import { evaluateDevice, PreparedPolicy } from "../../../engine/policy/evaluate.ts";
import { stateDecisions } from "../../../engine/policy/decisions.ts";
import { parsePolicy } from "../../../engine/policy/policy_config.ts";
import type { DeviceState } from "../../../engine/policy/policy_types.ts";

const KID = "mac:02:00:00:00:00:0a", TV = "mac:02:00:00:00:00:0b", NEW = "mac:02:00:00:00:00:0c";
// Wednesday 2024-01-10, in Europe/Berlin (UTC+1 in winter).
const at = (hhmm: string, day = 10) => Date.parse(`2024-01-${day}T${hhmm}:00+01:00`);

function policy(rules: unknown[], extra: Record<string, unknown> = {}): PreparedPolicy {
  return new PreparedPolicy(parsePolicy({
    timeZone: "Europe/Berlin",
    link: { down: "100Mbit", up: "20Mbit" },
    groups: { kids: [KID] },
    rules,
    ...extra,
  }));
}

const bedtime = {
  id: "bedtime",
  devices: { group: "kids" },
  schedule: [{ days: ["sun", "mon", "tue", "wed", "thu"], from: "21:00", to: "07:00" }],
  action: { kind: "block" },
};
const kidCap = {
  id: "kid-cap",
  devices: { group: "kids" },
  action: { kind: "limit", down: "20Mbit" },
};
const kidQuota = {
  id: "kid-quota",
  devices: { group: "kids" },
  action: {
    kind: "quota",
    bytes: "5GB",
    period: "day",
    then: { kind: "limit", down: "2Mbit", up: "1Mbit" },
  },
};
const pause = (from: string, until: string) => ({
  id: "pause",
  devices: { device: KID },
  action: { kind: "block" },
  manual: { at: at(from), until: at(until), by: "admin" },
});
const letThrough = {
  id: "let-through",
  devices: { device: KID },
  action: { kind: "allow" },
  manual: { at: at("20:00") },
};

function kid(
  p: PreparedPolicy,
  time: number,
  extra: Partial<Parameters<typeof evaluateDevice>[1]> = {},
) {
  return evaluateDevice(p, { id: KID, labelled: true, ...extra }, time);
}

const enforced = (s: DeviceState) => [s.blocked, s.down, s.up, s.priority, s.level, s.ruleId];

Deno.test("evaluateDevice(): a schedule across midnight belongs to the day it starts", () => {
  const p = policy([bedtime]);
  assertEquals(kid(p, at("20:59")).blocked, false);
  assertEquals(kid(p, at("21:00")).blocked, true); // Wednesday evening
  assertEquals(kid(p, at("06:59", 11)).blocked, true); // Thursday morning: Wednesday's window
  assertEquals(kid(p, at("07:00", 11)).blocked, false);
  assertEquals(kid(p, at("23:00", 12)).blocked, false, "Friday night is not in Sun–Thu");
  assertEquals(kid(p, at("03:00", 13)).blocked, false, "nor is Saturday 03:00 (Friday's night)");
  assertEquals(kid(p, at("21:00")).reason, "blocked (Sun–Thu 21:00–07:00) (rule bedtime)");
});

Deno.test("evaluateDevice(): manual > block > schedule > quota > auto, setting by setting", () => {
  const p = policy([kidQuota, kidCap, bedtime, pause("12:00", "13:00"), letThrough]);
  const auto = { priority: "low" as const, reason: "Low since 11:00:00: ..." };
  const over = { quotaUsed: { "kid-quota": 6e9 }, auto };
  // Noon, quota used: the manual pause beats everything.
  assertEquals(enforced(kid(p, at("12:30"), over)), [true, null, null, "low", "manual", "pause"]);
  // 14:00: the standing cap (schedule level) decides download, the quota still decides upload.
  assertEquals(enforced(kid(p, at("14:00"), over)), [
    false,
    2_500_000,
    125_000,
    "low",
    "schedule",
    "kid-cap",
  ]);
  // Without the quota used up, only the cap; auto decides priority.
  assertEquals(enforced(kid(p, at("14:00"), { auto })), [
    false,
    2_500_000,
    null,
    "low",
    "schedule",
    "kid-cap",
  ]);
  // 20:00 the manual "allow" lifts the cap and the quota's limits; auto still sets priority.
  assertEquals(enforced(kid(p, at("20:30"), over)), [
    false,
    null,
    null,
    "low",
    "manual",
    "let-through",
  ]);
  // 22:00: the block of bedtime is below the manual allow, so the allow still wins.
  assertEquals(kid(p, at("22:00"), over).blocked, false);
});

Deno.test("evaluateDevice(): a used-up quota applies its limit until the period resets", () => {
  const p = policy([kidQuota]);
  assertEquals(enforced(kid(p, at("18:00"), { quotaUsed: { "kid-quota": 4.9e9 } })), [
    false,
    null,
    null,
    "normal",
    "default",
    null,
  ]);
  const used = kid(p, at("18:00"), { quotaUsed: { "kid-quota": 5.2e9 } });
  assertEquals(enforced(used), [false, 250_000, 125_000, "normal", "quota", "kid-quota"]);
  assertEquals(
    used.reason,
    "limited to 2 Mbit/s down, 1 Mbit/s up: quota used, 5.2 GB of 5 GB this day (rule kid-quota)",
  );
});

Deno.test("evaluateDevice(): a time budget blocks once the day's online time is used", () => {
  const p = policy([{
    id: "screen-time",
    devices: { group: "kids" },
    action: { kind: "timeBudget", seconds: "2h", then: { kind: "block" } },
  }]);
  assertEquals(kid(p, at("15:00"), { budgetUsed: { "screen-time": 7199 } }).blocked, false);
  const out = kid(p, at("15:00"), { budgetUsed: { "screen-time": 7200 } });
  assertEquals([out.blocked, out.level], [true, "quota"]);
  assertEquals(out.reason, "blocked: time budget used, 2h of 2h online today (rule screen-time)");
});

Deno.test("evaluateDevice(): a manual override ends at its expiry", () => {
  const p = policy([pause("12:00", "13:00")]);
  assertEquals(kid(p, at("11:59")).blocked, false);
  assertEquals(kid(p, at("12:00")).blocked, true);
  assertEquals(
    kid(p, at("12:00")).reason,
    "manual blocked by admin until 2024-01-10 12:00 UTC (rule pause)",
  );
  assertEquals(kid(p, at("13:00")).blocked, false);
});

Deno.test("evaluateDevice(): {unknown: true} matches devices with no label and in no group", () => {
  const p = policy([{
    id: "strangers",
    devices: { unknown: true },
    action: { kind: "limit", down: "5Mbit" },
  }]);
  assertEquals(evaluateDevice(p, { id: NEW, labelled: false }, at("12:00")).down, 625_000);
  assertEquals(evaluateDevice(p, { id: TV, labelled: true }, at("12:00")).down, null);
  assertEquals(
    evaluateDevice(p, { id: KID, labelled: false }, at("12:00")).down,
    null,
    "in a group",
  );
});

Deno.test("evaluateDevice(): a rule for some apps or categories decides only their traffic", () => {
  const p = policy([{
    id: "no-games-homework",
    devices: { group: "kids" },
    categories: ["Gaming"],
    schedule: [{ days: ["mon", "tue", "wed", "thu", "fri"], from: "16:00", to: "18:00" }],
    action: { kind: "block" },
  }, { ...kidCap, id: "tv-streaming", apps: ["netflix"], devices: { device: TV } }]);
  const k = kid(p, at("16:30"));
  assertEquals(enforced(k), [false, null, null, "normal", "default", null]);
  assertEquals(k.scoped, [{
    blocked: true,
    down: null,
    up: null,
    priority: "normal",
    level: "block",
    ruleId: "no-games-homework",
    reason: "blocked (Mon–Fri 16:00–18:00) (rule no-games-homework)",
    categories: ["Gaming"],
  }]);
  assertEquals(kid(p, at("18:30")).scoped, []);
  const tv = evaluateDevice(p, { id: TV, labelled: true }, at("16:30"));
  assertEquals([tv.down, tv.scoped[0].down, tv.scoped[0].apps], [null, 2_500_000, ["netflix"]]);
});

Deno.test("evaluateDevice(): the auto class decides priority when no rule does, with its reason", () => {
  const p = policy([{
    id: "tv-high",
    devices: { device: TV },
    action: { kind: "priority", priority: "high" },
  }]);
  const auto = {
    priority: "low" as const,
    reason:
      "Low since 14:02:11: download 38.2 Mbit/s over 10 s > 30 Mbit/s threshold, confirmed 3 samples",
  };
  const k = kid(p, at("14:02"), { auto });
  assertEquals([k.priority, k.level, k.reason], ["low", "auto", auto.reason]);
  const tv = evaluateDevice(p, { id: TV, labelled: true, auto }, at("14:02"));
  assertEquals([tv.priority, tv.level, tv.ruleId], ["high", "schedule", "tv-high"]);
});

Deno.test("stateDecisions() names each change with the new state's reason", () => {
  const p = policy([kidQuota, bedtime]);
  const before = kid(p, at("20:00"), { quotaUsed: { "kid-quota": 6e9 } });
  const after = kid(p, at("21:00"), { quotaUsed: { "kid-quota": 6e9 } });
  assertEquals(stateDecisions(before, after, at("21:00")), [{
    time: at("21:00"),
    device: KID,
    kind: "block",
    from: "allowed",
    to: "blocked",
    ruleId: "bedtime",
    reason: "blocked (Sun–Thu 21:00–07:00) (rule bedtime)",
  }]);
  assertEquals(stateDecisions(after, after, at("21:01")), []);
  const lifted = kid(p, at("07:00", 11), { quotaUsed: { "kid-quota": 6e9 } });
  assertEquals(stateDecisions(after, lifted, at("07:00", 11)).map((d) => [d.kind, d.from, d.to]), [
    ["unblock", "blocked", "allowed"],
    ["limit", "none", "2 Mbit/s down, 1 Mbit/s up"],
  ]);
});

Deno.test("a priority change keeps its own source when a limit rule decided the rest", () => {
  const p = policy([
    { id: "cap", devices: { device: TV }, action: { kind: "limit", down: "8Mbit" } },
    { id: "tv-low", devices: { device: TV }, action: { kind: "priority", priority: "low" } },
  ]);
  const fromRule = evaluateDevice(p, { id: TV, labelled: true }, at("12:00"));
  assertEquals([fromRule.ruleId, fromRule.priorityBy], ["cap", {
    ruleId: "tv-low",
    reason: "Low priority (rule tv-low)",
  }]);
  const p2 = policy([{
    id: "cap",
    devices: { device: TV },
    action: { kind: "limit", down: "8Mbit" },
  }]);
  const auto = { priority: "high" as const, reason: "High since 12:00:00: quiet" };
  const fromAuto = evaluateDevice(p2, { id: TV, labelled: true, auto }, at("12:00"));
  const decisions = stateDecisions(undefined, fromAuto, at("12:00"));
  assertEquals(decisions.map((d) => [d.kind, d.ruleId, d.reason]), [
    ["limit", "cap", "limited to 8 Mbit/s down (rule cap)"],
    ["priority", null, "High since 12:00:00: quiet"],
  ]);
});
