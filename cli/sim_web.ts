// The live web state of a simulated run: `sluice demo` serves it, and the
// web's tests and benchmark build theirs the same way.
import { defaultCatalogue } from "../engine/catalogue/default.ts";
import type { Scenario } from "../sim/scenario.ts";
import type { InterfaceInfo } from "../web/web_context.ts";
import { LiveWeb } from "./live_web.ts";

/** Options of {@linkcode simulatedWeb}. */
export interface SimulatedWebOptions {
  /** Simulated time, epoch ms (the run's onSecond keeps it). */
  now: () => number;
  /** Where history is kept ("temporary" by default). */
  data?: string;
  version?: string;
}

/** A LiveWeb for `scenario` run into `kv`: the LAN, policy and made-up interface it has. */
export function simulatedWeb(kv: Deno.Kv, scenario: Scenario, o: SimulatedWebOptions): LiveWeb {
  return new LiveWeb({
    kv,
    info: {
      version: o.version ?? "sim",
      mode: "demo",
      interface: "sim0",
      lan: [scenario.lan, ...(scenario.lan6 ? [scenario.lan6] : [])],
      startedAt: scenario.start * 1000,
      data: o.data ?? "temporary",
      policySource: scenario.policy ? `scenario ${scenario.name}` : null,
    },
    catalogue: defaultCatalogue(),
    now: o.now,
    interfaces: () => [simInterface(scenario.lan, scenario.gateway)],
  });
}

/** The simulated LAN's interface, as the settings view lists it: the gateway's addresses. */
function simInterface(lan: string, gateway: { ip: string; mac: string }): InterfaceInfo {
  const bits = Number(lan.split("/")[1]);
  const mask = [24, 16, 8, 0].map((shift) => (~0 << (32 - bits)) >>> shift & 255).join(".");
  return {
    name: "sim0",
    description: "the simulated LAN",
    addresses: [
      { family: "inet", address: gateway.ip, netmask: bits === 0 ? "0.0.0.0" : mask },
      { family: "link", address: gateway.mac },
    ],
    up: true,
    loopback: false,
    wireless: false,
  };
}
