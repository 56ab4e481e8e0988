// The one line `sluice run` and `sluice demo` print as each minute closes.
import type { Monitor } from "../engine/monitor.ts";
import { formatBytes } from "./flow_text.ts";

/**
 * "18:05 link 1.2 GB↓ 30 MB↑; 21 devices; top: …" for the minute starting at
 * `start` (epoch s, shown in UTC): the link's bytes and the three busiest
 * devices, each shown by `name` (default: its id).
 */
export function minuteLine(
  monitor: Monitor,
  start: number,
  name: (id: string) => string = (id) => id,
): string {
  const link = monitor.meter.link().windows["1m"];
  const top = monitor.meter.top(3, "1m").map((d) => {
    const w = monitor.meter.device(d).windows["1m"];
    return `${name(monitor.devices.id(d))} ${formatBytes(w.down * 60)}↓ ${formatBytes(w.up * 60)}↑`;
  });
  const at = new Date(start * 1000).toISOString().slice(11, 16);
  return `${at} link ${formatBytes(link.down * 60)}↓ ${formatBytes(link.up * 60)}↑; ` +
    `${monitor.devices.size} devices; top: ${top.join(", ") || "none"}`;
}
