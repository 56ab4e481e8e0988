/**
 * The `sluice top` screen, as lines of text with ANSI attributes (SGR only:
 * reverse video, bold, colour), fitted to a terminal's size; and the frame
 * that redraws it in place without flicker. Pure: state and size in, text out.
 *
 * @module
 */
import {
  bytesText,
  cell,
  clockText,
  printable,
  rateText,
  thresholdText,
  widthOf,
} from "./format.ts";
import { linkTotals, type TopRow } from "./rows.ts";
import { rowsOf, selectedIndex, thresholdOf, type TopState } from "./state.ts";

/** A terminal's size in character cells. */
export interface ScreenSize {
  columns: number;
  rows: number;
}

/** How to draw. */
export interface ScreenOptions {
  /** Where the snapshots come from, for the title: "http://127.0.0.1:8080/", "eth1". */
  source: string;
  /** Colour for rows over the threshold (false: bold only, for NO_COLOR). */
  color?: boolean;
  /** The zone times are shown in (default this machine's). */
  timeZone?: string;
}

const RESET = "\x1b[0m";
const REVERSE = "\x1b[7m";
const BOLD = "\x1b[1m";
const HOT = "\x1b[1;31m";

/** The keys, for the help overlay. */
export const HELP_LINES: readonly string[] = [
  "Keys",
  "  s         stop / start updates",
  "  r         reset statistics: totals count from now",
  "  t         next alert threshold (512 kB/s, 1, 2, 5, 10 MB/s)",
  "  v         devices, processes, apps",
  "  /         filter: type, Enter applies, Esc cancels",
  "  ↑ ↓       select a row (PgUp, PgDn, Home, End)",
  "  Enter     details of the selected row; Esc closes",
  "  Esc       clear the filter",
  "  h         this help (any key closes it)",
  "  q         quit (Ctrl-C too)",
  "",
  "Rows marked ! use more than the threshold (down + up).",
];

/**
 * The screen's lines for `state` at `size`: exactly `size.rows` lines, each
 * at most `size.columns` wide once its ANSI attributes are left out.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { initialState } from "./state.ts";
 * const lines = renderScreen(initialState(), { columns: 40, rows: 10 }, { source: "demo" });
 * assertEquals(lines.length, 10);
 * ```
 */
export function renderScreen(state: TopState, size: ScreenSize, options: ScreenOptions): string[] {
  const width = Math.max(1, size.columns), height = Math.max(1, size.rows);
  const plain = (text: string) => cell(text, width);
  const styled = (style: string, text: string) => style + cell(text, width) + RESET;
  const top: string[] = [styled(BOLD, `sluice top: ${printable(options.source)}`)];
  const snapshot = state.shown;
  if (snapshot !== null) {
    const { totalDown, totalUp } = linkTotals(snapshot, state.baseline);
    const now = `link ↓ ${rateText(snapshot.link.down)} ↑ ${rateText(snapshot.link.up)}`;
    const since = state.resetAt === null
      ? ""
      : ` since ${clockText(state.resetAt, options.timeZone)}`;
    const total = `total ↓ ${bytesText(totalDown)} ↑ ${bytesText(totalUp)}${since}`;
    if (widthOf(now) + 3 + widthOf(total) <= width) top.push(plain(`${now}   ${total}`));
    else top.push(plain(now), plain(total));
  } else {
    top.push(plain(state.note || "waiting for the first snapshot…"));
  }
  const bottom = [...alertLines(state, width, height, options), statusLine(state, width, options)];
  const rows = rowsOf(state);
  const list = rows ?? [];
  const selected = selectedIndex(state, list);
  const detail = state.detail && selected >= 0 && !state.help
    ? ["─".repeat(width), ...list[selected].detail].map(plain)
    : [];
  const space = Math.max(0, height - top.length - bottom.length - detail.length);
  const middle: string[] = [];
  if (state.help) {
    middle.push(...HELP_LINES.map(plain));
  } else {
    const columns = layout(state.view, width);
    middle.push(styled(BOLD, header(columns)));
    if (rows === null) middle.push(plain("no process data (sluice run --processes)"));
    else if (snapshot === null) middle.push(plain(""));
    else if (list.length === 0) {
      middle.push(
        plain(state.filter ? `nothing matches "${state.filter}"` : `no ${state.view} yet`),
      );
    } else {
      const fit = Math.max(1, space - 1);
      const first = selected < fit ? 0 : selected - fit + 1;
      const threshold = thresholdOf(state);
      const showSelection = state.selected !== null || state.detail;
      list.slice(first, first + fit).forEach((row, i) => {
        const hot = row.down + row.up > threshold;
        const chosen = showSelection && first + i === selected;
        const style = (hot ? (options.color === false ? BOLD : HOT) : "") + (chosen ? REVERSE : "");
        const text = line(columns, row, hot);
        middle.push(style === "" ? plain(text) : styled(style, text));
      });
    }
  }
  const out = [...top, ...middle.slice(0, space)];
  while (out.length < height - bottom.length - detail.length) out.push("");
  out.push(...detail, ...bottom);
  // A terminal too short for it all keeps the top and the status line.
  return out.length <= height ? out : [...out.slice(0, height - 1), out[out.length - 1]];
}

