import { assert, assertEquals, assertThrows } from "@std/assert";
import { LiveHub, snapshotId } from "../../../web/live/live_hub.ts";
import type { LiveSnapshot } from "../../../web/live/snapshot_types.ts";

/** A snapshot of second `second` (only its time matters to the hub). */
const at = (second: number, extra = 0) => ({ time: second * 1000 + extra }) as LiveSnapshot;
const seconds = (list: LiveSnapshot[] | null) => list?.map(snapshotId) ?? null;

Deno.test("LiveHub.publish() keeps the latest and tells each subscriber with the id", () => {
  const hub = new LiveHub();
  assertEquals([hub.latest, hub.latestId, hub.subscribers], [null, NaN, 0]);
  const a: [number, number][] = [], b: number[] = [];
  const stopA = hub.subscribe((s, id) => a.push([s.time, id]));
  hub.subscribe((_, id) => b.push(id));
  assertEquals(hub.subscribers, 2);
  assertEquals(hub.publish(at(100, 0)), 100);
  hub.publish(at(101, 999));
  stopA();
  stopA(); // twice is harmless
  hub.publish(at(102));
  assertEquals(a, [[100_000, 100], [101_999, 101]]);
  assertEquals(b, [100, 101, 102]);
  assertEquals([hub.latest?.time, hub.latestId, hub.subscribers], [102_000, 102, 1]);
});

Deno.test("LiveHub.publish() replaces a snapshot of the same second and refuses an older one", () => {
  const hub = new LiveHub();
  hub.publish(at(10));
  const again = at(10, 500);
  hub.publish(again);
  assertEquals(hub.latest, again);
  assertEquals(seconds(hub.since(9)), [10]);
  const e = assertThrows(() => hub.publish(at(9))) as Error;
  assert(e instanceof RangeError && e.message.includes("older"), e.message);
  for (const time of [NaN, -1, Infinity]) {
    assertThrows(() => hub.publish({ time } as LiveSnapshot), RangeError);
  }
});

Deno.test("LiveHub.since() gives the snapshots after an id while the ring holds them all", () => {
  const hub = new LiveHub({ size: 3 });
  assertEquals(hub.since(5), null); // nothing yet
  hub.publish(at(1));
  hub.publish(at(2));
  assertEquals(seconds(hub.since(0)), [1, 2]); // nothing has left the ring
  for (const s of [3, 5, 6]) hub.publish(at(s)); // 1 and 2 leave; 4 was skipped
  assertEquals(seconds(hub.since(2)), [3, 5, 6]);
  assertEquals(seconds(hub.since(4)), [5, 6]);
  assertEquals(seconds(hub.since(6)), []);
  assertEquals(hub.since(1), null, "second 2 left the ring");
  assertEquals(hub.since(7), null, "an id from another run");
  assertThrows(() => hub.since(NaN), TypeError);
});

Deno.test("LiveHub stays bounded: a thousand snapshots leave `size` held, listeners hold nothing", () => {
  const hub = new LiveHub({ size: 60 });
  let told = 0;
  hub.subscribe(() => told++); // a subscriber that never reads anything
  for (let s = 1; s <= 1000; s++) hub.publish(at(s));
  assertEquals(told, 1000);
  assertEquals(hub.since(940)?.length, 60);
  assertEquals(hub.since(939), null);
});

Deno.test("LiveHub.publish() tells the other listeners when one throws, and reports it", () => {
  const errors: unknown[] = [], told: string[] = [];
  const hub = new LiveHub({ onError: (e) => errors.push(e) });
  hub.subscribe(() => {
    throw new Error("broken");
  });
  const stop = hub.subscribe(() => {
    told.push("self");
    stop(); // unsubscribing while being told
  });
  hub.subscribe(() => told.push("last"));
  hub.publish(at(1));
  hub.publish(at(2));
  assertEquals(told, ["self", "last", "last"]);
  assertEquals(errors.map((e) => (e as Error).message), ["broken", "broken"]);
});

Deno.test("LiveHub() refuses a bad size and subscribe() a listener that is not a function", () => {
  for (const size of [0, 1.5, -3, 100_000]) assertThrows(() => new LiveHub({ size }), RangeError);
  const hub = new LiveHub();
  assertThrows(() => hub.subscribe("no" as unknown as () => void), TypeError);
});
