/**
 * What `sluice top` shows and how keys change it: the view, the alert
 * threshold, start/stop, the reset baseline, the filter being typed, the
 * selected row and the panes. Pure: snapshots and keys in, a new state out.
 *
 * @module
 */
import type { Key } from "./keys.ts";
import {
  type Baseline,
  baselineOf,
  type TopRow,
  type TopSnapshot,
  type View,
  viewRows,
  VIEWS,
} from "./rows.ts";

/** The alert thresholds `t` goes through, bytes/s (down + up). */
export const THRESHOLDS: readonly number[] = [512_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000];

/** The state of the screen. */
export interface TopState {
  view: View;
  /** Index in {@linkcode THRESHOLDS}. */
  threshold: number;
  /** Stopped: the screen keeps the snapshot it had. */
  paused: boolean;
  filter: string;
  /** The filter being typed after `/`, null when not typing. */
  editing: string | null;
  /** The selected row's key; null: the first row. */
  selected: string | null;
  detail: boolean;
  help: boolean;
  /** The newest snapshot. */
  latest: TopSnapshot | null;
  /** The snapshot on screen: the newest, or the one held when stopped. */
  shown: TopSnapshot | null;
  baseline: Baseline;
  /** Epoch ms (snapshot time) of the last reset, null for none. */
  resetAt: number | null;
  /** A word from the source ("end of capture", "reconnecting…"), "" for none. */
  note: string;
}

/**
 * A fresh state: devices, 1 MB/s, running.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(initialState().view, "devices");
 * ```
 */
export function initialState(view: View = "devices", threshold = 1): TopState {
  return {
    view,
    threshold,
    paused: false,
    filter: "",
    editing: null,
    selected: null,
    detail: false,
    help: false,
    latest: null,
    shown: null,
    baseline: new Map(),
    resetAt: null,
    note: "",
  };
}

/**
 * The state with a new snapshot: shown at once unless stopped.
 *
 * @example
 * ```ts ignore
 * state = withSnapshot(state, snapshot);
 * ```
 */
export function withSnapshot(state: TopState, snapshot: TopSnapshot): TopState {
  return { ...state, latest: snapshot, shown: state.paused ? state.shown : snapshot };
}

/** The threshold in bytes/s. */
export function thresholdOf(state: TopState): number {
  return THRESHOLDS[state.threshold];
}

/**
 * The rows on screen (filtered, totals since the reset); null for a
 * processes view without process data, [] before the first snapshot.
 *
 * @example
 * ```ts ignore
 * const rows = rowsOf(state) ?? [];
 * ```
 */
export function rowsOf(state: TopState): TopRow[] | null {
  if (state.shown === null) return [];
  return viewRows(state.shown, state.view, state.baseline, state.filter);
}

/** Index of the selected row in `rows` (0 when it is gone), -1 when there are none. */
export function selectedIndex(state: TopState, rows: readonly TopRow[]): number {
  if (rows.length === 0) return -1;
  const found = rows.findIndex((r) => r.key === state.selected);
  return found < 0 ? 0 : found;
}

/** What a key did: the new state, and whether to quit. */
export interface KeyOutcome {
  state: TopState;
  quit: boolean;
}

/**
 * Applies one key press. `page` is how many rows a Page Up/Down moves.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const { state } = applyKey(initialState(), { kind: "char", char: "t" });
 * assertEquals(state.threshold, 2);
 * ```
 */
export function applyKey(state: TopState, key: Key, page = 10): KeyOutcome {
  const done = (s: TopState, quit = false): KeyOutcome => ({ state: s, quit });
  if (key.kind === "interrupt") return done(state, true);
  if (state.editing !== null) return done(typing(state, key));
  if (state.help) {
    const quit = key.kind === "char" && key.char === "q";
    return done({ ...state, help: false }, quit);
  }
  if (key.kind === "char") {
    switch (key.char) {
      case "q":
      case "Q":
        return done(state, true);
      case "s":
      case " ":
        // Starting again shows the newest at once.
        return done({ ...state, paused: !state.paused, shown: state.latest });
      case "r":
        return done(reset(state));
      case "t":
        return done({ ...state, threshold: (state.threshold + 1) % THRESHOLDS.length });
      case "v": {
        const view = VIEWS[(VIEWS.indexOf(state.view) + 1) % VIEWS.length];
        return done({ ...state, view, selected: null, detail: false });
      }
      case "/":
        return done({ ...state, editing: state.filter });
      case "h":
      case "?":
        return done({ ...state, help: true });
      case "k":
        return done(move(state, -1));
      case "j":
        return done(move(state, 1));
    }
    return done(state);
  }
  switch (key.kind) {
    case "eof":
      return done(state, true);
    case "up":
      return done(move(state, -1));
    case "down":
      return done(move(state, 1));
    case "pageup":
      return done(move(state, -page));
    case "pagedown":
      return done(move(state, page));
    case "home":
      return done(move(state, -Infinity));
    case "end":
      return done(move(state, Infinity));
    case "enter":
      return done({ ...state, detail: !state.detail && (rowsOf(state)?.length ?? 0) > 0 });
    case "escape":
      // Closes the detail first, then clears the filter.
      return done(state.detail ? { ...state, detail: false } : { ...state, filter: "" });
  }
  return done(state);
}

function typing(state: TopState, key: Key): TopState {
  const text = state.editing ?? "";
  switch (key.kind) {
    case "enter":
      return { ...state, filter: text.trim(), editing: null, selected: null };
    case "escape":
      return { ...state, editing: null };
    case "backspace":
      return { ...state, editing: [...text].slice(0, -1).join("") };
    case "char":
      return text.length < 64 && key.char >= " " ? { ...state, editing: text + key.char } : state;
  }
  return state;
}

/** Totals count from now: every view's and the link's. */
function reset(state: TopState): TopState {
  const at = state.latest ?? state.shown;
  if (at === null) return state;
  return { ...state, baseline: baselineOf(at), resetAt: at.time };
}

function move(state: TopState, by: number): TopState {
  const rows = rowsOf(state) ?? [];
  if (rows.length === 0) return state;
  const index = Math.max(0, Math.min(rows.length - 1, selectedIndex(state, rows) + by));
  return { ...state, selected: rows[index].key };
}
