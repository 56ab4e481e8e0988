// FlowTable and FlowTracker: which packets share a flow, who the client is,
// eviction and idle expiry, IP fragments, and the record a flow becomes.
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  FlowEnd,
  type FlowEndReason,
  type FlowRecord,
  flowRecord,
  FlowTable,
  FlowTracker,
  LinkType,
} from "../../engine/mod.ts";
import {
  ACK,
  ETH_IP4,
  ETH_IP6,
  ethernet,
  filler,
  ipv4,
  ipv6,
  MAC_A,
  MAC_B,
  SYN,
  TCP,
  tcp,
  UDP,
  udp,
  view,
} from "./_packets.ts";

type Ended = [FlowRecord, FlowEndReason];

/** A tracker over raw IP packets that keeps what each ending flow was, and why. */
function tracker(maxFlows = 100, idleTimeout = Infinity, linkType: number = LinkType.RAW) {
  const ended: Ended[] = [];
  const t: FlowTracker = new FlowTracker({
    linkType,
    maxFlows,
    idleTimeout,
    onEnd: (flow, reason) => ended.push([flowRecord(t.table, flow), reason]),
  });
  return { t, ended };
}

/** Hands a frame to the tracker at `time` seconds; returns its flow. */
function feed(t: FlowTracker, frame: Uint8Array, time = 1000): number {
  const sec = Math.floor(time);
  return t.packet(view(frame), 0, frame.length, frame.length, sec, Math.round((time - sec) * 1e9));
}

function records(t: FlowTracker): FlowRecord[] {
  const out: FlowRecord[] = [];
  t.table.forEach((flow) => out.push(flowRecord(t.table, flow)));
  return out;
}

const tcp4 = (src: string, sport: number, dst: string, dport: number, flags = ACK, n = 0) =>
  ipv4({ src, dst, proto: TCP }, tcp({ sport, dport, flags }, filler(n)));
const udp4 = (src: string, sport: number, dst: string, dport: number, n = 0) =>
  ipv4({ src, dst, proto: UDP }, udp({ sport, dport }, filler(n)));

Deno.test("FlowTracker.packet() puts both directions of a TCP conversation in one flow", () => {
  // The client has the higher address, so its side is not the key's low side.
  for (const [client, server] of [["10.0.0.9", "10.0.0.1"], ["10.0.0.1", "200.0.0.9"]]) {
    const { t } = tracker();
    const syn = tcp4(client, 50000, server, 80, SYN);
    const synAck = tcp4(server, 80, client, 50000, SYN | ACK);
    const data = tcp4(client, 50000, server, 80, ACK, 100);
    const flow = feed(t, syn, 1);
    assertEquals(t.table.direction, 0);
    assertEquals(feed(t, synAck, 2), flow);
    assertEquals(t.table.direction, 1);
    assertEquals(feed(t, data, 3), flow);
    const [record] = records(t);
    assertEquals(records(t).length, 1);
    assertEquals([record.client, record.server], [`${client}:50000`, `${server}:80`]);
    assertEquals(record.c2s, { packets: 2, bytes: syn.length + data.length });
    assertEquals(record.s2c, { packets: 1, bytes: synAck.length });
    assertEquals([record.firstSeen, record.lastSeen], [1, 3]);
  }
});

Deno.test("FlowTable.touch() tells sides apart by port when both have the same address", () => {
  const { t } = tracker();
  const flow = feed(t, udp4("127.0.0.1", 5000, "127.0.0.1", 4000));
  assertEquals(feed(t, udp4("127.0.0.1", 4000, "127.0.0.1", 5000)), flow);
  assertEquals(t.table.direction, 1);
  feed(t, udp4("127.0.0.1", 4000, "127.0.0.1", 4001));
  const [a, b] = records(t);
  assertEquals([a.client, a.server, a.c2s.packets, a.s2c.packets], [
    "127.0.0.1:5000",
    "127.0.0.1:4000",
    1,
    1,
  ]);
  assertEquals([b.client, b.server], ["127.0.0.1:4000", "127.0.0.1:4001"]);
  // The same endpoint on both sides: one flow, every packet one way.
  const same = tracker().t;
  feed(same, udp4("127.0.0.1", 7, "127.0.0.1", 7));
  feed(same, udp4("127.0.0.1", 7, "127.0.0.1", 7));
  assertEquals(records(same).map((r) => [r.c2s.packets, r.s2c.packets]), [[2, 0]]);
});

