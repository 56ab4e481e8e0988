// Hostile input: seeded random mutations of valid frames through the decoder
// and the tracker, and the corpus's fuzzed and malformed captures through
// replayFile(). Nothing may throw, and every packet must be counted once.
import { assertEquals, assertLessOrEqual, fail } from "@std/assert";
import { CaptureError } from "../../capture/mod.ts";
import { replayFile } from "../../cli/replay.ts";
import {
  type DecodeCounters,
  decodePacket,
  flowRecord,
  FlowTracker,
  LinkType,
  PacketInfo,
} from "../../engine/mod.ts";
import { CORPUS_DIR, hasCorpus, hasLibpcap, requireSystem, skipUnless } from "../_system.ts";
import {
  ciscoHdlc,
  concat,
  ETH_IP4,
  ETH_IP6,
  ETH_MPLS,
  ETH_PPPOE,
  ethernet,
  filler,
  icmp,
  ICMPV6,
  IPIP,
  ipv4,
  IPV6,
  ipv6,
  linuxSll,
  linuxSll2,
  llcSnap,
  loop,
  MAC_A,
  MAC_B,
  mpls,
  nullLink,
  ppi,
  ppp,
  pppoe,
  prng,
  TCP,
  tcp,
  UDP,
  udp,
} from "./_packets.ts";

const A = { src: "10.0.0.1", dst: "10.0.0.2" }, A6 = { src: "2001:db8::1", dst: "2001:db8::2" };
const T4 = ipv4(
  { ...A, proto: TCP, options: [1, 1, 1, 1] },
  tcp({ sport: 1, dport: 2, dataOffset: 24 }, filler(20)),
);
const U6 = ipv6({
  ...A6,
  next: UDP,
  extensions: [{ type: "hop-by-hop" }, { type: "fragment", offset: 0, more: true }, { type: "ah" }],
}, udp({ sport: 3, dport: 4 }, filler(20)));
const F4 = ipv4({ ...A, proto: UDP, id: 9, fragOffset: 8 }, filler(30));
const TUNNEL = ipv6(
  { ...A6, next: IPIP },
  ipv4({ ...A, proto: IPV6 }, ipv6({ ...A6, next: ICMPV6 }, icmp({ type: 128 }))),
);

/** Valid frames of every link type, to mutate. */
const SEEDS: [number, Uint8Array][] = [
  [LinkType.EN10MB, ethernet(MAC_B, MAC_A, ETH_IP4, T4, [1, 2])],
  [LinkType.EN10MB, ethernet(MAC_B, MAC_A, ETH_MPLS, mpls([1, 2], U6))],
  [LinkType.EN10MB, ethernet(MAC_B, MAC_A, ETH_PPPOE, pppoe(1, 0x21, F4))],
  [LinkType.EN10MB, ethernet(MAC_B, MAC_A, 60, llcSnap(ETH_IP6, TUNNEL))],
  [LinkType.LINUX_SLL, linuxSll(ETH_IP6, U6)],
  [LinkType.LINUX_SLL2, linuxSll2(ETH_IP4, ipv4({ ...A, proto: IPIP }, T4))],
  [LinkType.NULL, nullLink(2, F4)],
  [LinkType.LOOP, loop(24, TUNNEL)],
  [LinkType.RAW, T4],
  [LinkType.IPV6, U6],
  [LinkType.PPP, ppp(0x57, U6)],
  [LinkType.PPP, ciscoHdlc(ETH_IP4, T4)],
  [LinkType.PPP_ETHER, pppoe(2, 0x21, T4)],
  [LinkType.C_HDLC, ciscoHdlc(ETH_IP6, TUNNEL)],
  [LinkType.PPI, ppi(1, ethernet(MAC_B, MAC_A, ETH_IP4, F4))],
];
const LINK_TYPES = [...new Set(SEEDS.map(([t]) => t)), 2, 127, 999, 0xffffffff];
const INTERESTING = [0, 1, 0x08, 0x45, 0x4f, 0x60, 0x81, 0x86, 0xdd, 0xaa, 0xff];

type Rng = ReturnType<typeof prng>;

/** One to four random changes: flipped or odd bytes, cuts, extensions, insertions. */
function mutate(rng: Rng, frame: Uint8Array): Uint8Array {
  let out: Uint8Array = frame.slice();
  for (let n = 1 + rng.int(4); n > 0; n--) {
    const at = rng.int(out.length + 1);
    const random = (k: number) => Uint8Array.from({ length: k }, () => rng.int(256));
    switch (rng.int(6)) {
      case 0:
        if (at < out.length) out[at] ^= 1 << rng.int(8);
        break;
      case 1:
        if (at < out.length) out[at] = INTERESTING[rng.int(INTERESTING.length)];
        break;
      case 2:
        out = out.slice(0, at);
        break;
      case 3:
        out = concat(out, random(1 + rng.int(64)));
        break;
      case 4:
        out = concat(out.subarray(0, at), random(1 + rng.int(16)), out.subarray(at));
        break;
      case 5:
        out = concat(out.subarray(0, at), out.subarray(at + 1 + rng.int(8)));
        break;
    }
  }
  return out;
}

