// seedPolicy(): a new engine picks up where the last run left off: stored
// devices are familiar, quotas count today's history, time budgets their
// saved counters.
import { assertEquals } from "@std/assert";
import { seedPolicy } from "../../cli/policy_seed.ts";
import {
  DAY_MS,
  DeviceStore,
  PolicyStateStore,
  UsageHistory,
  type UsageSample,
} from "../../engine/history/mod.ts";
import {
  type AppSecond,
  type Decision,
  type DeviceSecond,
  parsePolicy,
  PolicyEngine,
  type PolicyStep,
} from "../../engine/policy/mod.ts";

const MIN = 60_000;
/** Wednesday 2024-01-10, 12:00:30 UTC: mid-minute, mid-day. */
const NOW = Date.UTC(2024, 0, 10, 12, 0, 30);
const TODAY = Date.UTC(2024, 0, 10);
const YESTERDAY = TODAY - DAY_MS;
const A = "mac:02:00:00:00:00:01", B = "mac:02:00:00:00:00:02", C = "ip:10.0.0.3";
const INDEX: Record<string, number> = { [A]: 0, [B]: 1, [C]: 2 };

const CATEGORIES: Record<string, string> = { netflix: "Streaming", chat: "Messaging" };
const categoryOf = (app: string): string | null => CATEGORIES[app] ?? null;

function sample(
  deviceId: string,
  apps: Record<string, [number, number]>,
  local = 0,
): UsageSample {
  const pairs = Object.values(apps);
  const up = pairs.reduce((n, [u]) => n + u, 0), down = pairs.reduce((n, [, d]) => n + d, 0);
  return { deviceId, up, down, local, apps };
}

/**
 * A KV store as a last run left it, `minutes` written to its history, and a
 * history opened again at NOW, as a restart does.
 */
async function withStore(
  minutes: [number, UsageSample[]][],
  fn: (kv: Deno.Kv, history: UsageHistory) => Promise<void>,
): Promise<void> {
  const kv = await Deno.openKv(":memory:");
  try {
    const writer = new UsageHistory(kv);
    await writer.open(YESTERDAY);
    for (const [minute, samples] of minutes) await writer.writeMinute(minute, samples);
    const history = new UsageHistory(kv);
    await history.open(NOW);
    await fn(kv, history);
  } finally {
    kv.close();
  }
}

function engineFor(rules: unknown[]): PolicyEngine {
  return new PolicyEngine(parsePolicy({
    link: { down: "100Mbit", up: "20Mbit" },
    auto: { enabled: false },
    rules,
  }));
}

function traffic(id: string, down: number, up = 0, apps?: AppSecond[]): DeviceSecond {
  return { index: INDEX[id], id, name: id, labelled: false, down, up, apps };
}

/** One second of traffic for `id` alone, ending at `timeMs`. */
function second(
  engine: PolicyEngine,
  timeMs: number,
  id: string,
  down: number,
  up = 0,
  apps?: AppSecond[],
): PolicyStep {
  return engine.second(timeMs, [traffic(id, down, up, apps)]);
}

const blocks = (step: PolicyStep): Decision[] => step.decisions.filter((d) => d.kind === "block");

const quota = (extra: Record<string, unknown> = {}) => ({
  id: "daily",
  devices: { all: true },
  ...extra,
  action: {
    kind: "quota",
    bytes: "1MB",
    period: "day",
    then: { kind: "block" },
    ...extra.action as object,
  },
});

Deno.test("seedPolicy() makes stored and labelled devices familiar: no new_device alert for them", async () => {
  await withStore([], async (kv, history) => {
    const devices = new DeviceStore(kv);
    await devices.put({ id: A });
    await devices.setLabel(C, "Printer"); // a label without a record
    const engine = engineFor([]);
    assertEquals(await seedPolicy(engine, kv, history, NOW, categoryOf), {
      familiar: 2,
      quotas: 0,
      budgets: 0,
    });
    const step = engine.second(NOW + 1000, [A, B, C].map((id) => traffic(id, 1)));
    const fresh = step.alerts.filter((e) => e.alert.kind === "new_device");
    assertEquals(fresh.map((e) => e.alert.device), [B]);
  });
});

