/**
 * Manual actions on a device ("throttle", "pause for an hour", "unblock"):
 * each becomes a manual override in the OverrideStore, as `sluice override`
 * sets them, which the running policy applies within a second.
 *
 * @module
 */
import { z } from "zod/v4";
import { DAY_MS, type NewOverride, OverrideStore } from "../../engine/history/mod.ts";
import {
  describe,
  parseRate,
  PolicyConfigError,
  PRIORITIES,
  type Rule,
  type RuleAction,
} from "../../engine/policy/mod.ts";
import type { WebContext } from "../web_context.ts";
import type { ApiRegistry } from "./api_registry.ts";
import { type FieldErrors, HttpError } from "./http_error.ts";
import { deviceSummary } from "./_device_summary.ts";
import { logAdmin, NO_POLICY, userName } from "./_policy_edit.ts";
import { deviceIdParams, ruleSchema } from "./_schemas.ts";

/** What a person can do to a device. */
export const DEVICE_ACTIONS = [
  "limit",
  "unlimit",
  "block",
  "unblock",
  "pause",
  "priority",
  "allow",
] as const;

/** Longest an action may be set for: as `sluice override --for`. */
const MAX_FOR_MS = 366 * DAY_MS;

const rate = z.union([z.number().positive(), z.string().min(1).max(40)]).transform((v, ctx) => {
  try {
    return parseRate(v);
  } catch (err) {
    ctx.issues.push({ code: "custom", input: v, message: (err as Error).message });
    return z.NEVER;
  }
});

/** The body of POST /devices/:id/actions. */
export const actionBody = z.strictObject({
  action: z.enum(DEVICE_ACTIONS),
  /** Bytes per second (or "5Mbit"), with limit. */
  down: rate.optional(),
  up: rate.optional(),
  priority: z.enum(PRIORITIES).optional(),
  /** How long, ms; until cleared when absent. */
  for: z.number().int().min(1000).max(MAX_FOR_MS).optional(),
}).superRefine((b, ctx) => {
  const problem = (path: string, message: string) =>
    ctx.issues.push({ code: "custom", input: b, path: [path], message });
  if (b.action === "limit" && b.down === undefined && b.up === undefined) {
    problem("down", "a limit needs down, up or both");
  }
  if (b.action !== "limit") {
    for (const side of ["down", "up"] as const) {
      if (b[side] !== undefined) problem(side, `goes with limit, not ${b.action}`);
    }
  }
  if (b.action === "priority" && b.priority === undefined) {
    problem("priority", `is required: ${PRIORITIES.join(", ")}`);
  }
  if (b.action !== "priority" && b.priority !== undefined) {
    problem("priority", `goes with priority, not ${b.action}`);
  }
  if (b.action === "pause" && b.for === undefined) problem("for", "a pause needs how long, in ms");
});

/**
 * Declares POST /devices/:id/actions.
 *
 * @example
 * ```ts ignore
 * createApp({ ctx, auth, registrars: [actionRoutes] });
 * ```
 */
export function actionRoutes(api: ApiRegistry, ctx: WebContext): void {
  api.add({
    method: "post",
    path: "/devices/:id/actions",
    summary: "Acts on a device now (limit, block, pause, priority, allow; unlimit, unblock)",
    tag: "devices",
    access: "admin",
    params: deviceIdParams,
    body: actionBody,
    response: z.object({ override: ruleSchema.nullable(), removed: z.array(z.string()) }),
    status: 201,
    handle: async (c, { params, body }) => {
      const engine = ctx.policy();
      if (engine === null) throw new HttpError(409, NO_POLICY);
      const id = params.id;
      if (await deviceSummary(ctx, id) === null) throw new HttpError(404, `no device ${id}`);
      const now = ctx.now();
      const store = new OverrideStore(ctx.kv);
      await store.prune(now - DAY_MS);
      const manual = {
        at: now,
        ...(body.for === undefined ? {} : { until: now + body.for }),
        by: userName(c),
      };
      let removed: string[] = [];
      let action: RuleAction | null;
      if (body.action === "unblock" || body.action === "unlimit") {
        // Lift the device's own overrides of that kind; a rule that still holds it gets an allow.
        const kind = body.action === "unblock" ? "block" : "limit";
        const all = await store.list();
        removed = await store.remove(
          all.filter((r) => isOnDevice(r, id) && r.action.kind === kind).map((r) => r.id),
        );
        const state = engine.preview(id, all.filter((r) => !removed.includes(r.id)), now);
        const held = kind === "block" ? state.blocked : state.down !== null || state.up !== null;
        action = held ? { kind: "allow" } : null;
      } else {
        action = actionOf(body);
      }
      const override = action && await add(store, { devices: { device: id }, action, manual });
      const what = override ? `${describe(override.action)} (${override.id})` : "nothing to add";
      await logAdmin(ctx, c, `${body.action} ${id}: ${what}`, {
        action: body.action,
        override,
        removed,
      }, id);
      return c.json({ override, removed }, 201);
    },
  });
}

function actionOf(body: z.output<typeof actionBody>): RuleAction {
  switch (body.action) {
    case "limit":
      return {
        kind: "limit",
        ...(body.down === undefined ? {} : { down: body.down }),
        ...(body.up === undefined ? {} : { up: body.up }),
      };
    case "priority":
      return { kind: "priority", priority: body.priority! };
    case "allow":
      return { kind: "allow" };
    default: // block, pause
      return { kind: "block" };
  }
}

function isOnDevice(rule: Rule, id: string): boolean {
  return "device" in rule.devices && rule.devices.device === id;
}

/** Stores the override; its problems as the body's fields. */
async function add(store: OverrideStore, override: NewOverride): Promise<Rule> {
  try {
    return await store.add(override);
  } catch (err) {
    if (err instanceof RangeError) throw new HttpError(409, err.message);
    if (!(err instanceof PolicyConfigError)) throw err;
    const fields: FieldErrors = {};
    for (const i of err.issues) {
      const path = i.path.replace(/^action\./, "").replace(/^manual\.until$/, "for");
      fields[path] ??= i.message;
    }
    throw new HttpError(400, `invalid action: ${err.message}`, fields);
  }
}
