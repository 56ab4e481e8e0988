/**
 * Receives packets from a {@linkcode PacketSource}. `data` is only valid during
 * the call: the bytes live in a buffer the source reuses for the next packet.
 */
export interface PacketSink {
  /**
   * One captured packet: `capLen` bytes at `offset` in `data`, `wireLen` bytes
   * on the wire, captured at `tsSec` seconds plus `tsNsec` nanoseconds.
   */
  packet(
    data: DataView,
    offset: number,
    capLen: number,
    wireLen: number,
    tsSec: number,
    tsNsec: number,
  ): void;
}

/** Counters a source keeps about what it could not deliver. */
export interface CaptureStats {
  /** Packets delivered to the sink. */
  delivered: number;
  /** Packets the kernel dropped for lack of buffer space (pcap_stats ps_drop). */
  kernelDropped: number;
  /** Packets the interface or driver dropped (pcap_stats ps_ifdrop). */
  ifDropped: number;
  /** Packets Sluice itself dropped because the engine fell behind. */
  ownDropped: number;
  /** Packets a live capture's worker has handed over so far, delivered or still queued. */
  captured?: number;
}

/** {@linkcode PacketSource.read} result once the source has nothing more to give. */
export const END_OF_CAPTURE = -1;

/**
 * Where packets come from: a live interface, a capture file or the simulator.
 * All of them deliver packets in batches, each packet as wire length,
 * captured bytes and a timestamp.
 *
 * @example Count the packets of any source
 * ```ts ignore
 * let count = 0;
 * const sink = { packet() { count++; } };
 * while ((await source.read(sink)) !== END_OF_CAPTURE) { }
 * ```
 */
export interface PacketSource {
  /** A name for messages: the interface, the file or the scenario. */
  readonly name: string;
  /** The link type (libpcap DLT number) of every packet. */
  readonly linkType: number;
  /**
   * Delivers the next batch of at most `maxPackets` packets to `sink`.
   * Resolves to the number delivered (0 when a live source timed out with
   * nothing to give) or {@linkcode END_OF_CAPTURE}.
   */
  read(sink: PacketSink, maxPackets?: number): Promise<number>;
  /** Delivery and drop counters so far. */
  stats(): CaptureStats;
  /** Releases the source; further reads return {@linkcode END_OF_CAPTURE}. */
  close(): void;
}
