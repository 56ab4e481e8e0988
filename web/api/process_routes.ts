/**
 * GET /processes: the local host's processes with their traffic (host mode,
 * `sluice run --processes`), as the latest live snapshot has them.
 *
 * @module
 */
import { z } from "zod/v4";
import type { WebContext } from "../web_context.ts";
import type { ApiRegistry } from "./api_registry.ts";

const processesSchema = z.object({
  /** false when the run does not attribute traffic to processes. */
  enabled: z.boolean(),
  /** Epoch ms of the snapshot; null before the first. */
  time: z.number().nullable(),
  processes: z.array(z.object({
    pid: z.number().nullable(),
    name: z.string(),
    command: z.string().nullable(),
    down: z.number(),
    up: z.number(),
    totalDown: z.number(),
    totalUp: z.number(),
    protocols: z.array(z.string()),
  })),
});

/**
 * Declares GET /processes (viewers and up).
 *
 * @example
 * ```ts ignore
 * createApp({ ctx, auth, registrars: [processRoutes] });
 * ```
 */
export function processRoutes(api: ApiRegistry, ctx: WebContext): void {
  api.add({
    method: "get",
    path: "/processes",
    summary: "This host's processes: PID, name, command line, rates, totals and protocols",
    tag: "processes",
    access: "viewer",
    response: processesSchema,
    handle: (c) => {
      const latest = ctx.hub.latest;
      return c.json({
        enabled: latest?.processes !== undefined,
        time: latest?.time ?? null,
        processes: latest?.processes ?? [],
      });
    },
  });
}
