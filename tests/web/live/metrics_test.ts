import { assert, assertEquals } from "@std/assert";
import { Hono } from "hono";
import { LiveHub } from "../../../web/live/live_hub.ts";
import { liveSnapshot } from "../../../web/live/live_snapshot.ts";
import {
  escapeLabel,
  METRICS_CONTENT_TYPE,
  metricsRoute,
  metricsText,
} from "../../../web/live/metrics.ts";
import type { LiveSnapshot } from "../../../web/live/snapshot_types.ts";
import { runHome } from "./_sim.ts";

/** Two devices (one with a name that needs escaping), one app, one alert. */
const fixed: LiveSnapshot = {
  time: 1_795_000_000_000,
  link: {
    down: 1500,
    up: 200,
    totalDown: 9e9,
    totalUp: 12345,
    capacityDown: 12_500_000,
    capacityUp: null,
  },
  quality: { wanRttMs: 24.5, lanRttMs: null, retransmitRate: 0.002 },
  devices: [
    {
      id: "mac:f4:8e:38:c6:17:2a",
      name: 'Lucas\'s "fast" PC\\1\nnew',
      vendor: "Intel",
      mac: "f4:8e:38:c6:17:2a",
      addresses: ["192.168.1.42"],
      online: true,
      down: 1400,
      up: 150,
      totalDown: 5000,
      totalUp: 600,
      today: 5600,
      topApp: "YouTube",
      control: null,
    },
    {
      id: "ip:192.168.1.9",
      name: "printer",
      vendor: null,
      mac: null,
      addresses: ["192.168.1.9"],
      online: false,
      down: 0,
      up: 0,
      totalDown: 0.5,
      totalUp: 0,
      today: 0,
      topApp: null,
      control: null,
    },
  ],
  apps: [{
    id: "youtube",
    name: "YouTube",
    category: "Streaming",
    down: 1400,
    up: 150,
    totalDown: 5000,
    totalUp: 600,
  }],
  alerts: [{ key: "k", kind: "spike", deviceId: null, message: "m", since: 1 }],
  capture: { packets: 70, bytes: 9_000_012_345, kernelDropped: 3, ownDropped: 1, flows: 12 },
  shaper: { mode: "dry-run", failures: 2 },
};