Deno.test("seedPolicy() seeds a quota with today's history, so the crossing second blocks", async () => {
  const minutes: [number, UsageSample[]][] = [
    // Yesterday's use is another period: it must not count.
    [TODAY - MIN, [sample(A, { video: [0, 700_000] }), sample(B, { video: [0, 2_000_000] })]],
    // Local traffic is not internet traffic: the 5 MB does not count.
    [TODAY + 8 * 60 * MIN, [sample(A, { video: [100_000, 300_000] }, 5_000_000)]],
    [TODAY + 11 * 60 * MIN + 59 * MIN, [sample(A, { unknown: [0, 500_000] })]],
  ];
  await withStore(minutes, async (kv, history) => {
    const engine = engineFor([quota()]);
    assertEquals(await seedPolicy(engine, kv, history, NOW, categoryOf), {
      familiar: 0,
      quotas: 1,
      budgets: 0,
    });
    const step = second(engine, NOW + 1000, A, 60_000, 40_000); // 900,000 + 100,000 = 1 MB
    assertEquals(blocks(step).map((d) => [d.device, d.ruleId]), [[A, "daily"]]);
    assertEquals(engine.counters(A).get("daily"), { period: TODAY, used: 1_000_000 });

    const short = engineFor([quota()]);
    await seedPolicy(short, kv, history, NOW, categoryOf);
    assertEquals(blocks(second(short, NOW + 1000, A, 99_999)), []);
    assertEquals(short.counters(A).get("daily"), { period: TODAY, used: 999_999 });
    // B used 2 MB yesterday only.
    assertEquals(blocks(second(short, NOW + 2000, B, 999_999)), []);
  });
});

Deno.test("seedPolicy() counts only down bytes for a down quota", async () => {
  const minutes: [number, UsageSample[]][] = [
    [TODAY + 60 * MIN, [sample(A, { video: [400_000, 900_000] })]],
  ];
  await withStore(minutes, async (kv, history) => {
    const down = quota({ action: { direction: "down" } });
    const engine = engineFor([down]);
    await seedPolicy(engine, kv, history, NOW, categoryOf);
    assertEquals(engine.counters(A).size, 0); // seeds wait for the device to be seen
    assertEquals(blocks(second(engine, NOW + 1000, A, 99_999, 1_000_000)), []);
    assertEquals(engine.counters(A).get("daily"), { period: TODAY, used: 999_999 });
    assertEquals(blocks(second(engine, NOW + 2000, A, 1)).length, 1);
  });
});

Deno.test("seedPolicy() counts only the quota's categories or apps", async () => {
  const minutes: [number, UsageSample[]][] = [
    [TODAY + 60 * MIN, [
      sample(A, { netflix: [100_000, 400_000], chat: [0, 3_000_000], unknown: [0, 2_000_000] }),
      sample(B, { chat: [0, 3_000_000] }),
    ]],
    [TODAY + 61 * MIN, [sample(A, { netflix: [0, 400_000], youtube: [0, 9_000_000] })]],
  ];
  const netflix = (down: number): AppSecond[] => [
    { app: "netflix", category: "Streaming", down, up: 0 },
    { app: "chat", category: "Messaging", down: 5_000_000, up: 0 },
  ];
  await withStore(minutes, async (kv, history) => {
    for (const scope of [{ categories: ["Streaming"] }, { apps: ["netflix"] }]) {
      const engine = engineFor([quota(scope)]);
      // B used only chat: nothing to seed.
      assertEquals(await seedPolicy(engine, kv, history, NOW, categoryOf), {
        familiar: 0,
        quotas: 1,
        budgets: 0,
      });
      const first = second(engine, NOW + 1000, A, 5_099_999, 0, netflix(99_999));
      assertEquals(blocks(first), [], JSON.stringify(scope));
      assertEquals(engine.counters(A).get("daily"), { period: TODAY, used: 999_999 });
      const [block] = blocks(second(engine, NOW + 2000, A, 5_000_001, 0, netflix(1)));
      assertEquals(block.ruleId, "daily");
      assertEquals(block.categories ?? block.apps, scope.categories ?? scope.apps);
    }
  });
});

