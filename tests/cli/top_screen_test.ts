// The `sluice top` screen as text: widths 80 and 40, the views, the panes,
// highlighting over the threshold, and the flicker-free frame.
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { frameText, renderScreen, type ScreenOptions } from "../../cli/top/screen.ts";
import { applyKey, initialState, type TopState, withSnapshot } from "../../cli/top/state.ts";
import type { Key } from "../../cli/top/keys.ts";
import { TOP_TIME, topSnapshot } from "./_top_snapshot.ts";

const OPTIONS: ScreenOptions = { source: "http://127.0.0.1:8080/", timeZone: "UTC" };

// deno-lint-ignore no-control-regex
const strip = (line: string) => line.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");

function screen(state: TopState, columns: number, rows = 12, options = OPTIONS): string[] {
  return renderScreen(state, { columns, rows }, options).map(strip);
}

function pressed(state: TopState, ...keys: (string | Key)[]): TopState {
  for (const k of keys) {
    state = applyKey(state, typeof k === "string" ? { kind: "char", char: k } : k).state;
  }
  return state;
}

const running = () => withSnapshot(initialState(), topSnapshot());

Deno.test("renderScreen() lays out the devices at 80 columns", () => {
  assertEquals(screen(running(), 80), [
    "sluice top: http://127.0.0.1:8080/                                              ",
    "link ↓ 12.5 MB/s ↑ 9.4 kB/s   total ↓ 187.8 MB ↑ 122.1 kB                       ",
    "  DEVICE                    DOWN         UP   TOTAL ↓   TOTAL ↑ TOP APP         ",
    "! desktop-1            12.5 MB/s   6.4 kB/s  187.7 MB   88.6 kB Steam Downloads ",
    "  cam                   5.2 kB/s   2.1 kB/s   55.1 kB   24.1 kB Ring            ",
    "  hub                   4.1 kB/s    939 B/s   41.1 kB    9.4 kB Philips Hue     ",
    "",
    "",
    "",
    "",
    "alerts: none                                                                    ",
    "threshold 1 MB/s  view devices  19:00:15  h help  q quit                        ",
  ]);
});

Deno.test("renderScreen() keeps names and rates at 40 columns, totals on their own line", () => {
  assertEquals(screen(running(), 40), [
    "sluice top: http://127.0.0.1:8080/      ",
    "link ↓ 12.5 MB/s ↑ 9.4 kB/s             ",
    "total ↓ 187.8 MB ↑ 122.1 kB             ",
    "  DEVICE                 DOWN         UP",
    "! desktop-1         12.5 MB/s   6.4 kB/s",
    "  cam                5.2 kB/s   2.1 kB/s",
    "  hub                4.1 kB/s    939 B/s",
    "",
    "",
    "",
    "alerts: none                            ",
    "threshold 1 MB/s  view devices  19:00:15",
  ]);
});

Deno.test("renderScreen() gives exactly the terminal's rows, none wider than its columns", () => {
  const alerts = [1, 2, 3, 4, 5].map((n) => ({
    key: `a${n}`,
    kind: "quota",
    deviceId: null,
    message: `alert number ${n} with a long message that will not fit in forty columns`,
    since: TOP_TIME,
  }));
  const state = pressed(withSnapshot(initialState(), topSnapshot({ alerts })), { kind: "down" }, {
    kind: "enter",
  });
  for (const [columns, rows] of [[80, 24], [40, 12], [120, 40], [20, 5], [18, 3]]) {
    const lines = screen(state, columns, rows);
    assertEquals(lines.length, rows, `${columns}x${rows}`);
    for (const l of lines) assert([...l].length <= columns, `${columns}x${rows}: ${l}`);
    assertStringIncludes(lines[rows - 1], "threshold", `${columns}x${rows}: the status line`);
  }
});

Deno.test("renderScreen() highlights rows over the threshold in colour, the selection in reverse", () => {
  const raw = renderScreen(running(), { columns: 80, rows: 12 }, OPTIONS);
  assert(raw[3].startsWith("\x1b[1;31m! desktop-1"), raw[3]);
  assert(!raw[4].includes("\x1b["), "cam is under the threshold");
  const selected = renderScreen(
    pressed(running(), { kind: "down" }),
    { columns: 80, rows: 12 },
    OPTIONS,
  );
  assert(selected[4].startsWith("\x1b[7m  cam"), selected[4]);
  const plain = renderScreen(running(), { columns: 80, rows: 12 }, { ...OPTIONS, color: false });
  assert(plain[3].startsWith("\x1b[1m! desktop-1"), "NO_COLOR: bold only");
  assert(raw.at(-1)!.startsWith("\x1b[7mthreshold"), "the status line in reverse video");
});

