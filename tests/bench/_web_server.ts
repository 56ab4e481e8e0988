// The web benchmark's server: the real app (createApp + createAuth, every
// REST route in API_ROUTES) over an in-memory KV, fed by the real engine
// running a 1,000-device scenario through LiveWeb + runSimulation, as
// `sluice demo` does: fast-forwarded until the devices are known, then
// paced at real time so the hub gets one snapshot per wall second. The
// bench's own vanilla-DOM peer is served beside it under /bench-peer/.
import { simulatedWeb } from "../../cli/sim_web.ts";
import { Pacer, wallPaceClock } from "../../cli/pacer.ts";
import { runSimulation } from "../../cli/sim_run.ts";
import { API_ROUTES } from "../../web/api/mod.ts";
import { createApp } from "../../web/app.ts";
import { createAuth } from "../../web/auth/mod.ts";
import { thousandDevices } from "./_web_scenario.ts";
import { PEER_PATH, peerResponse } from "./_web_peer.ts";

/** A running bench server. */
export interface BenchServer {
  /** "http://127.0.0.1:PORT" (no trailing slash). */
  origin: string;
  name: string;
  password: string;
  /** Devices in the newest snapshot, and its JSON size in bytes. */
  devices(): number;
  snapshotBytes(): number;
  /** Times the engine fell over a second behind the wall clock. */
  slips(): number;
  close(): Promise<void>;
}

/** Simulated seconds run as fast as possible before pacing: every device has shown up by then. */
const WARM_SECONDS = 300;

/**
 * Starts the engine and the server; resolves once the engine is paced and
 * the first paced snapshot is on the hub.
 *
 * @example
 * ```ts ignore
 * const server = await startBenchServer();
 * console.log(server.origin, server.devices());
 * await server.close();
 * ```
 */
export async function startBenchServer(): Promise<BenchServer> {
  const scenario = thousandDevices();
  const kv = await Deno.openKv(":memory:");
  let simNow = scenario.start * 1000;
  const web = simulatedWeb(kv, scenario, { now: () => simNow, version: "bench" });
  const stop = new AbortController();
  const pacer = new Pacer(1, wallPaceClock, scenario.start + WARM_SECONDS);
  let paced!: () => void;
  const warm = new Promise<void>((resolve) => paced = resolve);
  const run = runSimulation({
    scenario,
    until: 86_400,
    kv,
    web,
    signal: stop.signal,
    onSecond: (second) => {
      simNow = (second + 1) * 1000;
    },
    pace: async (simTime) => {
      await pacer.wait(simTime, stop.signal);
      if (pacer.pacing) paced();
    },
  });
  run.catch(() => {}); // reported by close()

  // Sessions expire by the wall clock, as in `startWeb`.
  const auth = createAuth({ kv, now: Date.now, tls: false });
  const password = crypto.randomUUID();
  await auth.users.create("admin", "admin", password, Date.now());
  const app = createApp({
    ctx: web.context,
    auth,
    registrars: API_ROUTES,
    log: (line) => console.error(`bench:web app: ${line}`),
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req, info) => {
    const path = new URL(req.url).pathname;
    return path.startsWith(PEER_PATH) ? peerResponse(path) : app.fetch(req, info);
  });
  await warm;
  const lengths = new WeakMap<object, number>();
  const latest = () => web.hub.latest;
  return {
    origin: `http://127.0.0.1:${server.addr.port}`,
    name: "admin",
    password,
    devices: () => latest()?.devices.length ?? 0,
    snapshotBytes: () => {
      const s = latest();
      if (!s) return 0;
      if (!lengths.has(s)) lengths.set(s, new TextEncoder().encode(JSON.stringify(s)).length);
      return lengths.get(s)!;
    },
    slips: () => pacer.slips,
    close: async () => {
      stop.abort();
      await server.shutdown();
      await run;
      kv.close();
    },
  };
}
