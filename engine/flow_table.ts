import type { PacketInfo } from "./packet_info.ts";

/** Words of a flow key: [vlan|version|protocol, lowPort|highPort, low address x4, high address x4]. */
const KEY_WORDS = 10;
const EMPTY = -1;

/** Why a flow left the table. */
export const FlowEnd = {
  /** No packet for longer than the idle timeout. */
  IDLE: 0,
  /** Pushed out, least recently used first, to make room at the maximum size. */
  EVICTED: 1,
  /** Still open when the capture ended or the table was flushed. */
  FLUSHED: 2,
} as const;

/** One of {@linkcode FlowEnd}. */
export type FlowEndReason = typeof FlowEnd[keyof typeof FlowEnd];

/** Options for {@linkcode FlowTable}. */
export interface FlowTableOptions {
  /** Most flows held at once; the least recently used is evicted past it. */
  maxFlows: number;
  /** Seconds without a packet after which a flow ends. */
  idleTimeout: number;
  /** Called as a flow leaves the table, while its data is still readable. */
  onEnd?: (flow: number, reason: FlowEndReason) => void;
}

/**
 * Bidirectional flows keyed on VLAN, IP version, protocol and both endpoints,
 * held as plain numeric arrays indexed by flow number. Lookups allocate
 * nothing. Flows are kept in least-recently-used order, so idle expiry and
 * eviction at the size limit look at the oldest flow only.
 *
 * Direction 0 is client to server; the client is the side that sent the
 * flow's first packet.
 */
export class FlowTable {
  readonly capacity: number;
  readonly idleTimeout: number;
  /** Key words, {@linkcode KEY_WORDS} per flow. */
  readonly key: Uint32Array;
  /** 1 when the client is the key's low endpoint. */
  readonly clientIsLow: Uint8Array;
  /** Packets per direction: [2n] client to server, [2n + 1] server to client. */
  readonly packets: Float64Array;
  /** Wire bytes per direction, laid out as {@linkcode packets}. */
  readonly bytes: Float64Array;
  /** Times of the first and last packet, seconds since the epoch. */
  readonly firstSeen: Float64Array;
  readonly lastSeen: Float64Array;
  /** Bumped each time a slot is reused, so stale references can be told apart. */
  readonly generation: Uint32Array;
  /** Flows in the table now. */
  size = 0;
  /** Flows ended by idle timeout and by eviction so far. */
  expired = 0;
  evicted = 0;
  /** Direction of the packet last passed to {@linkcode touch}: 0 or 1. */
  direction = 0;

  readonly #onEnd: FlowTableOptions["onEnd"];
  readonly #hash: Uint32Array;
  readonly #prev: Int32Array;
  readonly #next: Int32Array;
  readonly #buckets: Int32Array;
  readonly #mask: number;
  /** Slots never used yet are `#unused` and up; freed ones are chained through `#next`. */
  #unused = 0;
  #freeHead = EMPTY;
  #head = EMPTY;
  #tail = EMPTY;
  readonly #probe = new Uint32Array(KEY_WORDS);
  /**
   * Non-first IP fragments are rare: their counters are kept apart, for the
   * flows that have any. Per flow, 1 + its record, 0 for none; per record,
   * packets each way then bytes each way. Records are reused.
   */
  readonly #fragmentRecord: Int32Array;
  #fragments = new Float64Array(16 * 4);
  #fragmentFree: number[] = [];
  #fragmentRecords = 0;

  constructor(options: FlowTableOptions) {
    const { maxFlows, idleTimeout } = options;
    if (!Number.isInteger(maxFlows) || maxFlows < 1) {
      throw new RangeError(`maxFlows must be a positive integer, got ${maxFlows}`);
    }
    if (!(idleTimeout > 0)) {
      throw new RangeError(`idleTimeout must be positive seconds, got ${idleTimeout}`);
    }
    this.capacity = maxFlows;
    this.idleTimeout = idleTimeout;
    this.#onEnd = options.onEnd;
    this.key = new Uint32Array(maxFlows * KEY_WORDS);
    this.clientIsLow = new Uint8Array(maxFlows);
    this.packets = new Float64Array(maxFlows * 2);
    this.bytes = new Float64Array(maxFlows * 2);
    this.firstSeen = new Float64Array(maxFlows);
    this.lastSeen = new Float64Array(maxFlows);
    this.generation = new Uint32Array(maxFlows);
    this.#hash = new Uint32Array(maxFlows);
    this.#prev = new Int32Array(maxFlows);
    this.#next = new Int32Array(maxFlows);
    let buckets = 16;
    while (buckets < maxFlows * 2) buckets *= 2;
    this.#buckets = new Int32Array(buckets).fill(EMPTY);
    this.#mask = buckets - 1;
    this.#fragmentRecord = new Int32Array(maxFlows);
  }

