/**
 * The event log read for the API: one page, with a bad cursor or range a
 * 400 rather than an internal error.
 *
 * @module
 */
import { EventLog, type EventPage, type EventQuery } from "../../engine/history/mod.ts";
import type { WebContext } from "../web_context.ts";
import { HttpError } from "./http_error.ts";

/**
 * One page of `ctx`'s event log, newest first; `kinds` (when given) keeps
 * only events of those kinds from the page (so a page may hold fewer than
 * `limit`; its cursor still goes on).
 *
 * @example
 * ```ts ignore
 * const page = await eventPage(ctx, { device: "mac:f4:00:00:00:00:01", limit: 20 });
 * ```
 */
export async function eventPage(
  ctx: WebContext,
  query: EventQuery,
  kinds?: readonly string[],
): Promise<EventPage> {
  if (query.fromMs !== undefined && query.toMs !== undefined && query.fromMs > query.toMs) {
    throw new HttpError(400, "from must not be after to", { from: "must not be after to" });
  }
  let page: EventPage;
  try {
    page = await new EventLog(ctx.kv).list(query);
  } catch (err) {
    if (err instanceof TypeError && /cursor/i.test(err.message)) {
      throw new HttpError(400, "the cursor is not one this API gave", {
        cursor: "is not one this API gave",
      });
    }
    if (err instanceof RangeError) throw new HttpError(400, err.message);
    throw err;
  }
  if (kinds === undefined) return page;
  return { events: page.events.filter((e) => kinds.includes(e.kind)), cursor: page.cursor };
}
