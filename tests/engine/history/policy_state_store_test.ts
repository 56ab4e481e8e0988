// PolicyStateStore: desired states and quota/budget counters round-trip
// through KV, bad input writes nothing, and many states span several commits.
import { assertEquals, assertRejects } from "@std/assert";
import { PolicyStateStore, type StoredCounters } from "../../../engine/history/mod.ts";
import type { Counter, DeviceState } from "../../../engine/policy/mod.ts";
import { hex, instrumentedKv } from "./_helpers.ts";

const T = Date.UTC(2024, 0, 10, 12, 0, 30);

function state(n: number, over: Partial<DeviceState> = {}): DeviceState {
  return {
    id: `mac:02:00:00:00:${hex(n)}`,
    blocked: false,
    down: 1_000_000,
    up: null,
    priority: "normal",
    level: "schedule",
    ruleId: "cap",
    reason: "limited to 8 Mbit/s down (rule cap)",
    scoped: [],
    ...over,
  };
}

Deno.test("PolicyStateStore.putStates() stores states that state() and states() return with their time", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const store = new PolicyStateStore(kv);
    const a = state(1),
      b = state(2, { blocked: true, down: null, level: "block", ruleId: "night" });
    await store.putStates([a, b], T);
    assertEquals(await store.state(a.id), { time: T, state: a });
    assertEquals(await store.state(b.id), { time: T, state: b });
    assertEquals(await store.state("mac:02:00:00:00:00:09"), null);
    assertEquals(
      await store.states(),
      new Map([[a.id, { time: T, state: a }], [b.id, { time: T, state: b }]]),
    );
  } finally {
    kv.close();
  }
});

Deno.test("PolicyStateStore.putStates() overwrites a device's earlier state", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const store = new PolicyStateStore(kv);
    await store.putStates([state(1), state(2)], T);
    const later = state(1, { down: null, level: "default", ruleId: null, reason: "no rule" });
    await store.putStates([later], T + 5000);
    assertEquals(await store.state(later.id), { time: T + 5000, state: later });
    const all = await store.states();
    assertEquals(all.size, 2);
    assertEquals(all.get(state(2).id), { time: T, state: state(2) });
  } finally {
    kv.close();
  }
});

Deno.test("PolicyStateStore.clearStates() removes every state and keeps the counters", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const store = new PolicyStateStore(kv);
    await store.putStates([state(1), state(2), state(3)], T);
    await store.putCounters(
      new Map([[state(1).id, new Map([["daily", { period: 7, used: 9 }]])]]),
      T,
    );
    await store.clearStates();
    assertEquals(await store.states(), new Map());
    assertEquals(await store.state(state(1).id), null);
    assertEquals(
      await store.counters(),
      new Map([[state(1).id, { time: T, counters: { daily: { period: 7, used: 9 } } }]]),
    );
  } finally {
    kv.close();
  }
});

Deno.test("PolicyStateStore.putCounters() round-trips counters by device and rule, period and used only", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const store = new PolicyStateStore(kv);
    const day = Date.UTC(2024, 0, 10);
    // Extra fields on a counter are not stored.
    const extra: Counter = { period: day, used: 595, note: "not stored" } as Counter;
    await store.putCounters(
      new Map([
        ["mac:02:00:00:00:00:01", new Map([["games", extra], ["daily", { period: day, used: 0 }]])],
        ["ip:10.0.0.9", new Map([["daily", { period: day, used: 123_456 }]])],
        ["mac:02:00:00:00:00:02", new Map()],
      ]),
      T,
    );
    assertEquals(
      await store.counters(),
      new Map<string, StoredCounters>([
        ["ip:10.0.0.9", { time: T, counters: { daily: { period: day, used: 123_456 } } }],
        ["mac:02:00:00:00:00:01", {
          time: T,
          counters: { games: { period: day, used: 595 }, daily: { period: day, used: 0 } },
        }],
        ["mac:02:00:00:00:00:02", { time: T, counters: {} }],
      ]),
    );
    // A later save replaces a device's counters whole.
    await store.putCounters(
      new Map([["ip:10.0.0.9", new Map([["x", { period: 1, used: 2 }]])]]),
      T + 1,
    );
    assertEquals((await store.counters()).get("ip:10.0.0.9"), {
      time: T + 1,
      counters: { x: { period: 1, used: 2 } },
    });
  } finally {
    kv.close();
  }
});

