/**
 * The link's quality in the live snapshot: what users feel as "the internet
 * is slow" — handshake round trips out to servers and within the LAN, and
 * how often data had to be sent again — summed up over every device.
 *
 * @module
 */
import type { Monitor } from "../../engine/monitor.ts";
import type { LinkQuality } from "./snapshot_types.ts";

/**
 * Medians over the devices' own recent medians (one device on a bad Wi-Fi
 * link does not make the whole link look bad), and retransmitted data
 * segments over all segments since start.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { LanSubnets } from "../../engine/devices/mod.ts";
 * import { Monitor } from "../../engine/monitor.ts";
 * const monitor = new Monitor({ linkType: 1, lan: LanSubnets.privateRanges() });
 * assertEquals(linkQuality(monitor), { wanRttMs: null, lanRttMs: null, retransmitRate: null });
 * ```
 */
export function linkQuality(monitor: Monitor): LinkQuality {
  const wan: number[] = [], lan: number[] = [];
  let segments = 0, retransmits = 0;
  const n = Math.min(monitor.devices.size, monitor.quality.devices);
  for (let i = 0; i < n; i++) {
    const q = monitor.quality.get(i);
    if (q.wanRttMs !== null) wan.push(q.wanRttMs);
    if (q.lanRttMs !== null) lan.push(q.lanRttMs);
    segments += q.segments;
    retransmits += q.retransmits;
  }
  return {
    wanRttMs: median(wan),
    lanRttMs: median(lan),
    retransmitRate: segments > 0 ? retransmits / segments : null,
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}
