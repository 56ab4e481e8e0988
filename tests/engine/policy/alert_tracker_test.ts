// AlertTracker: each kind's start, merge and end at exact times, cooldowns, ids.
import { assert, assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import {
  type AlertEvent,
  AlertTracker,
  type AlertTrackerOptions,
} from "../../../engine/policy/alert_tracker.ts";
import type { AlertConfig } from "../../../engine/policy/policy_types.ts";

const PC = "mac:02:00:00:00:00:01";
const TV = "mac:02:00:00:00:00:02";
const MBIT = 125_000; // bytes per second

function config(over: Partial<AlertConfig> = {}): AlertConfig {
  return {
    sustained: { rate: 50 * MBIT, seconds: 5 },
    spike: { sigma: 3, minRate: 1 * MBIT },
    quotaWarnAt: 0.8,
    offlineAfter: 300,
    cooldown: 600,
    ...over,
  };
}

/** [type, kind, start, end, count] per event, for compact expectations. */
function brief(events: readonly AlertEvent[]): (string | number | null)[][] {
  return events.map((e) => [e.type, e.alert.kind, e.alert.start, e.alert.end, e.alert.count]);
}

/** One rate sample a second for `device`, the first at `fromMs`; every event, in order. */
function feed(
  alerts: AlertTracker,
  device: string,
  rates: number[],
  fromMs: number,
  spike = false,
): AlertEvent[] {
  const out: AlertEvent[] = [];
  rates.forEach((r, n) => out.push(...alerts.rate(device, "PC", r, spike, fromMs + n * 1000)));
  return out;
}

const repeat = (x: number, n: number): number[] => new Array(n).fill(x);

Deno.test("rate() starts sustained_rate on the sample completing the run, ends it 10 s after", () => {
  const alerts = new AlertTracker(config({ spike: null }));
  assertEquals(feed(alerts, PC, repeat(60 * MBIT, 4), 1000), []);
  const [started] = alerts.rate(PC, "Lucas's laptop", 72.4 * MBIT, false, 5000);
  assertEquals(started.type, "started");
  assertEquals(started.alert, {
    id: `sustained_rate/${PC}/5000`,
    kind: "sustained_rate",
    severity: "warning",
    device: PC,
    name: "Lucas's laptop",
    ruleId: null,
    figures: { rate: 72.4 * MBIT, threshold: 50 * MBIT, since: 0, seconds: 5 },
    message: "Lucas's laptop above 50 Mbit/s for 5s (peak 72.4 Mbit/s)",
    start: 5000,
    end: null,
    count: 1,
    suppressed: 0,
  });
  assertEquals(feed(alerts, PC, repeat(60 * MBIT, 5), 6000), []); // last above at 10 000
  assertEquals(feed(alerts, PC, repeat(10 * MBIT, 9), 11_000), []); // 19 000: 9 s below
  const [ended] = alerts.rate(PC, "PC", 0, false, 20_000);
  assertEquals(brief([ended]), [["ended", "sustained_rate", 5000, 20_000, 1]]);
  assertEquals(ended.alert.figures, {
    rate: 72.4 * MBIT,
    threshold: 50 * MBIT,
    since: 0,
    seconds: 10,
  });
  assertEquals(alerts.active(), []);
});

Deno.test("rate() needs consecutive samples: one below, or a gap over 2 s, starts the run over", () => {
  const alerts = new AlertTracker(config({ spike: null }));
  const high = 60 * MBIT;
  assertEquals(feed(alerts, PC, [high, high, high, high, 0, high, high, high, high], 1000), []);
  assertEquals(brief(alerts.rate(PC, "PC", high, false, 10_000)), [
    ["started", "sustained_rate", 10_000, null, 1],
  ]);
  const other = new AlertTracker(config({ spike: null }));
  feed(other, TV, repeat(high, 4), 1000); // 1000..4000, then nothing at 5000 and 6000
  assertEquals(feed(other, TV, repeat(high, 4), 7000), []); // 7000..10 000: run of 4
  assertEquals(brief(other.rate(TV, "TV", high, false, 11_000)).length, 1);
});

Deno.test("tick() ends sustained_rate when samples stop coming", () => {
  const alerts = new AlertTracker(config({ spike: null }));
  assertEquals(brief(feed(alerts, PC, repeat(60 * MBIT, 5), 1000)).length, 1);
  assertEquals(alerts.tick(14_999), []);
  assertEquals(brief(alerts.tick(15_000)), [["ended", "sustained_rate", 5000, 15_000, 1]]);
});

Deno.test("rate() merges a new full run while active, with one updated event a minute", () => {
  const alerts = new AlertTracker(config({ spike: null }));
  const high = 60 * MBIT;
  feed(alerts, PC, repeat(high, 5), 1000); // started at 5000
  // Dips under 10 s and new full runs: repeats. The first is too soon for an "updated" event.
  assertEquals(feed(alerts, PC, [0, ...repeat(high, 54)], 6000), []); // repeat at 11 000, on to 60 000
  assertEquals(alerts.active()[0].count, 2);
  const events = feed(alerts, PC, [0, ...repeat(high, 5)], 61_000); // repeat at 66 000
  assertEquals(brief(events), [["updated", "sustained_rate", 5000, null, 3]]);
  assertEquals(events[0].alert.figures.seconds, 66); // above since 0, dips included
  assertEquals(events[0].alert.message, "PC above 50 Mbit/s for 1m 6s (peak 60 Mbit/s)");
});

Deno.test("rate() holds back a run during the cooldown, counts it once, starts when it is over", () => {
  const alerts = new AlertTracker(config({ spike: null, cooldown: 60 }));
  const high = 60 * MBIT;
  feed(alerts, PC, repeat(high, 5), 1000); // started at 5000
  assertEquals(brief(alerts.tick(15_000)), [["ended", "sustained_rate", 5000, 15_000, 1]]);
  // Cooldown until 75 000: a run from 20 000 is long enough at 24 000 but held back.
  assertEquals(feed(alerts, PC, repeat(high, 55), 20_000), []); // to 74 000
  const [started] = alerts.rate(PC, "PC", high, false, 75_000);
  assertEquals(brief([started]), [["started", "sustained_rate", 75_000, null, 1]]);
  assertEquals(started.alert.suppressed, 1);
  assertEquals(started.alert.figures.seconds, 56);
});

Deno.test("rate() raises spike on a spike sample above minRate; bursts merge; ends 10 s after", () => {
  const alerts = new AlertTracker(config({ sustained: null }), { updateSeconds: 5 });
  assertEquals(alerts.rate(PC, "PC", 0.5 * MBIT, true, 1000), []); // below minRate
  assertEquals(alerts.rate(PC, "PC", 20 * MBIT, false, 2000), []); // not a spike
  const [started] = alerts.rate(PC, "PC", 20 * MBIT, true, 3000);
  assertEquals(brief([started]), [["started", "spike", 3000, null, 1]]);
  assertEquals(started.alert.severity, "info");
  assertEquals(started.alert.message, "PC spiked to 20 Mbit/s");
  assertEquals(alerts.rate(PC, "PC", 30 * MBIT, true, 4000), []); // same burst
  assertEquals(alerts.rate(PC, "PC", 1 * MBIT, false, 5000), []);
  assertEquals(alerts.rate(PC, "PC", 25 * MBIT, true, 6000), []); // a second burst, 3 s after
  const third = [
    alerts.rate(PC, "PC", 0, false, 7000),
    alerts.rate(PC, "PC", 9 * MBIT, true, 8000),
  ];
  assertEquals(brief(third.flat()), [["updated", "spike", 3000, null, 3]]);
  assertEquals(third[1][0].alert.message, "PC spiked to 30 Mbit/s (3 spikes)");
  assertEquals(alerts.tick(17_999), []);
  assertEquals(brief(alerts.tick(18_000)), [["ended", "spike", 3000, 18_000, 3]]);
  // The cooldown (600 s) holds back each new burst, counted in the next alert.
  assertEquals(alerts.rate(PC, "PC", 20 * MBIT, true, 100_000), []);
  assertEquals(alerts.rate(PC, "PC", 20 * MBIT, true, 101_000), []);
  const [again] = alerts.rate(PC, "PC", 20 * MBIT, true, 618_000);
  assertEquals([again.alert.start, again.alert.suppressed], [618_000, 1]);
});

Deno.test("quota() warns at quotaWarnAt, then reached at 100%, once per period", () => {
  const alerts = new AlertTracker(config());
  const GB = 1e9, day1 = 0, day2 = 86_400_000;
  assertEquals(alerts.quota(PC, "PC", "cap", 39.9 * GB, 50 * GB, day1, 1000), []);
  const [warning] = alerts.quota(PC, "PC", "cap", 40 * GB, 50 * GB, day1, 2000);
  assertEquals(warning.alert.id, `quota_warning/${PC}/cap/2000`);
  assertEquals([warning.alert.severity, warning.alert.ruleId], ["warning", "cap"]);
  assertEquals(warning.alert.figures, { used: 40 * GB, quota: 50 * GB, fraction: 0.8 });
  assertEquals(warning.alert.message, 'PC used 80% of quota "cap" (40 GB of 50 GB)');
  assertEquals(alerts.quota(PC, "PC", "cap", 45 * GB, 50 * GB, day1, 3000), []);
  const [reached] = alerts.quota(PC, "PC", "cap", 50 * GB, 50 * GB, day1, 4000);
  assertEquals(brief([reached]), [["started", "quota_reached", 4000, null, 1]]);
  assertEquals(reached.alert.severity, "critical");
  assertEquals(reached.alert.message, 'PC reached quota "cap" (50 GB of 50 GB)');
  assertEquals(alerts.quota(PC, "PC", "cap", 60 * GB, 50 * GB, day1, 5000), []);
  assertEquals(alerts.active().map((a) => a.kind), ["quota_warning", "quota_reached"]);
  const reset = alerts.quota(PC, "PC", "cap", 0, 50 * GB, day2, day2 + 1000);
  assertEquals(brief(reset), [
    ["ended", "quota_warning", 2000, day2 + 1000, 1],
    ["ended", "quota_reached", 4000, day2 + 1000, 1],
  ]);
  assertEquals(reset[1].alert.figures.used, 60 * GB); // the period's last figures
  // No cooldown: the new period warns again at once.
  assertEquals(brief(alerts.quota(PC, "PC", "cap", 41 * GB, 50 * GB, day2, day2 + 2000)), [
    ["started", "quota_warning", day2 + 2000, null, 1],
  ]);
});

Deno.test("quota() raises only quota_reached when a step crosses both; a lower fraction ends it", () => {
  const alerts = new AlertTracker(config());
  assertEquals(brief(alerts.quota(PC, "", "cap", 120, 100, 0, 1000)), [
    ["started", "quota_reached", 1000, null, 1],
  ]);
  assertEquals(alerts.quota(PC, "", "cap", 90, 100, 0, 2000).map((e) => e.type), ["ended"]);
  assertEquals(alerts.quota(PC, "", "cap", 130, 100, 0, 3000), []); // once per period
  const [other] = alerts.quota(TV, "", "cap", 85, 100, 0, 4000);
  assertEquals([other.alert.kind, other.alert.name], ["quota_warning", TV]);
});

Deno.test("timeBudget() raises time_budget_used once per period", () => {
  const alerts = new AlertTracker(config());
  assertEquals(alerts.timeBudget(PC, "PC", "games", 7199, 7200, 0, 1000), []);
  const [used] = alerts.timeBudget(PC, "PC", "games", 7200, 7200, 0, 2000);
  assertEquals(used.alert.id, `time_budget_used/${PC}/games/2000`);
  assertEquals(used.alert.figures, { used: 7200, budget: 7200 });
  assertEquals(used.alert.message, 'PC used up time budget "games" (2h of 2h)');
  assertEquals(alerts.timeBudget(PC, "PC", "games", 7300, 7200, 0, 3000), []);
  assertEquals(brief(alerts.timeBudget(PC, "PC", "games", 0, 7200, 86_400_000, 86_400_000)), [
    ["ended", "time_budget_used", 2000, 86_400_000, 1],
  ]);
});

Deno.test("newDevice() is instant, and held back by the cooldown", () => {
  const alerts = new AlertTracker(config());
  const [joined] = alerts.newDevice(TV, "Living room TV", 1000);
  assertEquals(brief([joined]), [["started", "new_device", 1000, 1000, 1]]);
  assertEquals(joined.alert.message, "New device joined: Living room TV");
  assertEquals(alerts.active(), []);
  assertEquals(alerts.newDevice(TV, "TV", 600_999), []);
  const [again] = alerts.newDevice(TV, "TV", 601_000);
  assertEquals([again.alert.start, again.alert.suppressed], [601_000, 1]);
});

Deno.test("tick() raises device_offline exactly offlineAfter after the last traffic; seen() brings it back", () => {
  const alerts = new AlertTracker(config());
  alerts.seen(PC, "PC", 10_000);
  alerts.rate(TV, "TV", 0, false, 10_000); // a zero rate is not traffic: TV never seen
  assertEquals(alerts.tick(309_999), []);
  const [offline] = alerts.tick(310_000);
  assertEquals(offline.alert.id, `device_offline/${PC}/310000`);
  assertEquals(offline.alert.figures, { lastSeen: 10_000, seconds: 300 });
  assertEquals(offline.alert.message, "PC offline (no traffic for 5m)");
  assertEquals(alerts.tick(400_000), []);
  const back = alerts.rate(PC, "PC", 1000, false, 730_000);
  assertEquals(brief(back), [
    ["ended", "device_offline", 310_000, 730_000, 1],
    ["started", "device_back", 730_000, 730_000, 1],
  ]);
  assertEquals(back[0].alert.figures.seconds, 720);
  assertEquals(back[1].alert.message, "PC back after 12m offline");
  // Offline again within the cooldown (until 1 330 000): held back, and so is its return.
  assertEquals(alerts.tick(1_030_000), []);
  assertEquals(alerts.seen(PC, "PC", 1_100_000), []);
  assertEquals(brief(alerts.tick(1_400_000)), [["started", "device_offline", 1_400_000, null, 1]]);
  assertEquals(alerts.active()[0].suppressed, 1);
});

Deno.test("shaperFailed() merges repeats and ends after shaperClearSeconds", () => {
  const alerts = new AlertTracker(config(), { shaperClearSeconds: 60, updateSeconds: 60 });
  const [failed] = alerts.shaperFailed(
    null,
    "",
    "tc: RTNETLINK answers: Operation not permitted",
    1000,
  );
  assertEquals(failed.alert.id, "shaper_failed/link/1000");
  assertEquals([failed.alert.severity, failed.alert.device], ["critical", null]);
  assertEquals(
    failed.alert.message,
    "Shaper failed: tc: RTNETLINK answers: Operation not permitted",
  );
  assertEquals(alerts.shaperFailed(null, "", "again", 30_000), []);
  assertEquals(brief(alerts.shaperFailed(null, "", "again", 61_000)), [
    ["updated", "shaper_failed", 1000, null, 3],
  ]);
  const [device] = alerts.shaperFailed(PC, "PC", "no such class", 62_000);
  assertEquals(device.alert.message, "Shaper failed for PC: no such class");
  assertEquals(brief(alerts.tick(121_000)), [["ended", "shaper_failed", 1000, 121_000, 3]]);
  assertEquals(brief(alerts.tick(122_000)), [["ended", "shaper_failed", 62_000, 122_000, 1]]);
});

Deno.test("input methods return one shared, frozen empty array when nothing happens", () => {
  const alerts = new AlertTracker(config());
  const a = alerts.rate(PC, "PC", 1, false, 1000);
  const b = alerts.tick(2000);
  assertStrictEquals(a, b);
  assert(Object.isFrozen(a));
});

Deno.test("events are copies: later changes do not reach an event already handed out", () => {
  const alerts = new AlertTracker(config());
  const [started] = alerts.shaperFailed(PC, "PC", "first", 1000);
  alerts.shaperFailed(PC, "PC", "second", 2000);
  assertEquals([started.alert.count, started.alert.figures.error], [1, "first"]);
  assertEquals([alerts.active()[0].count, alerts.active()[0].figures.error], [2, "second"]);
});

Deno.test("forget() ends a device's alerts and drops its state", () => {
  const alerts = new AlertTracker(config());
  alerts.quota(PC, "PC", "cap", 90, 100, 0, 1000);
  alerts.shaperFailed(PC, "PC", "x", 2000);
  alerts.shaperFailed(TV, "TV", "y", 2000);
  assertEquals(brief(alerts.forget(PC, 3000)), [
    ["ended", "shaper_failed", 2000, 3000, 1],
    ["ended", "quota_warning", 1000, 3000, 1],
  ]);
  assertEquals(alerts.forget(PC, 3000), []);
  assertEquals(alerts.active().map((a) => a.device), [TV]);
  // Forgotten means new: no cooldown left over, the slot reused cleanly.
  assertEquals(brief(alerts.shaperFailed(PC, "PC", "x", 4000)), [
    ["started", "shaper_failed", 4000, null, 1],
  ]);
  assertEquals(alerts.tick(400_000).length, 2);
});

Deno.test("AlertTracker gives the same events and ids for the same inputs", () => {
  const run = () => {
    const alerts = new AlertTracker(config());
    const events: AlertEvent[] = [];
    for (let t = 1000; t <= 700_000; t += 1000) {
      const r = (t / 1000) % 97 < 30 ? 80 * MBIT : 0;
      events.push(...alerts.rate(PC, "PC", r, (t / 1000) % 13 === 0, t), ...alerts.tick(t));
    }
    return events;
  };
  const first = run();
  assert(first.length > 4);
  assertEquals(run(), first);
});

Deno.test("AlertTracker rejects bad configuration and inputs, naming them", () => {
  const bad = (c: Partial<AlertConfig>, options: AlertTrackerOptions = {}) => () =>
    new AlertTracker(config(c), options);
  assertThrows(bad({ sustained: { rate: 0, seconds: 5 } }), RangeError, "alerts.sustained.rate");
  assertThrows(bad({ sustained: { rate: 1, seconds: 0.5 } }), RangeError, "sustained.seconds");
  assertThrows(bad({ quotaWarnAt: 1.5 }), RangeError, "alerts.quotaWarnAt");
  assertThrows(bad({ cooldown: -1 }), RangeError, "alerts.cooldown");
  assertThrows(bad({ offlineAfter: NaN }), TypeError, "alerts.offlineAfter");
  assertThrows(bad({}, { clearSeconds: 0 }), RangeError, "clearSeconds");
  const alerts = new AlertTracker(config());
  assertThrows(() => alerts.rate("", "PC", 1, false, 0), TypeError, "device");
  assertThrows(() => alerts.rate(PC, "PC", -1, false, 0), RangeError, "bytesPerSecond");
  assertThrows(() => alerts.rate(PC, "PC", 1, false, NaN), TypeError, "timeMs");
  assertThrows(() => alerts.quota(PC, "PC", "", 1, 2, 0, 0), TypeError, "ruleId");
  assertThrows(() => alerts.quota(PC, "PC", "r", 1, 0, 0, 0), RangeError, "quotaBytes");
});
