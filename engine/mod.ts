/**
 * The pure core of Sluice: decoding, flows and accounting. Nothing here reads
 * the clock, the network or the filesystem.
 *
 * @module
 */
export { decodePacket } from "./decode_link.ts";
export { Decoded, type DecodeStatus, PacketInfo } from "./packet_info.ts";
export { isSupportedLinkType, LinkType, linkTypeName } from "./link_type.ts";
export { FlowEnd, type FlowEndReason, FlowTable, type FlowTableOptions } from "./flow_table.ts";
export { type DecodeCounters, FlowTracker, type FlowTrackerOptions } from "./flow_tracker.ts";
export { type DirectionTotals, type FlowRecord, flowRecord } from "./flow_record.ts";
export { formatEndpoint, formatIp, protocolName } from "./ip_address.ts";
