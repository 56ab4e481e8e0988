// FlowTable against a plain Map that models what it should hold: tens of
// thousands of seeded random packets over more conversations than the table
// fits, so that eviction, idle expiry and the hash table's backward-shift
// deletion all run many times. Any lost or duplicated flow, wrong count, wrong
// direction or out-of-order ending shows up as a difference from the model.
import { assertEquals } from "@std/assert";
import {
  FlowEnd,
  type FlowEndReason,
  flowRecord,
  FlowTable,
  formatEndpoint,
  PacketInfo,
} from "../../engine/mod.ts";
import { prng } from "./_packets.ts";

interface Endpoint {
  words: number[];
  port: number;
  text: string;
}

interface Conversation {
  version: number;
  protocol: number;
  vlan: number;
  a: Endpoint;
  b: Endpoint;
  /** Same for both directions: version, protocol, VLAN and the two endpoints, sorted. */
  key: string;
}

interface ModelFlow {
  flow: number;
  client: string;
  packets: [number, number];
  bytes: [number, number];
  firstSeen: number;
  lastSeen: number;
}

type Rng = ReturnType<typeof prng>;

// Few distinct words and ports, so that addresses and ports often tie.
const V4_WORDS = [0x0a000001, 0x0a000002, 0xc0a80001, 0x80000000, 0xffffffff, 0x7fffffff, 0];
const V6_WORDS = [0x20010db8, 0, 1, 0xfe800000, 0xffffffff, 0x80000001];
const PORTS = [0, 53, 80, 443, 5353, 50000, 65535];

function endpoint(rng: Rng, version: number): Endpoint {
  const pick = (list: number[]) => list[rng.int(list.length)];
  const words = version === 4 ? [pick(V4_WORDS), 0, 0, 0] : [0, 1, 2, 3].map(() => pick(V6_WORDS));
  const port = rng.next() < 0.8 ? pick(PORTS) : rng.int(65536);
  return { words, port, text: formatEndpoint(version, words, port) };
}

function conversation(rng: Rng): Conversation {
  const version = rng.next() < 0.6 ? 4 : 6;
  const protocol = [6, 17, 1, 58, 132][rng.int(5)];
  const vlan = rng.next() < 0.8 ? 0 : [1, 100, 4095][rng.int(3)];
  const a = endpoint(rng, version);
  const b = rng.next() < 0.05 ? { ...a, port: rng.int(3) } : endpoint(rng, version);
  b.text = formatEndpoint(version, b.words, b.port);
  const ends = [a.text, b.text].sort();
  return { version, protocol, vlan, a, b, key: `${version} ${protocol} ${vlan} ${ends}` };
}

/** The model's key for a flow in the table, from its record. */
function tableKey(table: FlowTable, flow: number): string {
  const r = flowRecord(table, flow);
  const ends = [r.client, r.server].sort();
  return `${table.ipVersion(flow)} ${table.protocol(flow)} ${r.vlan} ${ends}`;
}

