// What keys do to `sluice top`'s state: threshold, views, start/stop, reset,
// the filter being typed, the selection, the panes and quitting.
import { assert, assertEquals } from "@std/assert";
import type { Key } from "../../cli/top/keys.ts";
import {
  applyKey,
  initialState,
  rowsOf,
  thresholdOf,
  THRESHOLDS,
  type TopState,
  withSnapshot,
} from "../../cli/top/state.ts";
import { TOP_TIME, topSnapshot } from "./_top_snapshot.ts";

const char = (c: string): Key => ({ kind: "char", char: c });

function press(state: TopState, ...keys: (string | Key)[]): TopState {
  for (const k of keys) state = applyKey(state, typeof k === "string" ? char(k) : k).state;
  return state;
}

const running = () => withSnapshot(initialState(), topSnapshot());

Deno.test("applyKey() t cycles the threshold through 512 kB/s, 1, 2, 5 and 10 MB/s", () => {
  let state = initialState();
  const seen = [thresholdOf(state)];
  for (let i = 0; i < 5; i++) seen.push(thresholdOf(state = press(state, "t")));
  assertEquals(seen, [1e6, 2e6, 5e6, 10e6, 512_000, 1e6]);
  assertEquals(THRESHOLDS.length, 5);
});

Deno.test("applyKey() v goes devices, processes, apps and back, closing the detail", () => {
  let state = press(running(), { kind: "enter" });
  assert(state.detail);
  const views = [];
  for (let i = 0; i < 3; i++) views.push((state = press(state, "v")).view);
  assertEquals(views, ["processes", "apps", "devices"]);
  assertEquals(state.detail, false);
  assertEquals(rowsOf(press(state, "v")), null, "no process data");
});

Deno.test("applyKey() s holds the screen while snapshots come, and shows the newest on start", () => {
  let state = press(running(), "s");
  const later = topSnapshot({ time: TOP_TIME + 1000 });
  state = withSnapshot(state, later);
  assertEquals([state.paused, state.shown?.time, state.latest?.time], [
    true,
    TOP_TIME,
    TOP_TIME + 1000,
  ]);
  state = press(state, "s");
  assertEquals([state.paused, state.shown?.time], [false, TOP_TIME + 1000]);
});

Deno.test("applyKey() r counts totals from the moment of the reset", () => {
  let state = press(running(), "r");
  assertEquals(state.resetAt, TOP_TIME);
  assertEquals(rowsOf(state)!.map((r) => [r.totalDown, r.totalUp]), [[0, 0], [0, 0], [0, 0]]);
  const later = topSnapshot({ time: TOP_TIME + 1000 });
  later.devices[1] = { ...later.devices[1], totalDown: later.devices[1].totalDown + 5208 };
  later.apps[0] = { ...later.apps[0], totalUp: later.apps[0].totalUp + 5400 };
  state = withSnapshot(state, later);
  assertEquals(rowsOf(state)!.map((r) => r.totalDown), [0, 5208, 0]);
  assertEquals(rowsOf(press(state, "v", "v"))![0].totalUp, 5400, "apps too");
  // A restarted Sluice counts from zero: its totals are shown as they are.
  const restarted = topSnapshot({ time: TOP_TIME + 2000 });
  restarted.devices[0] = { ...restarted.devices[0], totalDown: 1000 };
  assertEquals(rowsOf(withSnapshot(state, restarted))![0].totalDown, 1000);
});

Deno.test("applyKey() / types a filter: Enter applies it, Esc cancels, Backspace erases", () => {
  let state = press(running(), "/", "h", "u", "x", { kind: "backspace" });
  assertEquals([state.editing, state.filter], ["hu", ""]);
  assertEquals(rowsOf(state)!.length, 3, "not applied while typing");
  state = press(state, "q", { kind: "escape" });
  assertEquals([state.editing, state.filter], [null, ""], "q was typed, Esc cancelled");
  state = press(state, "/", "C", "A", "M", { kind: "enter" });
  assertEquals(state.filter, "CAM");
  assertEquals(rowsOf(state)!.map((r) => r.name), ["cam"]);
  assertEquals(
    rowsOf(
      press(
        state,
        "/",
        { kind: "backspace" },
        { kind: "backspace" },
        { kind: "backspace" },
        "192.168.1.73",
        { kind: "enter" },
      ),
    )!.map((r) => r.name),
    ["hub"],
    "by address",
  );
  assertEquals(press(state, { kind: "escape" }).filter, "", "Esc clears it");
});

Deno.test("applyKey() moves the selection with the arrows and keeps it on its row", () => {
  let state = press(running(), { kind: "down" }, { kind: "down" }, { kind: "down" });
  assertEquals(state.selected, "mac:ec:b5:fa:1d:6e:40", "stops at the last row");
  state = press(state, { kind: "up" });
  assertEquals(state.selected, "mac:54:e0:19:a2:5c:3d");
  assertEquals(press(state, { kind: "home" }).selected, "mac:f4:8e:38:c6:17:2a");
  assertEquals(press(state, { kind: "end" }).selected, "mac:ec:b5:fa:1d:6e:40");
  state = press(state, { kind: "enter" });
  assert(state.detail);
  assertEquals(press(state, { kind: "escape" }).detail, false);
});

Deno.test("applyKey() h shows the help until any key; q, Ctrl-C and EOF quit", () => {
  const help = press(running(), "h");
  assert(help.help);
  const closed = applyKey(help, char("t"));
  assertEquals([closed.state.help, closed.state.threshold, closed.quit], [false, 1, false]);
  assert(applyKey(help, char("q")).quit);
  assert(applyKey(running(), char("q")).quit);
  assert(applyKey(running(), { kind: "interrupt" }).quit);
  assert(applyKey(press(running(), "/"), { kind: "interrupt" }).quit, "even while typing");
  assert(applyKey(running(), { kind: "eof" }).quit);
  assertEquals(applyKey(running(), char("x")).quit, false);
});
