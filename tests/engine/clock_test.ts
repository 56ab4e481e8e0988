import { assertEquals, assertThrows } from "@std/assert";
import { ManualClock } from "../../engine/clock.ts";

Deno.test("ManualClock moves only forward, by set() or advance()", () => {
  const clock = new ManualClock(100);
  clock.set(100.5);
  clock.advance(0);
  clock.advance(9.5);
  assertEquals(clock.now(), 110);
  assertThrows(() => clock.set(109), RangeError, "cannot go back from 110 to 109");
  assertThrows(() => clock.advance(-1), RangeError, "-1");
  assertThrows(() => clock.set(NaN), RangeError, "finite");
  assertThrows(() => new ManualClock(Infinity), RangeError, "finite");
});
