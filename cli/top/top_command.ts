/**
 * `sluice top`: the full-screen terminal view of a running Sluice (through
 * its API) or of a capture of its own (an interface or a file); or, with
 * --raw, lines for scripts.
 *
 * @module
 */
import { parseArgs, type ParsedArgs } from "../args.ts";
import { lanOption } from "../replay.ts";
import { UsageError } from "../usage_error.ts";
import { baseUrl, openApiSource } from "./api_source.ts";
import { openCaptureSource } from "./capture_source.ts";
import { decodeKeys } from "./keys.ts";
import { rawLines } from "./raw.ts";
import { type View, VIEWS } from "./rows.ts";
import { frameText, renderScreen } from "./screen.ts";
import type { SnapshotSource } from "./source.ts";
import { applyKey, initialState, THRESHOLDS, type TopState, withSnapshot } from "./state.ts";
import { processTerminal, type Terminal } from "./terminal.ts";

export const TOP_HELP =
  `sluice top [--url URL --token TOKEN | --iface IFACE | --file FILE [--fast]] [options]

A full-screen view of the traffic, refreshed every second: the link's rates
and totals, a table of devices (or processes, or apps) with their rates,
totals and top app (or category, or protocols), rows over the alert
threshold marked and highlighted, the active alerts, and a status line.

Where it comes from:
  --url URL           a running Sluice ("sluice run" or "sluice demo"), e.g.
                      http://127.0.0.1:8080/ (or SLUICE_URL), read through its
                      live stream (GET /api/v1/live) with an API token
  --token TOKEN       the API token (sluice_…; or SLUICE_TOKEN): made on the
                      settings page or with POST /api/v1/tokens; a viewer's does
  --iface IFACE       capture on an interface itself (needs capture rights)
  --file FILE         replay a pcap/pcapng file at its own pace
  --fast              with --file: as fast as it reads

Options:
  --view VIEW         devices (default), processes or apps
  --threshold RATE    the alert threshold: 512kB, 1MB (default), 2MB, 5MB or 10MB
                      (per second, down + up)
  --match TEXT        start with this filter (as "/" does)
  --lan CIDR,...      with --iface or --file: the LAN's subnets
  --filter BPF        with --iface or --file: only packets matching a BPF filter
  --raw               no screen: one tab-separated line per row per second,
                      "time view id name down up totalDown totalUp" (epoch ms,
                      bytes/s, bytes; the link first, as view "link"), until the
                      source ends or Ctrl-C
  -h, --help          this help

Keys: s stop/start, r reset statistics (totals from now), t next threshold,
v devices/processes/apps, / filter (Enter applies, Esc cancels), ↑ ↓ select,
Enter details, Esc close or clear the filter, h help, q quit (Ctrl-C too).
Works over SSH: plain ANSI, the terminal restored on exit.

Exit status: 0 on q, Ctrl-C or the end of --raw; 2 for a wrong option, an
unreachable URL, a refused token, a missing interface or file.`;

const COMMAND = "sluice top";

/** What `sluice top` touches besides its source, given so tests can run it. */
export interface TopEffects {
  terminal?: Terminal;
  /** Environment variables (SLUICE_URL, SLUICE_TOKEN, NO_COLOR). */
  env?: (name: string) => string | undefined;
  /** Prints a --raw line; default stdout. */
  out?: (line: string) => void;
}

