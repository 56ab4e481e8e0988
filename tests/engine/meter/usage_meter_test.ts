// UsageMeter: rates, windows, totals, apps, link, top and minute takes.
import { assert, assertEquals, assertThrows } from "@std/assert";
import { UsageDirection, UsageMeter } from "../../../engine/meter/usage_meter.ts";
import type { MinuteUsage } from "../../../engine/meter/usage_types.ts";

const { UP, DOWN, LOCAL } = UsageDirection;

function meterWith(...apps: [string, string][]): { meter: UsageMeter; ids: number[][] } {
  const meter = new UsageMeter();
  const ids = apps.map(([app, category]) => [meter.apps.id(app), meter.categories.id(category)]);
  return { meter, ids };
}

Deno.test("UsageMeter.tick() gives 1-second rates and 10 s / 1 min / 5 min window averages", () => {
  const { meter, ids: [[app, cat]] } = meterWith(["youtube", "Streaming"]);
  for (let s = 1000; s < 1300; s++) {
    meter.tick(s + 0.5);
    meter.add(0, DOWN, app, cat, 1000, 1);
    meter.add(0, UP, app, cat, 10, 1);
  }
  meter.tick(1300);
  let d = meter.device(0);
  assertEquals(d.rate, { up: 10, down: 1000, local: 0 });
  assertEquals(d.windows, {
    "10s": { up: 10, down: 1000, local: 0 },
    "1m": { up: 10, down: 1000, local: 0 },
    "5m": { up: 10, down: 1000, local: 0 },
  });
  // Ten idle seconds: the 10 s window empties, the others thin out.
  meter.tick(1310);
  d = meter.device(0);
  assertEquals(d.rate, { up: 0, down: 0, local: 0 });
  assertEquals(d.windows["10s"], { up: 0, down: 0, local: 0 });
  assertEquals(d.windows["1m"], { up: 10 * 50 / 60, down: 1000 * 50 / 60, local: 0 });
  assertEquals(d.windows["5m"], { up: 10 * 290 / 300, down: 1000 * 290 / 300, local: 0 });
  assertEquals(d.apps[0].windows, d.windows);
  assertEquals(meter.link().windows, d.windows);
});

Deno.test("UsageMeter windows average over the seconds since the first tick while fewer", () => {
  const { meter, ids: [[app, cat]] } = meterWith(["a", "Other"]);
  meter.tick(50);
  meter.add(3, UP, app, cat, 600, 1);
  meter.tick(51);
  meter.tick(53);
  const w = meter.device(3).windows;
  assertEquals([w["10s"].up, w["1m"].up, w["5m"].up], [200, 200, 200]);
  assertEquals(meter.device(3).rate.up, 0);
  assertEquals(new UsageMeter().device(0).windows["5m"], { up: 0, down: 0, local: 0 });
});

Deno.test("UsageMeter counts idle seconds as zero and forgets everything after 5 min idle", () => {
  const { meter, ids: [[app, cat]] } = meterWith(["a", "Other"]);
  meter.tick(0);
  meter.add(0, DOWN, app, cat, 3000, 2);
  meter.tick(1);
  meter.add(0, DOWN, app, cat, 3000, 2);
  meter.tick(30); // seconds 2..29 idle
  assertEquals(meter.device(0).windows["1m"].down, 6000 / 30);
  assertEquals(meter.device(0).windows["10s"].down, 0);
  meter.tick(10_000);
  const d = meter.device(0);
  assertEquals(d.windows["5m"], { up: 0, down: 0, local: 0 });
  assertEquals(d.apps[0].windows["5m"], { up: 0, down: 0, local: 0 });
  assertEquals(d.totals.down, 6000);
  assertEquals(meter.top(5, "5m"), []);
});

