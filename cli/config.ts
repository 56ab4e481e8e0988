// `sluice run`'s settings from three places besides its defaults: flags,
// SLUICE_* environment variables and the config file (`<data>/sluice.json`),
// in that order of precedence. Pure: the caller reads the file and the
// environment, so every rule here is tested without touching the disk.
import type { ArgSpec, ParsedArgs } from "./args.ts";
import {
  choice,
  DEFAULT_MAX_DEVICES,
  DEFAULT_MAX_FLOWS,
  deviceIdArgument,
  tableSize,
} from "./options.ts";
import { lanOption } from "./replay.ts";
import { UsageError } from "./usage_error.ts";
import { DEFAULT_LISTEN, listenOption, WEB_FLAGS, WEB_OPTIONS } from "./web_server.ts";

/** The config file's name inside the data directory. */
export const CONFIG_FILE = "sluice.json";

/** `sluice run`'s options that take a value; each is also a config key and a variable. */
export const RUN_OPTIONS: readonly string[] = [
  "iface",
  "filter",
  "data",
  "lan",
  "policy",
  "shaper",
  "protect",
  "max-flows",
  "max-devices",
  ...WEB_OPTIONS,
];
/** `sluice run`'s boolean flags; booleans in the file, 1/true/0/false in the environment. */
export const RUN_FLAGS: readonly string[] = ["no-lookups", "processes", ...WEB_FLAGS];
/** The shaper modes `--shaper` takes. */
export const SHAPER_MODES = ["auto", "linux", "windows", "dry-run", "off"];

/** What `sluice run` parses: its options, plus `--config FILE` and `--print-config`. */
export const RUN_SPEC: ArgSpec = {
  command: "sluice run",
  options: [...RUN_OPTIONS, "config"],
  flags: [...RUN_FLAGS, "print-config"],
};

/** Where a setting came from. */
export type ConfigSource = "flag" | "env" | "file" | "default";

/** One effective setting. */
export interface ConfigSetting {
  value: string | boolean;
  source: ConfigSource;
  /** The variable's name (env) or the file's path (file). */
  origin?: string;
}

/** Where the config file is, and whether it must exist (named by --config or SLUICE_CONFIG). */
export interface ConfigLocation {
  data: ConfigSetting;
  /** null when --data is a KV URL and no file is named. */
  path: string | null;
  explicit: boolean;
}

/** The merged settings. */
export interface RunConfig {
  /** The effective options and flags, as if all had been given on the command line. */
  args: ParsedArgs;
  /** Every key that is set (with `data` always), and where it came from. */
  settings: Map<string, ConfigSetting>;
  /** The config file looked for, and whether it was there. */
  file: { path: string; found: boolean } | null;
}

/** "no-web" → "SLUICE_NO_WEB". */
export function envName(key: string): string {
  return `SLUICE_${key.toUpperCase().replaceAll("-", "_")}`;
}

/** The variables the config reads, for a caller that fetches them one by one. */
export function configEnvNames(): string[] {
  return [...RUN_OPTIONS, ...RUN_FLAGS, "config"].map(envName);
}

const precedence: Record<ConfigSource, number> = { flag: 3, env: 2, file: 1, default: 0 };

/**
 * The data directory (flag > SLUICE_DATA > default) and the config file in
 * it, unless `--config` or SLUICE_CONFIG names another.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { parseArgs } from "./args.ts";
 * const args = parseArgs(["--iface", "eth1"], RUN_SPEC);
 * const where = configLocation(args, { SLUICE_DATA: "/var/lib/sluice" }, "sluice-data");
 * assertEquals(where.path, "/var/lib/sluice/sluice.json");
 * ```
 */