Deno.test("seedPolicy() seeds today's saved time-budget seconds and ignores yesterday's", async () => {
  await withStore([], async (kv, history) => {
    const budget = {
      id: "games",
      devices: { all: true },
      action: { kind: "timeBudget", seconds: "10m", then: { kind: "block" } },
    };
    await new PolicyStateStore(kv).putCounters(
      new Map([
        [
          A,
          new Map([["games", { period: TODAY, used: 595 }], ["daily", { period: TODAY, used: 9 }]]),
        ],
        [B, new Map([["games", { period: YESTERDAY, used: 595 }]])],
        [C, new Map([["gone", { period: TODAY, used: 599 }]])], // a rule no longer in the policy
      ]),
      NOW - 30_000,
    );
    const engine = engineFor([budget, quota()]);
    assertEquals(await seedPolicy(engine, kv, history, NOW, categoryOf), {
      familiar: 0,
      quotas: 0,
      budgets: 1,
    });
    const decided: [number, string][] = [];
    for (let s = 1; s <= 6; s++) {
      const step = engine.second(NOW + s * 1000, [A, B].map((id) => traffic(id, 1000)));
      for (const d of blocks(step)) decided.push([s, d.device]);
    }
    // 595 + 5 = 600 s for A at the 5th second; B starts today from 0.
    assertEquals(decided, [[5, A]]);
    assertEquals(engine.counters(A).get("games"), { period: TODAY, used: 601 });
    assertEquals(engine.counters(B).get("games"), { period: TODAY, used: 6 });
    // The quota's saved counter is not a seed: quotas come from history.
    assertEquals(engine.counters(A).get("daily"), { period: TODAY, used: 6000 });
  });
});

Deno.test("seedPolicy() sums up everything it seeded", async () => {
  const minutes: [number, UsageSample[]][] = [
    [TODAY + 30 * MIN, [sample(A, { netflix: [1, 2] }), sample(B, { chat: [3, 4] })]],
  ];
  await withStore(minutes, async (kv, history) => {
    await new DeviceStore(kv).putMany([{ id: A }, { id: B }, { id: C }]);
    await new PolicyStateStore(kv).putCounters(
      new Map([
        [A, new Map([["games", { period: TODAY, used: 1 }], ["tv", { period: TODAY, used: 2 }]])],
        [B, new Map([["games", { period: TODAY, used: 3 }]])],
      ]),
      NOW,
    );
    const engine = engineFor([
      quota(),
      quota({ id: "streaming", categories: ["Streaming"] }),
      quota({ id: "off", enabled: false }),
      {
        id: "games",
        devices: { all: true },
        action: { kind: "timeBudget", seconds: 600, then: { kind: "block" } },
      },
      {
        id: "tv",
        devices: { all: true },
        action: { kind: "timeBudget", seconds: 600, then: { kind: "block" } },
      },
    ]);
    // Quotas: daily for A and B, streaming for A only; the disabled one for nobody.
    assertEquals(await seedPolicy(engine, kv, history, NOW, categoryOf), {
      familiar: 3,
      quotas: 3,
      budgets: 3,
    });
  });
});

Deno.test("seedPolicy() seeds no quota at the very start of its period", async () => {
  await withStore([[TODAY - MIN, [sample(A, { video: [0, 999_999] })]]], async (kv, history) => {
    const engine = engineFor([quota()]);
    const summary = await seedPolicy(engine, kv, history, TODAY + 30_000, categoryOf);
    assertEquals(summary.quotas, 0);
    assertEquals(blocks(second(engine, TODAY + 31_000, A, 999_999)), []);
  });
});

Deno.test("seedPolicy() seeds only the devices a rule is about, and skips disabled and damaged budgets", async () => {
  const minutes: [number, UsageSample[]][] = [[
    TODAY + 60 * MIN,
    [sample(A, { chat: [0, 500_000] }), sample(B, { chat: [0, 500_000] })],
  ]];
  await withStore(minutes, async (kv, history) => {
    const engine = engineFor([
      quota({ devices: { device: A } }),
      {
        id: "off",
        enabled: false,
        devices: { all: true },
        action: { kind: "timeBudget", seconds: 600, then: { kind: "block" } },
      },
      {
        id: "online",
        devices: { all: true },
        action: { kind: "timeBudget", seconds: 600, then: { kind: "block" } },
      },
    ]);
    // Saved by hand as a damaged store would hold it (putCounters refuses NaN).
    await kv.set(["policy-counters", B], {
      time: NOW,
      counters: { off: { period: TODAY, used: 10 }, online: { period: TODAY, used: NaN } },
    });
    await kv.set(["policy-counters", A], {
      time: NOW,
      counters: { off: { period: TODAY, used: 10 }, online: { period: TODAY, used: 42 } },
    });
    assertEquals(await seedPolicy(engine, kv, history, NOW, categoryOf), {
      familiar: 0,
      quotas: 1,
      budgets: 1,
    });
    second(engine, NOW + 1000, A, 1);
    second(engine, NOW + 2000, B, 1);
    assertEquals([...engine.counters(A)].map(([id, c]) => [id, c.used]), [
      ["daily", 500_001],
      ["online", 43],
    ]);
    assertEquals([...engine.counters(B)].map(([id, c]) => [id, c.used]), [["online", 1]]);
  });
});
