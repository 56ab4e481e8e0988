// `sluice demo`: a scenario in real time (or faster) through the real engine,
// the scenario's policy and the dry-run shaper, with history in a temporary
// KV store. Needs no root, no libpcap and no network.
import { scenarioTime } from "../sim/scenario.ts";
import { parseArgs } from "./args.ts";
import { openStore } from "./data_store.ts";
import { timeText } from "./decision_text.ts";
import { minuteLine } from "./minute_line.ts";
import { type PaceClock, Pacer, wallPaceClock } from "./pacer.ts";
import { scenarioArgument, seedOption, summaryText, untilOption } from "./sim.ts";
import { runSimulation } from "./sim_run.ts";
import { UsageError } from "./usage_error.ts";
import { simulatedWeb } from "./sim_web.ts";
import { startWeb, WEB_FLAGS, WEB_OPTIONS, WEB_OPTIONS_HELP, webSettings } from "./web_server.ts";
import { VERSION } from "./version.ts";

export const DEMO_HELP =
  `sluice demo [SCENARIO] [--speed N] [--from TIME] [--until DURATION] [--seed N] [--data DIR]
            [--listen HOST:PORT] [--no-web]

Shows Sluice at work without root, a gateway or libpcap: a simulated network
(the family home unless SCENARIO names another) runs in real time through the
real engine; its policy decides, and the dry-run shaper's limits and blocks
hold the simulated devices. Events, decisions and each minute's busiest
devices print as they happen. Ctrl-C stops and prints a summary.

The web UI shows it all live at http://127.0.0.1:8080/ (sign in as "admin"
with the password printed at start): watch the devices, throttle or block
one, edit the policy's rules, export a report.

SCENARIO is family (the default), office, stress or a scenario file (see
"sluice sim --help").

Options:
  --speed N           simulated seconds per real second (default 1; e.g. 10
                      or 60); a machine that cannot keep up runs as fast as
                      it can
  --from TIME         fast-forward to TIME, then run at --speed: "19:15" (a
                      time of day in the scenario's zone), "d1 07:00" (the
                      next day) or "+2h" (from the start); history from the
                      fast-forward is kept
  --until DURATION    stop this long after the scenario's start (default 24h)
  --seed N            another seed than the scenario's
  --data DIR          keep history, decisions and the shaper log in DIR for
                      "sluice report", "sluice explain" and the rest
                      (default: a temporary store, removed at exit)
${WEB_OPTIONS_HELP}
  -h, --help          this help

Example: sluice demo --from 19:15 --speed 10 (the 4K film, then Ben's 30 GB
download hitting its quota and being held to 20 Mbit/s).

Exit status: 0 when the run ends or is stopped, 2 for a wrong option or
scenario.`;

/** What `sluice demo` touches, given so tests run it without waiting or signals. */
export interface DemoEffects {
  clock: PaceClock;
  /** Aborts on Ctrl-C (or SIGTERM). */
  stop: AbortSignal;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** `sluice demo`: returns the exit code. */
export async function demoCommand(argv: string[], effects?: DemoEffects): Promise<number> {
  const command = "sluice demo";
  const args = parseArgs(argv, {
    command,
    options: ["speed", "from", "until", "seed", "data", ...WEB_OPTIONS],
    flags: WEB_FLAGS,
    positionals: { min: 0, max: 1, names: "SCENARIO" },
  });
  const scenario = await scenarioArgument(args.positionals[0] ?? "family", command);
  const speed = speedOption(args.options.get("speed"), command);
  const until = untilOption(args, command);
  const seed = seedOption(args, command);
  const fromText = args.options.get("from");
  let from = 0;
  if (fromText !== undefined) {
    try {
      from = scenarioTime(scenario, fromText, "--from");
    } catch (err) {
      throw new UsageError(`${command}: ${(err as Error).message}`);
    }
    if (from >= until) {
      throw new UsageError(`${command}: --from ${fromText} is not before --until`);
    }
  }
  const web = await webSettings(args, command);
  const data = args.options.get("data");
  const temporary = data === undefined
    ? await Deno.makeTempDir({ prefix: "sluice-demo-" })
    : undefined;
  let kv: Deno.Kv;
  try {
    kv = await openStore(data ?? temporary!, command);
  } catch (err) {
    if (temporary) await Deno.remove(temporary, { recursive: true });
    throw err;
  }
  const own = effects ? undefined : signals();
  const { clock, stop, out, err } = effects ?? {
    clock: wallPaceClock,
    stop: own!.signal,
    out: (line: string) => console.log(line),
    err: (line: string) => console.error(line),
  };
  const pacer = new Pacer(speed, clock, scenario.start + from);
  const names = new Map(scenario.devices.map((d) => [`mac:${d.mac.toLowerCase()}`, d.name]));
  err(`${command}: ${scenario.name}, ${scenario.devices.length} devices: ${scenario.description}`);
  err(`${command}: history in ${data ?? "a temporary store, removed at exit"}; Ctrl-C stops`);
  if (from > 0) {
    err(`${command}: fast-forwarding to ${timeText((scenario.start + from) * 1000)}`);
  }
  let warned = false, paced = false, simNow = (scenario.start + from) * 1000;
  const live = web &&
    simulatedWeb(kv, scenario, { now: () => simNow, data, version: VERSION });
  let server: Awaited<ReturnType<typeof startWeb>> | undefined;
  try {
    if (live) {
      server = await startWeb(web!, live.context, err, command);
      err(`${command}: web UI at ${server.url}`);
    }
    const summary = await runSimulation({
      web: live || undefined,
      scenario,
      until,
      seed,
      kv,
      signal: stop,
      print: out,
      onSecond: (second) => {
        simNow = (second + 1) * 1000;
      },
      onMinute: (start, monitor) => {
        if (pacer.pacing) out(minuteLine(monitor, start, (id) => names.get(id) ?? id));
      },
      pace: async (simTime) => {
        await pacer.wait(simTime, stop);
        if (!paced && pacer.pacing) {
          paced = true;
          err(`${command}: ${timeText(simTime * 1000)}, running at ${speed}× real time`);
        }
        if (pacer.slips > 0 && !warned) {
          warned = true;
          err(
            `${command}: this machine cannot keep up with --speed ${speed}; going as fast as it can`,
          );
        }
      },
    });
    out(summaryText(summary));
    return 0;
  } finally {
    await server?.close();
    own?.dispose();
    kv.close();
    if (temporary) await Deno.remove(temporary, { recursive: true });
  }
}

function speedOption(text: string | undefined, command: string): number {
  if (text === undefined) return 1;
  const speed = Number(text);
  if (text.trim() === "" || !Number.isFinite(speed) || speed <= 0 || speed > 1e6) {
    throw new UsageError(
      `${command}: --speed must be a number above 0 and at most 1000000, got ${text}`,
    );
  }
  return speed;
}

/** An abort signal raised by Ctrl-C (and SIGTERM off Windows). */
function signals(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  const kinds: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const kind of kinds) Deno.addSignalListener(kind, stop);
  return {
    signal: controller.signal,
    dispose: () => kinds.forEach((kind) => Deno.removeSignalListener(kind, stop)),
  };
}
