import { decodePacket } from "./decode_link.ts";
import { FlowTable, type FlowTableOptions } from "./flow_table.ts";
import { FragmentTable } from "./fragment_table.ts";
import { Decoded, PacketInfo } from "./packet_info.ts";

/** What the decoder saw, packet by packet, as plain counters. */
export interface DecodeCounters {
  /** Every packet handed in, and their wire bytes. */
  packets: number;
  bytes: number;
  /** Packets counted in a flow. */
  flowPackets: number;
  /** Not IP at all (ARP, LLDP, STP, ...). */
  notIp: number;
  /** Headers cut short by the capture length. */
  truncated: number;
  /** Headers that cannot be valid. */
  malformed: number;
  /** Packets of a link type the decoder does not read. */
  unsupportedLink: number;
  /** Non-first IP fragments, and those among them whose first fragment was never seen. */
  fragments: number;
  orphanFragments: number;
}

/** Options for {@linkcode FlowTracker}. */
export interface FlowTrackerOptions extends FlowTableOptions {
  /** libpcap link type of the packets. */
  linkType: number;
}

/**
 * The packet path of the engine: decodes each packet and counts it in its
 * flow. Malformed, truncated and hostile packets are counted as such and
 * never throw out of {@linkcode packet}.
 *
 * @example
 * ```ts ignore
 * const tracker = new FlowTracker({ linkType: source.linkType, maxFlows: 100_000, idleTimeout: 120 });
 * while ((await source.read(tracker)) !== END_OF_CAPTURE) {}
 * tracker.table.forEach((flow) => console.log(flowRecord(tracker.table, flow)));
 * ```
 */
export class FlowTracker {
  readonly table: FlowTable;
  readonly counters: DecodeCounters = {
    packets: 0,
    bytes: 0,
    flowPackets: 0,
    notIp: 0,
    truncated: 0,
    malformed: 0,
    unsupportedLink: 0,
    fragments: 0,
    orphanFragments: 0,
  };
  /** The packet being handled, decoded: valid during {@linkcode packet} and its hooks. */
  readonly info: PacketInfo = new PacketInfo();
  readonly linkType: number;
  readonly #fragments = new FragmentTable();
  #nextExpiry = -Infinity;

  constructor(options: FlowTrackerOptions) {
    this.linkType = options.linkType;
    this.table = new FlowTable(options);
  }

  /**
   * Handles one packet; returns its flow number, or -1 when it was counted
   * in no flow.
   */
  packet(
    data: DataView,
    offset: number,
    capLen: number,
    wireLen: number,
    tsSec: number,
    tsNsec: number,
  ): number {
    const c = this.counters;
    c.packets++;
    c.bytes += wireLen;
    const time = tsSec + tsNsec * 1e-9;
    if (time >= this.#nextExpiry) {
      this.table.expireIdle(time);
      this.#nextExpiry = time + 1;
    }
    const info = this.info;
    let status: number;
    try {
      status = decodePacket(this.linkType, data, offset, capLen, info, wireLen);
    } catch {
      status = Decoded.MALFORMED; // a decoder bug must not stop the capture
    }
    const table = this.table;
    switch (status) {
      case Decoded.OK: {
        const flow = table.touch(info, wireLen, time);
        if (info.moreFragments) {
          this.#fragments.remember(info, flow, table.generation[flow], table.direction, time);
        }
        c.flowPackets++;
        return flow;
      }
      case Decoded.FRAGMENT: {
        c.fragments++;
        const flow = this.#fragments.lookup(info, table.generation, time);
        if (flow < 0) {
          c.orphanFragments++;
          return -1;
        }
        table.addFragment(flow, this.#fragments.direction, wireLen, time);
        c.flowPackets++;
        return flow;
      }
      case Decoded.NOT_IP:
        c.notIp++;
        return -1;
      case Decoded.TRUNCATED:
        c.truncated++;
        return -1;
      case Decoded.UNSUPPORTED_LINK:
        c.unsupportedLink++;
        return -1;
      default:
        c.malformed++;
        return -1;
    }
  }
}
