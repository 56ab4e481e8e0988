// A small simulated home through the real engine, for the live tests: a PC
// downloading (limited by a rule), a hub and a camera (blocked) chattering,
// the monitor feeding a policy engine each second as `sluice sim` does.
import { END_OF_CAPTURE } from "../../../capture/mod.ts";
import { defaultCatalogue } from "../../../engine/catalogue/default.ts";
import { defaultOui, LanSubnets } from "../../../engine/devices/mod.ts";
import { Monitor } from "../../../engine/monitor.ts";
import { parsePolicy, PolicyEngine, PolicyFeed } from "../../../engine/policy/mod.ts";
import { parseScenario, type Scenario } from "../../../sim/scenario.ts";
import { SimSource } from "../../../sim/sim_source.ts";

export const PC = "mac:f4:8e:38:c6:17:2a";
export const HUB = "mac:ec:b5:fa:1d:6e:40";
export const CAM = "mac:54:e0:19:a2:5c:3d";

/** On a 100/20 Mbit/s line the PC downloads from Steam; the PC is held to 10 Mbit/s, the camera blocked. */
export const home: Scenario = parseScenario({
  name: "Live home",
  description: "A download and two chattering gadgets, under a small policy",
  seed: 11,
  start: "2026-11-20T20:00:00+01:00",
  link: { down: "100Mbit", up: "20Mbit" },
  lan: "192.168.1.0/24",
  gateway: { mac: "dc:39:6f:5a:10:01", ip: "192.168.1.1" },
  devices: [
    {
      id: "pc",
      name: "PC",
      mac: PC.slice(4),
      ip: "192.168.1.42",
      hostname: "DESKTOP-1",
      always: ["win"],
    },
    { id: "hub", name: "Hue Bridge", mac: HUB.slice(4), ip: "192.168.1.73", always: ["hue"] },
    { id: "cam", name: "Door camera", mac: CAM.slice(4), ip: "192.168.1.70", always: ["ring"] },
  ],
  profiles: {
    steam: {
      kind: "bulk",
      hosts: ["cache1-fra1.steamcontent.com"],
      transport: "http",
      bytes: "30GB",
    },
    win: {
      kind: "chatter",
      hosts: ["v10.events.data.microsoft.com"],
      everySeconds: "2s",
      bytes: "5KB",
    },
    hue: { kind: "chatter", hosts: ["ws.meethue.com"], everySeconds: "2s", bytes: "3KB" },
    ring: { kind: "chatter", hosts: ["fw.ring.com"], everySeconds: "3s", bytes: "20KB" },
  },
  timeline: [{ at: 0, device: "pc", profile: "steam", note: "a game download" }],
  policy: {
    timeZone: "Europe/Berlin",
    rules: [
      {
        id: "pc-cap",
        name: "The PC shares the line",
        devices: { device: PC },
        action: { kind: "limit", down: "10Mbit" },
      },
      { id: "cam-off", devices: { device: CAM }, action: { kind: "block" } },
    ],
  },
});

/** What a run leaves to look at. */
export interface SimRun {
  monitor: Monitor;
  engine: PolicyEngine;
  source: SimSource;
}

/**
 * Runs `scenario` for `until` seconds; `onSecond` is called after the policy
 * took each closed second, with the second's end in epoch ms.
 */
export async function runHome(
  until: number,
  onSecond?: (run: SimRun, nowMs: number) => void,
  scenario: Scenario = home,
): Promise<SimRun> {
  const source = new SimSource(scenario, { until });
  const engine = new PolicyEngine({ ...parsePolicy(scenario.policy), webhooks: [] });
  const feed = new PolicyFeed(engine);
  const run = { source, engine } as SimRun;
  run.monitor = new Monitor({
    linkType: source.linkType,
    lan: new LanSubnets([scenario.lan]),
    catalogue: defaultCatalogue(),
    oui: defaultOui(),
    onSecond: (second) => {
      feed.second(run.monitor, second);
      onSecond?.(run, (second + 1) * 1000);
    },
  });
  for (;;) {
    const got = await source.read(run.monitor);
    if (got === END_OF_CAPTURE) break;
    if (got === 0) run.monitor.advance(source.now());
  }
  return run;
}
