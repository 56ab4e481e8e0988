/**
 * GET /processes: the local host's processes with their traffic (host mode,
 * `sluice run --processes`), as the latest live snapshot has them; and
 * GET /processes/:name/history: one process name's usage over a range, from
 * the per-process history (its own key space, apart from devices).
 *
 * @module
 */
import { z } from "zod/v4";
import { DAY_MS } from "../../engine/history/mod.ts";
import { processHistoryId } from "../../engine/processes/mod.ts";
import type { WebContext } from "../web_context.ts";
import type { ApiRegistry } from "./api_registry.ts";
import { historyPoints, usageWindow } from "./_device_detail.ts";
import { historySchema, rangeQuery } from "./_schemas.ts";
import { HttpError } from "./http_error.ts";

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
 * Declares GET /processes and GET /processes/:name/history (viewers and up).
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

  api.add({
    method: "get",
    path: "/processes/:name/history",
    summary: "A process name's usage per hour (24h, 7d) or day (30d), oldest first",
    tag: "processes",
    access: "viewer",
    params: z.object({ name: z.string().min(1).max(200) }),
    query: z.object({ range: rangeQuery }),
    response: historySchema,
    handle: async (c, { params, query }) => {
      const history = ctx.processHistory;
      if (!history) throw new HttpError(404, "processes are not attributed in this run");
      const id = processHistoryId(params.name), now = ctx.now();
      // Known: running now, or anywhere in the history (its days reach back furthest).
      const live = ctx.hub.latest?.processes?.some((p) => processHistoryId(p.name) === id);
      const kept = live ||
        (await history.series(id, "day", now - history.retention.day, now + DAY_MS)).length > 0;
      if (!kept) throw new HttpError(404, `no process ${params.name}`);
      const window = usageWindow(query.range, now, history.utcOffsetMinutes);
      // historyPoints() reads ctx.history: hand it a context whose history is the processes'.
      const view: WebContext = Object.create(ctx, { history: { value: history } });
      return c.json({ ...window, points: await historyPoints(view, id, window) });
    },
  });
}
