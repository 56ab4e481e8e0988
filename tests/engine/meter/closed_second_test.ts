// UsageMeter.closed: the last closed second's bytes per device, for the policy engine.
import { assertEquals, assertThrows } from "@std/assert";
import { UsageDirection, UsageMeter } from "../../../engine/meter/usage_meter.ts";

const { UP, DOWN, LOCAL } = UsageDirection;

function listed(meter: UsageMeter): [number, number, number, number][] {
  const c = meter.closed, out: [number, number, number, number][] = [];
  for (let i = 0; i < c.devices; i++) {
    const d = c.device(i);
    out.push([d, c.bytes(d, UP), c.bytes(d, DOWN), c.bytes(d, LOCAL)]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

Deno.test("UsageMeter.closed lists each device with bytes in the second once, with its bytes each way", () => {
  const meter = new UsageMeter();
  const web = meter.apps.id("web"), tv = meter.apps.id("netflix");
  const browsing = meter.categories.id("Browsing"), streaming = meter.categories.id("Streaming");
  assertEquals([meter.closed.second, meter.closed.devices], [NaN, 0]);
  meter.tick(500.5);
  meter.add(2, DOWN, web, browsing, 1000, 1);
  meter.add(2, DOWN, tv, streaming, 5000, 4);
  meter.add(2, UP, web, browsing, 80, 1);
  meter.add(0, LOCAL, web, browsing, 300, 1);
  meter.tick(501.2);
  assertEquals(meter.closed.second, 500);
  assertEquals(listed(meter), [[0, 0, 0, 300], [2, 80, 6000, 0]]);
  assertEquals(
    meter.closed.apps(2).sort((a, b) => a.app < b.app ? -1 : 1),
    [
      { app: "netflix", category: "Streaming", up: 0, down: 5000, local: 0 },
      { app: "web", category: "Browsing", up: 80, down: 1000, local: 0 },
    ],
  );
  assertEquals(meter.closed.apps(1), []);
  assertEquals(meter.closed.bytes(99, DOWN), 0); // never seen
});

Deno.test("UsageMeter.closed is the second just closed: bytes of older seconds and of the open one are not in it", () => {
  const meter = new UsageMeter();
  meter.tick(10);
  meter.add(1, DOWN, 0, 0, 700, 1);
  meter.tick(11);
  meter.add(3, UP, 0, 0, 40, 1); // in the open second 11
  assertEquals(listed(meter), [[1, 0, 700, 0]]);
  meter.tick(15); // second 11 closes; 12 to 14 were idle
  assertEquals(meter.closed.second, 11);
  assertEquals(listed(meter), [[3, 40, 0, 0]]);
  assertEquals(meter.closed.bytes(1, DOWN), 0);
  meter.tick(16); // an idle second closes: nobody in it
  assertEquals([meter.closed.second, meter.closed.devices], [15, 0]);
  assertEquals(meter.closed.bytes(3, UP), 0);
});

Deno.test("UsageMeter.closed: a device forgotten after the second closed reads as zero", () => {
  const meter = new UsageMeter();
  meter.tick(10);
  meter.add(1, DOWN, 0, 0, 700, 1);
  meter.tick(11);
  meter.forgetDevice(1);
  assertEquals(meter.closed.bytes(1, DOWN), 0);
  assertEquals(meter.closed.apps(1), []);
});

Deno.test("UsageMeter.closed refuses a bad index or direction with a RangeError", () => {
  const meter = new UsageMeter();
  meter.tick(10);
  meter.add(0, DOWN, 0, 0, 1, 1);
  meter.tick(11);
  assertThrows(() => meter.closed.device(1), RangeError, "i must be 0 to 0, got 1");
  assertThrows(() => meter.closed.bytes(-1, DOWN), RangeError, "device must be an index");
  assertThrows(() => meter.closed.bytes(0, 3 as 0), RangeError, "direction must be 0 (up)");
});