Deno.test("UsageMeter 1 min and 5 min windows count the oldest 10 s bucket for its share inside", () => {
  const { meter, ids: [[a, c]] } = meterWith(["a", "Other"]);
  meter.tick(0);
  for (let second = 0; second < 10; second++) {
    meter.add(0, DOWN, a, c, 1000, 1); // steady through bucket 0
    if (second === 0) meter.add(1, DOWN, a, c, 10_000, 1); // all at its start
    meter.tick(second + 1);
  }
  meter.tick(65); // the last minute is seconds 5..64: half of bucket 0 is in it
  assertEquals(meter.device(0).windows["1m"].down, 5000 / 60); // exact for steady traffic
  assertEquals(meter.device(1).windows["1m"].down, 5000 / 60); // spread as if steady
  assertEquals(meter.device(0).windows["5m"].down, 10_000 / 65); // all of it, over 65 s
  meter.tick(70);
  assertEquals(meter.device(1).windows["1m"].down, 0);
  meter.tick(305);
  assertEquals(meter.device(1).windows["5m"].down, 5000 / 300);
  meter.tick(310);
  assertEquals(meter.link().windows["5m"].down, 0);
});

Deno.test("UsageMeter.tick() ignores the same second and refuses to go back", () => {
  const meter = new UsageMeter();
  meter.tick(10.1);
  meter.tick(10.9);
  assertEquals(meter.second, 10);
  assertThrows(() => meter.tick(9.99), RangeError, "goes back");
  assertThrows(() => meter.tick(NaN), RangeError);
  assertThrows(() => meter.tick(Infinity), RangeError);
  assertThrows(() => meter.tick(-1), RangeError);
  assertThrows(() => meter.tick("11" as unknown as number), TypeError);
  assertEquals(meter.second, 10);
});

Deno.test("UsageMeter totals count bytes and packets since start, the open second included", () => {
  const { meter, ids: [[app, cat]] } = meterWith(["a", "Other"]);
  meter.add(1, UP, app, cat, 100, 1); // before the first tick: the first tick's second
  meter.tick(5);
  meter.add(1, DOWN, app, cat, 900, 3);
  meter.add(1, LOCAL, app, cat, 50, 1);
  assertEquals(meter.device(1).totals, {
    up: 100,
    down: 900,
    local: 50,
    packetsUp: 1,
    packetsDown: 3,
    packetsLocal: 1,
  });
  assertEquals(meter.device(1).rate, { up: 0, down: 0, local: 0 }); // nothing closed yet
  meter.tick(6);
  assertEquals(meter.device(1).rate, { up: 100, down: 900, local: 50 });
  assertEquals(meter.devices, 2);
  assertEquals(meter.device(0).totals.up, 0);
  assertEquals(meter.device(99).apps, []);
});

Deno.test("UsageMeter ranks a device's apps and categories largest first", () => {
  const { meter, ids: [[yt, stream], [nf], [dns, net], [zoom, calls]] } = meterWith(
    ["youtube", "Streaming"],
    ["netflix", "Streaming"],
    ["dns", "Network"],
    ["zoom", "VideoCalls"],
  );
  meter.tick(0);
  meter.add(0, DOWN, dns, net, 300, 2);
  meter.add(0, DOWN, yt, stream, 5000, 4);
  meter.add(0, UP, nf, stream, 100, 1);
  meter.add(0, DOWN, nf, stream, 8000, 6);
  meter.add(0, UP, zoom, calls, 2000, 10);
  meter.add(0, DOWN, zoom, stream, 40, 1); // the same app in a second category
  meter.tick(1);
  const d = meter.device(0);
  assertEquals(d.apps.map((a) => [a.app, a.category, a.up, a.down, a.total]), [
    ["netflix", "Streaming", 100, 8000, 8100],
    ["youtube", "Streaming", 0, 5000, 5000],
    ["zoom", "VideoCalls", 2000, 0, 2000],
    ["dns", "Network", 0, 300, 300],
    ["zoom", "Streaming", 0, 40, 40],
  ]);
  assertEquals(d.apps[0].rate, { up: 100, down: 8000, local: 0 });
  assertEquals(d.categories.map((c) => [c.category, c.total]), [
    ["Streaming", 13140],
    ["VideoCalls", 2000],
    ["Network", 300],
  ]);
  const unknown = new UsageMeter();
  unknown.add(0, UP, 0, 0, 1, 1);
  assertEquals(unknown.device(0).apps.map((a) => [a.app, a.category]), [["unknown", "Other"]]);
});