Deno.test("renderScreen() shows the apps view with categories, and processes when there are some", () => {
  const apps = screen(pressed(running(), "v", "v"), 80);
  assertEquals(
    apps[2],
    "  APP                       DOWN         UP   TOTAL ↓   TOTAL ↑ CATEGORY        ",
  );
  assertEquals(
    apps[3],
    "! Steam Downloads      12.5 MB/s   5.4 kB/s  187.7 MB   81.3 kB Downloads       ",
  );
  assertStringIncludes(apps.at(-1)!, "view apps");
  const none = screen(pressed(running(), "v"), 80);
  assertEquals(none[3].trim(), "no process data (sluice run --processes)");
  const processes = topSnapshot({
    processes: [
      {
        pid: null,
        name: "unknown",
        command: null,
        down: 10,
        up: 5,
        totalDown: 100,
        totalUp: 50,
        protocols: ["ICMP"],
      },
      {
        pid: 4242,
        name: "steam",
        command: "/usr/bin/steam -silent",
        down: 2_000_000,
        up: 10_000,
        totalDown: 9e6,
        totalUp: 4e4,
        protocols: ["TCP", "UDP"],
      },
    ],
  });
  const lines = screen(pressed(withSnapshot(initialState(), processes), "v"), 80);
  assertEquals(
    lines[2],
    "      PID PROCESS           DOWN         UP   TOTAL ↓   TOTAL ↑ PROTOCOLS       ",
  );
  assertEquals(
    lines[3],
    "!    4242 steam         2.0 MB/s  10.0 kB/s    9.0 MB   40.0 kB TCP,UDP         ",
  );
  assertEquals(
    lines[4],
    "        - unknown         10 B/s      5 B/s     100 B      50 B ICMP            ",
  );
});

Deno.test("renderScreen() shows the detail pane of the selected row", () => {
  const lines = screen(pressed(running(), { kind: "enter" }), 80, 16);
  assertEquals(lines.slice(8, 13).map((l) => l.trimEnd()), [
    "desktop-1 (mac:f4:8e:38:c6:17:2a)",
    "addresses: 192.168.1.42; MAC f4:8e:38:c6:17:2a",
    "vendor: Dell Inc.",
    "state: limited, priority normal (limit ↓ 2.5 MB/s)",
    "reason: quota 20 GB/day reached",
  ]);
  assertEquals(lines[13].trimEnd(), "top app: Steam Downloads; today 187.8 MB");
});

Deno.test("renderScreen() shows alerts, the help, the filter prompt and a stopped screen", () => {
  const alert = {
    key: "q",
    kind: "quota",
    deviceId: null,
    message: "desktop-1 used its quota",
    since: TOP_TIME - 60_000,
  };
  const alerted = screen(withSnapshot(initialState(), topSnapshot({ alerts: [alert] })), 80);
  assertEquals(alerted.slice(-3, -1).map((l) => l.trimEnd()), [
    "alerts (1):",
    "  18:59:15 desktop-1 used its quota",
  ]);
  const help = screen(pressed(running(), "h"), 80, 20);
  assertEquals(help[2].trimEnd(), "Keys");
  assertStringIncludes(help.join("\n"), "q         quit (Ctrl-C too)");
  const typing = screen(pressed(running(), "/", "c", "a"), 80);
  assertEquals(typing.at(-1)!.trimEnd(), "filter: ca█  Enter applies, Esc cancels");
  const filtered = screen(pressed(running(), "/", "c", "a", { kind: "enter" }), 80);
  assertEquals(filtered.slice(3, 5).map((l) => l.trim().split(/\s+/)[0]), ["cam", ""]);
  assertStringIncludes(filtered.at(-1)!, "filter: ca");
  const nothing = screen(pressed(running(), "/", "z", "z", { kind: "enter" }), 80);
  assertEquals(nothing[3].trim(), `nothing matches "zz"`);
  const stopped = screen(pressed(running(), "s", "t"), 80);
  assertEquals(
    stopped.at(-1)!.trimEnd(),
    "threshold 2 MB/s  view devices  19:00:15  STOPPED (s starts)  h help  q quit",
  );
  const waiting = screen(initialState(), 40);
  assertEquals(waiting[1].trimEnd(), "waiting for the first snapshot…");
});

Deno.test("renderScreen() shows totals since a reset", () => {
  let state = pressed(running(), "r");
  const later = topSnapshot({ time: TOP_TIME + 1000 });
  later.link = {
    ...later.link,
    totalDown: later.link.totalDown + 12_500_000,
    totalUp: later.link.totalUp + 9_000,
  };
  later.devices[0] = { ...later.devices[0], totalDown: later.devices[0].totalDown + 12_500_000 };
  state = withSnapshot(state, later);
  const lines = screen(state, 80);
  assertEquals(
    lines[1].trimEnd(),
    "link ↓ 12.5 MB/s ↑ 9.4 kB/s   total ↓ 12.5 MB ↑ 9.0 kB since 19:00:15",
  );
  assertStringIncludes(lines[3], "12.5 MB       0 B Steam Downloads");
});

Deno.test("frameText() redraws in place: home, each line cleared to its end, then below", () => {
  const text = frameText(["one", "two"]);
  assertEquals(text, "\x1b[Hone\x1b[K\r\ntwo\x1b[K\x1b[J");
  assert(!text.includes("\x1b[2J"), "no full clear: no flicker");
});
