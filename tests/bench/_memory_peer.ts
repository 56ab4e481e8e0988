// The peer of bench:memory: the flow table as it is often first written in
// JavaScript, a Map from a string key to an object per flow, kept in least
// recently used order (a touch deletes and re-inserts), evicting the oldest
// when full and expiring idle flows from the front. It decodes with the same
// decoder and holds what FlowTable holds: the key, packets and bytes each
// way (fragments too), first and last seen.
import { Decoded, decodePacket, PacketInfo } from "../../engine/mod.ts";

/** One flow, as a plain object. */
class NaiveFlow {
  constructor(
    readonly protocol: number,
    readonly vlan: number,
    readonly client: string,
    readonly server: string,
    readonly firstSeen: number,
  ) {
    this.lastSeen = firstSeen;
  }
  lastSeen: number;
  c2sPackets = 0;
  c2sBytes = 0;
  s2cPackets = 0;
  s2cBytes = 0;
  fragmentPackets = 0;
  fragmentBytes = 0;
}

/** A bounded flow table over Map<string, object>. */
export class NaiveFlowTable {
  readonly flows = new Map<string, NaiveFlow>();
  readonly #info = new PacketInfo();
  readonly #max: number;
  readonly #idle: number;
  #nextExpiry = -Infinity;
  evicted = 0;
  expired = 0;

  constructor(maxFlows: number, idleTimeout: number) {
    this.#max = maxFlows;
    this.#idle = idleTimeout;
  }

  get size(): number {
    return this.flows.size;
  }

  packet(
    data: DataView,
    offset: number,
    capLen: number,
    wireLen: number,
    tsSec: number,
    tsNsec: number,
  ): void {
    const time = tsSec + tsNsec * 1e-9, info = this.#info;
    if (time >= this.#nextExpiry) {
      this.#expire(time);
      this.#nextExpiry = time + 1;
    }
    if (decodePacket(1, data, offset, capLen, info, wireLen) !== Decoded.OK) return;
    const src = `${info.src[0]}:${info.srcPort}`, dst = `${info.dst[0]}:${info.dstPort}`;
    const srcIsLow = src < dst;
    const key = `${info.vlanId}/${info.protocol}/${srcIsLow ? src : dst}/${srcIsLow ? dst : src}`;
    let flow = this.flows.get(key);
    if (flow) this.flows.delete(key);
    else {
      if (this.flows.size >= this.#max) {
        this.flows.delete(this.flows.keys().next().value!);
        this.evicted++;
      }
      flow = new NaiveFlow(info.protocol, info.vlanId, src, dst, time);
    }
    this.flows.set(key, flow);
    if (flow.client === src) flow.c2sPackets++, flow.c2sBytes += wireLen;
    else flow.s2cPackets++, flow.s2cBytes += wireLen;
    flow.lastSeen = time;
  }

  #expire(now: number): void {
    for (const [key, flow] of this.flows) {
      if (flow.lastSeen >= now - this.#idle) return;
      this.flows.delete(key);
      this.expired++;
    }
  }
}
