import { assertEquals, assertThrows } from "@std/assert";
import { parsePolicy, PolicyConfigError } from "../../../engine/policy/policy_config.ts";

const LINK = { down: "100Mbit", up: "20Mbit" };

function issues(value: unknown): { path: string; message: string }[] {
  return assertThrows(() => parsePolicy(value), PolicyConfigError).issues;
}

Deno.test("parsePolicy() converts units and fills defaults from the link", () => {
  const p = parsePolicy({
    timeZone: "Europe/Berlin",
    link: LINK,
    groups: { kids: ["MAC:02:00:00:00:00:0A", "ip:192.168.1.20"] },
    rules: [{
      id: "kids-quota",
      devices: { group: "kids" },
      action: {
        kind: "quota",
        bytes: "5GB",
        period: "day",
        then: { kind: "limit", down: "2Mbit" },
      },
    }, {
      id: "homework",
      devices: { group: "kids" },
      categories: ["Gaming"],
      schedule: [{ days: ["mon", "tue", "wed", "thu", "fri"], from: "16:00", to: "18:00" }],
      action: { kind: "block" },
    }],
  });
  assertEquals(p.link, { down: 12_500_000, up: 2_500_000 });
  assertEquals(p.groups.kids, ["mac:02:00:00:00:00:0a", "ip:192.168.1.20"]);
  assertEquals(p.rules[0].action, {
    kind: "quota",
    bytes: 5e9,
    period: "day",
    then: { kind: "limit", down: 250_000 },
  });
  assertEquals(p.shares, { high: 0.5, normal: 0.35, low: 0.15 });
  assertEquals([p.auto.lowAbove, p.auto.highBelow, p.auto.window, p.auto.confirm], [
    3_750_000,
    250_000,
    10,
    3,
  ]);
  assertEquals(p.alerts.sustained, { rate: 10_000_000, seconds: 300 });
  assertEquals(p.alerts.spike, { sigma: 3, minRate: 1_250_000 });
  assertEquals([p.alerts.quotaWarnAt, p.alerts.offlineAfter, p.alerts.cooldown], [0.8, 300, 600]);
});

Deno.test("parsePolicy() names every bad field by its path", () => {
  assertEquals(issues({ link: { down: "fast", up: 1 } })[0].path, "link.down");
  assertEquals(issues({ link: LINK, extra: 1 })[0], {
    path: "",
    message: 'unknown field "extra"',
  });
  assertEquals(issues({ link: { down: 1 } })[0], { path: "link.up", message: "is required" });
  const found = issues({
    link: LINK,
    timeZone: "Mars/Olympus",
    rules: [
      { id: "a", devices: { group: "nobody" }, action: { kind: "block" } },
      { id: "a", devices: { all: true }, action: { kind: "allow" } },
      {
        id: "late",
        devices: { all: true },
        schedule: [{ days: ["mon"], from: "25:00", to: "07:00" }],
        action: { kind: "priority", priority: "low" },
      },
    ],
  }).map((i) => i.path);
  assertEquals(found, [
    "timeZone",
    "rules[0].devices.group",
    "rules[1].id",
    "rules[1].action.kind",
    "rules[2].schedule[0].from",
  ]);
  assertEquals(
    issues({
      link: LINK,
      rules: [{ id: "x", devices: { device: "laptop" }, action: { kind: "block" } }],
    })[0]
      .path,
    "rules[0].devices.device",
  );
  assertEquals(
    issues({
      link: LINK,
      rules: [{ id: "x", devices: { all: true }, action: { kind: "limit" } }],
    })[0],
    { path: "rules[0].action", message: "a limit needs down, up or both" },
  );
  assertEquals(
    issues({
      link: LINK,
      rules: [{ id: "x", devices: { all: true }, action: { kind: "shout" } }],
    })[0]
      .path,
    "rules[0].action.kind",
  );
  assertEquals(issues({ link: LINK, shares: { high: 0.6, normal: 0.3, low: 0.2 } })[0], {
    path: "shares",
    message: "must add up to at most 1, got 1.1",
  });
  assertEquals(
    issues({ link: LINK, auto: { lowAbove: "1Mbit", highBelow: "2Mbit" } })[0].path,
    "auto.highBelow",
  );
});

Deno.test("PolicyConfigError's message is the first problem in one line, counting the rest", () => {
  const err = assertThrows(
    () => parsePolicy({ link: { down: "x", up: "y" } }),
    PolicyConfigError,
  );
  assertEquals(err.message.split("\n").length, 1);
  assertEquals(err.message.startsWith("link.down: "), true);
  assertEquals(err.message.endsWith("(and 1 more)"), true);
});
