/**
 * Editing the policy document from the API: read the current revision,
 * change the raw policy, save it as the next revision (checked whole by
 * parsePolicy; a concurrent save is a 409), and log who did it. The running
 * LivePolicy applies the new revision within a second.
 *
 * @module
 */
import type { Context } from "hono";
import { EventLog, PolicyDocumentStore, type PolicyRevision } from "../../engine/history/mod.ts";
import { type ConfigIssue, PolicyConfigError } from "../../engine/policy/mod.ts";
import type { WebContext } from "../web_context.ts";
import type { WebEnv } from "../web_env.ts";
import { type FieldErrors, HttpError } from "./http_error.ts";

/** The raw policy as a policy file has it: a JSON object. */
export type RawPolicy = Record<string, unknown>;

/** Refused mutations when Sluice runs without a policy. */
export const NO_POLICY = "Sluice runs without a policy (start it with --policy FILE)";

/** The current revision of the running policy's document; 409 without a policy. */
export async function currentDocument(
  ctx: WebContext,
): Promise<PolicyRevision & { raw: RawPolicy }> {
  if (ctx.policy() === null) throw new HttpError(409, NO_POLICY);
  const current = await new PolicyDocumentStore(ctx.kv).current();
  if (current === null || !isObject(current.raw)) {
    throw new HttpError(409, "the running policy is not stored for editing: restart Sluice");
  }
  return current as PolicyRevision & { raw: RawPolicy };
}

/**
 * Saves `raw` as the revision after `basedOn`. A policy with problems is a
 * 400 whose fields are `pathOf(issue.path)` (return null to keep the path as
 * it is); a save in between is a 409.
 */
export async function saveDocument(
  ctx: WebContext,
  raw: RawPolicy,
  basedOn: number,
  note: string,
  pathOf: (path: string) => string | null = () => null,
): Promise<PolicyRevision> {
  let saved: PolicyRevision | null;
  try {
    saved = await new PolicyDocumentStore(ctx.kv).save(raw, { basedOn, nowMs: ctx.now(), note });
  } catch (err) {
    if (err instanceof PolicyConfigError) throw invalid(err.issues, pathOf);
    throw err;
  }
  if (saved === null) {
    throw new HttpError(409, "the policy was changed by someone else meanwhile: reload and retry");
  }
  return saved;
}

/** A 409 when the client says which revision it edited and it is no longer current. */
export function checkBasedOn(expected: number | undefined, current: number): void {
  if (expected !== undefined && expected !== current) {
    throw new HttpError(
      409,
      `the policy is at revision ${current}, not ${expected}: reload and retry`,
    );
  }
}

/** A 400 naming every problem by its field. */
function invalid(issues: ConfigIssue[], pathOf: (path: string) => string | null): HttpError {
  const fields: FieldErrors = {};
  for (const issue of issues) {
    const path = pathOf(issue.path) ?? (issue.path || "(whole)");
    fields[path] ??= issue.message;
  }
  const [first] = Object.entries(fields);
  return new HttpError(400, `invalid policy: ${first[0]}: ${first[1]}`, fields);
}

/** The name of who is asking (the routes that call this require a user). */
export function userName(c: Context<WebEnv>): string {
  return c.get("user")?.name ?? "someone";
}

/** Logs an admin action in the event log, with `data.by` the user's name. */
export async function logAdmin(
  ctx: WebContext,
  c: Context<WebEnv>,
  message: string,
  data: Record<string, unknown> = {},
  device?: string,
): Promise<void> {
  await new EventLog(ctx.kv).append({
    time: ctx.now(),
    kind: "admin",
    message: `${message} by ${userName(c)}`,
    ...(device === undefined ? {} : { device }),
    data: { ...data, by: userName(c) },
  });
}

/** A JSON object (not an array or null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