function sumOfOutcomes(c: DecodeCounters): number {
  return c.flowPackets + c.notIp + c.truncated + c.malformed + c.unsupportedLink +
    c.orphanFragments;
}

Deno.test("FlowTracker counts thousands of randomly mutated packets without throwing", () => {
  const rng = prng(0xbad5eed);
  const trackers = new Map<number, { tracker: FlowTracker; endedPackets: number }>();
  const trackerFor = (linkType: number): FlowTracker => {
    const known = trackers.get(linkType);
    if (known) return known.tracker;
    const tracker: FlowTracker = new FlowTracker({
      linkType,
      maxFlows: 8,
      idleTimeout: 5,
      onEnd: (flow) => {
        const r = flowRecord(tracker.table, flow);
        entry.endedPackets += r.c2s.packets + r.s2c.packets;
      },
    });
    const entry = { tracker, endedPackets: 0 };
    trackers.set(linkType, entry);
    return tracker;
  };
  const info = new PacketInfo();
  let time = 1_000;
  for (let i = 0; i < 5_000; i++) {
    const [seedType, seedFrame] = SEEDS[rng.int(SEEDS.length)];
    const frame = mutate(rng, seedFrame);
    const linkType = rng.next() < 0.85 ? seedType : LINK_TYPES[rng.int(LINK_TYPES.length)];
    // The packet sits at a random offset in a buffer with garbage on both sides.
    const offset = rng.int(32);
    const buffer = concat(filler(offset, 0x45), frame, filler(rng.int(32), 0x60));
    const data = new DataView(buffer.buffer);
    const r = rng.next();
    const wireLen = r < 0.7
      ? frame.length
      : r < 0.9
      ? frame.length + rng.int(2000)
      : rng.int(frame.length + 1);
    time += rng.next() < 0.05 ? -rng.int(100) : rng.int(3);
    try {
      decodePacket(linkType, data, offset, frame.length, info, wireLen);
    } catch (err) {
      fail(`decodePacket() threw on packet ${i} (DLT ${linkType}): ${err}\n${frame.toString()}`);
    }
    trackerFor(linkType).packet(data, offset, frame.length, wireLen, time, rng.int(1e9));
  }
  let total = 0;
  for (const [linkType, entry] of trackers) {
    const c = entry.tracker.counters;
    assertEquals(c.packets, sumOfOutcomes(c), `DLT ${linkType}: ${JSON.stringify(c)}`);
    total += c.packets;
    entry.tracker.table.flush(); // every flow ends: their packets add up to flowPackets
    assertEquals(entry.endedPackets, c.flowPackets, `DLT ${linkType}`);
  }
  assertEquals(total, 5_000);
  // The mutations must reach every outcome, or this test checks less than it claims.
  const all = [...trackers.values()].map((e) => e.tracker.counters);
  for (
    const key of [
      "flowPackets",
      "notIp",
      "truncated",
      "malformed",
      "unsupportedLink",
      "orphanFragments",
    ] as const
  ) {
    assertEquals(all.some((c) => c[key] > 0), true, `no packet counted as ${key}`);
  }
});

const available = hasCorpus() && hasLibpcap();
const HOSTILE = /^fuzz-|^malformed_|badpackets|_crash|_segv|garbage|invalid/;

Deno.test({
  name: "replayFile() reports or rejects with CaptureError on fuzzed and malformed captures",
  ignore: skipUnless(available, "the shared nDPI corpus (../shared/pcap) with libpcap"),
  async fn() {
    requireSystem(available, "the shared nDPI corpus (../shared/pcap) with libpcap");
    const dir = `${CORPUS_DIR}ndpi`;
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => HOSTILE.test(n))
      .sort();
    assertEquals(names.length > 5, true, `only ${names.length} hostile captures found`);
    for (const name of names) {
      try {
        const report = await replayFile(`${dir}/${name}`);
        assertEquals(report.packets, sumOfOutcomes(report.decode), name);
        const flowPackets = report.flows.reduce((n, f) => n + f.c2s.packets + f.s2c.packets, 0);
        assertEquals(flowPackets, report.decode.flowPackets, name);
        const flowBytes = report.flows.reduce((n, f) => n + f.c2s.bytes + f.s2c.bytes, 0);
        assertLessOrEqual(flowBytes, report.bytes, name);
      } catch (err) {
        if (err instanceof CaptureError) continue;
        fail(`${name}: ${err instanceof Error ? err.stack : err}`);
      }
    }
  },
});
