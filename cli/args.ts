import { UsageError } from "./usage_error.ts";

/** What a command accepts: boolean flags and options that take a value. */
export interface ArgSpec {
  /** The command's name, for messages (`sluice replay`). */
  command: string;
  flags?: readonly string[];
  options?: readonly string[];
  /** How many positional arguments, at least and at most. */
  positionals?: { min: number; max: number; names: string };
}

/** Parsed arguments. */
export interface ParsedArgs {
  flags: Set<string>;
  options: Map<string, string>;
  positionals: string[];
}

/**
 * Parses `--flag`, `--option value` and `--option=value` strictly: an unknown
 * option, a missing value or a wrong number of positionals is a
 * {@linkcode UsageError} that names the problem.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const args = parseArgs(["x.pcap", "--json"], {
 *   command: "sluice replay", flags: ["json"], positionals: { min: 1, max: 1, names: "FILE" },
 * });
 * assertEquals(args.positionals, ["x.pcap"]);
 * assertEquals(args.flags.has("json"), true);
 * ```
 */
export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const flags = new Set<string>();
  const options = new Map<string, string>();
  const positionals: string[] = [];
  const help = `(see ${spec.command} --help)`;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(arg.startsWith("--") ? 2 : 1, eq < 0 ? undefined : eq);
    if (spec.flags?.includes(name)) {
      if (eq >= 0) throw new UsageError(`${spec.command}: --${name} takes no value ${help}`);
      flags.add(name);
    } else if (spec.options?.includes(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === "") {
        throw new UsageError(`${spec.command}: --${name} needs a value ${help}`);
      }
      options.set(name, value);
    } else {
      throw new UsageError(`${spec.command}: unknown option ${arg} ${help}`);
    }
  }
  const { min, max, names } = spec.positionals ?? { min: 0, max: 0, names: "" };
  if (positionals.length < min) throw new UsageError(`${spec.command}: missing ${names} ${help}`);
  if (positionals.length > max) {
    throw new UsageError(`${spec.command}: unexpected argument "${positionals[max]}" ${help}`);
  }
  return { flags, options, positionals };
}

/** Reads an option as an integer within a range, or the default. */
export function intOption(
  args: ParsedArgs,
  name: string,
  fallback: number,
  min: number,
  max: number,
  command: string,
): number {
  const text = args.options.get(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(
      `${command}: --${name} must be a whole number from ${min} to ${max}, got "${text}"`,
    );
  }
  return value;
}
