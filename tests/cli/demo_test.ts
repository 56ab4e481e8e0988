// `sluice demo`: a scenario paced against a (fake) wall clock through the real
// engine, with history in a temporary store that is gone at exit; and, as a
// user runs it, a real process that Ctrl-C stops cleanly.
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "@std/assert";
import { demoCommand, type DemoEffects } from "../../cli/demo.ts";
import { UsageError } from "../../cli/usage_error.ts";
import { printedLogin, spawnDeno, webSession } from "../_web_login.ts";

/** Effects whose clock moves only by its sleeps; `stopAfter` sleeps abort the run. */
function fakeEffects(stopAfter = Infinity) {
  const controller = new AbortController();
  const out: string[] = [], err: string[] = [];
  let wall = 0, sleeps = 0;
  const effects: DemoEffects = {
    clock: {
      now: () => wall,
      sleep: (ms) => {
        wall += ms;
        if (++sleeps >= stopAfter) controller.abort();
        return Promise.resolve();
      },
    },
    stop: controller.signal,
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  };
  return { effects, out, err, wall: () => wall };
}

async function demoDirs(tmp: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(tmp)) {
    if (e.name.startsWith("sluice-demo-")) names.push(e.name);
  }
  return names;
}

Deno.test("demoCommand() fast-forwards to --from, then paces at --speed and removes its store", async () => {
  const tmp = Deno.env.get("TMPDIR") ?? "/tmp";
  const before = await demoDirs(tmp);
  const { effects, out, err, wall } = fakeEffects();
  // The night is quiet until Anna's MacBook uploads its photos at 01:30.
  const code = await demoCommand(
    ["family", "--from", "01:29", "--until", "1h33m", "--speed", "60", "--no-web"],
    effects,
  );
  assertEquals(code, 0);
  assertStringIncludes(err.join("\n"), "fast-forwarding to 2026-11-20 00:29:00 UTC");
  assertStringIncludes(err.join("\n"), "running at 60× real time");
  assertStringIncludes(out.join("\n"), "Anna's MacBook uploads the day's photos to iCloud");
  // Four paced minutes, each closing with its busiest devices by name.
  const minutes = out.filter((l) => /^\d\d:\d\d link /.test(l));
  assertEquals(minutes.length, 4, minutes.join("\n"));
  assertMatch(minutes[2], /top: Anna's MacBook Air /);
  // 4 simulated minutes at 60× is 4 s on the wall clock, give or take a tick.
  assert(Math.abs(wall() - 4000) <= 100, `${wall()} ms`);
  assertStringIncludes(out.at(-1)!, "hash ");
  assertEquals(await demoDirs(tmp), before);
});

Deno.test("demoCommand() stops at the stop signal and summarises what ran", async () => {
  const { effects, out } = fakeEffects(50);
  assertEquals(await demoCommand(["family", "--speed", "10", "--no-web"], effects), 0);
  const summary = out.find((l) => l.includes("Family home (seed 1)")) ?? out.join("\n");
  // 50 sleeps of at most a tick each: the run ended within the first minute, not at 24 h.
  assertMatch(summary, /to 2026-11-19T23:00:\d\d\.000Z: /);
});

Deno.test("demoCommand() keeps history in --data", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice-demo-data-" });
  try {
    const { effects } = fakeEffects();
    const args = ["family", "--from", "01:29", "--until", "1h31m", "--speed", "1000"];
    assertEquals(await demoCommand([...args, "--data", dir, "--no-web"], effects), 0);
    const kv = await Deno.openKv(`${dir}/sluice.kv`);
    try {
      let keys = 0;
      for await (const _ of kv.list({ prefix: [] })) keys++;
      assert(keys > 20, `${keys} keys`);
    } finally {
      kv.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("demoCommand() refuses wrong options in one line", async () => {
  const cases: [string[], string][] = [
    [["--speed", "0"], "--speed must be a number above 0"],
    [["--speed", "fast"], "--speed must be a number above 0 and at most 1000000, got fast"],
    [["--from", "25:00"], '--from: "25:00" is not a time'],
    [["--from", "+2h", "--until", "1h"], "--from +2h is not before --until"],
    [["kitchen"], "scenario kitchen: not a shipped scenario"],
    [["--until", "0s"], "--until must be more than 0 s"],
    [
      ["--listen", "8080"],
      '--listen must be HOST:PORT (e.g. 127.0.0.1:8080 or [::1]:8080), got "8080"',
    ],
    [["--listen", "[::1]:70000"], "--listen must be HOST:PORT"],
    [["--tls-cert", "x.pem"], "--tls-cert and --tls-key go together"],
    [["--no-web", "--listen", "127.0.0.1:1"], "--listen goes with the web; drop --no-web"],
    [["--tls-cert", "/nonexistent.pem", "--tls-key", "k"], "--tls-cert /nonexistent.pem:"],
  ];
  for (const [argv, message] of cases) {
    const e = await assertRejects(() => demoCommand(argv, fakeEffects().effects), UsageError);
    assertStringIncludes((e as Error).message, `sluice demo: ${message}`);
  }
});

Deno.test("sluice demo serves the web UI, prints its login once, stops on Ctrl-C with a summary and leaves no temporary store", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "sluice-demo-test-" });
  try {
    const { child, stdout, stderr } = spawnDeno([
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-net",
      "main.ts",
      "demo",
      "--speed",
      "5",
      "--listen",
      "127.0.0.1:0",
    ], tmp);
    const { password, url } = await printedLogin(stderr);
    await stderr.line(/running at 5× real time/);
    assertEquals((await demoDirs(tmp)).length, 1, "the temporary store while running");
    const { cookie } = await webSession(url, password);
    const metrics = await fetch(`${url}metrics`, { headers: { cookie } });
    assertEquals(metrics.status, 200);
    assertStringIncludes(await metrics.text(), "sluice_link_bytes_total");
    child.kill("SIGINT");
    const status = await child.status;
    await Promise.all([stdout.ended, stderr.ended]);
    assertEquals(status.code, 0, stderr.text());
    assertMatch(stdout.text(), /Family home \(seed 1\), .*\nhash [0-9a-f]{64}/s);
    assertEquals(await demoDirs(tmp), []);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