Deno.test("PolicyStateStore.putStates() refuses a bad id or time and writes nothing", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const store = new PolicyStateStore(kv);
    const bad = [state(1), { ...state(2), id: "" }];
    await assertRejects(
      () => store.putStates(bad, T),
      TypeError,
      'states[1].id must be a string of 1 to 256 characters other than "__proto__"',
    );
    const numeric = { ...state(2), id: 5 } as unknown as DeviceState;
    await assertRejects(() => store.putStates([state(1), numeric], T), TypeError, "states[1].id");
    await assertRejects(
      () => store.putStates([state(1)], NaN),
      RangeError,
      "timeMs must be integer epoch ms, got NaN",
    );
    await assertRejects(() => store.putStates([state(1)], 1.5), RangeError, "timeMs");
    // Not even the valid state before the bad one was written.
    assertEquals(await store.states(), new Map());
    // checkTime() only wants a safe integer: -1 is accepted as a (pre-1970) time.
    await store.putStates([state(3)], -1);
    assertEquals(await store.state(state(3).id), { time: -1, state: state(3) });
    await assertRejects(() => store.state(""), TypeError, "deviceId");
  } finally {
    kv.close();
  }
});

Deno.test("PolicyStateStore.putCounters() refuses a bad time or device id", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const store = new PolicyStateStore(kv);
    const one = new Map([["daily", { period: 0, used: 1 }]]);
    await assertRejects(
      () => store.putCounters(new Map([["mac:02:00:00:00:00:01", one]]), NaN),
      RangeError,
      "timeMs must be integer epoch ms, got NaN",
    );
    await assertRejects(
      () => store.putCounters(new Map([["mac:02:00:00:00:00:01", one], ["__proto__", one]]), T),
      TypeError,
      "deviceId must be a string",
    );
    assertEquals(await store.counters(), new Map());
  } finally {
    kv.close();
  }
});

Deno.test("PolicyStateStore.putStates() stores 3000 states over several atomic commits", async () => {
  const base = await Deno.openKv(":memory:");
  try {
    const { kv, sets, commits } = instrumentedKv(base);
    const store = new PolicyStateStore(kv);
    const states = Array.from({ length: 3000 }, (_, i) => state(i, { reason: `device ${i}` }));
    await store.putStates(states, T);
    assertEquals(sets.length, 3000);
    // Each state is counted as ~8 KB against a commit's 600 KB: 3000 need about 40 commits.
    assertEquals(commits() >= 40, true, `only ${commits()} commits`);
    const all = await new PolicyStateStore(base).states();
    assertEquals(all.size, 3000);
    assertEquals(all.get(state(0).id), { time: T, state: states[0] });
    assertEquals(all.get(state(2999).id), { time: T, state: states[2999] });
    await store.clearStates();
    assertEquals((await store.states()).size, 0);
  } finally {
    base.close();
  }
});

Deno.test("PolicyStateStore.putCounters() checks every counter before writing any", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const store = new PolicyStateStore(kv);
    const good = new Map([["daily", { period: 0, used: 1 }]]);
    const all = new Map<string, Map<string, { period: number; used: number }>>();
    for (let i = 0; i < 900; i++) all.set(`ip:10.0.${i >> 8}.${i & 255}`, good);
    all.set("ip:10.9.9.9", new Map([["daily", { period: 0, used: NaN }]]));
    await assertRejects(
      () => store.putCounters(all, T),
      RangeError,
      "counter daily of ip:10.9.9.9 needs an integer period and used >= 0, got 0 and NaN",
    );
    assertEquals((await store.counters()).size, 0, "nothing half-written");
  } finally {
    kv.close();
  }
});
