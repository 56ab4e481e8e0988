/**
 * Settings: the policy's settings as written (time zone, link, shares,
 * automatic priorities, alerts, webhooks, groups) beside what this run
 * cannot change from the web (interface, LAN, data, history retention).
 * PUT replaces the settings given, saved as a new revision of the policy
 * document. Webhook secrets never leave the server: they read "********",
 * and a webhook sent back so keeps its stored secret.
 *
 * @module
 */
import { z } from "zod/v4";
import { PolicyDocumentStore, type PolicyRevision } from "../../engine/history/mod.ts";
import type { WebContext } from "../web_context.ts";
import type { ApiRegistry } from "./api_registry.ts";
import { type FieldErrors, HttpError } from "./http_error.ts";
import {
  checkBasedOn,
  currentDocument,
  isObject,
  logAdmin,
  type RawPolicy,
  saveDocument,
  userName,
} from "./_policy_edit.ts";
import { queryNumber } from "./_schemas.ts";

/** What a webhook's secret reads as. */
export const MASKED_SECRET = "********";

const SETTINGS = ["timeZone", "link", "shares", "auto", "alerts", "webhooks", "groups"] as const;

const figure = z.union([z.number(), z.string()]);
const webhook = z.looseObject({
  url: z.string(),
  kinds: z.array(z.string()).optional(),
  secret: z.string().optional(),
});

/** The body of PUT /settings: each setting given replaces the stored one (as a policy file has it). */
export const settingsBody = z.strictObject({
  timeZone: z.string().max(100).optional(),
  link: z.looseObject({ down: figure, up: figure }).optional(),
  shares: z.looseObject({ high: z.number(), normal: z.number(), low: z.number() }).optional(),
  auto: z.record(z.string(), z.unknown()).optional(),
  alerts: z.record(z.string(), z.unknown()).optional(),
  webhooks: z.array(webhook).max(20).optional(),
  groups: z.record(z.string(), z.array(z.string())).optional(),
});

const settingsResponse = z.object({
  revision: z.number(),
  policy: z.boolean(),
  timeZone: z.string().nullable(),
  link: z.looseObject({ down: figure, up: figure }).nullable(),
  shares: z.record(z.string(), z.number()).nullable(),
  auto: z.record(z.string(), z.unknown()).nullable(),
  alerts: z.record(z.string(), z.unknown()).nullable(),
  webhooks: z.array(webhook),
  groups: z.record(z.string(), z.array(z.string())),
  effective: z.looseObject({
    link: z.object({ down: z.number(), up: z.number() }),
    shares: z.record(z.string(), z.number()),
    auto: z.record(z.string(), z.unknown()),
    alerts: z.record(z.string(), z.unknown()),
  }).nullable(),
  retention: z.record(z.string(), z.number()).nullable(),
  interface: z.string(),
  lan: z.array(z.string()),
  data: z.string(),
});

/**
 * Declares GET and PUT /settings.
 *
 * @example
 * ```ts ignore
 * createApp({ ctx, auth, registrars: [settingsRoutes] });
 * ```
 */
export function settingsRoutes(api: ApiRegistry, ctx: WebContext): void {
  api.add({
    method: "get",
    path: "/settings",
    summary: "The policy's settings as written (secrets masked), effective values, and the run's",
    tag: "settings",
    access: "viewer",
    response: settingsResponse,
    handle: async (c) => {
      const current = ctx.policy() && await new PolicyDocumentStore(ctx.kv).current();
      return c.json(settingsOf(ctx, current ?? null));
    },
  });

  api.add({
    method: "put",
    path: "/settings",
    summary: "Replaces the settings given; the rest stay",
    tag: "settings",
    access: "admin",
    query: z.object({ revision: queryNumber("revision", 0, Number.MAX_SAFE_INTEGER) }),
    body: settingsBody,
    response: settingsResponse,
    handle: async (c, { query, body }) => {
      const doc = await currentDocument(ctx);
      checkBasedOn(query.revision, doc.revision);
      const changed = SETTINGS.filter((k) => body[k] !== undefined);
      if (changed.length === 0) return c.json(settingsOf(ctx, doc));
      const next: RawPolicy = { ...doc.raw };
      for (const key of changed) next[key] = body[key];
      if (body.webhooks) next.webhooks = unmasked(body.webhooks, doc.raw.webhooks);
      const note = `settings changed (${changed.join(", ")}) by ${userName(c)}`;
      const saved = await saveDocument(ctx, next, doc.revision, note);
      await logAdmin(ctx, c, `settings changed (${changed.join(", ")})`, {
        settings: changed,
        revision: saved.revision,
      });
      return c.json(settingsOf(ctx, saved));
    },
  });
}

/** The settings of a revision (null: no policy) with the run's own. */
function settingsOf(ctx: WebContext, doc: PolicyRevision | null) {
  const raw: RawPolicy = isObject(doc?.raw) ? doc.raw : {};
  const p = doc?.policy;
  let retention: Record<string, number> | null = null;
  try {
    retention = { ...ctx.history.retention };
  } catch { /* no history opened yet */ }
  return {
    revision: doc?.revision ?? 0,
    policy: doc !== null,
    timeZone: p ? (typeof raw.timeZone === "string" ? raw.timeZone : p.timeZone) : null,
    link: p ? raw.link as { down: number | string; up: number | string } : null,
    shares: p ? (isObject(raw.shares) ? raw.shares : p.shares) as Record<string, number> : null,
    auto: p ? (isObject(raw.auto) ? raw.auto : {}) : null,
    alerts: p ? (isObject(raw.alerts) ? raw.alerts : {}) : null,
    webhooks: (Array.isArray(raw.webhooks) ? raw.webhooks : []).map(masked),
    groups: isObject(raw.groups) ? raw.groups as Record<string, string[]> : {},
    effective: p ? { link: p.link, shares: p.shares, auto: p.auto, alerts: p.alerts } : null,
    retention,
    interface: ctx.info.interface,
    lan: ctx.info.lan,
    data: ctx.info.data,
  };
}

function masked(hook: unknown): Record<string, unknown> {
  if (!isObject(hook)) return {};
  return hook.secret === undefined ? { ...hook } : { ...hook, secret: MASKED_SECRET };
}

/** The webhooks sent, a masked secret replaced by the stored one of the same URL. */
function unmasked(
  sent: readonly z.output<typeof webhook>[],
  stored: unknown,
): Record<string, unknown>[] {
  const secrets = new Map<string, unknown>();
  for (const hook of Array.isArray(stored) ? stored : []) {
    if (isObject(hook) && hook.secret !== undefined) secrets.set(String(hook.url), hook.secret);
  }
  const fields: FieldErrors = {};
  const out = sent.map((hook, i) => {
    if (hook.secret !== MASKED_SECRET) return { ...hook };
    if (secrets.has(hook.url)) return { ...hook, secret: secrets.get(hook.url) };
    fields[`webhooks[${i}].secret`] = "is masked, but no stored webhook of this url has a secret";
    return { ...hook };
  });
  const [first] = Object.entries(fields);
  if (first) throw new HttpError(400, `invalid settings: ${first[0]}: ${first[1]}`, fields);
  return out;
}
