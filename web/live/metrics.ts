/**
 * GET /metrics: the latest live snapshot in the Prometheus text exposition
 * format, version 0.0.4, so existing monitoring can scrape Sluice. Counters
 * count since Sluice started (a restart resets them, which Prometheus'
 * rate() handles); a device's series go when the device table forgets it.
 *
 * @module
 */
import type { Context } from "hono";
import type { LiveHub } from "./live_hub.ts";
import type { LiveSnapshot } from "./snapshot_types.ts";

/** The content type of the text format. */
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

type Labels = Record<string, string>;

/** One metric family being written: HELP and TYPE first, then its samples. */
class Family {
  readonly lines: string[];
  readonly name: string;

  constructor(lines: string[], name: string, type: "counter" | "gauge", help: string) {
    this.lines = lines;
    this.name = name;
    lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
  }

  sample(value: number, labels?: Labels): this {
    this.lines.push(`${this.name}${labelText(labels)} ${valueText(value)}`);
    return this;
  }

  /** The down and up samples of one series, `direction` last among its labels. */
  downUp(down: number, up: number, labels: Labels = {}): this {
    return this.sample(down, { ...labels, direction: "down" })
      .sample(up, { ...labels, direction: "up" });
  }
}

/** `\`, `"` and line feeds escaped, as label values need. */
export function escapeLabel(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => c === "\n" ? "\\n" : `\\${c}`);
}

function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (c) => c === "\n" ? "\\n" : "\\\\");
}

function labelText(labels: Labels | undefined): string {
  if (labels === undefined) return "";
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return `{${parts.join(",")}}`;
}