Deno.test("FlowTable.touch() orders by address before port, unsigned", () => {
  const { t } = tracker();
  // The client's address is higher but its port lower; 200.x has the top bit set.
  const flow = feed(t, tcp4("200.0.0.1", 1, "10.0.0.1", 65535));
  assertEquals(feed(t, tcp4("10.0.0.1", 65535, "200.0.0.1", 1)), flow);
  assertEquals(feed(t, tcp4("10.0.0.1", 1, "200.0.0.1", 65535)) === flow, false);
  assertEquals(records(t).map((r) => r.client), ["200.0.0.1:1", "10.0.0.1:1"]);
});

Deno.test("FlowTable.touch() keeps protocols and IP versions with the same words apart", () => {
  const { t } = tracker();
  feed(t, udp4("10.0.0.1", 53, "10.0.0.2", 53));
  feed(t, tcp4("10.0.0.1", 53, "10.0.0.2", 53));
  // a00:1:: and a00:2:: hold the same four words as 10.0.0.1 and 10.0.0.2.
  feed(t, ipv6({ src: "a00:1::", dst: "a00:2::", next: UDP }, udp({ sport: 53, dport: 53 })));
  assertEquals(records(t).map((r) => `${r.protocol} ${r.client} ${r.server}`), [
    "UDP 10.0.0.1:53 10.0.0.2:53",
    "TCP 10.0.0.1:53 10.0.0.2:53",
    "UDP [a00:1::]:53 [a00:2::]:53",
  ]);
});

Deno.test("FlowTable.touch() keeps the same conversation in different VLANs apart", () => {
  const { t } = tracker(100, Infinity, LinkType.EN10MB);
  const packet = udp4("10.0.0.1", 1000, "10.0.0.2", 2000);
  for (const vlans of [[], [10], [20], [5, 10]]) {
    feed(t, ethernet(MAC_B, MAC_A, ETH_IP4, packet, vlans));
  }
  const byVlan = records(t).sort((a, b) => a.vlan - b.vlan);
  // QinQ 5/10 counts as VLAN 10, its innermost tag.
  assertEquals(byVlan.map((r) => [r.vlan, r.c2s.packets]), [[0, 1], [10, 2], [20, 1]]);
});

Deno.test("FlowTable evicts the least recently used flow at maxFlows", () => {
  const { t, ended } = tracker(3);
  const flows = ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"].map((src) =>
    udp4(src, 1, "10.9.9.9", 2)
  );
  feed(t, flows[0], 1);
  feed(t, flows[1], 2);
  feed(t, flows[2], 3);
  feed(t, flows[0], 4); // the first is used again: the second is now the oldest
  feed(t, flows[3], 5);
  assertEquals([t.table.size, t.table.evicted], [3, 1]);
  assertEquals(ended.map(([r, why]) => [r.client, r.c2s.packets, why]), [[
    "10.0.0.2:1",
    1,
    FlowEnd.EVICTED,
  ]]);
  for (let i = 0; i < 50; i++) feed(t, udp4(`10.1.0.${i}`, 1, "10.9.9.9", 2), 6 + i);
  assertEquals([t.table.size, t.table.evicted, ended.length], [3, 51, 51]);
  assertEquals(t.counters.flowPackets, 55);
});

Deno.test("FlowTracker ends flows idle longer than idleTimeout, then flushes the rest", () => {
  const { t, ended } = tracker(100, 10);
  const a = udp4("10.0.0.1", 1, "10.0.0.9", 2), b = udp4("10.0.0.2", 1, "10.0.0.9", 2);
  feed(t, a, 100);
  feed(t, b, 105);
  feed(t, b, 110.5); // a is 10.5 s idle
  assertEquals(ended.map(([r, why]) => [r.client, why]), [["10.0.0.1:1", FlowEnd.IDLE]]);
  assertEquals([t.table.expired, t.table.size], [1, 1]);
  feed(t, a, 111); // a new flow for the same conversation
  t.table.flush();
  assertEquals(ended.slice(1).map(([r, why]) => [r.client, r.firstSeen, why]), [
    ["10.0.0.2:1", 105, FlowEnd.FLUSHED],
    ["10.0.0.1:1", 111, FlowEnd.FLUSHED],
  ]);
  assertEquals(t.table.size, 0);
});

