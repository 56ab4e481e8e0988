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
import { FLAT, FLAT_CAM, FLAT_HUB, FLAT_PC } from "../../sim/_flat.ts";

export const PC = `mac:${FLAT_PC}`;
export const HUB = `mac:${FLAT_HUB}`;
export const CAM = `mac:${FLAT_CAM}`;

/** On a 100/20 Mbit/s line the PC downloads from Steam; the PC is held to 10 Mbit/s, the camera blocked. */
export const home: Scenario = parseScenario({
  ...FLAT,
  name: "Live home",
  description: "A download and two chattering gadgets, under a small policy",
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
