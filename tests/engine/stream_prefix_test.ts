import { assertEquals } from "@std/assert";
import { StreamPrefix } from "../../engine/stream_prefix.ts";
import { prng } from "./_packets.ts";

const range = (from: number, to: number) =>
  Uint8Array.from({ length: to - from }, (_, i) => (from + i) & 255);

Deno.test("StreamPrefix.add() joins in-order segments from the SYN's sequence", () => {
  const p = new StreamPrefix(100);
  p.start(5001);
  assertEquals(p.add(5001, range(0, 10)), true);
  assertEquals(p.add(5011, range(10, 20)), true);
  assertEquals([...p.bytes()], [...range(0, 20)]);
});

Deno.test("StreamPrefix.add() holds out-of-order segments until the gap fills", () => {
  const p = new StreamPrefix(100);
  p.start(1);
  assertEquals(p.add(21, range(20, 30)), false);
  assertEquals(p.add(11, range(10, 20)), false);
  assertEquals(p.bytes().length, 0);
  assertEquals(p.add(1, range(0, 10)), true);
  assertEquals([...p.bytes()], [...range(0, 30)]);
});

Deno.test("StreamPrefix.add() ignores retransmissions and keeps the new part of overlaps", () => {
  const p = new StreamPrefix(100);
  p.start(0);
  p.add(0, range(0, 10));
  assertEquals(p.add(0, range(0, 10)), false);
  assertEquals(p.add(5, range(5, 15)), true);
  assertEquals(p.add(0xffff_fff0, range(0, 4)), false); // from before the stream's start
  assertEquals([...p.bytes()], [...range(0, 15)]);
});

Deno.test("StreamPrefix.add() handles sequence numbers that wrap past 2^32", () => {
  const p = new StreamPrefix(100);
  p.start(0xffff_fffa);
  p.add(4, range(10, 20)); // wrapped: offset 10
  p.add(0xffff_fffa, range(0, 10));
  assertEquals([...p.bytes()], [...range(0, 20)]);
});

Deno.test("StreamPrefix.add() stops at the limit", () => {
  const p = new StreamPrefix(16);
  p.start(0);
  p.add(0, range(0, 10));
  p.add(10, range(10, 30));
  assertEquals(p.bytes().length, 16);
  assertEquals(p.full, true);
  assertEquals(p.add(16, range(16, 20)), false);
});

Deno.test("StreamPrefix.add() rebuilds the stream from shuffled, repeated segments", () => {
  const random = prng(7);
  const whole = range(0, 5000);
  for (let round = 0; round < 50; round++) {
    const segments: [number, Uint8Array][] = [];
    for (let at = 0; at < whole.length;) {
      const size = 1 + random.int(700);
      segments.push([at, whole.subarray(at, at + size)]);
      if (random.next() < 0.2) segments.push([at, whole.subarray(at, at + size)]); // retransmit
      at += size;
    }
    for (let i = segments.length - 1; i > 0; i--) {
      const j = random.int(i + 1);
      [segments[i], segments[j]] = [segments[j], segments[i]];
    }
    const p = new StreamPrefix(8192);
    p.start(1000);
    for (const [at, bytes] of segments) p.add(1000 + at, bytes);
    assertEquals(p.bytes().length, whole.length, `round ${round}`);
    assertEquals(p.bytes(), whole);
  }
});
