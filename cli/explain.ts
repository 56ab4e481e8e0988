import {
  DeviceStore,
  EventLog,
  type LoggedEvent,
  PolicyStateStore,
  type StoredState,
} from "../engine/history/mod.ts";
import type { Enforcement, ScopedState } from "../engine/policy/mod.ts";
import { limitText, priorityText } from "../engine/policy/mod.ts";
import { timeText } from "./decision_text.ts";
import { parseArgs } from "./args.ts";
import { openStore } from "./data_store.ts";
import { deviceIdArgument, integer, utcOffsetOption } from "./options.ts";
import { DEFAULT_DATA } from "./report.ts";
import { UsageError } from "./usage_error.ts";
import { writeJson } from "./write_json.ts";

export const EXPLAIN_HELP = `sluice explain DEVICE [options]

Says what the policy wants for a device and why: its desired state (blocked,
download and upload limits, priority), the rule or automatic class behind it
with its figures, the same for any of its apps or categories a rule narrows
to, then its last decisions and alerts, newest first, each with its reason.

DEVICE is "mac:aa:bb:cc:dd:ee:ff" or "ip:ADDRESS", a bare MAC or IP address,
or a device's label (as set with "sluice devices label").

States and decisions come from "sluice run --policy FILE" (or "sluice replay
--policy FILE --data DIR") writing to the same data directory.

Options:
  --data DIR          the data directory (default ${DEFAULT_DATA}) or a KV URL
  --last N            decisions and alerts shown (default 10, at most 1000)
  --utc-offset MIN    minutes east of UTC to show times in (default 0: UTC)
  --json              one JSON document: device, label, state ({time, state}
                      or null), decisions[] and alerts[] (events as logged)
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
    };
  } finally {
    kv.close();
  }
  if (args.flags.has("json")) writeJson(Deno.stdout, explanation);
  else console.log(explanationText(explanation, offset));
  return 0;
}

/** An id as typed, or a label (any case) of a stored device. */
async function resolveDevice(text: string, devices: DeviceStore, command: string): Promise<string> {
  try {
    return deviceIdArgument(text, "DEVICE", command);
  } catch {
    const wanted = text.trim().toLowerCase();
    const labelled = Object.entries(await devices.labels()).filter(([, label]) =>
      label.toLowerCase() === wanted
    );
    if (labelled.length === 1) return labelled[0][0];
    if (labelled.length > 1) {
      throw new UsageError(
        `${command}: several devices are labelled "${text}": ${
          labelled.map(([id]) => id).join(", ")
        }`,
      );
    }
    throw new UsageError(
      `${command}: DEVICE must be a MAC or IP address, "mac:..." or "ip:...", or a device's ` +
        `label; no device is labelled "${text}"`,
    );
  }
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
