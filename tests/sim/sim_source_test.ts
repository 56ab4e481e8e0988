import { assert, assertEquals, assertNotEquals, assertThrows } from "@std/assert";
import { END_OF_CAPTURE } from "../../capture/mod.ts";
import { loadScenario, parseScenario } from "../../sim/scenario.ts";
import { SimSource } from "../../sim/sim_source.ts";
import { readAccordingToContract } from "../capture/_source_contract.ts";
import { FLAT, FLAT_CAM, FLAT_HUB, FLAT_PC } from "./_flat.ts";

const PC = FLAT_PC, HUB = FLAT_HUB, CAM = FLAT_CAM;
const BROADCAST = "ff:ff:ff:ff:ff:ff";

/** On a 100/20 Mbit/s line a PC downloads from the start; it, a hub and a camera chatter. */
const flat = parseScenario(FLAT);

/** One delivered frame: its Ethernet addresses, wire length and time (s from the start). */
interface Frame {
  dst: string;
  src: string;
  wire: number;
  t: number;
  bytes: Uint8Array;
}

const mac = (b: Uint8Array, at: number) =>
  Array.from(b.subarray(at, at + 6), (x) => x.toString(16).padStart(2, "0")).join(":");

/** A sink appending to `frames`, times relative to the source's start. */
function collector(source: SimSource, frames: Frame[]) {
  return {
    packet(data: DataView, offset: number, capLen: number, wire: number, s: number, ns: number) {
      const bytes = new Uint8Array(data.buffer, data.byteOffset + offset, capLen).slice();
      const t = s - source.start + ns / 1e9; // relative first: epoch seconds lose the ns
      frames.push({ dst: mac(bytes, 0), src: mac(bytes, 6), wire, t, bytes });
    },
  };
}

/** Reads one packet at a time until the clock reaches `t` seconds from the start, exactly. */
async function readTo(source: SimSource, frames: Frame[], t: number): Promise<void> {
  const sink = collector(source, frames);
  while (source.now() - source.start < t) {
    if (await source.read(sink, 1) === END_OF_CAPTURE) break;
  }
}

/** Every frame of a whole run. */
async function drain(source: SimSource): Promise<Frame[]> {
  const frames: Frame[] = [];
  const sink = collector(source, frames);
  while (await source.read(sink) !== END_OF_CAPTURE) { /* to the end */ }
  return frames;
}

/** Bytes/s on the wire of frames to `to` timed in [from, till) (half a tick of margin). */
function rateTo(frames: Frame[], to: string, from: number, till: number): number {
  const bytes = frames.filter((f) => f.dst === to && f.t >= from - 0.05 && f.t < till - 0.05)
    .reduce((sum, f) => sum + f.wire, 0);
  return bytes / (till - from);
}

/** The index of the first frame that differs in time, length or bytes; -1 if none does. */
function firstDifference(a: Frame[], b: Frame[]): number {
  const same = (x: Frame, y: Frame) =>
    x.t === y.t && x.wire === y.wire && x.bytes.length === y.bytes.length &&
    x.bytes.every((v, i) => v === y.bytes[i]);
  const i = a.findIndex((f, k) => k >= b.length || !same(f, b[k]));
  return i >= 0 ? i : a.length === b.length ? -1 : a.length;
}

const touches = (f: Frame, who: string) => f.src === who || f.dst === who;

/** A DHCP request from `who`: broadcast IPv4 UDP 68 → 67, `who` as chaddr. */
function isDhcpRequest(f: Frame, who: string): boolean {
  const b = f.bytes, l4 = 14 + (b[14] & 15) * 4;
  return f.dst === BROADCAST && f.src === who && b[12] === 8 && b[13] === 0 && b[23] === 17 &&
    (b[l4] << 8 | b[l4 + 1]) === 68 && (b[l4 + 2] << 8 | b[l4 + 3]) === 67 &&
    b[l4 + 8] === 1 && mac(b, l4 + 8 + 28) === who;
}

Deno.test("SimSource keeps the PacketSource contract, its packets in time order within [start, end]", async () => {
  const notRead = (path: string) => Promise.reject(new Error(`read ${path}`));
  const family = await loadScenario("family", notRead);
  const source = new SimSource(family, { until: 300 });
  assertEquals([source.name, source.linkType, source.end - source.start], ["Family home", 1, 300]);
  const seen = await readAccordingToContract(source, () => false);
  assert(seen.length > 50, `only ${seen.length} packets in five minutes`);
  for (const [i, p] of seen.entries()) {
    assert(p.time >= source.start && p.time <= source.end, `packet ${i} at ${p.time}`);
    assert(i === 0 || p.time >= seen[i - 1].time, `packet ${i} goes back in time`);
    assertEquals(p.capLen, p.bytes.length);
  }
  // Closed with packets still to come, it reads END_OF_CAPTURE too (checked inside).
  const half = new SimSource(flat, { until: 10 });
  assert((await readAccordingToContract(half, (s) => s.length >= 100)).length < 200);
  assert(half.now() - half.start < 1, `read on to ${half.now() - half.start} s`);
});

Deno.test("SimSource read() returns END_OF_CAPTURE after until, and keeps returning it", async () => {
  const source = new SimSource(flat, { until: 2.5 });
  const frames = await drain(source);
  assert(frames.length > 100, `only ${frames.length} frames`);
  assert(frames.every((f) => f.t >= 0 && f.t <= 2.5), "a frame outside [start, end]");
  assert(frames.some((f) => f.t >= 2.4), "the last tick before the end is missing");
  assert(source.now() >= source.end, `stopped at ${source.now() - source.start}`);
  assertEquals(await source.read(collector(source, frames)), END_OF_CAPTURE);
  assertEquals(source.stats().delivered, frames.length);
});

