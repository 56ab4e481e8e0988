/**
 * What `sluice install` and `sluice uninstall` touch, made injectable: the
 * filesystem root every path is under (a temporary directory in tests), the
 * program runner (systemctl, useradd, chown, and the shaper's tc and nft),
 * who runs it and from which binary.
 *
 * @module
 */
import { type CommandRunner, SystemCommandRunner } from "../shaper/mod.ts";
import { UsageError } from "./usage_error.ts";

/** The machine being installed on. */
export interface InstallSystem {
  /** The filesystem root: "/" for real, a temporary directory in tests. */
  root: string;
  /** The operating system (install works on Linux only). */
  os: typeof Deno.build.os;
  /** The effective user id; null where the platform has none. */
  uid: number | null;
  /** Runs systemctl, getent, useradd, chown and the shaper's tc, ip and nft. */
  runner: CommandRunner;
  /** The running program: the binary copied when it is a compiled Sluice. */
  execPath: string;
  /** Whether the running program is a compiled Sluice rather than `deno`. */
  compiled: boolean;
  /** Relative paths on the command line are resolved against this. */
  cwd: string;
  /** Where progress goes (standard output). */
  print: (line: string) => void;
  /** Where failures go (standard error). */
  error: (line: string) => void;
}

/**
 * This machine.
 *
 * @example
 * ```ts ignore
 * const code = await installCommand(["--iface", "eth1"], realSystem());
 * ```
 */
export function realSystem(): InstallSystem {
  return {
    root: "/",
    os: Deno.build.os,
    uid: Deno.uid(),
    runner: new SystemCommandRunner(),
    execPath: Deno.execPath(),
    compiled: Deno.build.standalone,
    cwd: Deno.cwd(),
    print: (line) => console.log(line),
    error: (line) => console.error(line),
  };
}

/** `path` (absolute, on the target system) as a path in this filesystem. */
export function onDisk(system: InstallSystem, path: string): string {
  return system.root === "/" ? path : `${system.root.replace(/\/+$/, "")}${path}`;
}

/**
 * Refuses, in one line, a machine that cannot take a service: not Linux,
 * not root, or not booted with systemd (as `sd_booted()` decides: no
 * /run/systemd/system). A dry run only needs Linux.
 */
export async function checkMachine(
  system: InstallSystem,
  command: string,
  dryRun: boolean,
): Promise<void> {
  if (system.os !== "linux") {
    throw new UsageError(
      `${command}: works on Linux with systemd only (Windows: see "Install as a service" in README.md)`,
    );
  }
  if (dryRun) return;
  if (system.uid !== 0) throw new UsageError(`${command}: needs root (run it with sudo)`);
  if (!(await isDirectory(onDisk(system, "/run/systemd/system")))) {
    throw new UsageError(`${command}: systemd is not running here (no /run/systemd/system)`);
  }
}

/** The file's text, or null when there is none; a UsageError when it cannot be read. */
export async function readIfThere(path: string, command: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw new UsageError(`${command}: cannot read ${path}: ${firstLine(err)}`);
  }
}

/**
 * Writes a file whole or not at all: a temporary file beside it, its mode
 * set, then renamed over `path`.
 */
export async function writeAtomic(
  path: string,
  content: string | Uint8Array,
  mode: number,
): Promise<void> {
  const temp = besides(path);
  try {
    if (typeof content === "string") await Deno.writeTextFile(temp, content, { createNew: true });
    else await Deno.writeFile(temp, content, { createNew: true });
    await Deno.chmod(temp, mode); // exactly `mode`, whatever the umask
    await Deno.rename(temp, path);
  } catch (err) {
    await Deno.remove(temp).catch(() => {});
    throw err;
  }
}

/** Copies a file whole or not at all (the binary, over a running one if need be). */
export async function copyAtomic(from: string, to: string, mode: number): Promise<void> {
  const temp = besides(to);
  try {
    await Deno.copyFile(from, temp);
    await Deno.chmod(temp, mode);
    await Deno.rename(temp, to);
  } catch (err) {
    await Deno.remove(temp).catch(() => {});
    throw err;
  }
}

/** A temporary name in the same directory, so that the rename is atomic. */
function besides(path: string): string {
  const slash = path.lastIndexOf("/");
  return `${path.slice(0, slash + 1)}.${path.slice(slash + 1)}.sluice-${
    crypto.randomUUID().slice(0, 8)
  }`;
}

/** Removes a file or directory; true if it was there. */
export async function removeIfThere(path: string, recursive = false): Promise<boolean> {
  try {
    await Deno.remove(path, { recursive });
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}

/** Runs a program through the runner; its failure as one line, or null when it succeeded. */
export async function runStep(
  system: InstallSystem,
  argv: string[],
  timeoutMs = 60_000,
): Promise<string | null> {
  const result = await system.runner.run(argv, { timeoutMs });
  if (result.code === 0) return null;
  const why = (result.stderr || result.stdout).trim().split("\n")[0] || `exit code ${result.code}`;
  return `${argv.join(" ")} failed: ${why}`;
}

/** Whether `path` is a directory (false when it is missing). */
export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

/** An error's first line. */
export function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0];
}
