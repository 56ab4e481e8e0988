/**
 * `sluice top --raw`: no screen, one tab-separated line per row per
 * snapshot, for scripts: `time view id name down up totalDown totalUp`
 * (epoch ms, bytes/s and bytes), the link first as view "link".
 *
 * @module
 */
import { type TopSnapshot, type View, viewRows } from "./rows.ts";

/** The columns of a raw line, in order. */
export const RAW_COLUMNS: readonly string[] = [
  "time",
  "view",
  "id",
  "name",
  "down",
  "up",
  "totalDown",
  "totalUp",
];

/**
 * The raw lines of one snapshot: the link's, then one per row of `view`
 * that matches `filter` (none for processes when the snapshot has none).
 *
 * @example
 * ```ts ignore
 * for (const line of rawLines(snapshot, "devices")) console.log(line);
 * // 1795201215000	link	-	link	12524110	9414	187790009	122128
 * // 1795201215000	devices	mac:f4:8e:38:c6:17:2a	desktop-1	12514794	6380	187693841	88608
 * ```
 */
export function rawLines(snapshot: TopSnapshot, view: View, filter = ""): string[] {
  const t = String(snapshot.time);
  const n = (x: number) => String(Math.round(x));
  const l = snapshot.link;
  const out = [
    [t, "link", "-", "link", n(l.down), n(l.up), n(l.totalDown), n(l.totalUp)].join("\t"),
  ];
  for (const r of viewRows(snapshot, view, new Map(), filter) ?? []) {
    out.push([t, view, r.id, r.name, n(r.down), n(r.up), n(r.totalDown), n(r.totalUp)].join("\t"));
  }
  return out;
}