const EXPECTED =
  `# HELP sluice_device_bytes_total Bytes a LAN device received (down) or sent (up) through the link since Sluice started.
# TYPE sluice_device_bytes_total counter
sluice_device_bytes_total{device="mac:f4:8e:38:c6:17:2a",name="Lucas's \\"fast\\" PC\\\\1\\nnew",direction="down"} 5000
sluice_device_bytes_total{device="mac:f4:8e:38:c6:17:2a",name="Lucas's \\"fast\\" PC\\\\1\\nnew",direction="up"} 600
sluice_device_bytes_total{device="ip:192.168.1.9",name="printer",direction="down"} 0.5
sluice_device_bytes_total{device="ip:192.168.1.9",name="printer",direction="up"} 0
# HELP sluice_device_rate_bytes A LAN device's bytes per second over the last closed second.
# TYPE sluice_device_rate_bytes gauge
sluice_device_rate_bytes{device="mac:f4:8e:38:c6:17:2a",name="Lucas's \\"fast\\" PC\\\\1\\nnew",direction="down"} 1400
sluice_device_rate_bytes{device="mac:f4:8e:38:c6:17:2a",name="Lucas's \\"fast\\" PC\\\\1\\nnew",direction="up"} 150
sluice_device_rate_bytes{device="ip:192.168.1.9",name="printer",direction="down"} 0
sluice_device_rate_bytes{device="ip:192.168.1.9",name="printer",direction="up"} 0
# HELP sluice_app_bytes_total Bytes of an app (catalogue id) in a category through the link since Sluice started.
# TYPE sluice_app_bytes_total counter
sluice_app_bytes_total{app="youtube",category="Streaming",direction="down"} 5000
sluice_app_bytes_total{app="youtube",category="Streaming",direction="up"} 600
# HELP sluice_app_rate_bytes An app's bytes per second in a category over the last closed second.
# TYPE sluice_app_rate_bytes gauge
sluice_app_rate_bytes{app="youtube",category="Streaming",direction="down"} 1400
sluice_app_rate_bytes{app="youtube",category="Streaming",direction="up"} 150
# HELP sluice_link_bytes_total Bytes through the link since Sluice started.
# TYPE sluice_link_bytes_total counter
sluice_link_bytes_total{direction="down"} 9000000000
sluice_link_bytes_total{direction="up"} 12345
# HELP sluice_link_rate_bytes Bytes per second through the link, last second.
# TYPE sluice_link_rate_bytes gauge
sluice_link_rate_bytes{direction="down"} 1500
sluice_link_rate_bytes{direction="up"} 200
# HELP sluice_link_capacity_bytes The link's configured capacity in bytes per second.
# TYPE sluice_link_capacity_bytes gauge
sluice_link_capacity_bytes{direction="down"} 12500000
# HELP sluice_link_rtt_seconds Median of the devices' recent TCP handshake round trips, to servers (wan) and on the LAN.
# TYPE sluice_link_rtt_seconds gauge
sluice_link_rtt_seconds{side="wan"} 0.0245
# HELP sluice_tcp_retransmit_ratio Retransmitted TCP data segments per data segment since Sluice started.
# TYPE sluice_tcp_retransmit_ratio gauge
sluice_tcp_retransmit_ratio 0.002
# HELP sluice_capture_packets_total Packets captured and decoded.
# TYPE sluice_capture_packets_total counter
sluice_capture_packets_total 70
# HELP sluice_capture_bytes_total Wire bytes of the packets captured.
# TYPE sluice_capture_bytes_total counter
sluice_capture_bytes_total 9000012345
# HELP sluice_capture_dropped_total Packets dropped before Sluice saw them: by the kernel's buffer, or by Sluice falling behind.
# TYPE sluice_capture_dropped_total counter
sluice_capture_dropped_total{by="kernel"} 3
sluice_capture_dropped_total{by="sluice"} 1
# HELP sluice_flows Flows in the flow table.
# TYPE sluice_flows gauge
sluice_flows 12
# HELP sluice_devices LAN devices known, online or not.
# TYPE sluice_devices gauge
sluice_devices 2
# HELP sluice_devices_online LAN devices with traffic lately.
# TYPE sluice_devices_online gauge
sluice_devices_online 1
# HELP sluice_shaper_failures_total Shaper operations that failed.
# TYPE sluice_shaper_failures_total counter
sluice_shaper_failures_total 2
# HELP sluice_alerts_active Alerts active now.
# TYPE sluice_alerts_active gauge
sluice_alerts_active 1
# HELP sluice_snapshot_timestamp_seconds End of the second these figures are of.
# TYPE sluice_snapshot_timestamp_seconds gauge
sluice_snapshot_timestamp_seconds 1795000000
`;

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABELS = /^\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*\}$/;
const VALUE = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|NaN|[+-]Inf)$/;

/**
 * Checks text against the 0.0.4 exposition format: every line a HELP, a
 * TYPE or a sample; each family's HELP and TYPE once, before its samples,
 * which follow together; no series twice; counters named *_total. Returns
 * the samples by series.
 */
