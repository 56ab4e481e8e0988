import { defaultCatalogue } from "../engine/catalogue/default.ts";
import { CATEGORIES } from "../engine/app_catalogue.ts";
import { DeviceStore, type NewOverride, OverrideStore } from "../engine/history/mod.ts";
import {
  OVERRIDE_ID_PREFIX,
  parseDuration,
  parseRate,
  PolicyConfigError,
  PRIORITIES,
  type Rule,
  type RuleAction,
} from "../engine/policy/mod.ts";
import { parseArgs, type ParsedArgs } from "./args.ts";
import { openStore } from "./data_store.ts";
import { overrideText } from "./decision_text.ts";
import { resolveDevice } from "./device_name.ts";
import { choice, utcOffsetOption } from "./options.ts";
import { DEFAULT_DATA } from "./report.ts";
import { UsageError } from "./usage_error.ts";
import { writeJson } from "./write_json.ts";

export const OVERRIDE_HELP = `sluice override DEVICE ACTION [options]
sluice override list [--all] [--json]
sluice override clear ID|DEVICE|all

Overrides the policy for a device, now: a manual rule that outranks every
other (manual > block > schedule > quota > auto priority), for a while or
until cleared. A running "sluice run --policy" applies it within a second or
two, and its decision is logged with the reason ("manual blocked by alice
until 15:00"); a run started later applies it too while it lasts.

ACTION is one of:
  block             no internet traffic at all ("pause this device")
  limit             at most --down RATE and/or --up RATE
  priority LEVEL    high, normal or low
  allow             lifts the blocks and limits of every other rule

DEVICE is "mac:aa:bb:cc:dd:ee:ff" or "ip:ADDRESS", a bare MAC or IP address,
or a device's label (as set with "sluice devices label").

  list              the overrides in force or waiting (--all: expired ones too)
  clear X           removes override X ("manual-3"), every override of a
                    device, or "all" of them; a running "sluice run" lifts
                    what they did within a second or two

Options:
  --for DURATION      how long it lasts: "30m", "1h", "2h30m" (default: until
                      cleared), at most 366 days
  --down RATE         with limit: download rate, "2Mbit", "500kbit", "1MB"
  --up RATE           with limit: upload rate
  --app ID,...        only these apps' traffic (catalogue ids: youtube, netflix)
  --category C,...    only these categories' traffic (${CATEGORIES.join(", ")})
  --by NAME           who set it (default: $SUDO_USER, else $USER)
  --data DIR          the data directory (default ${DEFAULT_DATA}) or a KV URL
  --utc-offset MIN    minutes east of UTC to show times in (default 0: UTC)
  --json              print the override set as a JSON rule, or the list as
                      {"overrides": [rules]}
  --all               with list: expired overrides too
  -h, --help          this help

Expired overrides are removed a day after they end.

Exit status: 0 on success, 2 for a wrong option, DEVICE, ACTION or figure, a
clear that matches nothing, or a store that cannot be opened.`;

const ACTIONS = ["block", "limit", "priority", "allow"];
const DAY_MS = 86_400_000;

/** `sluice override`: returns the exit code. */
export async function overrideCommand(argv: string[]): Promise<number> {
  const command = "sluice override";
  const args = parseArgs(argv, {
    command,
    flags: ["json", "all"],
    options: ["for", "down", "up", "app", "category", "by", "data", "utc-offset"],
    positionals: { min: 1, max: 3, names: "DEVICE ACTION [LEVEL], list or clear X" },
  });
  const offset = utcOffsetOption(args, command);
  const [first, ...rest] = args.positionals;
  const nowMs = Date.now();
  if (first === "list" || first === "clear") {
    const wanted = first === "list" ? 0 : 1;
    if (rest.length !== wanted) {
      throw new UsageError(
        `${command}: ${first} takes ${wanted ? "one argument" : "no arguments"}`,
      );
    }
    refuseSetOptions(args, first, command);
  }
  const action = first === "list" || first === "clear" ? undefined : actionOf(args, rest, command);
  const kv = await openStore(args.options.get("data") ?? DEFAULT_DATA, command);
  try {
    const overrides = new OverrideStore(kv);
    if (first === "list") {
      const all = await overrides.list();
      const shown = args.flags.has("all") ? all : all.filter((r) => !ended(r, nowMs));
      if (args.flags.has("json")) writeJson(Deno.stdout, { overrides: shown });
      else console.log(listText(shown, nowMs, offset));
      return 0;
    }
    const devices = new DeviceStore(kv);
    if (first === "clear") return await clear(overrides, devices, rest[0], command);
    const device = await resolveDevice(first, devices, command);
    const forMs = durationOf(args.options.get("for"), command);
    const override: NewOverride = {
      devices: { device },
      ...scopeOf(args, command),
      action: action!,
      manual: { at: nowMs, ...(forMs ? { until: nowMs + forMs } : {}), by: byOf(args) },
    };
    await overrides.prune(nowMs - DAY_MS);
    const rule = await overrides.add(override).catch((err) => {
      if (!(err instanceof RangeError || err instanceof PolicyConfigError)) throw err;
      throw new UsageError(`${command}: ${err.message}`);
    });
    if (args.flags.has("json")) {
      writeJson(Deno.stdout, rule);
    } else {
      const label = (await devices.get(device))?.label;
      console.log(
        `${overrideText(rule, offset, label)}\nA running "sluice run --policy" ` +
          `applies it within a second or two; "sluice override clear ${rule.id}" lifts it.`,
      );
    }
    return 0;
  } finally {
    kv.close();
  }
}