export function configLocation(
  args: ParsedArgs,
  env: Readonly<Record<string, string | undefined>>,
  defaultData: string,
): ConfigLocation {
  const flagData = args.options.get("data"), envData = env[envName("data")] || undefined;
  const data: ConfigSetting = flagData !== undefined
    ? { value: flagData, source: "flag" }
    : envData !== undefined
    ? { value: envData, source: "env", origin: envName("data") }
    : { value: defaultData, source: "default" };
  const named = args.options.get("config") ?? (env[envName("config")] || undefined);
  if (named !== undefined) return { data, path: named, explicit: true };
  const dir = data.value as string;
  // A remote KV store has no directory to keep a file in.
  if (/^https?:\/\//i.test(dir)) return { data, path: null, explicit: false };
  return { data, path: `${dir.replace(/[\\/]+$/, "") || "/"}/${CONFIG_FILE}`, explicit: false };
}

/**
 * Merges flags, environment and the config file's text (null: no such
 * file) into `sluice run`'s effective options. Every problem is a
 * {@linkcode UsageError} of one line naming the file or the variable and
 * the key.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { parseArgs } from "./args.ts";
 * const args = parseArgs(["--iface", "eth1"], RUN_SPEC);
 * const config = mergeConfig(args, { SLUICE_NO_WEB: "1" }, '{"iface": "eth0", "lan": "10.0.0.0/8"}', {
 *   command: "sluice run", defaultData: "sluice-data",
 * });
 * assertEquals(config.args.options.get("iface"), "eth1");
 * assertEquals(config.settings.get("lan")?.source, "file");
 * assertEquals(config.args.flags.has("no-web"), true);
 * ```
 */
export function mergeConfig(
  args: ParsedArgs,
  env: Readonly<Record<string, string | undefined>>,
  fileText: string | null,
  options: { command: string; defaultData: string },
): RunConfig {
  const { command } = options;
  const where = configLocation(args, env, options.defaultData);
  const settings = new Map<string, ConfigSetting>([["data", where.data]]);
  const file = where.path === null ? null : { path: where.path, found: fileText !== null };
  if (where.explicit && fileText === null) {
    throw new UsageError(`${command}: config ${where.path}: no such file`);
  }
  if (file && fileText !== null) {
    for (const [key, value] of readFile(fileText, file.path, command)) {
      settings.set(key, { value, source: "file", origin: file.path });
    }
  }
  for (const key of [...RUN_OPTIONS, ...RUN_FLAGS]) {
    const name = envName(key), text = env[name];
    if (key === "data" || text === undefined || text === "") continue;
    settings.set(key, { value: envValue(key, text, command), source: "env", origin: name });
  }
  for (const [key, value] of args.options) {
    if (key !== "config") settings.set(key, { value, source: "flag" });
  }
  for (const key of args.flags) {
    if (RUN_FLAGS.includes(key)) settings.set(key, { value: true, source: "flag" });
  }
  settleWeb(settings, command);
  for (const [key, setting] of settings) checkValue(key, setting, command);
  const merged: ParsedArgs = { flags: new Set(), options: new Map(), positionals: [] };
  for (const [key, { value }] of settings) {
    if (value === true) merged.flags.add(key);
    else if (typeof value === "string") merged.options.set(key, value);
  }
  return { args: merged, settings, file };
}

/** The file's keys and values; flags false stay in (they override nothing, but show). */
function readFile(text: string, path: string, command: string): Map<string, string | boolean> {
  const fail = (problem: string) => new UsageError(`${command}: config ${path}: ${problem}`);
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    throw fail(`not JSON (${(err as Error).message.replace(/\s*\n\s*/g, " ")})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw fail("must be a JSON object of sluice run's long options");
  }
  const found = new Map<string, string | boolean>();
  for (const [key, v] of Object.entries(value)) {
    if (key === "data" || key === "config") {
      throw fail(`"${key}" cannot be set in the file; use --${key} or ${envName(key)}`);
    }
    if (RUN_FLAGS.includes(key)) {
      if (typeof v !== "boolean") throw fail(`"${key}" must be true or false, got ${show(v)}`);
      found.set(key, v);
    } else if (RUN_OPTIONS.includes(key)) {
      const list = (key === "lan" || key === "protect") && Array.isArray(v) &&
        v.every((item) => typeof item === "string");
      // Table sizes read naturally as JSON numbers.
      if (typeof v === "number" && (key === "max-flows" || key === "max-devices")) {
        found.set(key, String(v));
        continue;
      }
      if (typeof v !== "string" && !list) {
        const what = key === "lan" || key === "protect"
          ? "a string or a list of strings"
          : "a string";
        throw fail(`"${key}" must be ${what}, got ${show(v)}`);
      }
      const text = list ? (v as string[]).join(",") : v as string;
      if (text.trim() === "") throw fail(`"${key}" must not be empty`);
      found.set(key, isPathKey(key) ? besideFile(text, path) : text);
    } else {
      throw fail(
        `unknown key "${key}" (keys: ${
          [...RUN_OPTIONS, ...RUN_FLAGS].filter((k) => k !== "data").join(", ")
        })`,
      );
    }
  }
  return found;
}

function envValue(key: string, text: string, command: string): string | boolean {
  if (!RUN_FLAGS.includes(key)) return text;
  const word = text.trim().toLowerCase();
  if (word === "1" || word === "true") return true;
  if (word === "0" || word === "false") return false;
  throw new UsageError(`${command}: ${envName(key)} must be 1, true, 0 or false, got "${text}"`);
}

/**
 * --no-web against web options from other sources: the higher source wins
 * (a --listen flag beats SLUICE_NO_WEB=1; SLUICE_NO_WEB=1 beats the file's
 * "listen"); both in one file or one environment is a mistake.
 */
function settleWeb(settings: Map<string, ConfigSetting>, command: string): void {
  const noWeb = settings.get("no-web");
  if (noWeb?.value !== true) return;
  const web = WEB_OPTIONS.filter((key) => settings.has(key));
  const rank = (key: string) => precedence[settings.get(key)!.source];
  if (web.some((key) => rank(key) > precedence[noWeb.source])) {
    settings.delete("no-web");
    return;
  }
  for (const key of web) {
    if (rank(key) < precedence[noWeb.source]) settings.delete(key);
    else if (noWeb.source !== "flag") {
      const where = noWeb.source === "env"
        ? `${envName(key)} and ${noWeb.origin}`
        : `config ${noWeb.origin}: "${key}" and "no-web"`;
      throw new UsageError(`${command}: ${where}: one sets the web up, the other turns it off`);
    }
  }
}

/** Checks a value as `sluice run` would, naming its file or variable unless it was a flag. */
function checkValue(key: string, setting: ConfigSetting, command: string): void {
  if (typeof setting.value !== "string" || setting.source === "default") return;
  const marker = "\u0000";
  try {
    const text = setting.value;
    if (key === "lan") lanOption(text, marker);
    if (key === "shaper") choice(text, SHAPER_MODES, "--shaper", marker);
    if (key === "listen") listenOption(text, marker);
    if (key === "protect") {
      for (const id of text.split(",")) deviceIdArgument(id, "--protect", marker);
    }
    if (key === "max-flows" || key === "max-devices") tableSize(key, text, marker);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    if (setting.source === "flag") throw new UsageError(err.message.replace(marker, command));
    const problem = err.message.slice(marker.length + 2).replace(/^--[a-z-]+:? /, "");
    const where = setting.source === "env" ? setting.origin : `config ${setting.origin}: "${key}"`;
    throw new UsageError(`${command}: ${where}: ${problem}`);
  }
}

function isPathKey(key: string): boolean {
  return key === "policy" || key === "tls-cert" || key === "tls-key";
}

/** Paths in the file are relative to the file, as a service's working directory is not known. */
function besideFile(value: string, file: string): string {
  if (/^([\\/]|[A-Za-z]:[\\/])/.test(value)) return value;
  const slash = Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\"));
  return slash < 0 ? value : `${file.slice(0, slash + 1)}${value}`;
}

function show(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "a list" : JSON.stringify(value);
}

/** What each unset setting means, for {@linkcode configText}. */
const UNSET: Record<string, string> = {
  iface: "(none: required)",
  filter: "(none: every packet)",
  lan: "(the interface's own subnets)",
  policy: "(none: watch only)",
  shaper: "auto",
  protect: "(none)",
  "max-flows": String(DEFAULT_MAX_FLOWS),
  "max-devices": String(DEFAULT_MAX_DEVICES),
  listen: DEFAULT_LISTEN,
  "tls-cert": "(none: plain HTTP)",
  "tls-key": "(none)",
  "no-lookups": "false",
  processes: "false",
  "no-web": "false",
};

/**
 * The effective settings, one per line with where each came from, for
 * `sluice run --print-config`.
 *
 * @example
 * ```ts
 * import { assertStringIncludes } from "@std/assert";
 * import { parseArgs } from "./args.ts";
 * const config = mergeConfig(parseArgs(["--iface", "eth1"], RUN_SPEC), {}, null, {
 *   command: "sluice run", defaultData: "sluice-data",
 * });
 * assertStringIncludes(configText(config), "iface       eth1");
 * ```
 */
export function configText(config: RunConfig): string {
  const lines = [
    `# sluice run settings: flag > SLUICE_* variable > config file > default`,
    config.file
      ? `# config file ${config.file.path}${config.file.found ? "" : " (not found)"}`
      : "# no config file (the data is a KV URL; --config FILE names one)",
  ];
  for (const key of RUN_OPTIONS.concat(RUN_FLAGS)) {
    const setting = config.settings.get(key);
    const value = setting === undefined ? UNSET[key] : String(setting.value);
    const from = setting === undefined
      ? "default"
      : setting.source === "env"
      ? `env ${setting.origin}`
      : setting.source === "file"
      ? "file"
      : setting.source;
    lines.push(`${key.padEnd(11)} ${value.padEnd(30)} ${from}`);
  }
  return lines.join("\n");
}
