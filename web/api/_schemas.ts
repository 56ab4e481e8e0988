/**
 * The zod pieces the read routes share: a device id in a path, query
 * numbers (which arrive as text), paging, and the response shapes the
 * OpenAPI document shows.
 *
 * @module
 */
import { z } from "zod/v4";
import { deviceIdOf } from "./_device_summary.ts";

/**
 * An integer in the query (text), from `min` to `max`; `fallback` when absent.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const limit = queryInt("limit", 1, 1000, 100);
 * assertEquals([limit.parse(undefined), limit.parse("7")], [100, 7]);
 * assertEquals(limit.safeParse("x").success, false);
 * ```
 */
export function queryInt(
  name: string,
  min: number,
  max: number,
  fallback: number,
): z.ZodType<number, string | undefined> {
  return intText(name, min, max).default(fallback);
}

/** An integer in the query from `min` to `max`, optional. */
export function queryNumber(
  name: string,
  min: number,
  max: number,
): z.ZodType<number | undefined, string | undefined> {
  return intText(name, min, max);
}

function intText(name: string, min: number, max: number) {
  const message = `${name} must be an integer from ${min} to ${max}`;
  return z.string().trim().regex(/^-?\d+$/, { error: message })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: message }).max(max, { error: message }))
    .optional();
}

/** Epoch ms in the query, optional. */
export function queryTime(name: string): z.ZodType<number | undefined, string | undefined> {
  return queryNumber(name, 0, 8_640_000_000_000_000);
}

/** A device id in a path (URL-encoded there), in its one spelling once parsed. */
export const deviceIdParams = z.object({
  id: z.string().max(200).transform((text, ctx) => {
    const id = deviceIdOf(text);
    if (id === null) {
      ctx.issues.push({
        code: "custom",
        input: text,
        message: 'a device id is "mac:aa:bb:cc:dd:ee:ff" or "ip:ADDRESS"',
      });
      return z.NEVER;
    }
    return id;
  }),
});

/** A paging cursor from a previous page. */
export const cursorQuery = z.string().min(1).max(2000).optional();

/** The history ranges of the device view. */
export const rangeQuery = z.enum(["24h", "7d", "30d"], {
  error: 'range must be "24h", "7d" or "30d"',
}).default("24h");

/** Up and down (rates or totals). */
const traffic = { down: z.number(), up: z.number(), totalDown: z.number(), totalUp: z.number() };

/** A device as the API lists it (see DeviceSummary). */
/** A usage history over a range (a device's or a process's): per hour or day, oldest first. */
export const historySchema = z.object({
  level: z.enum(["minute", "hour", "day"]),
  from: z.number(),
  to: z.number(),
  points: z.array(z.object({ time: z.number(), up: z.number(), down: z.number() })),
});

export const deviceSchema = z.object({
  id: z.string(),
  name: z.string(),
  label: z.string().nullable(),
  groups: z.array(z.string()),
  vendor: z.string().nullable(),
  mac: z.string().nullable(),
  addresses: z.array(z.string()),
  online: z.boolean(),
  ...traffic,
  today: z.number(),
  topApp: z.string().nullable(),
  control: z.object({
    priority: z.enum(["high", "normal", "low"]),
    state: z.enum(["free", "limited", "blocked"]),
    limitDown: z.number().nullable(),
    limitUp: z.number().nullable(),
    reason: z.string(),
  }).nullable(),
  firstSeen: z.number().nullable(),
  lastSeen: z.number().nullable(),
});

/** An active alert. */
export const alertSchema = z.object({
  key: z.string(),
  kind: z.string(),
  deviceId: z.string().nullable(),
  message: z.string(),
  since: z.number(),
});

/** A page of the event log, newest first. */
export const eventPageSchema = z.object({
  events: z.array(z.object({
    id: z.string(),
    time: z.number(),
    kind: z.string(),
    device: z.string().optional(),
    message: z.string(),
    reason: z.string().optional(),
    data: z.unknown().optional(),
  })),
  cursor: z.string().nullable(),
});

/** A policy rule, loosely (the policy's own parser is the judge of rules). */
export const ruleSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  enabled: z.boolean().optional(),
  devices: z.record(z.string(), z.unknown()),
  action: z.looseObject({ kind: z.string() }),
  manual: z.looseObject({ at: z.number() }).optional(),
});

/** A device's desired state, loosely. */
export const stateSchema = z.looseObject({
  id: z.string(),
  blocked: z.boolean(),
  down: z.number().nullable(),
  up: z.number().nullable(),
  priority: z.enum(["high", "normal", "low"]),
  level: z.string(),
  ruleId: z.string().nullable(),
  reason: z.string(),
});