function valueText(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

/** Metrics text per snapshot: scrapes within one second share it. */
const texts = new WeakMap<LiveSnapshot, string>();

/**
 * The snapshot as exposition text: per-device and per-app bytes and rates,
 * the link's, capture packets and drops, flows, devices, shaper failures and
 * active alerts. Ends with a line feed.
 *
 * @example
 * ```ts
 * import { assert } from "@std/assert";
 * import type { LiveSnapshot } from "./snapshot_types.ts";
 * const snapshot: LiveSnapshot = {
 *   time: 1_000, devices: [], apps: [], alerts: [],
 *   link: { down: 10, up: 1, totalDown: 100, totalUp: 10, capacityDown: null, capacityUp: null },
 *   capture: { packets: 5, bytes: 110, kernelDropped: 0, ownDropped: 0, flows: 1 },
 *   shaper: { mode: "off", failures: 0 },
 * };
 * assert(metricsText(snapshot).includes('sluice_link_bytes_total{direction="down"} 100\n'));
 * ```
 */
export function metricsText(snapshot: LiveSnapshot): string {
  const cached = texts.get(snapshot);
  if (cached !== undefined) return cached;
  const s = snapshot, lines: string[] = [];
  const family = (name: string, type: "counter" | "gauge", help: string) =>
    new Family(lines, name, type, help);

  const deviceBytes = family(
    "sluice_device_bytes_total",
    "counter",
    "Bytes a LAN device received (down) or sent (up) through the link since Sluice started.",
  );
  for (const d of s.devices) {
    deviceBytes.downUp(d.totalDown, d.totalUp, { device: d.id, name: d.name });
  }
  const deviceRate = family(
    "sluice_device_rate_bytes",
    "gauge",
    "A LAN device's bytes per second over the last closed second.",
  );
  for (const d of s.devices) {
    deviceRate.downUp(d.down, d.up, { device: d.id, name: d.name });
  }
  const appBytes = family(
    "sluice_app_bytes_total",
    "counter",
    "Bytes of an app (catalogue id) in a category through the link since Sluice started.",
  );
  for (const a of s.apps) {
    appBytes.downUp(a.totalDown, a.totalUp, { app: a.id, category: a.category });
  }
  const appRate = family(
    "sluice_app_rate_bytes",
    "gauge",
    "An app's bytes per second in a category over the last closed second.",
  );
  for (const a of s.apps) {
    appRate.downUp(a.down, a.up, { app: a.id, category: a.category });
  }
  family("sluice_link_bytes_total", "counter", "Bytes through the link since Sluice started.")
    .downUp(s.link.totalDown, s.link.totalUp);
  family("sluice_link_rate_bytes", "gauge", "Bytes per second through the link, last second.")
    .downUp(s.link.down, s.link.up);
  const capacity = family(
    "sluice_link_capacity_bytes",
    "gauge",
    "The link's configured capacity in bytes per second.",
  );
  if (s.link.capacityDown !== null) capacity.sample(s.link.capacityDown, { direction: "down" });
  if (s.link.capacityUp !== null) capacity.sample(s.link.capacityUp, { direction: "up" });
  const rtt = family(
    "sluice_link_rtt_seconds",
    "gauge",
    "Median of the devices' recent TCP handshake round trips, to servers (wan) and on the LAN.",
  );
  if (s.quality.wanRttMs !== null) rtt.sample(s.quality.wanRttMs / 1000, { side: "wan" });
  if (s.quality.lanRttMs !== null) rtt.sample(s.quality.lanRttMs / 1000, { side: "lan" });
  const retransmits = family(
    "sluice_tcp_retransmit_ratio",
    "gauge",
    "Retransmitted TCP data segments per data segment since Sluice started.",
  );
  if (s.quality.retransmitRate !== null) retransmits.sample(s.quality.retransmitRate);
  family("sluice_capture_packets_total", "counter", "Packets captured and decoded.")
    .sample(s.capture.packets);
  family("sluice_capture_bytes_total", "counter", "Wire bytes of the packets captured.")
    .sample(s.capture.bytes);
  family(
    "sluice_capture_dropped_total",
    "counter",
    "Packets dropped before Sluice saw them: by the kernel's buffer, or by Sluice falling behind.",
  ).sample(s.capture.kernelDropped, { by: "kernel" }).sample(s.capture.ownDropped, {
    by: "sluice",
  });
  family("sluice_flows", "gauge", "Flows in the flow table.").sample(s.capture.flows);
  family("sluice_devices", "gauge", "LAN devices known, online or not.").sample(s.devices.length);
  family("sluice_devices_online", "gauge", "LAN devices with traffic lately.")
    .sample(s.devices.reduce((n, d) => n + (d.online ? 1 : 0), 0));
  family("sluice_shaper_failures_total", "counter", "Shaper operations that failed.")
    .sample(s.shaper.failures);
  family("sluice_alerts_active", "gauge", "Alerts active now.").sample(s.alerts.length);
  family("sluice_snapshot_timestamp_seconds", "gauge", "End of the second these figures are of.")
    .sample(s.time / 1000);
  const text = lines.join("\n") + "\n";
  texts.set(snapshot, text);
  return text;
}

/**
 * The handler of GET /metrics: the hub's latest snapshot (or the one
 * `latest` gives) as exposition text; 503 with a JSON error before the first.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { LiveHub } from "./live_hub.ts";
 * const app = new Hono().get("/metrics", metricsRoute(new LiveHub()));
 * const response = await app.request("/metrics");
 * await response.body?.cancel();
 * if (response.status !== 503) throw new Error("no snapshot yet is a 503");
 * ```
 */
export function metricsRoute(
  latest: LiveHub | (() => LiveSnapshot | null),
): (c: Context) => Response {
  const read = typeof latest === "function" ? latest : () => latest.latest;
  return (c) => {
    const snapshot = read();
    if (snapshot === null) {
      return c.json({ error: { status: 503, message: "no live figures yet" } }, 503);
    }
    return c.body(metricsText(snapshot), 200, {
      "Content-Type": METRICS_CONTENT_TYPE,
      "Cache-Control": "no-store",
    });
  };
}