/** The action from ACTION [LEVEL] and --down/--up. */
function actionOf(args: ParsedArgs, rest: string[], command: string): RuleAction {
  if (rest.length === 0) {
    throw new UsageError(`${command}: ACTION is missing: one of ${ACTIONS.join(", ")}`);
  }
  const kind = choice(rest[0], ACTIONS, "ACTION", command);
  const level = rest[1];
  if (kind !== "priority" && level !== undefined) {
    throw new UsageError(`${command}: ${kind} takes no argument, got "${level}"`);
  }
  const down = args.options.get("down"), up = args.options.get("up");
  if (kind !== "limit" && (down !== undefined || up !== undefined)) {
    throw new UsageError(`${command}: --down and --up go with limit, not ${kind}`);
  }
  if (kind === "priority") {
    if (level === undefined) {
      throw new UsageError(`${command}: priority needs a LEVEL: ${PRIORITIES.join(", ")}`);
    }
    const priority = choice(level.toLowerCase(), [...PRIORITIES], "LEVEL", command);
    return { kind, priority: priority as (typeof PRIORITIES)[number] };
  }
  if (kind === "limit") {
    if (down === undefined && up === undefined) {
      throw new UsageError(`${command}: limit needs --down RATE, --up RATE or both`);
    }
    return {
      kind,
      ...(down !== undefined ? { down: figure(parseRate, down, "--down", command) } : {}),
      ...(up !== undefined ? { up: figure(parseRate, up, "--up", command) } : {}),
    };
  }
  return { kind: kind as "block" | "allow" };
}

/** --app and --category, checked against the catalogue. */
function scopeOf(args: ParsedArgs, command: string): Pick<Rule, "apps" | "categories"> {
  const scope: Pick<Rule, "apps" | "categories"> = {};
  const apps = listOption(args, "app", command);
  if (apps) {
    const catalogue = defaultCatalogue();
    const unknown = apps.find((a) => catalogue.categoryOf(a) === null);
    if (unknown !== undefined) {
      throw new UsageError(`${command}: --app: no app "${unknown}" in the catalogue`);
    }
    scope.apps = apps;
  }
  const categories = listOption(args, "category", command);
  if (categories) {
    const unknown = categories.find((c) => !(CATEGORIES as readonly string[]).includes(c));
    if (unknown !== undefined) {
      throw new UsageError(
        `${command}: --category: no category "${unknown}"; one of ${CATEGORIES.join(", ")}`,
      );
    }
    scope.categories = categories;
  }
  return scope;
}

function listOption(args: ParsedArgs, name: string, command: string): string[] | undefined {
  const text = args.options.get(name);
  if (text === undefined) return undefined;
  const list = text.split(",").map((s) => s.trim());
  if (list.some((s) => s === "")) {
    throw new UsageError(`${command}: --${name} must be a comma-separated list, got "${text}"`);
  }
  return list;
}

function durationOf(text: string | undefined, command: string): number | undefined {
  if (text === undefined) return undefined;
  const seconds = figure(parseDuration, text, "--for", command);
  if (!(seconds >= 1 && seconds <= 366 * 86_400)) {
    throw new UsageError(`${command}: --for must be 1 second to 366 days, got "${text}"`);
  }
  return Math.round(seconds * 1000);
}

function figure(parse: (t: string) => number, text: string, option: string, command: string) {
  try {
    return parse(text);
  } catch (err) {
    throw new UsageError(`${command}: ${option}: ${(err as Error).message}`);
  }
}

function byOf(args: ParsedArgs): string {
  const given = args.options.get("by");
  if (given !== undefined) return given;
  try {
    return Deno.env.get("SUDO_USER") || Deno.env.get("USER") || "cli";
  } catch {
    return "cli"; // no env permission: still an override, just unsigned
  }
}

/** Options that only make sense when setting an override. */
function refuseSetOptions(args: ParsedArgs, verb: string, command: string): void {
  for (const name of ["for", "down", "up", "app", "category", "by"]) {
    if (args.options.has(name)) {
      throw new UsageError(`${command}: --${name} is for setting an override, not ${verb}`);
    }
  }
}

/** `clear X`: an override id, a device's overrides, or all. */
async function clear(
  overrides: OverrideStore,
  devices: DeviceStore,
  what: string,
  command: string,
): Promise<number> {
  const all = await overrides.list();
  let ids: string[];
  if (what === "all") ids = all.map((r) => r.id);
  else if (what.startsWith(OVERRIDE_ID_PREFIX)) ids = all.some((r) => r.id === what) ? [what] : [];
  else {
    const device = await resolveDevice(what, devices, command);
    ids = all.filter((r) => "device" in r.devices && r.devices.device === device).map((r) => r.id);
  }
  if (ids.length === 0 && what !== "all") {
    throw new UsageError(
      `${command}: clear: no override matches "${what}" (see sluice override list)`,
    );
  }
  const removed = await overrides.remove(ids);
  console.log(
    `cleared ${removed.length} override${removed.length === 1 ? "" : "s"}` +
      (removed.length ? `: ${removed.join(", ")}` : ""),
  );
  return 0;
}

function ended(rule: Rule, nowMs: number): boolean {
  return (rule.manual?.until ?? Infinity) <= nowMs;
}

function listText(rules: readonly Rule[], nowMs: number, offset: number): string {
  if (rules.length === 0) return "No overrides.";
  return rules.map((r) => {
    const status = ended(r, nowMs) ? " [ended]" : r.manual!.at > nowMs ? " [waiting]" : "";
    return overrideText(r, offset) + status;
  }).join("\n");
}
