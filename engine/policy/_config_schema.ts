// The policy file's shape in zod: figures in human units ("25Mbit", "50GB",
// "10m") become bytes/s, bytes and seconds here, so everything past parsing
// works in plain numbers. Cross-field checks (unique ids, groups that exist,
// schedules) are in policy_config.ts, after the shape is known to be right.
import { z, type ZodIssue } from "zod";
import { normalDeviceId } from "../devices/mod.ts";
import {
  ALERT_KINDS,
  PRIORITIES,
  QUOTA_PERIODS,
  type RuleAction,
  WEEKDAYS,
} from "./policy_types.ts";
import { parseDuration, parseRate, parseSize } from "./units.ts";

/** A figure in units: the parser's message becomes the field's. */
function figure(parse: (v: string | number) => number) {
  return z.union([z.number(), z.string()], {
    errorMap: (_issue, ctx) => ({
      message: ctx.data === undefined ? "is required" : "must be a number or a figure with units",
    }),
  }).transform((value, ctx) => {
    try {
      return parse(value);
    } catch (err) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: (err as Error).message });
      return z.NEVER;
    }
  });
}

const rate = figure(parseRate);
const size = figure(parseSize);
const seconds = figure(parseDuration);

const deviceId = z.string().transform((id, ctx) => {
  const normal = normalDeviceId(id.replace(/^(mac|ip):/i, (prefix) => prefix.toLowerCase()));
  if (normal === null) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `${JSON.stringify(id)} is not a device id ("mac:aa:bb:cc:dd:ee:ff" or "ip:ADDRESS")`,
    });
    return z.NEVER;
  }
  return normal;
});

const name = z.string().trim().min(1, "must not be empty").max(64, "must be at most 64 characters");

const selector = z.union([
  z.object({ device: deviceId }).strict(),
  z.object({ group: name }).strict(),
  z.object({ all: z.literal(true) }).strict(),
  z.object({ unknown: z.literal(true) }).strict(),
], {
  errorMap: () => ({
    message: 'must be one of {"device": ID}, {"group": NAME}, {"all": true}, {"unknown": true}',
  }),
});

const block = z.object({ kind: z.literal("block") }).strict();
const then = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("limit"), down: rate.optional(), up: rate.optional() }).strict(),
  block,
]).refine((a) => a.kind === "block" || a.down !== undefined || a.up !== undefined, {
  message: "a limit needs down, up or both",
});

const action = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("limit"), down: rate.optional(), up: rate.optional() }).strict(),
  block,
  z.object({ kind: z.literal("priority"), priority: z.enum(PRIORITIES) }).strict(),
  z.object({ kind: z.literal("allow") }).strict(),
  z.object({
    kind: z.literal("quota"),
    bytes: size,
    period: z.enum(QUOTA_PERIODS),
    direction: z.enum(["both", "down", "up"]).optional(),
    then,
  }).strict(),
  z.object({ kind: z.literal("timeBudget"), seconds, then }).strict(),
]).superRefine((a, ctx) => {
  if (a.kind === "limit" && a.down === undefined && a.up === undefined) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: "a limit needs down, up or both" });
  }
});

const window = z.object({
  days: z.array(z.enum(WEEKDAYS)).min(1, "needs at least one day"),
  from: z.string(),
  to: z.string(),
}).strict();

const epochMs = z.number().int().nonnegative();

/** One rule as written. */
export const ruleSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, {
    message:
      "must be 1 to 64 letters, digits, '_', '.', ':' or '-', starting with a letter or digit",
  }),
  name: z.string().max(100).optional(),
  enabled: z.boolean().optional(),
  devices: selector,
  apps: z.array(name).min(1).optional(),
  categories: z.array(name).min(1).optional(),
  schedule: z.array(window).min(1).optional(),
  action,
  manual: z.object({
    at: epochMs,
    until: epochMs.optional(),
    by: z.string().max(100).optional(),
  }).strict().optional(),
}).strict();

/** The policy file as written. */
export const policySchema = z.object({
  timeZone: z.string().default("UTC"),
  link: z.object({ down: rate, up: rate }).strict(),
  shares: z.object({
    high: z.number().min(0).max(1),
    normal: z.number().min(0).max(1),
    low: z.number().min(0).max(1),
  }).strict().default({ high: 0.5, normal: 0.35, low: 0.15 }),
  groups: z.record(name, z.array(deviceId)).default({}),
  rules: z.array(ruleSchema).default([]),
  auto: z.object({
    enabled: z.boolean().default(true),
    window: z.number().int().min(1).max(3600).default(10),
    lowAbove: rate.optional(),
    highBelow: rate.optional(),
    confirm: z.number().int().min(1).max(3600).default(3),
    band: z.number().min(0).lt(1).default(0.2),
    spikeSigma: z.number().positive().default(2),
    latencySensitive: z.array(name).default(["VideoCalls", "Gaming"]),
  }).strict().default({}),
  alerts: z.object({
    sustained: z.union([
      z.null(),
      z.object({ rate, for: seconds }).strict(),
    ]).optional(),
    spike: z.union([
      z.null(),
      z.object({ sigma: z.number().positive().default(3), minRate: rate.optional() }).strict(),
    ]).optional(),
    quotaWarnAt: z.number().gt(0).lt(1).default(0.8),
    offlineAfter: seconds.default(300),
    cooldown: seconds.default(600),
  }).strict().default({}),
  webhooks: z.array(
    z.object({
      url: z.string().url().refine((u) => /^https?:\/\//.test(u), "must be an http or https URL"),
      kinds: z.array(z.enum(ALERT_KINDS)).min(1).optional(),
      secret: z.string().min(16, "must be at least 16 characters").optional(),
    }).strict(),
  ).default([]),
}).strict();

/** The parsed, unit-converted file, before cross-field checks. */
export type PolicyInput = z.output<typeof policySchema>;

/** One parsed rule, before cross-field checks. */
export type RuleInput = z.output<typeof ruleSchema>;

// The schema's action output must be a RuleAction; this fails to compile if they drift apart.
const _actionMatches: (a: z.output<typeof action>) => RuleAction = (a) => a;
void _actionMatches;

/** A zod issue as a field path ("rules[2].action.down") and a message. */
export function schemaIssue(i: ZodIssue): { path: string; message: string } {
  const path = i.path.map((p, n) => typeof p === "number" ? `[${p}]` : n === 0 ? p : `.${p}`)
    .join("");
  let message = i.message;
  if (i.code === "unrecognized_keys") {
    message = `unknown field ${i.keys.map((k) => `"${k}"`).join(", ")}`;
  }
  if (i.code === "invalid_type" && i.received === "undefined") message = "is required";
  return { path, message };
}