function parseExposition(text: string): Map<string, number> {
  assert(text.endsWith("\n"), "ends with a line feed");
  const types = new Map<string, string>(), helps = new Set<string>(), series = new Map();
  let current = "";
  for (const line of text.slice(0, -1).split("\n")) {
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      const [, what, name, rest] = meta;
      assert(NAME.test(name), line);
      if (what === "HELP") {
        assert(!helps.has(name) && !types.has(name), `HELP of ${name} again or after TYPE`);
        assert(!/\\[^\\n]/.test(rest.replace(/\\\\/g, "")), `HELP escapes: ${line}`);
        helps.add(name);
      } else {
        assert(!types.has(name), `TYPE of ${name} twice`);
        assert(["counter", "gauge"].includes(rest), line);
        if (rest === "counter") assert(name.endsWith("_total"), `counter ${name}`);
        types.set(name, rest);
      }
      current = name;
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/.exec(line);
    assert(sample, `not a sample: ${JSON.stringify(line)}`);
    const [, name, labels = "", value] = sample;
    assertEquals(name, current, `${name}'s samples are not together under its TYPE`);
    assert(types.has(name) && helps.has(name), `${name} without HELP and TYPE`);
    assert(labels === "" || LABELS.test(labels), `labels: ${labels}`);
    assert(VALUE.test(value), `value: ${value}`);
    assert(!series.has(name + labels), `${name}${labels} twice`);
    series.set(name + labels, Number(value));
  }
  return series;
}

Deno.test("metricsText() writes a fixed snapshot as this exact exposition text", () => {
  assertEquals(metricsText(fixed), EXPECTED);
  assertEquals(metricsText(fixed), EXPECTED, "again, from the cache");
});

Deno.test("metricsText() writes only valid 0.0.4 exposition lines", () => {
  const series = parseExposition(metricsText(fixed));
  assertEquals(series.get('sluice_capture_dropped_total{by="kernel"}'), 3);
  assertEquals(series.size, 29);
});

Deno.test("escapeLabel() escapes backslash, double quote and line feed only", () => {
  assertEquals(escapeLabel('a\\b"c\nd\te'), 'a\\\\b\\"c\\nd\te');
});

Deno.test("metricsText() of the engine's snapshot of a simulated home is valid and matches it", async () => {
  let snapshot: LiveSnapshot | undefined;
  await runHome(20, ({ monitor, engine }, now) => {
    snapshot = liveSnapshot({
      monitor,
      now,
      policy: engine,
      shaper: { mode: "linux", failures: 0 },
    });
  });
  const series = parseExposition(metricsText(snapshot!));
  for (const d of snapshot!.devices) {
    const labels = `device="${d.id}",name="${escapeLabel(d.name)}"`;
    assertEquals(series.get(`sluice_device_bytes_total{${labels},direction="down"}`), d.totalDown);
    assertEquals(series.get(`sluice_device_rate_bytes{${labels},direction="up"}`), d.up);
  }
  assertEquals(
    series.get(
      'sluice_app_bytes_total{app="steam-downloads",category="Downloads",direction="down"}',
    ),
    snapshot!.apps.find((a) => a.id === "steam-downloads")!.totalDown,
  );
  assertEquals(series.get('sluice_link_capacity_bytes{direction="up"}'), 2_500_000);
  assertEquals(series.get("sluice_devices"), snapshot!.devices.length);
  assertEquals(snapshot!.devices.length, 4); // the three, and the gateway
  assertEquals(series.get("sluice_flows"), snapshot!.capture.flows);
});

Deno.test("metricsRoute() serves the hub's latest snapshot as text/plain version 0.0.4, 503 before one", async () => {
  const hub = new LiveHub();
  const app = new Hono().get("/metrics", metricsRoute(hub));
  const before = await app.request("/metrics");
  assertEquals(before.status, 503);
  assertEquals((await before.json()).error, { status: 503, message: "no live figures yet" });
  hub.publish(fixed);
  const response = await app.request("/metrics");
  assertEquals(response.status, 200);
  assertEquals(response.headers.get("content-type"), METRICS_CONTENT_TYPE);
  assertEquals(METRICS_CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
  assertEquals(await response.text(), EXPECTED);
  // A function as the source works the same.
  const other = new Hono().get("/metrics", metricsRoute(() => fixed));
  assertEquals(await (await other.request("/metrics")).text(), EXPECTED);
});
