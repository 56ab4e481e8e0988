import { assertEquals, assertThrows } from "@std/assert";
import { type PaceClock, Pacer } from "../../cli/pacer.ts";

/** A clock whose sleeps move it forward at once; `work` adds time between waits. */
function fakeClock(): PaceClock & { wall: number; slept: number[] } {
  const clock = {
    wall: 0,
    slept: [] as number[],
    now: () => clock.wall,
    sleep: (ms: number) => {
      clock.slept.push(ms);
      clock.wall += ms;
      return Promise.resolve();
    },
  };
  return clock;
}

Deno.test("Pacer.wait() holds simulated time to speed × wall time from its first wait", async () => {
  const clock = fakeClock();
  const pacer = new Pacer(10, clock);
  await pacer.wait(1000);
  await pacer.wait(1000.5); // 0.5 simulated s at 10× is 50 ms
  clock.wall += 20; // the simulation itself took 20 ms
  await pacer.wait(1001); // due at 100 ms, now 70 ms
  assertEquals(clock.slept, [50, 30]);
  assertEquals(pacer.slips, 0);
});

Deno.test("Pacer.wait() runs time before `from` as fast as it can, then paces", async () => {
  const clock = fakeClock();
  const pacer = new Pacer(1, clock, 5000);
  for (let t = 0; t < 5000; t += 100) await pacer.wait(t);
  assertEquals(clock.slept, []);
  assertEquals(pacer.pacing, false);
  await pacer.wait(5000);
  await pacer.wait(5002);
  assertEquals(pacer.pacing, true);
  assertEquals(clock.slept, [2000]);
});

Deno.test("Pacer.wait() starts afresh instead of racing when more than a second behind", async () => {
  const clock = fakeClock();
  const pacer = new Pacer(100, clock);
  await pacer.wait(0);
  clock.wall += 5000; // a slow machine: 5 s for what is due in 10 ms
  await pacer.wait(1);
  assertEquals(pacer.slips, 1);
  await pacer.wait(2); // 1 simulated s after the new anchor: 10 ms
  assertEquals(clock.slept, [10]);
});

Deno.test("new Pacer() refuses a speed that is not a positive number", () => {
  for (const speed of [0, -1, NaN, Infinity]) {
    assertThrows(() => new Pacer(speed, fakeClock()), RangeError, "speed must be");
  }
});
