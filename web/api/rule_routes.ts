/**
 * The policy's rules, edited: list, add, replace and delete, each saved as
 * a new revision of the policy document (the whole policy checked by its
 * own parser, problems named by the rule's fields) and applied by the
 * running policy within a second.
 *
 * @module
 */
import { z } from "zod/v4";
import { PolicyDocumentStore } from "../../engine/history/mod.ts";
import type { WebContext } from "../web_context.ts";
import type { ApiRegistry } from "./api_registry.ts";
import { HttpError } from "./http_error.ts";
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

const ACTION_KINDS = ["limit", "block", "priority", "quota", "timeBudget"] as const;
const figure = z.union([z.number(), z.string()]);

/** A rule as a policy file has it (figures as numbers or "20Mbit" text); parsePolicy judges the rest. */
export const rawRuleSchema = z.looseObject({
  id: z.string().min(1).max(64),
  name: z.string().max(100).optional(),
  enabled: z.boolean().optional(),
  devices: z.record(z.string(), z.unknown()),
  apps: z.array(z.string()).optional(),
  categories: z.array(z.string()).optional(),
  schedule: z.array(z.looseObject({
    days: z.array(z.string()),
    from: z.string(),
    to: z.string(),
  })).optional(),
  action: z.looseObject({
    kind: z.enum(ACTION_KINDS),
    down: figure.optional(),
    up: figure.optional(),
    priority: z.string().optional(),
    bytes: figure.optional(),
    period: z.string().optional(),
    seconds: figure.optional(),
    then: z.looseObject({ kind: z.string() }).optional(),
  }),
  manual: z.never({ error: "is for overrides: POST /devices/:id/actions" }).optional(),
});

const idParams = z.object({ id: z.string().min(1).max(64) });
const revisionQuery = z.object({ revision: queryNumber("revision", 0, Number.MAX_SAFE_INTEGER) });
const rulesResponse = z.object({
  revision: z.number(),
  rules: z.array(rawRuleSchema),
  groups: z.record(z.string(), z.array(z.string())),
});
const ruleResponse = z.object({ revision: z.number(), rule: rawRuleSchema });

/**
 * Declares GET/POST /rules and PUT/DELETE /rules/:id.
 *
 * @example
 * ```ts ignore
 * createApp({ ctx, auth, registrars: [ruleRoutes] });
 * ```
 */
export function ruleRoutes(api: ApiRegistry, ctx: WebContext): void {
  api.add({
    method: "get",
    path: "/rules",
    summary: "The policy's rules and groups as written, with the document's revision",
    tag: "rules",
    access: "viewer",
    response: rulesResponse,
    handle: async (c) => {
      const current = ctx.policy() && await new PolicyDocumentStore(ctx.kv).current();
      const raw: RawPolicy = isObject(current?.raw) ? current.raw : {};
      return c.json({
        revision: current?.revision ?? 0,
        rules: Array.isArray(raw.rules) ? raw.rules : [],
        groups: isObject(raw.groups) ? raw.groups : {},
      });
    },
  });

  api.add({
    method: "post",
    path: "/rules",
    summary: "Adds a rule at the end of the list",
    tag: "rules",
    access: "admin",
    query: revisionQuery,
    body: rawRuleSchema,
    response: ruleResponse,
    status: 201,
    handle: async (c, { query, body }) => {
      const doc = await currentDocument(ctx);
      checkBasedOn(query.revision, doc.revision);
      const rules = rulesOf(doc.raw);
      if (rules.some((r) => r.id === body.id)) {
        throw new HttpError(409, `a rule "${body.id}" exists already`, {
          id: "is the id of another rule",
        });
      }
      const note = `rule ${body.id} added by ${userName(c)}`;
      const saved = await saveRules(doc.raw, [...rules, body], doc.revision, note, rules.length);
      await logAdmin(ctx, c, `rule ${body.id} added`, { rule: body.id, revision: saved });
      return c.json({ revision: saved, rule: body }, 201);
    },
  });

  api.add({
    method: "put",
    path: "/rules/:id",
    summary: "Replaces a rule (its id may change to a free one)",
    tag: "rules",
    access: "admin",
    params: idParams,
    query: revisionQuery,
    body: rawRuleSchema.extend({ id: rawRuleSchema.shape.id.optional() }),
    response: ruleResponse,
    handle: async (c, { params, query, body }) => {
      const doc = await currentDocument(ctx);
      checkBasedOn(query.revision, doc.revision);
      const rules = rulesOf(doc.raw);
      const at = indexOf(rules, params.id);
      const rule = { ...body, id: body.id ?? params.id };
      if (rule.id !== params.id && rules.some((r) => r.id === rule.id)) {
        throw new HttpError(409, `a rule "${rule.id}" exists already`, {
          id: "is the id of another rule",
        });
      }
      const next = rules.with(at, rule);
      const renamed = rule.id === params.id ? "" : ` (now ${rule.id})`;
      const note = `rule ${params.id} changed${renamed} by ${userName(c)}`;
      const saved = await saveRules(doc.raw, next, doc.revision, note, at);
      await logAdmin(ctx, c, `rule ${params.id} changed${renamed}`, {
        rule: rule.id,
        revision: saved,
      });
      return c.json({ revision: saved, rule });
    },
  });

  api.add({
    method: "delete",
    path: "/rules/:id",
    summary: "Deletes a rule",
    tag: "rules",
    access: "admin",
    params: idParams,
    query: revisionQuery,
    status: 204,
    handle: async (c, { params, query }) => {
      const doc = await currentDocument(ctx);
      checkBasedOn(query.revision, doc.revision);
      const rules = rulesOf(doc.raw);
      const at = indexOf(rules, params.id);
      const note = `rule ${params.id} deleted by ${userName(c)}`;
      const saved = await saveRules(doc.raw, rules.toSpliced(at, 1), doc.revision, note, -1);
      await logAdmin(ctx, c, `rule ${params.id} deleted`, { rule: params.id, revision: saved });
      return c.body(null, 204);
    },
  });

  /** Saves the document with `rules`; problems of rules[at] are named by the rule's own paths. */
  async function saveRules(
    raw: RawPolicy,
    rules: readonly { id: string }[],
    basedOn: number,
    note: string,
    at: number,
  ): Promise<number> {
    const own = `rules[${at}]`;
    const saved = await saveDocument(ctx, { ...raw, rules }, basedOn, note, (path) => {
      if (path === own) return "(whole)";
      return path.startsWith(`${own}.`) ? path.slice(own.length + 1) : null;
    });
    return saved.revision;
  }
}

function rulesOf(raw: RawPolicy): { id: string }[] {
  return Array.isArray(raw.rules) ? raw.rules : [];
}

function indexOf(rules: readonly { id: string }[], id: string): number {
  const at = rules.findIndex((r) => r?.id === id);
  if (at < 0) throw new HttpError(404, `no rule "${id}"`);
  return at;
}
