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

/** Lays rows out in columns under a header, two spaces apart. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), ...rows.map(line)];
}

/** Packets and bytes as "12 / 3.4 kB". */
function usage(packets: number, bytes: number): string {
  return `${packets} / ${formatBytes(bytes)}`;
}

/** A share of the whole, as a percentage with one decimal. */
function share(part: number, whole: number): string {
  return whole === 0 ? "-" : `${(part / whole * 100).toFixed(1)}%`;
}

/**
 * The readable form of a replay: totals, the top flows by bytes, then the top
 * apps and every category with their share of the flows' bytes.
 */
export function formatFlowTable(report: ReplayReport, top: number): string {
  const flows = [...report.flows].sort((a, b) =>
    (b.c2s.bytes + b.s2c.bytes) - (a.c2s.bytes + a.s2c.bytes)
  ).slice(0, top);
  const flowRows = flows.map((f) => [
    f.protocol,
    f.client,
    f.server,
    usage(f.c2s.packets, f.c2s.bytes),
    usage(f.s2c.packets, f.s2c.bytes),
    `${(f.lastSeen - f.firstSeen).toFixed(1)} s`,
    f.appName ?? f.app ?? "-",
    f.hostname ?? "-",
  ]);
  const flowHeader = [
    "PROTO",
    "CLIENT",
    "SERVER",
    "C2S PKTS / BYTES",
    "S2C PKTS / BYTES",
    "DURATION",
    "APP",
    "HOSTNAME",
  ];
  const total = report.categories.reduce((n, c) => n + c.bytes, 0);
  const apps = report.apps.slice(0, top);
  const appRows = apps.map((a) => [
    a.name,
    a.category,
    String(a.flows),
    usage(a.packets, a.bytes),
    share(a.bytes, total),
  ]);
  const categoryRows = report.categories.map((c) => [
    c.category,
    String(c.flows),
    usage(c.packets, c.bytes),
    share(c.bytes, total),
  ]);
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
    ...table(flowHeader, flowRows),
    "",
    `top ${apps.length} apps by bytes${
      apps.length < report.apps.length ? ` (of ${report.apps.length})` : ""
    }:`,
    ...table(["APP", "CATEGORY", "FLOWS", "PKTS / BYTES", "SHARE"], appRows),
    "",
    "categories by bytes:",
    ...table(["CATEGORY", "FLOWS", "PKTS / BYTES", "SHARE"], categoryRows),
  ].join("\n");
}
