// The whole web app over a simulated home, for route tests: the scenario
// runs through the real engine, policy and dry-run shaper (as `sluice demo`
// runs it) into an in-memory KV, then the app is built on what the run left
// (its monitor, policy, shaper, history, event log and last snapshot), with
// an admin and a viewer. Requests go through app.request(): no socket.
import type { Hono } from "hono";
import { parseScenario, type Scenario } from "../../sim/scenario.ts";
import type { LiveWeb } from "../../cli/live_web.ts";
import { simulatedWeb } from "../../cli/sim_web.ts";
import { runSimulation } from "../../cli/sim_run.ts";
import { createApp, type Registrar } from "../../web/app.ts";
import { createAuth } from "../../web/auth/create_auth.ts";
import type { WebContext } from "../../web/web_context.ts";
import type { WebEnv } from "../../web/web_env.ts";
import { FLAT, FLAT_CAM, FLAT_HUB, FLAT_PC } from "../sim/_flat.ts";
import { ADMIN, type As, ITERATIONS, login, send, VIEWER } from "./auth/_app.ts";

export { ADMIN, type As, errorOf, VIEWER } from "./auth/_app.ts";

export const PC = `mac:${FLAT_PC}`;
export const HUB = `mac:${FLAT_HUB}`;
export const CAM = `mac:${FLAT_CAM}`;

/** The flat under a small policy: the PC held to 10 Mbit/s, the camera blocked, a group. */
export const HOME: Scenario = parseScenario({
  ...FLAT,
  name: "Web home",
  description: "A download and two chattering gadgets, under a small policy",
  policy: {
    timeZone: "Europe/Berlin",
    link: { down: "100Mbit", up: "20Mbit" },
    groups: { gadgets: [`mac:${FLAT_HUB}`, `mac:${FLAT_CAM}`] },
    rules: [
      {
        id: "pc-cap",
        name: "The PC shares the line",
        devices: { device: `mac:${FLAT_PC}` },
        action: { kind: "limit", down: "10Mbit" },
      },
      { id: "cam-off", devices: { device: `mac:${FLAT_CAM}` }, action: { kind: "block" } },
    ],
  },
});

/** A finished run with the app over it. */
export interface Harness {
  app: Hono<WebEnv>;
  ctx: WebContext;
  web: LiveWeb;
  kv: Deno.Kv;
  /** A signed-in admin's and viewer's cookie sessions (with CSRF tokens). */
  admin: As;
  viewer: As;
  /** Sends a request as someone (null: anonymous), with a JSON body. */
  send(method: string, path: string, as?: As, body?: unknown): Promise<Response>;
}

/** Options of {@linkcode withHarness}. */
export interface HarnessOptions {
  registrars: readonly Registrar[];
  /** Simulated seconds to run first (default 180: three closed minutes). */
  seconds?: number;
  scenario?: Scenario;
}

/** Runs the scenario, builds the app, calls `fn`, and closes the KV. */
export async function withHarness(
  options: HarnessOptions,
  fn: (h: Harness) => Promise<void>,
): Promise<void> {
  const scenario = options.scenario ?? HOME;
  const kv = await Deno.openKv(":memory:");
  try {
    let simNow = scenario.start * 1000;
    const web = simulatedWeb(kv, scenario, { now: () => simNow, version: "test" });
    await runSimulation({
      scenario,
      until: options.seconds ?? 180,
      kv,
      web,
      onSecond: (second) => {
        simNow = (second + 1) * 1000;
      },
    });
    const auth = createAuth({
      kv,
      now: () => simNow,
      tls: false,
      clientAddress: (c) => c.req.header("X-Test-Address") ?? "192.0.2.1",
      iterations: ITERATIONS,
    });
    await auth.users.create(ADMIN.name, "admin", ADMIN.password, simNow);
    await auth.users.create(VIEWER.name, "viewer", VIEWER.password, simNow);
    const app = createApp({
      ctx: web.context,
      auth,
      registrars: options.registrars,
      live: { heartbeatMs: 0 },
    });
    const t = { app, auth, kv, clock: { now: simNow } };
    const admin = await login(t, ADMIN);
    const viewer = await login(t, VIEWER);
    await fn({
      app,
      ctx: web.context,
      web,
      kv,
      admin,
      viewer,
      send: (method, path, as = null, body) => send(t, method, path, as, body),
    });
  } finally {
    kv.close();
  }
}
