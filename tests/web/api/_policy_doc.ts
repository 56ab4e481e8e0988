// For the mutation routes' tests: the harness's policy stored as the
// document a run keeps (as `sluice demo` stores its scenario's), and helpers
// to read what the routes saved and logged.
import { EventLog, type LoggedEvent, PolicyDocumentStore } from "../../../engine/history/mod.ts";
import type { Harness } from "../_harness.ts";
import { HOME } from "../_harness.ts";

/** Stores HOME's policy as the document (unless the run stored it already); its revision. */
export async function storeHomePolicy(h: Harness): Promise<number> {
  const docs = new PolicyDocumentStore(h.kv);
  const current = await docs.current();
  if (current) return current.revision;
  return (await docs.adopt(HOME.policy, `scenario ${HOME.name}`, h.ctx.now())).revision;
}

/** The stored document's raw policy and revision. */
export async function storedPolicy(
  h: Harness,
): Promise<{ revision: number; raw: Record<string, unknown>; note?: string }> {
  const current = await new PolicyDocumentStore(h.kv).current();
  if (!current) throw new Error("no policy document stored");
  return current as { revision: number; raw: Record<string, unknown>; note?: string };
}

/** The admin events logged, newest first. */
export async function adminEvents(h: Harness): Promise<LoggedEvent[]> {
  return (await new EventLog(h.kv).list({ kind: "admin" })).events;
}
