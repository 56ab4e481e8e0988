/**
 * The table `sluice top` shows, from one snapshot: devices, processes or
 * apps as rows with their rates, totals (since start, or since a reset) and
 * what they are about, filtered by text.
 *
 * @module
 */
import type { LiveSnapshot } from "../../web/live/snapshot_types.ts";
import { bytesText, printable, rateText } from "./format.ts";

/** One process as a snapshot may list it (`sluice run --processes`). */
export interface LiveProcessRow {
  pid: number | null;
  name: string;
  command: string | null;
  down: number;
  up: number;
  totalDown: number;
  totalUp: number;
  protocols: string[];
}

/** A snapshot as `sluice top` reads it: processes only when the run attributes them. */
export type TopSnapshot = LiveSnapshot & { processes?: LiveProcessRow[] };

/** What the table lists. */
export type View = "devices" | "processes" | "apps";

/** The views in the order `v` goes through them. */
export const VIEWS: readonly View[] = ["devices", "processes", "apps"];

/** Totals at the moment of a reset, by `${view}|${key}` (and "link"). */
export type Baseline = ReadonlyMap<string, { down: number; up: number }>;

/** One row of the table. */
export interface TopRow {
  /** Unique within the view: the selection follows it as rows move. */
  key: string;
  /** The device id, app id or PID ("-" for none). */
  id: string;
  name: string;
  down: number;
  up: number;
  /** Since start, or since the last reset. */
  totalDown: number;
  totalUp: number;
  /** Top app (devices), category (apps) or protocols (processes). */
  info: string;
  /** The detail pane's lines. */
  detail: string[];
}

/**
 * The rows of `view` in `snapshot`, busiest first, totals less `baseline`,
 * kept when `filter` (case-insensitive) is in their name, id, info or
 * addresses. Null for processes when the snapshot has none.
 *
 * @example
 * ```ts ignore
 * const rows = viewRows(snapshot, "apps", new Map(), "steam");
 * ```
 */
export function viewRows(
  snapshot: TopSnapshot,
  view: View,
  baseline: Baseline,
  filter = "",
): TopRow[] | null {
  const all = found(snapshot, view);
  if (all === null) return null;
  const needle = filter.toLowerCase();
  const out: TopRow[] = [];
  for (const { row, search } of all) {
    if (needle !== "" && !search.toLowerCase().includes(needle)) continue;
    const base = baseline.get(`${view}|${row.key}`);
    if (base !== undefined) {
      // A restarted Sluice counts from zero again: then show what it has.
      row.totalDown = row.totalDown >= base.down ? row.totalDown - base.down : row.totalDown;
      row.totalUp = row.totalUp >= base.up ? row.totalUp - base.up : row.totalUp;
    }
    out.push(row);
  }
  return out;
}

/**
 * The totals of every row of every view and the link, for a reset.
 *
 * @example
 * ```ts ignore
 * state = { ...state, baseline: baselineOf(snapshot) };
 * ```
 */
export function baselineOf(snapshot: TopSnapshot): Map<string, { down: number; up: number }> {
  const out = new Map<string, { down: number; up: number }>();
  out.set("link", { down: snapshot.link.totalDown, up: snapshot.link.totalUp });
  for (const view of VIEWS) {
    for (const { row } of found(snapshot, view) ?? []) {
      out.set(`${view}|${row.key}`, { down: row.totalDown, up: row.totalUp });
    }
  }
  return out;
}

/**
 * The link's totals less the baseline's.
 *
 * @example
 * ```ts ignore
 * const { totalDown, totalUp } = linkTotals(snapshot, baseline);
 * ```
 */
export function linkTotals(
  snapshot: TopSnapshot,
  baseline: Baseline,
): { totalDown: number; totalUp: number } {
  const base = baseline.get("link") ?? { down: 0, up: 0 };
  const { totalDown, totalUp } = snapshot.link;
  return {
    totalDown: totalDown >= base.down ? totalDown - base.down : totalDown,
    totalUp: totalUp >= base.up ? totalUp - base.up : totalUp,
  };
}

interface Found {
  row: TopRow;
  search: string;
}

function found(snapshot: TopSnapshot, view: View): Found[] | null {
  return view === "devices"
    ? deviceRows(snapshot)
    : view === "apps"
    ? appRows(snapshot)
    : processRows(snapshot);
}

function deviceRows(snapshot: TopSnapshot): Found[] {
  return snapshot.devices.map((d) => {
    const name = printable(d.name);
    const control = d.control;
    return {
      row: {
        key: d.id,
        id: d.id,
        name,
        down: d.down,
        up: d.up,
        totalDown: d.totalDown,
        totalUp: d.totalUp,
        info: printable(d.topApp ?? ""),
        detail: [
          `${name} (${d.id})${d.online ? "" : ", offline"}`,
          `addresses: ${d.addresses.join(", ") || "-"}${d.mac ? `; MAC ${d.mac}` : ""}`,
          `vendor: ${printable(d.vendor ?? "unknown")}`,
          `state: ${
            control === null
              ? "no policy"
              : `${control.state}, priority ${control.priority}${limits(control)}`
          }`,
          ...(control === null ? [] : [`reason: ${printable(control.reason)}`]),
          `top app: ${printable(d.topApp ?? "none")}; today ${bytesText(d.today)}`,
        ],
      },
      search: [name, d.id, d.topApp ?? "", d.vendor ?? "", ...d.addresses].join("\n"),
    };
  });
}

function limits(control: { limitDown: number | null; limitUp: number | null }): string {
  const parts = [
    control.limitDown === null ? "" : `↓ ${rateText(control.limitDown)}`,
    control.limitUp === null ? "" : `↑ ${rateText(control.limitUp)}`,
  ].filter((p) => p !== "");
  return parts.length === 0 ? "" : ` (limit ${parts.join(" ")})`;
}

function appRows(snapshot: TopSnapshot): Found[] {
  return snapshot.apps.map((a) => {
    const name = printable(a.name);
    return {
      row: {
        key: `${a.id}|${a.category}`,
        id: a.id,
        name,
        down: a.down,
        up: a.up,
        totalDown: a.totalDown,
        totalUp: a.totalUp,
        info: printable(a.category),
        detail: [`${name} (${a.id})`, `category: ${printable(a.category)}`],
      },
      search: [name, a.id, a.category].join("\n"),
    };
  });
}

function processRows(snapshot: TopSnapshot): Found[] | null {
  if (!Array.isArray(snapshot.processes)) return null;
  return snapshot.processes.map((p) => {
    const name = printable(p.name);
    const pid = p.pid === null ? "-" : String(p.pid);
    const protocols = p.protocols.join(",");
    return {
      row: {
        key: `${pid}|${p.name}`,
        id: pid,
        name,
        down: p.down,
        up: p.up,
        totalDown: p.totalDown,
        totalUp: p.totalUp,
        info: protocols,
        detail: [
          `${name} (PID ${pid})`,
          `command: ${printable(p.command ?? "unknown")}`,
          `protocols: ${protocols || "-"}`,
        ],
      },
      search: [name, pid, p.command ?? "", protocols].join("\n"),
    };
  }).sort((a, b) =>
    b.row.down + b.row.up - a.row.down - a.row.up ||
    b.row.totalDown + b.row.totalUp - a.row.totalDown - a.row.totalUp
  );
}
