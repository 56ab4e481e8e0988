// `sluice doctor`: checks what `sluice run` needs from the machine and says
// what to fix, one line per check (the checks are in doctor_checks.ts).
import { parseArgs } from "./args.ts";
import { CONFIG_FILE, configLocation, mergeConfig, type RunConfig } from "./config.ts";
import {
  type CheckResult,
  CHECKS,
  type Context,
  type DoctorSystem,
  firstLine,
} from "./doctor_checks.ts";
import { realDoctorSystem } from "./doctor_system.ts";
import { DEFAULT_DATA } from "./report.ts";
import { DEFAULT_LISTEN } from "./web_server.ts";

export type { CheckResult, CheckStatus, DoctorSystem } from "./doctor_checks.ts";

const COMMAND = "sluice doctor";

export const DOCTOR_HELP = `sluice doctor [--iface IFACE] [--data DIR] [--listen HOST:PORT] [--json]

Checks what "sluice run" needs from this machine, with the settings it would
use (flags here, then SLUICE_* variables, then DIR/${CONFIG_FILE}), and says
what to fix: one line per check, "ok", "warn", "fail" or "skip" (does not
apply here).

Checks: the config file and variables; libpcap (Npcap on Windows) and its
version; capture permission (root, or CAP_NET_RAW and CAP_NET_ADMIN); the
interface exists, is up and has a LAN; tc and nft (Linux) or PowerShell's
NetQos cmdlets and administrator rights (Windows), needed for shaping; the
data directory's KV store takes a write; the web port is free; the policy
file, if set, is valid.

Options:
  --iface IFACE       the interface to check (default: the configured one)
  --data DIR          the data directory (default ${DEFAULT_DATA}; or SLUICE_DATA)
  --listen HOST:PORT  the web address to check (default: configured, or ${DEFAULT_LISTEN})
  --policy FILE       the policy file to check (default: the configured one)
  --config FILE       the config file (default DIR/${CONFIG_FILE})
  --json              one JSON document: {"ok": true, "checks": [...]}
  -h, --help          this help

Exit status: 0 when no check fails (warnings allowed), 1 when one does, 2
for a wrong option.`;

/**
 * Runs every check against `system` with the settings `sluice run` would
 * use. A check that throws is a "fail" with its message (a missing Deno
 * permission, say), never the end of the report.
 *
 * @example
 * ```ts ignore
 * const results = await runChecks(["--data", "/var/lib/sluice"], realDoctorSystem());
 * ```
 */
export async function runChecks(argv: string[], system: DoctorSystem): Promise<CheckResult[]> {
  const ctx = await doctorContext(argv, system);
  const results: CheckResult[] = [];
  for (const { name, run } of CHECKS) {
    try {
      results.push(await run(ctx));
    } catch (err) {
      const fix = err instanceof Deno.errors.NotCapable
        ? "run with Sluice's permissions (deno task sluice doctor, or the built binary)"
        : undefined;
      results.push({ check: name, status: "fail", detail: firstLine(err), ...fix && { fix } });
    }
  }
  return results;
}

/** The doctor's options, merged as `sluice run` merges its own. */
async function doctorContext(argv: string[], system: DoctorSystem): Promise<Context> {
  const args = parseArgs(argv, {
    command: COMMAND,
    options: ["iface", "data", "listen", "policy", "config"],
    flags: ["json"],
  });
  const options = { command: COMMAND, defaultData: DEFAULT_DATA };
  const where = configLocation(args, system.env, DEFAULT_DATA);
  try {
    const text = where.path === null ? null : await system.readTextFile(where.path).catch((err) => {
      throw new Error(`config ${where.path}: ${firstLine(err)}`);
    });
    return { system, config: mergeConfig(args, system.env, text, options) };
  } catch (err) {
    const configProblem = firstLine(err).replace(`${COMMAND}: `, "");
    // Check the rest with what is left: the variables without the file, or the flags alone.
    const flagsOnly = { ...args, options: new Map(args.options) };
    flagsOnly.options.delete("config");
    let config: RunConfig;
    try {
      config = mergeConfig(flagsOnly, system.env, null, options);
    } catch {
      config = mergeConfig(flagsOnly, {}, null, options);
    }
    return { system, config, configProblem };
  }
}

/** One line per check: "ok   libpcap  libpcap version 1.10.3", with "; fix: ..." when there is one. */
export function doctorText(results: readonly CheckResult[]): string {
  return results.map((r) =>
    `${r.status.padEnd(4)} ${r.check.padEnd(7)} ${r.detail}${r.fix ? `; fix: ${r.fix}` : ""}`
  ).join("\n");
}

/** `sluice doctor`: 0 when nothing fails, 1 when something does. */
export async function doctorCommand(
  argv: string[],
  system?: DoctorSystem,
): Promise<number> {
  const results = await runChecks(argv, system ?? realDoctorSystem());
  const failed = results.filter((r) => r.status === "fail").length;
  if (argv.includes("--json")) {
    console.log(JSON.stringify({ ok: failed === 0, checks: results }, null, 2));
  } else {
    console.log(doctorText(results));
  }
  if (failed) console.error(`${COMMAND}: ${failed} check${failed === 1 ? "" : "s"} failed`);
  return failed ? 1 : 0;
}