/** `sluice top`: returns the exit code. */
export async function topCommand(argv: string[], effects: TopEffects = {}): Promise<number> {
  const args = parseArgs(argv, {
    command: COMMAND,
    options: ["url", "token", "iface", "file", "view", "threshold", "match", "lan", "filter"],
    flags: ["raw", "fast"],
  });
  const env = effects.env ?? ((name: string) => Deno.env.get(name));
  const view = choiceOf(args, "view", VIEWS, "devices");
  const threshold = thresholdOption(args.options.get("threshold"));
  const raw = args.flags.has("raw");
  const controller = new AbortController();
  let state: TopState = {
    ...initialState(view, threshold),
    filter: args.options.get("match") ?? "",
  };
  let closed = false, last = 0, timer: ReturnType<typeof setTimeout> | undefined, title = "";
  const draw = () => {
    const screen = terminal;
    if (!screen || timer !== undefined || closed) return;
    // At most 20 frames a second: a --fast replay sends far more snapshots.
    const wait = Math.max(0, last + 50 - performance.now());
    timer = setTimeout(() => {
      timer = undefined;
      last = performance.now();
      const lines = renderScreen(state, screen.size(), {
        source: title,
        color: env("NO_COLOR") === undefined,
      });
      screen.write(frameText(lines));
    }, wait);
  };
  const source = await openSource(args, env, !raw, (note) => {
    state = { ...state, note };
    draw();
  });
  title = source.name;
  let terminal: Terminal | undefined;
  try {
    terminal = effects.terminal ?? (raw ? undefined : ttyOrFail());
  } catch (err) {
    source.close();
    throw err;
  }
  const stop = () => controller.abort();
  const kinds: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  const resize = () => draw();
  if (effects.terminal === undefined) {
    for (const kind of kinds) Deno.addSignalListener(kind, stop);
    if (terminal && Deno.build.os !== "windows") Deno.addSignalListener("SIGWINCH", resize);
  }
  try {
    if (!terminal) {
      const out = effects.out ?? ((line: string) => console.log(line));
      const match = args.options.get("match") ?? "";
      for await (const snapshot of source.snapshots(controller.signal)) {
        for (const line of rawLines(snapshot, view, match)) out(line);
      }
      return 0;
    }
    terminal.enter();
    draw();
    const keys = (async () => {
      for await (const chunk of terminal.input(controller.signal)) {
        const page = Math.max(1, terminal.size().rows - 10);
        for (const key of decodeKeys(chunk)) {
          const outcome = applyKey(state, key, page);
          state = outcome.state;
          if (outcome.quit) stop();
        }
        draw();
      }
      stop(); // the keyboard is gone: nobody can press q
    })().catch(stop);
    for await (const snapshot of source.snapshots(controller.signal)) {
      state = withSnapshot(state, snapshot);
      draw();
    }
    if (!controller.signal.aborted) {
      state = { ...state, note: args.options.has("url") ? "the stream ended" : "end of capture" };
      draw();
      await Promise.race([
        keys,
        new Promise((resolve) => controller.signal.addEventListener("abort", resolve)),
      ]);
    }
    return 0;
  } finally {
    closed = true;
    clearTimeout(timer);
    controller.abort();
    terminal?.restore();
    source.close();
    if (effects.terminal === undefined) {
      for (const kind of kinds) Deno.removeSignalListener(kind, stop);
      if (terminal && Deno.build.os !== "windows") Deno.removeSignalListener("SIGWINCH", resize);
    }
  }
}

function openSource(
  args: ParsedArgs,
  env: (name: string) => string | undefined,
  screen: boolean,
  onNote: (note: string) => void,
): Promise<SnapshotSource> {
  const iface = args.options.get("iface"), file = args.options.get("file");
  const given = [args.options.has("url"), iface !== undefined, file !== undefined];
  if (given.filter(Boolean).length > 1) {
    throw new UsageError(`${COMMAND}: give one of --url, --iface and --file`);
  }
  if (args.flags.has("fast") && file === undefined) {
    throw new UsageError(`${COMMAND}: --fast goes with --file`);
  }
  if (iface !== undefined || file !== undefined) {
    if (args.options.has("token")) throw new UsageError(`${COMMAND}: --token goes with --url`);
    return openCaptureSource({
      iface,
      file,
      fast: args.flags.has("fast"),
      filter: args.options.get("filter"),
      lan: lanOption(args.options.get("lan"), COMMAND),
    }, COMMAND);
  }
  for (const name of ["lan", "filter"]) {
    if (args.options.has(name)) {
      throw new UsageError(`${COMMAND}: --${name} goes with --iface or --file`);
    }
  }
  const url = args.options.get("url") ?? env("SLUICE_URL");
  if (url === undefined || url === "") {
    throw new UsageError(
      `${COMMAND}: give --url URL (or SLUICE_URL), --iface IFACE or --file FILE`,
    );
  }
  const token = args.options.get("token") ?? env("SLUICE_TOKEN");
  if (token === undefined || token === "") {
    throw new UsageError(
      `${COMMAND}: --url needs an API token: --token sluice_… or SLUICE_TOKEN (settings page, or POST /api/v1/tokens)`,
    );
  }
  return openApiSource(baseUrl(url, COMMAND), token, COMMAND, { reconnect: screen, onNote });
}

function ttyOrFail(): Terminal {
  if (!Deno.stdin.isTerminal() || !Deno.stdout.isTerminal()) {
    throw new UsageError(`${COMMAND}: needs a terminal; for scripts and pipes use --raw`);
  }
  return processTerminal();
}

function choiceOf<T extends string>(
  args: ParsedArgs,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const text = args.options.get(name);
  if (text === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(text)) {
    throw new UsageError(`${COMMAND}: --${name} must be ${allowed.join(", ")}; got "${text}"`);
  }
  return text as T;
}

/** "512kB", "1MB", "2 MB/s" → its index in THRESHOLDS. */
export function thresholdOption(text: string | undefined): number {
  if (text === undefined) return 1;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(k|K|M)?B?(?:\/s)?\s*$/.exec(text);
  const bytes = m ? Number(m[1]) * (m[2] === "M" ? 1e6 : m[2] ? 1e3 : 1) : NaN;
  const index = THRESHOLDS.indexOf(bytes);
  if (index < 0) {
    throw new UsageError(
      `${COMMAND}: --threshold must be 512kB, 1MB, 2MB, 5MB or 10MB; got "${text}"`,
    );
  }
  return index;
}

export type { View };