Deno.test("SimSource enforce() holds a device's download to its limit", async () => {
  const source = new SimSource(flat, { until: 20 });
  const frames: Frame[] = [];
  await readTo(source, frames, 3);
  const free = rateTo(frames, PC, 1, 3);
  source.enforce(PC.toUpperCase(), { down: 250_000, up: null, blocked: false });
  const at = source.now() - source.start;
  await readTo(source, frames, at + 12);
  // Two seconds to settle, then ten measured.
  const held = rateTo(frames, PC, at + 2, at + 12);
  assert(Math.abs(held - 250_000) <= 12_500, `held at ${held} B/s, not 250,000 ± 5%`);
  assert(free > 40 * 250_000, `only ${free} B/s without a limit`);
  assert(rateTo(frames, HUB, at + 2, at + 12) > 0, "the hub fell silent");
});

Deno.test("SimSource enforce() silences a blocked device from the next tick, and null lifts it", async () => {
  const source = new SimSource(flat, { until: 30 });
  const frames: Frame[] = [];
  await readTo(source, frames, 3);
  assert(frames.some((f) => f.dst === PC && f.wire > 10_000), "no download before the block");
  source.enforce(PC, { down: null, up: null, blocked: true });
  const blocked = source.now() - source.start;
  await readTo(source, frames, blocked + 10);
  const lifted = source.now() - source.start;
  source.enforce(PC, null);
  await readTo(source, frames, lifted + 3);

  // From the next tick on: the PC's download and the chatter it opens while blocked stay quiet.
  const during = frames.filter((f) => f.t >= blocked + 0.099 && f.t < lifted - 0.05);
  assertEquals(during.filter((f) => touches(f, PC)).length, 0, "the blocked PC still talks");
  const hub = during.filter((f) => touches(f, HUB));
  assert(hub.length >= 10, `the hub sent ${hub.length} frames in 10 s`);
  assert(new Set(hub.map((f) => Math.floor(f.t / 4))).size >= 2, "the hub spoke only once");
  const after = rateTo(frames, PC, lifted + 1, lifted + 3);
  assert(after > 40 * 250_000, `only ${after} B/s once lifted`);
});

Deno.test("SimSource gives byte-identical packets for the same seed, others for another", async () => {
  const run = (seed?: number) => drain(new SimSource(flat, { until: 4, seed }));
  // `seed` left out or given as the scenario's own: the same run.
  const a = await run(), b = await run(), c = await run(flat.seed), d = await run(12);
  assert(a.length > 100, `only ${a.length} frames`);
  assertEquals(firstDifference(b, a), -1);
  assertEquals(firstDifference(c, a), -1);
  assertNotEquals(firstDifference(d, a), -1);
});

Deno.test("new SimSource() refuses an until that is not positive with a RangeError", () => {
  for (const until of [0, -1, NaN]) {
    assertThrows(() => new SimSource(flat, { until }), RangeError, "until must be positive");
  }
});

Deno.test("SimSource sends a device's DHCP request before any other of its packets", async () => {
  const frames = await drain(new SimSource(flat, { until: 8 }));
  for (const who of [PC, HUB, CAM]) {
    const mine = frames.filter((f) => touches(f, who));
    assert(mine.length > 1, `${who} sent nothing`);
    assert(isDhcpRequest(mine[0], who), `${who}'s first frame is not its DHCP request`);
    assertEquals(mine.filter((f) => isDhcpRequest(f, who)).length, 1, `${who}: DHCP requests`);
  }
});

Deno.test("SimSource.read() ends a batch with its simulated second, however quiet the network", async () => {
  const family = await loadScenario("family", (p) => Deno.readTextFile(p));
  const source = new SimSource(family, { until: 3600 }); // a night: chatter every few seconds
  const sink = { packet() {} };
  let worst = 0, reads = 0;
  for (;;) {
    const before = source.now();
    if (await source.read(sink) === END_OF_CAPTURE) break;
    worst = Math.max(worst, source.now() - before);
    reads++;
  }
  assert(worst <= 1.1, `one read() moved the clock ${worst.toFixed(1)} s`);
  assert(reads >= 3599, `${reads} reads`);
});

Deno.test("SimSource lets a blocked device's chatter resume without a burst of held-back exchanges", async () => {
  const source = new SimSource(flat, { until: 60 });
  const frames: Frame[] = [];
  await readTo(source, frames, 5);
  source.enforce(HUB, { down: null, up: null, blocked: true });
  await readTo(source, frames, 40);
  source.enforce(HUB, null);
  await readTo(source, frames, 60);
  const hub = (from: number, to: number) =>
    frames.filter((f) => (f.src === HUB || f.dst === HUB) && f.t >= from && f.t < to).length;
  const before = hub(1, 5) / 4;
  assert(before > 0, "the hub chatters before the block");
  assertEquals(hub(5.1, 40), 0, "silent while blocked");
  assert(
    hub(40, 42) <= 4 * before,
    `${hub(40, 42)} frames in 2 s after the lift, ${before}/s before`,
  );
  assert(hub(42, 60) > 0, "and it talks again");
});