Deno.test("UsageMeter link totals are the sum of devices' UP and DOWN, with LOCAL apart", () => {
  const { meter, ids: [[a, c], [b, c2]] } = meterWith(["a", "Cloud"], ["smb", "Downloads"]);
  meter.tick(0);
  for (let device = 0; device < 20; device++) {
    meter.add(device, UP, a, c, 10 * device, 1);
    meter.add(device, DOWN, a, c, 100 * device, 2);
  }
  // A LAN-to-LAN transfer counted for both devices, and once in the link.
  meter.add(3, LOCAL, b, c2, 7000, 5);
  meter.add(4, LOCAL, b, c2, 7000, 5, false);
  meter.tick(1);
  const link = meter.link();
  let up = 0, down = 0;
  for (let device = 0; device < meter.devices; device++) {
    up += meter.device(device).totals.up;
    down += meter.device(device).totals.down;
  }
  assertEquals([link.totals.up, link.totals.down], [up, down]);
  assertEquals([up, down], [1900, 19000]);
  assertEquals(link.totals.local, 7000);
  assertEquals(link.totals.packetsLocal, 5);
  assertEquals(link.rate, { up: 1900, down: 19000, local: 7000 });
  assertEquals(link.apps.map((x) => [x.app, x.up, x.down, x.local]), [
    ["a", 1900, 19000, 0],
    ["smb", 0, 0, 7000],
  ]);
  assertEquals(meter.device(4).totals.local, 7000);
  assertEquals(link.windows["10s"].local, 7000);
});

Deno.test("UsageMeter.top() ranks devices by rate, total or window, leaving idle ones out", () => {
  const { meter, ids: [[a, c]] } = meterWith(["a", "Other"]);
  meter.tick(0);
  meter.add(0, DOWN, a, c, 10_000, 1);
  meter.add(1, UP, a, c, 500, 1);
  meter.tick(1);
  meter.add(2, DOWN, a, c, 700, 1);
  meter.add(3, LOCAL, a, c, 700, 1);
  meter.add(1, UP, a, c, 100, 1);
  meter.tick(2);
  assertEquals(meter.top(10), [2, 3, 1]);
  assertEquals(meter.top(2, "rate"), [2, 3]);
  assertEquals(meter.top(10, "total"), [0, 2, 3, 1]);
  assertEquals(meter.top(10, "10s"), [0, 2, 3, 1]);
  assertEquals(meter.top(0, "1m"), []);
  assertThrows(() => meter.top(-1), RangeError);
  assertThrows(() => meter.top(3, "bytes" as "rate"), TypeError);
});

Deno.test("UsageMeter.takeMinute() gives each active device's bytes per app and resets them", () => {
  const { meter, ids: [[yt, stream], [dns, net]] } = meterWith(
    ["youtube", "Streaming"],
    ["dns", "Network"],
  );
  meter.tick(0);
  meter.add(2, DOWN, yt, stream, 4000, 3);
  meter.add(2, UP, yt, stream, 200, 3);
  meter.add(2, DOWN, dns, net, 90, 1);
  meter.add(0, LOCAL, dns, net, 60, 1);
  meter.tick(1);
  meter.add(2, DOWN, yt, stream, 1000, 1); // in the open second: the next take's
  const taken: MinuteUsage[] = [
    {
      device: 0,
      up: 0,
      down: 0,
      local: 60,
      apps: new Map([["dns", [0, 0, 60]]]),
      categories: new Map([["Network", [0, 0, 60]]]),
    },
    {
      device: 2,
      up: 200,
      down: 4090,
      local: 0,
      apps: new Map([["youtube", [200, 4000, 0]], ["dns", [0, 90, 0]]]),
      categories: new Map([["Streaming", [200, 4000, 0]], ["Network", [0, 90, 0]]]),
    },
  ];
  assertEquals(meter.takeMinute(), taken);
  assertEquals(meter.takeMinute(), []);
  meter.add(0, UP, yt, stream, 5, 1);
  meter.tick(70); // seconds 2..69 idle
  assertEquals(meter.takeMinute().map((m) => [m.device, m.up, m.down, [...m.apps.keys()]]), [
    [0, 5, 0, ["youtube"]],
    [2, 0, 1000, ["youtube"]],
  ]);
  // The takes leave totals and rates alone.
  assertEquals(meter.device(2).totals.down, 5090);
});

