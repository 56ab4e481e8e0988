/**
 * Per-app and per-category totals of a set of flows, both directions
 * together: what a report shows beside the flows themselves.
 *
 * @module
 */
import type { FlowRecord } from "./flow_record.ts";

/** Flows, packets and bytes (client to server plus server to client). */
export interface UsageTotals {
  flows: number;
  packets: number;
  bytes: number;
}

/**
 * One app's totals. Flows the catalogue named no app for are grouped under
 * `app: null`, `name: "Unknown"`. An app seen in two categories (a
 * messenger's calls count as VideoCalls) has one entry for each.
 */
export interface AppTotals extends UsageTotals {
  app: string | null;
  name: string;
  category: string;
}

/** One category's totals. */
export interface CategoryTotals extends UsageTotals {
  category: string;
}

/** Both lists, each sorted by bytes, largest first. */
export interface UsageSummary {
  apps: AppTotals[];
  categories: CategoryTotals[];
}

/** The name shown for flows without an app. */
export const UNKNOWN_APP = "Unknown";

/**
 * Adds flows up per app and per category. Ties in bytes go to more packets,
 * then more flows, then the name (and category) in code-point order; a flow without a
 * category (no catalogue) counts as "Other".
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const flow = (app: string | null, category: string, bytes: number) => ({
 *   protocol: "TCP", client: "10.0.0.2:50000", server: "192.0.2.1:443", vlan: 0,
 *   c2s: { packets: 1, bytes }, s2c: { packets: 1, bytes },
 *   firstSeen: 0, lastSeen: 1, hostname: null, hostnameSource: null,
 *   app, appName: app === null ? null : app.toUpperCase(), category,
 * });
 * const { apps, categories } = appTotals([
 *   flow("a", "Streaming", 10), flow(null, "Other", 5), flow("a", "Streaming", 1),
 * ]);
 * assertEquals(apps, [
 *   { app: "a", name: "A", category: "Streaming", flows: 2, packets: 4, bytes: 22 },
 *   { app: null, name: "Unknown", category: "Other", flows: 1, packets: 2, bytes: 10 },
 * ]);
 * assertEquals(categories.map((c) => [c.category, c.bytes]), [["Streaming", 22], ["Other", 10]]);
 * ```
 */
export function appTotals(flows: readonly FlowRecord[]): UsageSummary {
  const apps = new Map<string, AppTotals>();
  const categories = new Map<string, CategoryTotals>();
  for (const f of flows) {
    const packets = f.c2s.packets + f.s2c.packets, bytes = f.c2s.bytes + f.s2c.bytes;
    const category = f.category ?? "Other";
    const key = `${f.app ?? ""}\0${category}`;
    let app = apps.get(key);
    if (!app) {
      const name = f.app === null ? UNKNOWN_APP : f.appName ?? f.app;
      app = { app: f.app, name, category, flows: 0, packets: 0, bytes: 0 };
      apps.set(key, app);
    }
    add(app, packets, bytes);
    let group = categories.get(category);
    if (!group) categories.set(category, group = { category, flows: 0, packets: 0, bytes: 0 });
    add(group, packets, bytes);
  }
  return {
    apps: [...apps.values()].sort((a, b) =>
      largestFirst(a, b) || byText(a.name, b.name) || byText(a.category, b.category)
    ),
    categories: [...categories.values()].sort((a, b) =>
      largestFirst(a, b) || byText(a.category, b.category)
    ),
  };
}

function add(totals: UsageTotals, packets: number, bytes: number): void {
  totals.flows++;
  totals.packets += packets;
  totals.bytes += bytes;
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function largestFirst(a: UsageTotals, b: UsageTotals): number {
  return b.bytes - a.bytes || b.packets - a.packets || b.flows - a.flows;
}
