// Issue 10's proof for `sluice top`: driven as a user would, in tmux
// (send-keys, capture-pane), against a running `sluice demo` of the flat
// scenario: the table shows its devices, keys act, and on q the terminal is
// back as it was (main screen, canonical mode and echo). Polls the pane with
// a deadline; never sleeps to assert.
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { printedLogin, spawnDeno, webSession } from "../_web_login.ts";
import { hasCommand, requireSystem, skipUnless } from "../_system.ts";
import { FLAT } from "../sim/_flat.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const HAS_TMUX = hasCommand("tmux");

/** tmux on a server of our own, so a user's sessions are never touched. */
function tmux(socket: string, ...args: string[]): Promise<Deno.CommandOutput> {
  return new Deno.Command("tmux", {
    args: ["-L", socket, ...args],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
}

async function pane(socket: string): Promise<string> {
  const out = await tmux(socket, "capture-pane", "-p", "-t", "top");
  return new TextDecoder().decode(out.stdout);
}

/** Polls the pane until `test` holds; fails with the pane's text at the deadline. */
async function until(socket: string, what: string, test: (text: string) => boolean, ms = 30_000) {
  const deadline = Date.now() + ms;
  let text = "";
  while (Date.now() < deadline) {
    text = await pane(socket);
    if (test(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the pane never showed ${what}:\n${text}`);
}

async function keys(socket: string, ...keys: string[]) {
  const out = await tmux(socket, "send-keys", "-t", "top", ...keys);
  assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
}

/** A demo of the flat scenario with its web API, and an API token from it. */
async function startDemo(tmp: string) {
  const scenario = `${tmp}/flat.json`;
  await Deno.writeTextFile(scenario, JSON.stringify(FLAT));
  const { child, stdout, stderr } = spawnDeno([
    "run",
    "-A",
    "main.ts",
    "demo",
    scenario,
    "--speed",
    "2",
    "--listen",
    "127.0.0.1:0",
  ], tmp);
  const { password, url } = await printedLogin(stderr);
  const { cookie, csrf } = await webSession(url, password);
  const made = await fetch(`${url}api/v1/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, "x-csrf-token": csrf },
    body: JSON.stringify({ name: "top test" }),
  });
  assertEquals(made.status, 201);
  const { token } = await made.json();
  assertMatch(token, /^sluice_[\w-]+$/);
  const stop = async () => {
    child.kill("SIGINT");
    await child.status;
    await Promise.all([stdout.ended, stderr.ended]);
  };
  return { url, token, stop };
}

Deno.test({
  name:
    "sluice top in tmux shows a running demo's devices, acts on v, t, / and q, and restores the terminal",
  ignore: skipUnless(HAS_TMUX, "tmux"),
  async fn() {
    requireSystem(HAS_TMUX, "tmux");
    const tmp = await Deno.makeTempDir({ prefix: "sluice-top-test-" });
    const socket = `sluice-top-test-${Deno.pid}`;
    const demo = await startDemo(tmp);
    try {
      const stty = `${tmp}/stty.txt`;
      // After top, the pane stays (read) so the restored screen can be looked at.
      const script =
        `cd '${ROOT}' && '${Deno.execPath()}' run -A main.ts top --url '${demo.url}' ` +
        `--token '${demo.token}'; echo "top exited $?"; stty -a > '${stty}'; read`;
      const started = await tmux(
        socket,
        "new-session",
        "-d",
        "-s",
        "top",
        "-x",
        "120",
        "-y",
        "40",
        `bash --norc --noprofile -c ${shellQuote(script)}`,
      );
      assertEquals(started.code, 0, new TextDecoder().decode(started.stderr));

      // The PC, by its DHCP name, downloading at 100 Mbit/s (12.5 MB/s), over 1 MB/s: marked.
      const devices = await until(
        socket,
        "desktop-1 at its rate",
        (t) => /^! desktop-1 +1[0-9]\.\d MB\/s/m.test(t),
      );
      assertMatch(devices, /^ {2}DEVICE +DOWN +UP +TOTAL ↓ +TOTAL ↑ +TOP APP/m);
      assertMatch(devices, /^ {2}(cam|hub) /m);
      assertMatch(devices, /^threshold 1 MB\/s {2}view devices {2}\d\d:\d\d:\d\d/m);
      assertStringIncludes(devices, "alerts: none");

      await keys(socket, "v");
      await until(socket, "the processes view", (t) => t.includes("no process data"));
      await keys(socket, "v");
      const apps = await until(socket, "Steam Downloads", (t) => /^! Steam Downloads /m.test(t));
      assertMatch(apps, /view apps/);

      await keys(socket, "t");
      await until(
        socket,
        "the 2 MB/s threshold",
        (t) => /^threshold 2 MB\/s {2}view apps/m.test(t),
      );

      await keys(socket, "/");
      await keys(socket, "-l", "ring");
      await until(socket, "the filter prompt", (t) => t.includes("filter: ring█"));
      await keys(socket, "Enter");
      const filtered = await until(
        socket,
        "the filtered apps",
        (t) => /^ {2}Ring /m.test(t) && t.includes("filter: ring  "),
      );
      assert(!filtered.includes("Steam Downloads"), filtered);

      await keys(socket, "q");
      const after = await until(socket, "the shell after top", (t) => t.includes("top exited"));
      assertMatch(after, /top exited 0/);
      // The alternate screen is gone: nothing of top's table is on the pane.
      assert(!after.includes("threshold") && !after.includes("DEVICE"), after);
      const modes = await pollFile(stty);
      assertMatch(modes, /(^|\s)icanon(\s|$)/m, "canonical mode back on");
      assertMatch(modes, /(^|\s)echo(\s|$)/m, "echo back on");
    } finally {
      await tmux(socket, "kill-server");
      await demo.stop();
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

/** The file's text once it has some, polled with a deadline. */
async function pollFile(path: string, ms = 10_000): Promise<string> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const text = await Deno.readTextFile(path);
      if (text.includes("icanon")) return text;
    } catch { /* not yet */ }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${path} was never written`);
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