Deno.test("UsageMeter grows to many devices and apps", () => {
  const meter = new UsageMeter();
  for (let app = 1; app <= 300; app++) meter.apps.id(`app${app}`);
  for (let category = 1; category < 12; category++) meter.categories.id(`c${category}`);
  meter.tick(0);
  for (let app = 1; app <= 300; app++) {
    for (let device = 0; device < 50; device++) meter.add(device * 97, DOWN, app, app % 12, app, 1);
  }
  meter.add(100_000, UP, 7, 7, 1, 1);
  meter.tick(1);
  assertEquals(meter.devices, 100_001);
  const d = meter.device(97 * 49);
  assertEquals(d.apps.length, 300);
  assertEquals(d.totals.down, 300 * 301 / 2);
  assertEquals(d.rate.down, 300 * 301 / 2);
  assertEquals(d.apps[0].total, 300);
  assertEquals(meter.link().totals.down, 50 * 300 * 301 / 2);
  assertEquals(meter.link().apps.length, 300); // app 7 in category 7 was there already
});

Deno.test("UsageMeter.add() refuses bad devices, directions, ids and counts", () => {
  const meter = new UsageMeter();
  assertThrows(() => meter.add(-1, UP, 0, 0, 1, 1), RangeError);
  assertThrows(() => meter.add(1.5, UP, 0, 0, 1, 1), RangeError);
  assertThrows(() => meter.add(0, 3 as 0, 0, 0, 1, 1), RangeError);
  assertThrows(() => meter.add(0, UP, -1, 0, 1, 1), RangeError);
  assertThrows(() => meter.add(0, UP, 0, 0.5, 1, 1), RangeError);
  assertThrows(() => meter.add(0, UP, 1, 0, 1, 1), RangeError, "apps interner");
  assertThrows(() => meter.add(0, UP, 0, 1, 1, 1), RangeError, "categories interner");
  assertThrows(() => meter.add(0, UP, 0, 0, NaN, 1), RangeError);
  assertThrows(() => meter.add(0, UP, 0, 0, 1, -1), RangeError);
  assertThrows(() => meter.device(-1), RangeError);
  assertEquals(meter.link().totals.up, 0);
  assertEquals(meter.device(0).apps, []); // nothing half-added
});

Deno.test("UsageMeter.counter() and addTo() count as add() does, without the lookup", () => {
  const { meter, ids: [[a, c], [b]] } = meterWith(["a", "Cloud"], ["b", "Cloud"]);
  const counters = [meter.counter(4, a, c), meter.counter(4, b, c), meter.counter(9, a, c)];
  assertEquals(meter.counter(4, b, c), counters[1]);
  assertEquals(new Set(counters).size, 3);
  meter.tick(0);
  meter.addTo(counters[0], DOWN, 1000, 2);
  meter.addTo(counters[1], UP, 10, 1);
  meter.addTo(counters[2], LOCAL, 5, 1, false);
  meter.add(4, DOWN, a, c, 1, 1);
  meter.tick(1);
  assertEquals(meter.device(4).apps.map((x) => [x.app, x.up, x.down]), [
    ["a", 0, 1001],
    ["b", 10, 0],
  ]);
  assertEquals(meter.device(4).totals.packetsDown, 3);
  assertEquals(meter.link().totals, {
    up: 10,
    down: 1001,
    local: 0,
    packetsUp: 1,
    packetsDown: 3,
    packetsLocal: 0,
  });
  assertEquals(meter.device(9).rate.local, 5);
  assertThrows(() => meter.addTo(99, UP, 1, 1), RangeError, "not a counter");
  assertThrows(() => meter.addTo(-1, UP, 1, 1), RangeError, "not a counter");
  // The link's own counters are not the caller's.
  for (let i = 0; i < 5; i++) {
    if (!counters.includes(i)) assertThrows(() => meter.addTo(i, UP, 1, 1), RangeError);
  }
  assertThrows(() => meter.counter(-2, a, c), RangeError);
});

