// How long liveSnapshot() and its JSON take as devices grow: the stress
// scenario (3,000 devices appearing over its first quarter hour) through the
// real engine, a snapshot every 10 simulated seconds.
// deno run -A tests/bench/live_snapshot.ts [SCENARIO] [SECONDS]
import { END_OF_CAPTURE } from "../../capture/mod.ts";
import { defaultCatalogue } from "../../engine/catalogue/default.ts";
import { defaultOui, LanSubnets } from "../../engine/devices/mod.ts";
import { Monitor } from "../../engine/monitor.ts";
import { parsePolicy, PolicyEngine, PolicyFeed } from "../../engine/policy/mod.ts";
import { loadScenario } from "../../sim/scenario.ts";
import { SimSource } from "../../sim/sim_source.ts";
import { liveSnapshot } from "../../web/live/live_snapshot.ts";

const scenario = await loadScenario(Deno.args[0] ?? "stress", (p) => Deno.readTextFile(p));
const source = new SimSource(scenario, { until: Number(Deno.args[1] ?? 900) });
const engine = new PolicyEngine({ ...parsePolicy(scenario.policy), webhooks: [] });
const feed = new PolicyFeed(engine);
const rows: [devices: number, snapshotMs: number, jsonMs: number, kB: number][] = [];
let seconds = 0;
const monitor: Monitor = new Monitor({
  linkType: source.linkType,
  lan: new LanSubnets([scenario.lan, ...(scenario.lan6 ? [scenario.lan6] : [])]),
  catalogue: defaultCatalogue(),
  oui: defaultOui(),
  onSecond: (second) => {
    feed.second(monitor, second);
    if (++seconds % 10 !== 0) return;
    const t0 = performance.now();
    const snapshot = liveSnapshot({ monitor, now: (second + 1) * 1000, policy: engine });
    const t1 = performance.now();
    const json = JSON.stringify(snapshot);
    rows.push([snapshot.devices.length, t1 - t0, performance.now() - t1, json.length / 1000]);
  },
});
while (true) {
  const got = await source.read(monitor);
  if (got === END_OF_CAPTURE) break;
  if (got === 0) monitor.advance(source.now());
}
console.log("devices  snapshot ms  JSON ms  JSON kB");
for (const band of [500, 1000, 1500, 2000, 2500, 3000]) {
  const near = rows.filter(([d]) => d > band - 250 && d <= band + 250);
  if (near.length === 0) continue;
  const median = (i: 1 | 2 | 3) => near.map((r) => r[i]).sort((a, b) => a - b)[near.length >> 1];
  console.log(
    `${String(band).padStart(7)}  ${median(1).toFixed(1).padStart(11)}  ${
      median(2).toFixed(1).padStart(7)
    }  ${median(3).toFixed(0).padStart(7)}`,
  );
}