Deno.test("FlowTable() refuses a size or idle timeout that is not positive", () => {
  assertThrows(() => new FlowTable({ maxFlows: 0, idleTimeout: 1 }), RangeError, "maxFlows");
  assertThrows(() => new FlowTable({ maxFlows: 1.5, idleTimeout: 1 }), RangeError, "maxFlows");
  assertThrows(() => new FlowTable({ maxFlows: 1, idleTimeout: 0 }), RangeError, "idleTimeout");
  assertThrows(() => new FlowTable({ maxFlows: 1, idleTimeout: NaN }), RangeError, "idleTimeout");
});

/** A UDP datagram's first fragment (with the UDP header) or a later one, 10.0.0.1:5000 <-> .2:53. */
const frag4 = (src: string, dst: string, id: number, first: boolean, n: number) => {
  const ports = src === "10.0.0.1" ? { sport: 5000, dport: 53 } : { sport: 53, dport: 5000 };
  const payload = first ? udp(ports, filler(n)) : filler(n);
  return ipv4({ src, dst, proto: UDP, id, mf: first, fragOffset: first ? 0 : 1480 }, payload);
};

Deno.test("FlowTracker counts later IP fragments in their first fragment's flow", () => {
  const { t } = tracker();
  const c1 = frag4("10.0.0.1", "10.0.0.2", 77, true, 1472),
    c2 = frag4("10.0.0.1", "10.0.0.2", 77, false, 500);
  const s1 = frag4("10.0.0.2", "10.0.0.1", 77, true, 1472),
    s2 = frag4("10.0.0.2", "10.0.0.1", 77, false, 300);
  const flow = feed(t, c1);
  assertEquals([feed(t, s1), feed(t, c2), feed(t, s2)], [flow, flow, flow]);
  const [record] = records(t);
  assertEquals(record.c2s, { packets: 2, bytes: c1.length + c2.length });
  assertEquals(record.fragments, {
    c2s: { packets: 1, bytes: c2.length },
    s2c: { packets: 1, bytes: s2.length },
  });
  assertEquals([t.counters.fragments, t.counters.orphanFragments, t.counters.flowPackets], [
    2,
    0,
    4,
  ]);
});

Deno.test("FlowTracker counts IPv6 fragments in their first fragment's flow", () => {
  const { t } = tracker();
  const src = "2001:db8::1", dst = "2001:db8::2";
  const first = ipv6({
    src,
    dst,
    next: UDP,
    extensions: [{ type: "fragment", offset: 0, more: true, id: 5 }],
  }, udp({ sport: 1, dport: 2 }, filler(1000)));
  const later = ipv6({
    src,
    dst,
    next: UDP,
    extensions: [{ type: "fragment", offset: 1008, more: false, id: 5 }],
  }, filler(200));
  const flow = feed(t, first);
  assertEquals(feed(t, later), flow);
  assertEquals(records(t)[0].fragments?.c2s, { packets: 1, bytes: later.length });
});

Deno.test("FlowTracker counts fragments without a first fragment as orphans", () => {
  const { t } = tracker(1);
  assertEquals(feed(t, frag4("10.0.0.1", "10.0.0.2", 1, false, 100)), -1);
  // The first fragment's flow is evicted before its second arrives.
  feed(t, frag4("10.0.0.1", "10.0.0.2", 2, true, 100));
  feed(t, udp4("10.5.5.5", 1, "10.6.6.6", 2));
  assertEquals(feed(t, frag4("10.0.0.1", "10.0.0.2", 2, false, 100)), -1);
  // Another datagram id between the same hosts is not the first fragment's either.
  feed(t, frag4("10.0.0.1", "10.0.0.2", 3, true, 100));
  assertEquals(feed(t, frag4("10.0.0.1", "10.0.0.2", 4, false, 100)), -1);
  const c = t.counters;
  assertEquals([c.fragments, c.orphanFragments, c.flowPackets, c.packets], [3, 3, 3, 6]);
  assertEquals(records(t)[0].fragments, undefined);
});

