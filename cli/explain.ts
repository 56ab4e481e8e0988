import {
  DeviceStore,
  EventLog,
  type LoggedEvent,
  OverrideStore,
  PolicyStateStore,
  type StoredState,
} from "../engine/history/mod.ts";
import type { Enforcement, Rule, ScopedState } from "../engine/policy/mod.ts";
import { limitText, priorityText } from "../engine/policy/mod.ts";
import { overrideText, timeText } from "./decision_text.ts";
import { parseArgs } from "./args.ts";
import { openStore } from "./data_store.ts";
import { integer, utcOffsetOption } from "./options.ts";
import { resolveDevice } from "./device_name.ts";
import { DEFAULT_DATA } from "./report.ts";
import { UsageError } from "./usage_error.ts";
import { writeJson } from "./write_json.ts";

export const EXPLAIN_HELP = `sluice explain DEVICE [options]

Says what the policy wants for a device and why: its desired state (blocked,
download and upload limits, priority), the rule or automatic class behind it
with its figures, the same for any of its apps or categories a rule narrows
to, its manual overrides, then its last decisions and alerts, newest first,
each with its reason.

DEVICE is "mac:aa:bb:cc:dd:ee:ff" or "ip:ADDRESS", a bare MAC or IP address,
or a device's label (as set with "sluice devices label").

States and decisions come from "sluice run --policy FILE" (or "sluice replay
--policy FILE --data DIR") writing to the same data directory.

Options:
  --data DIR          the data directory (default ${DEFAULT_DATA}) or a KV URL
  --last N            decisions and alerts shown (default 10, at most 1000)
  --utc-offset MIN    minutes east of UTC to show times in (default 0: UTC)
  --json              one JSON document: device, label, state ({time, state}
                      or null), decisions[] and alerts[] (events as logged),
                      overrides[] (its manual overrides not yet ended)
  -h, --help          this help

Exit status: 0 on success (also when nothing is known of the device), 2 for a
wrong option or DEVICE, or a store that cannot be opened.`;

/** What `sluice explain --json` prints. */
export interface Explanation {
  device: string;
  label: string | null;
  state: StoredState | null;
  decisions: LoggedEvent[];
  alerts: LoggedEvent[];
  /** Its manual overrides in force or waiting (see "sluice override"). */
  overrides: Rule[];
}

/** `sluice explain`: returns the exit code. */
export async function explainCommand(argv: string[]): Promise<number> {
  const command = "sluice explain";
  const args = parseArgs(argv, {
    command,
    flags: ["json"],
    options: ["data", "last", "utc-offset"],
    positionals: { min: 1, max: 1, names: "DEVICE" },
  });
  const last = integer(args.options.get("last") ?? "10", "--last", command);
  if (last < 1 || last > 1000) {
    throw new UsageError(`${command}: --last must be 1 to 1000, got ${last}`);
  }
  const offset = utcOffsetOption(args, command);
  const nowMs = Date.now();
  const kv = await openStore(args.options.get("data") ?? DEFAULT_DATA, command);
  let explanation: Explanation;
  try {
    const devices = new DeviceStore(kv);
    const device = await resolveDevice(args.positionals[0], devices, command);
    const events = new EventLog(kv);
    explanation = {
      device,
      label: (await devices.get(device))?.label ?? null,
      state: await new PolicyStateStore(kv).state(device),
      decisions: (await events.list({ device, kind: "policy", limit: last })).events,
      alerts: (await events.list({ device, kind: "alert", limit: last })).events,
      overrides: (await new OverrideStore(kv).list()).filter((r) =>
        "device" in r.devices && r.devices.device === device &&
        (r.manual?.until ?? Infinity) > nowMs
      ),
    };
  } finally {
    kv.close();
  }
  if (args.flags.has("json")) writeJson(Deno.stdout, explanation);
  else console.log(explanationText(explanation, offset));
  return 0;
}

/** The explanation in words. */
export function explanationText(e: Explanation, offsetMinutes: number): string {
  const when = (ms: number) => timeText(ms, offsetMinutes);
  const lines = [e.label ? `${e.label} (${e.device})` : e.device];
  if (!e.state) {
    lines.push("No desired state stored: the policy has not decided for this device.");
  } else {
    const s = e.state.state;
    lines.push(`State: ${enforcementText(s)}, as of ${when(e.state.time)}`);
    lines.push(`  because ${s.reason}`);
    if (s.priorityBy) lines.push(`  priority because ${s.priorityBy.reason}`);
    for (const scoped of s.scoped) {
      lines.push(`  ${scopeText(scoped)}: ${enforcementText(scoped)}, because ${scoped.reason}`);
    }
  }
  if (e.overrides.length) lines.push("", "Manual overrides (see sluice override):");
  for (const o of e.overrides) lines.push(`  ${overrideText(o, offsetMinutes)}`);
  lines.push("", e.decisions.length ? "Last decisions, newest first:" : "No decisions logged.");
  for (const d of e.decisions) {
    lines.push(`  ${when(d.time)}  ${d.message}`, `      ${d.reason ?? ""}`);
  }
  lines.push("", e.alerts.length ? "Last alerts, newest first:" : "No alerts logged.");
  for (const a of e.alerts) lines.push(`  ${when(a.time)}  ${a.message}`);
  return lines.join("\n");
}

function enforcementText(s: Enforcement): string {
  if (s.blocked) return "blocked";
  const limits = limitText(s.down, s.up);
  const priority = `${priorityText(s.priority)} priority`;
  return limits === "none" ? `not limited, ${priority}` : `limited to ${limits}, ${priority}`;
}

function scopeText(s: ScopedState): string {
  return [...s.apps ?? [], ...s.categories ?? []].join(", ");
}