function run(seed: number, maxFlows: number, conversations: number, operations: number) {
  const rng = prng(seed);
  const pool = Array.from({ length: conversations }, () => conversation(rng));
  const idleTimeout = 20 + rng.int(200);
  const ended: [string, FlowEndReason, number, number][] = [];
  const table = new FlowTable({
    maxFlows,
    idleTimeout,
    onEnd: (flow, why) =>
      ended.push([
        tableKey(table, flow),
        why,
        table.packets[flow * 2],
        table.packets[flow * 2 + 1],
      ]),
  });
  const model = new Map<string, ModelFlow>();
  const expected: typeof ended = [];
  const end = (key: string, why: FlowEndReason) => {
    const m = model.get(key)!;
    expected.push([key, why, m.packets[0], m.packets[1]]);
    model.delete(key);
  };
  let evicted = 0, expired = 0;
  const info = new PacketInfo();
  let now = 1_000_000;
  for (let op = 0; op < operations; op++) {
    now += rng.int(3);
    if (rng.next() < 0.01) {
      table.expireIdle(now);
      for (const [key, m] of model) {
        if (m.lastSeen >= now - idleTimeout) break;
        end(key, FlowEnd.IDLE);
        expired++;
      }
    }
    // Half the packets go to a few busy conversations, so flows live long enough to grow.
    const c = pool[rng.int(rng.next() < 0.5 ? Math.min(8, conversations) : conversations)];
    const forward = rng.next() < 0.5;
    const [from, to] = forward ? [c.a, c.b] : [c.b, c.a];
    info.ipVersion = c.version;
    info.protocol = c.protocol;
    info.vlanId = c.vlan;
    info.src.set(from.words);
    info.dst.set(to.words);
    info.srcPort = from.port;
    info.dstPort = to.port;
    const wireLen = 40 + rng.int(1461);

    let m = model.get(c.key);
    if (m) {
      model.delete(c.key); // re-inserted last: the Map's order is the LRU order
    } else {
      if (model.size === maxFlows) {
        end(model.keys().next().value!, FlowEnd.EVICTED);
        evicted++;
      }
      m = {
        flow: -1,
        client: from.text,
        packets: [0, 0],
        bytes: [0, 0],
        firstSeen: now,
        lastSeen: now,
      };
    }
    model.set(c.key, m);
    const dir = from.text === m.client ? 0 : 1;
    m.packets[dir]++;
    m.bytes[dir] += wireLen;
    m.lastSeen = now;

    const flow = table.touch(info, wireLen, now);
    if (m.flow === -1) m.flow = flow;
    const at = `op ${op} (seed ${seed}, ${c.key})`;
    assertEquals(flow, m.flow, `${at}: flow number`);
    assertEquals(table.direction, dir, `${at}: direction`);
    assertEquals(
      [table.packets[flow * 2], table.packets[flow * 2 + 1]],
      m.packets,
      `${at}: packets`,
    );
    assertEquals([table.bytes[flow * 2], table.bytes[flow * 2 + 1]], m.bytes, `${at}: bytes`);
    assertEquals(ended.length, expected.length, `${at}: flows ended`);
    if (op % 997 === 0) compareAll(table, model, at);
  }
  compareAll(table, model, "at the end");
  assertEquals(ended, expected);
  assertEquals([table.evicted, table.expired], [evicted, expired]);
  table.flush();
  assertEquals(table.size, 0);
  return { evicted, expired };
}

/** The whole table, in LRU order, against the model. */
function compareAll(table: FlowTable, model: Map<string, ModelFlow>, at: string): void {
  const ours: string[] = [];
  table.forEach((flow) => {
    const r = flowRecord(table, flow);
    ours.push(`${tableKey(table, flow)} client ${r.client} ${r.c2s.packets}/${r.s2c.packets}`);
  });
  const theirs = [...model].map(([key, m]) =>
    `${key} client ${m.client} ${m.packets[0]}/${m.packets[1]}`
  );
  assertEquals(ours, theirs, `${at}: table contents`);
  assertEquals(table.size, model.size, `${at}: size`);
}

Deno.test("FlowTable matches a Map model over seeded random packets", () => {
  let evicted = 0, expired = 0;
  for (
    const [seed, maxFlows, conversations, operations] of [
      [1, 1, 6, 2_000],
      [2, 7, 40, 8_000],
      [3, 64, 400, 20_000],
      [4, 300, 900, 20_000],
      [5, 1024, 1500, 10_000],
    ]
  ) {
    const counts = run(seed, maxFlows, conversations, operations);
    evicted += counts.evicted;
    expired += counts.expired;
  }
  // The run must have exercised both ways out of the table, many times.
  assertEquals(evicted > 10_000 && expired > 100, true, `evicted ${evicted}, expired ${expired}`);
});
