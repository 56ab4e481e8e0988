import type { AppCatalogue } from "./app_catalogue.ts";
import { decodePacket } from "./decode_link.ts";
import { type FlowRecord, flowRecord } from "./flow_record.ts";
import { FlowNamer } from "./flow_namer.ts";
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
  /** Names and classifies flows when given; without it flows stay unnamed. */
  catalogue?: AppCatalogue;
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
  /** Names and classifies flows; undefined without a catalogue. */
  readonly namer: FlowNamer | undefined;
  readonly #fragments = new FragmentTable();
  #nextExpiry = -Infinity;

  constructor(options: FlowTrackerOptions) {
    this.linkType = options.linkType;
    const namer = options.catalogue
      ? new FlowNamer(options.maxFlows, options.catalogue)
      : undefined;
    this.namer = namer;
    const onEnd = options.onEnd;
    this.table = new FlowTable({
      ...options,
      onEnd: namer || onEnd
        ? (flow, reason) => {
          onEnd?.(flow, reason);
          namer?.forget(flow);
        }
        : undefined,
    });
  }

  /** A flow as plain data, with its name and classification when a catalogue is set. */
  record(flow: number): FlowRecord {
    const record = flowRecord(this.table, flow);
    if (this.namer) Object.assign(record, this.namer.naming(this.table, flow));
    return record;
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
        if (this.namer) {
          const isNew = table.packets[flow * 2] + table.packets[flow * 2 + 1] === 1;
          this.namer.observe(table, flow, info, data, time, isNew);
        }
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
