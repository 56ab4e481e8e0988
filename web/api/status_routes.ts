/**
 * GET /status (what runs, how the link and capture are doing) and
 * GET /interfaces (the capture interfaces and the LAN).
 *
 * @module
 */
import { z } from "zod/v4";
import type { WebContext } from "../web_context.ts";
import type { ApiRegistry } from "./api_registry.ts";
import { deviceSummaries } from "./_device_summary.ts";

const statusSchema = z.object({
  version: z.string(),
  mode: z.enum(["run", "demo"]),
  interface: z.string(),
  lan: z.array(z.string()),
  startedAt: z.number(),
  now: z.number(),
  data: z.string(),
  policy: z.boolean(),
  policySource: z.string().nullable(),
  shaper: z.enum(["linux", "windows", "dry-run", "off"]),
  link: z.looseObject({
    down: z.number(),
    up: z.number(),
    totalDown: z.number(),
    totalUp: z.number(),
    capacityDown: z.number().nullable(),
    capacityUp: z.number().nullable(),
  }).nullable(),
  capture: z.looseObject({
    packets: z.number(),
    bytes: z.number(),
    kernelDropped: z.number(),
    ownDropped: z.number(),
    flows: z.number(),
  }).nullable(),
  devices: z.object({ known: z.number(), online: z.number() }),
  alerts: z.number(),
});

const interfacesSchema = z.object({
  interfaces: z.array(z.looseObject({
    name: z.string(),
    description: z.string(),
    addresses: z.array(z.looseObject({ family: z.string(), address: z.string() })),
    up: z.boolean(),
    loopback: z.boolean(),
    wireless: z.boolean(),
    capturing: z.boolean(),
  })),
  lan: z.array(z.string()),
});

/**
 * Declares GET /status and GET /interfaces (viewers and up).
 *
 * @example
 * ```ts ignore
 * createApp({ ctx, auth, registrars: [statusRoutes] });
 * ```
 */
export function statusRoutes(api: ApiRegistry, ctx: WebContext): void {
  api.add({
    method: "get",
    path: "/status",
    summary: "What runs: version, mode, interface, policy, shaper, link and capture now",
    tag: "status",
    access: "viewer",
    response: statusSchema,
    handle: async (c) => {
      const latest = ctx.hub.latest;
      const devices = await deviceSummaries(ctx);
      const shaper = ctx.shaper();
      const body = {
        ...ctx.info,
        now: ctx.now(),
        policy: ctx.policy() !== null,
        shaper: shaper?.mode ?? "off",
        link: latest?.link ?? null,
        capture: latest?.capture ?? null,
        devices: { known: devices.length, online: devices.filter((d) => d.online).length },
        alerts: latest?.alerts.length ?? 0,
      } satisfies Record<keyof z.infer<typeof statusSchema>, unknown>;
      return c.json(body);
    },
  });

  api.add({
    method: "get",
    path: "/interfaces",
    summary: "The capture interfaces on this machine (the one captured on marked) and the LAN",
    tag: "status",
    access: "viewer",
    response: interfacesSchema,
    handle: (c) => {
      const interfaces = ctx.interfaces().map((i) => ({
        ...i,
        capturing: i.name === ctx.info.interface,
      }));
      return c.json({ interfaces, lan: [...ctx.info.lan] });
    },
  });
}