  /**
   * Finds the flow of a decoded packet, creating it when new, and counts the
   * packet in it. Sets {@linkcode direction}. Returns the flow number.
   */
  touch(info: PacketInfo, wireLen: number, time: number): number {
    const k = this.#probe;
    const src = info.src, dst = info.dst;
    let srcIsLow = true;
    let decided = false;
    for (let i = 0; i < 4; i++) {
      if (src[i] !== dst[i]) {
        srcIsLow = src[i] < dst[i];
        decided = true;
        break;
      }
    }
    if (!decided) srcIsLow = info.srcPort <= info.dstPort;
    k[0] = (info.vlanId << 16 | info.ipVersion << 8 | info.protocol) >>> 0;
    if (srcIsLow) {
      k[1] = (info.srcPort << 16 | info.dstPort) >>> 0;
      k[2] = src[0], k[3] = src[1], k[4] = src[2], k[5] = src[3];
      k[6] = dst[0], k[7] = dst[1], k[8] = dst[2], k[9] = dst[3];
    } else {
      k[1] = (info.dstPort << 16 | info.srcPort) >>> 0;
      k[2] = dst[0], k[3] = dst[1], k[4] = dst[2], k[5] = dst[3];
      k[6] = src[0], k[7] = src[1], k[8] = src[2], k[9] = src[3];
    }
    const hash = info.ipVersion === 4 ? hashKey4(k) : hashKey(k);
    let flow = this.#find(k, hash);
    if (flow === EMPTY) flow = this.#insert(k, hash, srcIsLow, time);
    else this.#moveToTail(flow);
    const dir = (this.clientIsLow[flow] === 1) === srcIsLow ? 0 : 1;
    this.direction = dir;
    this.packets[flow * 2 + dir]++;
    this.bytes[flow * 2 + dir] += wireLen;
    this.lastSeen[flow] = time;
    return flow;
  }

  /** Counts a non-first IP fragment in the flow and direction of its first fragment. */
  addFragment(flow: number, direction: number, wireLen: number, time: number): void {
    const at = flow * 2 + direction;
    this.packets[at]++;
    this.bytes[at] += wireLen;
    let record = this.#fragmentRecord[flow] - 1;
    if (record < 0) record = this.#newFragmentRecord(flow);
    this.#fragments[record * 4 + direction]++;
    this.#fragments[record * 4 + 2 + direction] += wireLen;
    this.lastSeen[flow] = time;
    this.#moveToTail(flow);
  }

  /** Non-first IP fragments (which carry no ports) the flow had in `direction` (0 or 1). */
  fragmentPackets(flow: number, direction: number): number {
    const record = this.#fragmentRecord[flow] - 1;
    return record < 0 ? 0 : this.#fragments[record * 4 + direction];
  }

  /** Their wire bytes, as {@linkcode fragmentPackets}. */
  fragmentBytes(flow: number, direction: number): number {
    const record = this.#fragmentRecord[flow] - 1;
    return record < 0 ? 0 : this.#fragments[record * 4 + 2 + direction];
  }

  /** Ends every flow idle for longer than the timeout at `now`. */
  expireIdle(now: number): void {
    const limit = now - this.idleTimeout;
    while (this.#head !== EMPTY && this.lastSeen[this.#head] < limit) {
      this.expired++;
      this.#remove(this.#head, FlowEnd.IDLE);
    }
  }

