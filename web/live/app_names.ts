/**
 * Display names of app ids. The meter keeps apps by their catalogue id
 * ("youtube"); the live views show "YouTube". The catalogue keeps its names
 * private, so they are gathered here once from the same shipped data, the
 * fixed matches the flow namer falls back on, and the user's rules.
 *
 * @module
 */
import type { UserRule } from "../../engine/app_catalogue.ts";
import { UNKNOWN_APP } from "../../engine/app_totals.ts";
import { DEFAULT_APPS, DEFAULT_PORTS, DEFAULT_SIGNATURES } from "../../engine/catalogue/default.ts";
import { NETWORK_PROTOCOLS, STUN_CALL } from "../../engine/flow_naming.ts";

/** The id the meter gives traffic of no app (its interner's unknown name). */
export const UNKNOWN_APP_ID = "unknown";

/** An app id's display name. */
export type AppNamer = (app: string) => string;

interface Named {
  app?: string;
  id?: string;
  name?: string;
}

/**
 * A namer over the shipped catalogue and `userRules` (their `name`, for
 * apps of their own). Precedence as in the catalogue: apps.json's name
 * first, then a user rule's, then a port rule's or signature's; an id
 * nobody names is shown as itself, and {@linkcode UNKNOWN_APP_ID} as "Unknown".
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const name = appNamer([{ domain: "intranet.example", app: "intranet", category: "Browsing", name: "Intranet" }]);
 * assertEquals([name("youtube"), name("icmp"), name("intranet")], ["YouTube", "ICMP", "Intranet"]);
 * assertEquals([name("unknown"), name("no-such-app")], ["Unknown", "no-such-app"]);
 * ```
 */
export function appNamer(userRules: readonly UserRule[] = []): AppNamer {
  const names = new Map<string, string>([[UNKNOWN_APP_ID, UNKNOWN_APP]]);
  const add = (id: string | undefined, name: string | undefined) => {
    if (id && name && !names.has(id)) names.set(id, name);
  };
  for (const a of listOf(DEFAULT_APPS, "apps")) add(a.id, a.name);
  for (const u of userRules) add(u.app, u.name);
  for (const r of listOf(DEFAULT_PORTS, "rules")) add(r.app, r.name);
  for (const s of listOf(DEFAULT_SIGNATURES, "signatures")) add(s.app, s.name);
  for (const m of Object.values(NETWORK_PROTOCOLS)) add(m.app, m.name);
  add(STUN_CALL.app, STUN_CALL.name);
  return (app) => names.get(app) ?? app;
}

// The shipped files are proven valid by the catalogue's tests; read them loosely.
function listOf(data: unknown, key: string): Named[] {
  const list = (data as Record<string, unknown> | null)?.[key];
  return Array.isArray(list) ? list as Named[] : [];
}
