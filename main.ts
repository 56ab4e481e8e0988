/**
 * Sluice: a bandwidth monitor and auto-throttler for home and small-office
 * gateways. This is the one command-line entry: `sluice <command>`.
 *
 * @module
 */
import { RUN_HELP, runCommand } from "./cli/run.ts";
import { REPORT_HELP, reportCommand } from "./cli/report.ts";
import { DEVICES_HELP, devicesCommand } from "./cli/devices.ts";
import { FORECAST_HELP, forecastCommand } from "./cli/forecast.ts";
import { CaptureError, LibpcapUnavailableError, libpcapVersion } from "./capture/mod.ts";
import { INTERFACES_HELP, interfacesCommand } from "./cli/interfaces.ts";
import { REPLAY_HELP, replayCommand } from "./cli/replay.ts";
import { EXPLAIN_HELP, explainCommand } from "./cli/explain.ts";
import { OVERRIDE_HELP, overrideCommand } from "./cli/override.ts";
import { SHAPER_HELP, shaperCommand } from "./cli/shaper_command.ts";
import { SIM_HELP, simCommand } from "./cli/sim.ts";
import { DEMO_HELP, demoCommand } from "./cli/demo.ts";
import { PASSWD_HELP, passwdCommand } from "./cli/passwd.ts";
import { INSTALL_HELP, installCommand, UNINSTALL_HELP, uninstallCommand } from "./cli/install.ts";
import { DOCTOR_HELP, doctorCommand } from "./cli/doctor.ts";
import { TOP_HELP, topCommand } from "./cli/top/top_command.ts";
import { UsageError } from "./cli/usage_error.ts";
import { VERSION } from "./cli/version.ts";

const HELP = `sluice ${VERSION}: watch a network's traffic, per device and per flow

Usage: sluice <command> [options]

Commands:
  replay FILE     read a pcap/pcapng capture and report its flows
  run --iface IF   monitor an interface live, keeping each device's usage in history,
                   with the web UI and API at http://127.0.0.1:8080/ (--listen)
  report          rank devices and apps by usage over a day, week, month or range
  devices         list known devices; label, unlabel or forget one
  forecast        expected usage by hour of the day, and when a quota is reached
  explain DEVICE  what the policy wants for a device, why, and its last decisions
  override DEVICE ACTION  block, limit, prioritise or allow a device now, for a while
  shaper status|reset  what the shaper applied on an interface; remove all of it
  sim SCENARIO         run a simulated network through the engine (family, office, stress)
  demo [SCENARIO]      watch a simulated home network in real time (or --speed N), no root
                       needed, in the terminal and the web UI
  passwd [USER]   set a web user's password, or create the user
  interfaces      list capture devices and their addresses
  install, uninstall  run Sluice at boot as a systemd service (Linux, root); remove it
  top             a live full-screen view in the terminal: devices, processes or apps
                  (of a running Sluice, an interface or a capture file); --raw for scripts
  doctor          check this machine for "sluice run" and say what to fix
  help [COMMAND]  this help, or a command's
  version         print the versions of Sluice, Deno and libpcap

Run "sluice <command> --help" for a command's options.`;

interface Command {
  help: string;
  run: (argv: string[]) => Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  replay: { help: REPLAY_HELP, run: replayCommand },
  interfaces: { help: INTERFACES_HELP, run: interfacesCommand },
  report: { help: REPORT_HELP, run: reportCommand },
  devices: { help: DEVICES_HELP, run: devicesCommand },
  forecast: { help: FORECAST_HELP, run: forecastCommand },
  run: { help: RUN_HELP, run: runCommand },
  explain: { help: EXPLAIN_HELP, run: explainCommand },
  override: { help: OVERRIDE_HELP, run: overrideCommand },
  shaper: { help: SHAPER_HELP, run: shaperCommand },
  sim: { help: SIM_HELP, run: simCommand },
  demo: { help: DEMO_HELP, run: (argv) => demoCommand(argv) },
  passwd: { help: PASSWD_HELP, run: (argv) => passwdCommand(argv) },
  install: { help: INSTALL_HELP, run: (argv) => installCommand(argv) },
  uninstall: { help: UNINSTALL_HELP, run: (argv) => uninstallCommand(argv) },
  doctor: { help: DOCTOR_HELP, run: (argv) => doctorCommand(argv) },
  top: { help: TOP_HELP, run: (argv) => topCommand(argv) },
};

/** Runs the command line and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    const topic = name === "help" ? COMMANDS[rest[0]] : undefined;
    console.log(topic ? topic.help : HELP);
    return 0;
  }
  if (name === "version" || name === "--version") {
    let pcap: string;
    try {
      pcap = libpcapVersion();
    } catch (err) {
      pcap = `no libpcap: ${(err as Error).message}`;
    }
    console.log(`sluice ${VERSION} (Deno ${Deno.version.deno}; ${pcap})`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`sluice: unknown command "${name}" (see sluice --help)`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(command.help);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(err.message); // already starts with "sluice <command>:"
      return 2;
    }
    if (err instanceof CaptureError || err instanceof LibpcapUnavailableError) {
      console.error(`sluice: ${err.message}`);
      return 2;
    }
    if (err instanceof Deno.errors.NotCapable) {
      console.error(`sluice: missing permission: ${err.message}`);
      return 2;
    }
    console.error(`sluice: internal error: ${err instanceof Error ? err.message : err}`);
    if (Deno.env.get("SLUICE_DEBUG")) console.error(err);
    return 1;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
