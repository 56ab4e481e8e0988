// Reads what cli/config.ts merges: the SLUICE_* variables and the config
// file, for `sluice run` and `sluice doctor`.
import type { ParsedArgs } from "./args.ts";
import { configEnvNames, configLocation, mergeConfig, type RunConfig } from "./config.ts";
import { readUserFile } from "./user_file.ts";
import { UsageError } from "./usage_error.ts";

/** The config's variables that are set (read one by one, so --allow-env can list them). */
export function configEnv(
  get: (name: string) => string | undefined = (name) => Deno.env.get(name),
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of configEnvNames()) {
    const value = get(name);
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/**
 * The config file's text; null when there is none (a missing file is only
 * wrong when --config or SLUICE_CONFIG named it, which mergeConfig says).
 */
export async function readConfigText(path: string, command: string): Promise<string | null> {
  try {
    return await readUserFile(path, (problem) => new UsageError(problem));
  } catch (err) {
    if (err instanceof UsageError) {
      if (err.message === "no such file") return null;
      throw new UsageError(`${command}: config ${path}: ${err.message}`);
    }
    throw err;
  }
}

/**
 * `sluice run`'s effective settings: flags, then SLUICE_* variables, then
 * the config file, then defaults.
 *
 * @example
 * ```ts ignore
 * const config = await loadRunConfig(parseArgs(Deno.args, RUN_SPEC), "sluice run", "sluice-data");
 * const iface = config.args.options.get("iface");
 * ```
 */
export async function loadRunConfig(
  args: ParsedArgs,
  command: string,
  defaultData: string,
  env: Record<string, string> = configEnv(),
): Promise<RunConfig> {
  const where = configLocation(args, env, defaultData);
  const text = where.path === null ? null : await readConfigText(where.path, command);
  return mergeConfig(args, env, text, { command, defaultData });
}
