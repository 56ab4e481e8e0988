// The harness's run ends its capture (every flow closes), so the flow
// routes are tested over a second monitor fed the same home for a while
// and left running: its flows are still open.
import { END_OF_CAPTURE } from "../../../capture/mod.ts";
import { defaultCatalogue } from "../../../engine/catalogue/default.ts";
import { defaultOui, LanSubnets } from "../../../engine/devices/mod.ts";
import { Monitor } from "../../../engine/monitor.ts";
import { SimSource } from "../../../sim/sim_source.ts";
import type { Registrar } from "../../../web/app.ts";
import type { WebContext } from "../../../web/web_context.ts";
import { HOME } from "../_harness.ts";

/** A monitor that saw `seconds` of the home and still holds its flows. */
export async function openMonitor(seconds: number): Promise<Monitor> {
  const source = new SimSource(HOME, { until: seconds });
  const monitor = new Monitor({
    linkType: source.linkType,
    lan: new LanSubnets([HOME.lan]),
    catalogue: defaultCatalogue(),
    oui: defaultOui(),
  });
  while ((await source.read(monitor)) !== END_OF_CAPTURE) { /* all of it */ }
  return monitor;
}

/** `register` over the harness's context, with `monitor` as the running engine. */
export function withMonitor(register: Registrar, monitor: Monitor): Registrar {
  return (api, ctx) => {
    const over: WebContext = Object.create(ctx);
    over.monitor = () => monitor;
    register(api, over);
  };
}
