import type { ReplayReport } from "./replay.ts";

/** Formats a byte count with binary-free SI units: 1.2 MB. */
export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes, unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** The readable form of a replay: totals, then the top flows by bytes. */
export function formatFlowTable(report: ReplayReport, top: number): string {
  const flows = [...report.flows].sort((a, b) =>
    (b.c2s.bytes + b.s2c.bytes) - (a.c2s.bytes + a.s2c.bytes)
  ).slice(0, top);
  const rows = flows.map((f) => [
    f.protocol,
    f.client,
    f.server,
    `${f.c2s.packets} / ${formatBytes(f.c2s.bytes)}`,
    `${f.s2c.packets} / ${formatBytes(f.s2c.bytes)}`,
    `${(f.lastSeen - f.firstSeen).toFixed(1)} s`,
  ]);
  const header = ["PROTO", "CLIENT", "SERVER", "C2S PKTS / BYTES", "S2C PKTS / BYTES", "DURATION"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  const d = report.decode;
  const skipped = d.notIp + d.truncated + d.malformed + d.unsupportedLink + d.orphanFragments;
  return [
    `${report.file} (${report.linkType}): ${report.packets} packets, ${
      formatBytes(report.bytes)
    }, ${report.flows.length} flows`,
    `not in a flow: ${d.notIp} non-IP, ${d.truncated} truncated, ${d.malformed} malformed, ` +
    `${d.unsupportedLink} unsupported link, ${d.orphanFragments} orphan fragments (${skipped} in all)`,
    "",
    `top ${flows.length} flows by bytes:`,
    line(header),
    ...rows.map(line),
  ].join("\n");
}