Deno.test("flowRecord() copies a whole flow out as plain data", () => {
  const { t } = tracker(100, Infinity, LinkType.EN10MB);
  const c = "2001:db8::1", s = "2001:db8:0:1::2";
  const up = ipv6({ src: c, dst: s, next: TCP }, tcp({ sport: 40000, dport: 443, flags: SYN }));
  const down = ipv6({ src: s, dst: c, next: TCP }, tcp({ sport: 443, dport: 40000 }, filler(30)));
  const frameUp = ethernet(MAC_B, MAC_A, ETH_IP6, up, [7]),
    frameDown = ethernet(MAC_A, MAC_B, ETH_IP6, down, [7]);
  t.packet(view(frameUp), 0, frameUp.length, frameUp.length, 1_700_000_000, 123_456_789);
  t.packet(view(frameDown), 0, frameDown.length, 1514, 1_700_000_002, 500);
  assertEquals(records(t), [{
    protocol: "TCP",
    client: "[2001:db8::1]:40000",
    server: "[2001:db8:0:1::2]:443",
    vlan: 7,
    c2s: { packets: 1, bytes: 78 },
    s2c: { packets: 1, bytes: 1514 },
    firstSeen: 1_700_000_000.123457,
    lastSeen: 1_700_000_002.000001,
    hostname: null,
    hostnameSource: null,
    app: null,
    category: null,
  }]);
});

Deno.test("FlowTable stays at its capacity under churn: 3x as many flows, evicted and expired", () => {
  const capacity = 64, idle = 30;
  const { t, ended } = tracker(capacity, idle);
  let time = 1000, maxSize = 0;
  for (let i = 0; i < capacity * 3; i++) {
    // Two packets each way, a second apart: the table fills, then evicts the oldest.
    const flow = feed(t, udp4(`10.0.${i >> 8}.${i & 255}`, 4000, "192.0.2.1", 53), time);
    assertEquals(feed(t, udp4("192.0.2.1", 53, `10.0.${i >> 8}.${i & 255}`, 4000), time), flow);
    assert(flow >= 0 && flow < capacity, `flow ${flow} is a slot of the table`);
    maxSize = Math.max(maxSize, t.table.size);
    time += 0.01;
  }
  assertEquals([maxSize, t.table.size, t.table.evicted, t.table.expired], [
    capacity,
    capacity,
    capacity * 2,
    0,
  ]);
  // The live flows are the last `capacity` opened.
  assertEquals(records(t)[0].client, `10.0.0.${capacity * 2}:4000`);
  // Quiet past the idle timeout: the next packet ends every one of them.
  feed(t, udp4("10.1.0.1", 4000, "192.0.2.1", 53), time + idle + 1);
  assertEquals([t.table.size, t.table.expired, ended.length], [1, capacity, capacity * 3]);
  assertEquals(ended.filter(([, why]) => why === FlowEnd.EVICTED).length, capacity * 2);
  assertEquals(ended.filter(([, why]) => why === FlowEnd.IDLE).length, capacity);
});

Deno.test("FlowTable gives a reused slot no fragments of the flow that held it before", () => {
  const { t } = tracker(1);
  const flow = feed(t, frag4("10.0.0.1", "10.0.0.2", 77, true, 1472), 1);
  feed(t, frag4("10.0.0.1", "10.0.0.2", 77, false, 500), 1);
  assertEquals([t.table.fragmentPackets(flow, 0), t.table.fragmentBytes(flow, 0)], [1, 520]);
  for (let i = 0; i < 100; i++) {
    // Fragmented flows one after another, each evicting the last: records are reused.
    const src = `10.0.1.${i}`, next = feed(t, frag4(src, "10.0.0.2", i, true, 1472), 2 + i);
    assertEquals(next, flow, "the one slot");
    assertEquals(flowRecord(t.table, next).fragments, undefined, "none yet");
    feed(t, frag4(src, "10.0.0.2", i, false, 300), 2 + i);
    assertEquals(flowRecord(t.table, next).fragments?.c2s, { packets: 1, bytes: 320 });
  }
  feed(t, udp4("10.0.0.3", 1, "10.0.0.4", 2), 200);
  assertEquals(flowRecord(t.table, flow).fragments, undefined);
  assertEquals(t.table.evicted, 101);
});