  /** Ends every flow, oldest first. */
  flush(): void {
    while (this.#head !== EMPTY) this.#remove(this.#head, FlowEnd.FLUSHED);
  }

  /** Calls `fn` for each flow in the table, least recently used first. */
  forEach(fn: (flow: number) => void): void {
    for (let f = this.#head; f !== EMPTY; f = this.#next[f]) fn(f);
  }

  /** The IP version (4 or 6) of a flow. */
  ipVersion(flow: number): number {
    return (this.key[flow * KEY_WORDS] >> 8) & 0xff;
  }

  /** The IP protocol number of a flow. */
  protocol(flow: number): number {
    return this.key[flow * KEY_WORDS] & 0xff;
  }

  /** The 802.1Q VLAN id of a flow, 0 untagged. */
  vlanId(flow: number): number {
    return this.key[flow * KEY_WORDS] >>> 16;
  }

  /** Copies the client (side 0) or server (side 1) address into `out`; returns its port. */
  endpoint(flow: number, side: number, out: Uint32Array): number {
    const base = flow * KEY_WORDS;
    const low = (this.clientIsLow[flow] === 1) === (side === 0);
    const at = base + (low ? 2 : 6);
    for (let i = 0; i < 4; i++) out[i] = this.key[at + i];
    const ports = this.key[base + 1];
    return low ? ports >>> 16 : ports & 0xffff;
  }

  #find(k: Uint32Array, hash: number): number {
    const buckets = this.#buckets, key = this.key, mask = this.#mask;
    for (let b = hash & mask;; b = (b + 1) & mask) {
      const flow = buckets[b];
      if (flow === EMPTY) return EMPTY;
      if (this.#hash[flow] !== hash) continue;
      const base = flow * KEY_WORDS;
      let i = 0;
      while (i < KEY_WORDS && key[base + i] === k[i]) i++;
      if (i === KEY_WORDS) return flow;
    }
  }

  #insert(k: Uint32Array, hash: number, srcIsLow: boolean, time: number): number {
    if (this.#freeHead === EMPTY && this.#unused === this.capacity) {
      this.evicted++;
      this.#remove(this.#head, FlowEnd.EVICTED);
    }
    // The slot freed last, else the next never used: untouched memory stays untouched.
    let flow = this.#freeHead;
    if (flow !== EMPTY) this.#freeHead = this.#next[flow];
    else flow = this.#unused++;
    this.key.set(k, flow * KEY_WORDS);
    this.#hash[flow] = hash;
    this.clientIsLow[flow] = srcIsLow ? 1 : 0;
    this.packets[flow * 2] = this.packets[flow * 2 + 1] = 0;
    this.bytes[flow * 2] = this.bytes[flow * 2 + 1] = 0;
    this.firstSeen[flow] = time;
    this.lastSeen[flow] = time;
    this.generation[flow]++;
    const buckets = this.#buckets, mask = this.#mask;
    let b = hash & mask;
    while (buckets[b] !== EMPTY) b = (b + 1) & mask;
    buckets[b] = flow;
    this.#prev[flow] = this.#tail;
    this.#next[flow] = EMPTY;
    if (this.#tail !== EMPTY) this.#next[this.#tail] = flow;
    else this.#head = flow;
    this.#tail = flow;
    this.size++;
    return flow;
  }

  #moveToTail(flow: number): void {
    if (this.#tail === flow) return;
    const prev = this.#prev[flow], next = this.#next[flow];
    if (prev !== EMPTY) this.#next[prev] = next;
    else this.#head = next;
    this.#prev[next] = prev;
    this.#prev[flow] = this.#tail;
    this.#next[flow] = EMPTY;
    this.#next[this.#tail] = flow;
    this.#tail = flow;
  }

  #remove(flow: number, reason: FlowEndReason): void {
    this.#onEnd?.(flow, reason);
    const prev = this.#prev[flow], next = this.#next[flow];
    if (prev !== EMPTY) this.#next[prev] = next;
    else this.#head = next;
    if (next !== EMPTY) this.#prev[next] = prev;
    else this.#tail = prev;
    // Backward-shift deletion keeps linear probing correct without tombstones.
    const buckets = this.#buckets, mask = this.#mask;
    let hole = this.#hash[flow] & mask;
    while (buckets[hole] !== flow) hole = (hole + 1) & mask;
    for (let j = (hole + 1) & mask; buckets[j] !== EMPTY; j = (j + 1) & mask) {
      const home = this.#hash[buckets[j]] & mask;
      const between = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!between) {
        buckets[hole] = buckets[j];
        hole = j;
      }
    }
    buckets[hole] = EMPTY;
    if (this.#fragmentRecord[flow] !== 0) this.#freeFragmentRecord(flow);
    this.#next[flow] = this.#freeHead;
    this.#freeHead = flow;
    this.size--;
  }

  #newFragmentRecord(flow: number): number {
    let record = this.#fragmentFree.pop();
    if (record === undefined) {
      record = this.#fragmentRecords++;
      if (record * 4 >= this.#fragments.length) {
        const grown = new Float64Array(this.#fragments.length * 2);
        grown.set(this.#fragments);
        this.#fragments = grown;
      }
    }
    this.#fragmentRecord[flow] = record + 1;
    return record;
  }

  #freeFragmentRecord(flow: number): void {
    const record = this.#fragmentRecord[flow] - 1;
    this.#fragments.fill(0, record * 4, record * 4 + 4);
    this.#fragmentFree.push(record);
    this.#fragmentRecord[flow] = 0;
  }
}

/** The hash of an IPv4 key: its words 3 to 5 and 7 to 9 are zero, so only the others count. */
function hashKey4(k: Uint32Array): number {
  let h = 0x811c9dc5;
  h = Math.imul(h ^ k[0], 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h ^ k[1], 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h ^ k[2], 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h ^ k[6], 0x01000193);
  h ^= h >>> 15;
  return (Math.imul(h, 0x2c1b3c6d) ^ (h >>> 12)) >>> 0;
}

function hashKey(k: Uint32Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < KEY_WORDS; i++) {
    h = Math.imul(h ^ k[i], 0x01000193);
    h ^= h >>> 15;
  }
  return (Math.imul(h, 0x2c1b3c6d) ^ (h >>> 12)) >>> 0;
}