/**
 * The text that draws `lines` over the previous frame: cursor home, each
 * line then erase-to-end-of-line, then erase below. No screen clear, so no
 * flicker.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(frameText(["a", "b"]), "\x1b[Ha\x1b[K\r\nb\x1b[K\x1b[J");
 * ```
 */
export function frameText(lines: readonly string[]): string {
  return "\x1b[H" + lines.map((l) => l + "\x1b[K").join("\r\n") + "\x1b[J";
}

interface Column {
  key: "mark" | "id" | "name" | "down" | "up" | "totalDown" | "totalUp" | "info";
  title: string;
  width: number;
  right?: boolean;
}

const NAME_TITLE = { devices: "DEVICE", processes: "PROCESS", apps: "APP" };
const INFO_TITLE = { devices: "TOP APP", processes: "PROTOCOLS", apps: "CATEGORY" };

/** The columns that fit `width`, the name (and info) taking what is left. */
function layout(view: TopState["view"], width: number): Column[] {
  const wanted: Column[] = [
    { key: "name", title: NAME_TITLE[view], width: 10 },
    { key: "down", title: "DOWN", width: 10, right: true },
    { key: "up", title: "UP", width: 10, right: true },
    ...(view === "processes" ? [{ key: "id", title: "PID", width: 7, right: true } as Column] : []),
    { key: "totalDown", title: "TOTAL ↓", width: 9, right: true },
    { key: "totalUp", title: "TOTAL ↑", width: 9, right: true },
    { key: "info", title: INFO_TITLE[view], width: 8 },
  ];
  const used = (cols: Column[]) => cols.reduce((n, c) => n + c.width + 1, 1); // "!" and gaps
  while (wanted.length > 1 && used(wanted) > width) wanted.pop();
  const extra = Math.max(0, width - used(wanted));
  const info = wanted.find((c) => c.key === "info");
  const name = wanted[0];
  // The name up to 32 columns, then the info the rest.
  const toInfo = info ? Math.max(Math.min(extra, 8), extra - (32 - name.width)) : 0;
  if (info) info.width += toInfo;
  name.width = Math.max(1, name.width + extra - toInfo);
  const order: Column["key"][] = ["id", "name", "down", "up", "totalDown", "totalUp", "info"];
  return [
    { key: "mark", title: " ", width: 1 },
    ...wanted.sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key)),
  ];
}

function header(columns: Column[]): string {
  return columns.map((c) => cell(c.title, c.width, c.right)).join(" ");
}

function line(columns: Column[], row: TopRow, hot: boolean): string {
  const value = (c: Column): string => {
    switch (c.key) {
      case "mark":
        return hot ? "!" : " ";
      case "id":
        return row.id;
      case "name":
        return row.name;
      case "down":
        return rateText(row.down);
      case "up":
        return rateText(row.up);
      case "totalDown":
        return bytesText(row.totalDown);
      case "totalUp":
        return bytesText(row.totalUp);
      case "info":
        return row.info;
    }
  };
  return columns.map((c) => cell(value(c), c.width, c.right)).join(" ");
}

/** The alert panel: "alerts: none", or a heading and as many as fit (3 at most). */
function alertLines(
  state: TopState,
  width: number,
  height: number,
  options: ScreenOptions,
): string[] {
  const alerts = state.shown?.alerts ?? [];
  if (alerts.length === 0) return [cell("alerts: none", width)];
  const room = height >= 16 ? 3 : 1;
  const shown = alerts.slice(0, alerts.length > room ? room - 1 : room);
  const more = alerts.length - shown.length;
  return [
    HOT + cell(`alerts (${alerts.length}):`, width) + RESET,
    ...shown.map((a) =>
      cell(`  ${clockText(a.since, options.timeZone)} ${printable(a.message)}`, width)
    ),
    ...(more > 0 ? [cell(`  … and ${more} more`, width)] : []),
  ];
}

/** The last line, in reverse video: threshold, view, filter, time and state; or the filter prompt. */
function statusLine(state: TopState, width: number, options: ScreenOptions): string {
  if (state.editing !== null) {
    return REVERSE + cell(`filter: ${state.editing}█  Enter applies, Esc cancels`, width) + RESET;
  }
  const parts = [
    `threshold ${thresholdText(thresholdOf(state))}`,
    `view ${state.view}`,
    ...(state.filter ? [`filter: ${state.filter}`] : []),
    ...(state.shown ? [clockText(state.shown.time, options.timeZone)] : []),
    ...(state.paused ? ["STOPPED (s starts)"] : []),
    ...(state.note ? [state.note] : []),
    "h help  q quit",
  ];
  // What does not fit is left out whole, not cut in the middle.
  let text = "";
  for (const part of parts) {
    const next = text === "" ? part : `${text}  ${part}`;
    if (widthOf(next) <= width) text = next;
  }
  return REVERSE + cell(text || parts[0], width) + RESET;
}