Deno.test("UsageMeter.forgetDevice() hands out the device's untaken bytes and starts its index at zero", () => {
  const { meter, ids: [[yt, stream], [dns, net]] } = meterWith(
    ["youtube", "Streaming"],
    ["dns", "Network"],
  );
  meter.tick(100);
  meter.add(1, DOWN, yt, stream, 4000, 3);
  meter.add(1, UP, dns, net, 60, 1);
  meter.add(2, UP, yt, stream, 10, 1);
  meter.tick(101);
  assertEquals(meter.takeMinute().map((m) => m.device), [1, 2]);
  meter.add(1, DOWN, yt, stream, 1000, 1);
  meter.tick(102);
  meter.add(1, DOWN, yt, stream, 500, 1); // in the open second: the device's too
  const pending = meter.forgetDevice(1);
  // What takeMinute() had not handed out yet, the open second included.
  assertEquals(pending && [pending.device, pending.up, pending.down, pending.local], [
    1,
    0,
    1500,
    0,
  ]);
  assertEquals([...pending!.apps], [["youtube", [0, 1500, 0]]]);
  assertEquals([...pending!.categories], [["Streaming", [0, 1500, 0]]]);
  // Every figure of index 1 starts again; the link keeps what it counted; device 2 is untouched.
  const zeros = { up: 0, down: 0, local: 0 };
  const forgotten = meter.device(1);
  assertEquals(forgotten.totals, { ...zeros, packetsUp: 0, packetsDown: 0, packetsLocal: 0 });
  assertEquals([forgotten.rate, forgotten.apps, forgotten.categories], [zeros, [], []]);
  assertEquals(forgotten.windows, { "10s": zeros, "1m": zeros, "5m": zeros });
  assertEquals(meter.top(5, "total"), [2]);
  meter.tick(103);
  assertEquals(meter.link().totals.down, 5500);
  assertEquals(meter.device(2).totals.up, 10);
  // The next device on index 1: its own bytes only, through the old counters and new ones.
  meter.add(1, UP, yt, stream, 7, 1);
  meter.add(1, UP, 0, 0, 3, 1);
  meter.tick(104);
  const next = meter.device(1);
  assertEquals([next.totals.up, next.totals.down, next.totals.packetsUp], [10, 0, 2]);
  assertEquals(next.apps.map((a) => [a.app, a.total]), [["youtube", 7], ["unknown", 3]]);
  assertEquals(next.rate, { up: 10, down: 0, local: 0 });
  // As the forgotten device's seconds leave the windows, nothing is taken from the next one's.
  for (const time of [115, 170, 420]) {
    meter.tick(time);
    const w = meter.device(1).windows;
    for (const window of [w["10s"], w["1m"], w["5m"]]) {
      assert(window.up >= 0 && window.down === 0, `at ${time}: ${JSON.stringify(w)}`);
    }
  }
  assertEquals(meter.device(1).windows["5m"].up, 0);
  assertEquals(meter.takeMinute().map((m) => [m.device, m.up, m.down]), [[1, 10, 0]]);
  assertEquals(meter.forgetDevice(1), null, "nothing untaken");
  assertEquals(meter.forgetDevice(50), null, "an index never added");
  assertThrows(() => meter.forgetDevice(-1), RangeError);
  assertThrows(() => meter.forgetDevice(0.5), RangeError);
});

Deno.test("UsageMeter.forgetDevice() leaves no empty minute for a device with nothing since", () => {
  const { meter, ids: [[a, c]] } = meterWith(["a", "Other"]);
  meter.tick(0);
  meter.add(0, UP, a, c, 100, 1);
  meter.add(1, UP, a, c, 5, 1);
  meter.tick(1);
  assertEquals(meter.forgetDevice(0)?.up, 100);
  meter.tick(2);
  assertEquals(meter.takeMinute().map((m) => [m.device, m.up]), [[1, 5]]);
  assertEquals(meter.link().totals.up, 105);
});

Deno.test("UsageMeter.addLink() counts in the link alone", () => {
  const { meter, ids: [[a, c]] } = meterWith(["a", "Cloud"]);
  meter.tick(0);
  meter.addLink(DOWN, a, c, 900, 2);
  meter.add(0, UP, a, c, 100, 1);
  meter.tick(1);
  const link = meter.link();
  assertEquals([link.totals.up, link.totals.down, link.totals.packetsDown], [100, 900, 2]);
  assertEquals(link.rate, { up: 100, down: 900, local: 0 });
  assertEquals(link.apps.map((x) => [x.app, x.up, x.down]), [["a", 100, 900]]);
  assertEquals(meter.devices, 1);
  assertEquals(meter.takeMinute().map((m) => [m.device, m.up, m.down]), [[0, 100, 0]]);
  assertThrows(() => meter.addLink(3 as 0, a, c, 1, 1), RangeError);
  assertThrows(() => meter.addLink(UP, a, c, -1, 1), RangeError);
});
