// The contract every PacketSource keeps (live, file and, later, the simulator):
// shared so that each implementation is held to the same behaviour.
import { assert, assertEquals } from "@std/assert";
import { END_OF_CAPTURE, type PacketSource } from "../../capture/mod.ts";

/** A record of one delivered packet, copied out while the sink call lasts. */
export interface SeenPacket {
  capLen: number;
  wireLen: number;
  time: number;
  bytes: Uint8Array;
}

/**
 * Reads `source` until `enough(seen)` or the end, checking the contract on
 * the way: each batch is within `maxPackets`, captured length never exceeds
 * wire length, bytes lie inside the view, nanoseconds stay below 1e9, stats
 * count what was delivered, and a closed source reads END_OF_CAPTURE.
 */
export async function readAccordingToContract(
  source: PacketSource,
  enough: (seen: SeenPacket[]) => boolean,
  maxReads = 10_000,
): Promise<SeenPacket[]> {
  const seen: SeenPacket[] = [];
  const sink = {
    packet(data: DataView, offset: number, capLen: number, wireLen: number, s: number, ns: number) {
      assert(capLen <= wireLen || wireLen === 0, `capLen ${capLen} > wireLen ${wireLen}`);
      assert(offset >= 0 && offset + capLen <= data.byteLength, "packet bytes outside the view");
      assert(ns >= 0 && ns < 1e9, `nanoseconds out of range: ${ns}`);
      const bytes = new Uint8Array(data.buffer, data.byteOffset + offset, capLen).slice();
      seen.push({ capLen, wireLen, time: s + ns / 1e9, bytes });
    },
  };
  for (let reads = 0; reads < maxReads && !enough(seen); reads++) {
    const before = seen.length;
    const n = await source.read(sink, 7);
    if (n === END_OF_CAPTURE) break;
    assert(n >= 0 && n <= 7, `a batch of ${n} exceeds maxPackets 7`);
    assertEquals(seen.length - before, n, "read() resolved to a count other than delivered");
  }
  assertEquals(source.stats().delivered, seen.length, "stats().delivered");
  source.close();
  assertEquals(await source.read(sink), END_OF_CAPTURE, "read() after close()");
  source.close(); // closing twice is harmless
  return seen;
}
