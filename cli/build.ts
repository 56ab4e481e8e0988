/**
 * `deno task build [--target TARGET] [--out DIR]`: Sluice as one executable
 * per platform, `dist/sluice-<target>` (`.exe` for Windows), made by
 * `deno compile`. Not a sluice command: a build script.
 *
 * The binary gets exactly the permissions `deno task sluice` runs with: the
 * flags are read from that task in deno.json, the one list, so the two
 * cannot drift. The UI comes through web/ui_files.ts and the data files are
 * JSON imports, so compile embeds both; Workers, which compile cannot see,
 * are found in the source and passed with --include.
 *
 * deno compile appends the program to `denort`, Deno's runtime for the
 * target, which it downloads from dl.deno.land (cached in DENO_DIR). Where
 * that cannot be reached, DENORT_BIN names a denort binary instead: it is
 * checked first (right format, a Deno runtime, this Deno's version), and a
 * runtime that cannot be had is one line on stderr and exit 1.
 *
 * @module
 */
import { problemWithRuntime, runtimeTarget, type Target, TARGETS } from "./build_runtime.ts";
import { servedFiles, UI_FILES_MODULE, uiFilesModule } from "../web/make_ui_files.ts";

export { type Target, TARGETS };

/** The repository root, where deno.json and main.ts are. */
const ROOT = new URL("../", import.meta.url);
/** Source folders that may start Workers (tests never ship). */
const SOURCE_DIRS = ["capture", "cli", "engine", "shaper", "sim", "web"];

const USAGE = "usage: deno task build [--target TARGET] [--out DIR]";

/** What the build needs from deno.json. */
export interface DenoConfig {
  tasks?: Record<string, string | { command?: string }>;
  unstable?: string[];
}

/**
 * The flags the `sluice` task gives `deno run` before main.ts: the
 * permissions (and anything else) the binary is compiled with.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const config = { tasks: { sluice: "deno run --allow-net --allow-sys=uid main.ts" } };
 * assertEquals(sluiceRunFlags(config), ["--allow-net", "--allow-sys=uid"]);
 * ```
 */
export function sluiceRunFlags(config: DenoConfig): string[] {
  const task = config.tasks?.sluice;
  const command = typeof task === "string" ? task : task?.command;
  if (!command) throw new TypeError("deno.json: tasks.sluice is missing");
  const words = command.trim().split(/\s+/);
  if (words[0] !== "deno" || words[1] !== "run" || words[words.length - 1] !== "main.ts") {
    throw new TypeError(
      `deno.json: tasks.sluice must be "deno run <flags> main.ts", got "${command}"`,
    );
  }
  const flags = words.slice(2, -1);
  for (const f of flags) {
    if (!f.startsWith("--") || /["'$`]/.test(f)) {
      throw new TypeError(`deno.json: tasks.sluice: "${f}" is not a plain --flag`);
    }
    if (f === "-A" || f === "--allow-all") {
      throw new TypeError("deno.json: tasks.sluice: --allow-all; name the permissions instead");
    }
  }
  return flags;
}

/**
 * deno.json's "unstable" list as flags, for the binary to keep them
 * (raw-imports for the embedded UI, kv for history).
 */
export function unstableFlags(config: DenoConfig): string[] {
  return (config.unstable ?? []).map((f) => `--unstable-${f}`);
}

/** `dist/sluice-<target>`, with `.exe` for Windows. */
export function outputName(target: Target, dir = "dist"): string {
  return `${dir}/sluice-${target}${target.includes("windows") ? ".exe" : ""}`;
}

/**
 * The arguments of `deno compile` for one target, run from the repository
 * root: `workers` are the Worker modules compile would otherwise leave out.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const config = { tasks: { sluice: "deno run --allow-net main.ts" }, unstable: ["kv"] };
 * const args = compileArgs(config, "x86_64-pc-windows-msvc", ["capture/w.ts"]);
 * assertEquals(args.slice(0, 3), ["compile", "--allow-net", "--unstable-kv"]);
 * assertEquals(args.slice(-3), ["--output", "dist/sluice-x86_64-pc-windows-msvc.exe", "main.ts"]);
 * ```
 */
export function compileArgs(
  config: DenoConfig,
  target: Target,
  workers: readonly string[],
  outDir = "dist",
): string[] {
  return [
    "compile",
    ...sluiceRunFlags(config),
    ...unstableFlags(config),
    // Test-only npm packages (playwright-core) stay out of the binary.
    "--exclude-unused-npm",
    // Where origin-bound storage lives: the same whatever the file is renamed to.
    "--app-name",
    "sluice",
    ...workers.flatMap((w) => ["--include", w]),
    "--target",
    target,
    "--output",
    outputName(target, outDir),
    "main.ts",
  ];
}

/**
 * The modules started as Workers (`new Worker(new URL("./x.ts",
 * import.meta.url))`) under the source folders, relative to the root.
 */
export async function workerModules(root: URL = ROOT): Promise<string[]> {
  const found = new Set<string>();
  const pattern = /new Worker\(\s*new URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url\s*\)/g;
  const walk = async (dir: URL) => {
    for await (const e of Deno.readDir(dir)) {
      if (e.isDirectory && !e.name.startsWith(".")) await walk(new URL(`${e.name}/`, dir));
      else if (e.isFile && e.name.endsWith(".ts")) {
        const file = new URL(e.name, dir);
        for (const m of (await Deno.readTextFile(file)).matchAll(pattern)) {
          const worker = new URL(m[1], file);
          // A match in a comment may name no file; --include of one would fail the build.
          if (await Deno.stat(worker).then((s) => s.isFile, () => false)) {
            found.add(worker.pathname.slice(root.pathname.length));
          }
        }
      }
    }
  };
  for (const d of SOURCE_DIRS) await walk(new URL(`${d}/`, root));
  return [...found].sort();
}

/** deno compile's failure to fetch denort, told from its other errors. */
export function isRuntimeDownloadFailure(stderr: string): boolean {
  return /Setting up base binary|dl\.deno\.land\/\S*denort/.test(stderr);
}

/** The one line for a target whose runtime cannot be downloaded. */
export function noRuntimeLine(target: Target, version: string = Deno.version.deno): string {
  return `sluice build: cannot get Deno's runtime for ${target} (denort-${target}.zip from ` +
    `dl.deno.land): set DENORT_BIN to a Deno ${version} denort for ${target}, ` +
    `see README "Single binary"`;
}

interface Options {
  target?: Target;
  out: string;
}

function parseOptions(args: string[]): Options | string {
  const options: Options = { out: "dist" };
  for (let i = 0; i < args.length; i++) {
    const [name, inline] = args[i].split(/=(.*)/s, 2);
    const value = () => inline ?? args[++i];
    if (name === "--target") {
      const t = value();
      if (!(TARGETS as readonly string[]).includes(t)) {
        return `sluice build: --target must be one of ${TARGETS.join(", ")}, got "${t ?? ""}"`;
      }
      options.target = t as Target;
    } else if (name === "--out") {
      const dir = value();
      if (!dir) return `sluice build: --out needs a directory\n${USAGE}`;
      options.out = dir;
    } else return `sluice build: unknown argument "${args[i]}"\n${USAGE}`;
  }
  return options;
}

/** Runs the build; returns the exit code. */
export async function build(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(`${USAGE}\n\nTargets: ${TARGETS.join(", ")} (default: all).`);
    return 0;
  }
  const options = parseOptions(args);
  if (typeof options === "string") {
    console.error(options);
    return 2;
  }
  // `deno task` runs in the root; INIT_CWD is where the user typed the command.
  const cwd = Deno.env.get("INIT_CWD") ?? Deno.cwd();
  const absolute = (p: string) => /^([A-Za-z]:)?[\\/]/.test(p) ? p : `${cwd}/${p}`;
  const env: Record<string, string> = {};
  let targets: readonly Target[] = options.target ? [options.target] : TARGETS;
  const denort = Deno.env.get("DENORT_BIN");
  if (denort !== undefined) {
    if (denort === "") {
      console.error("sluice build: DENORT_BIN is set but empty: unset it or name a denort file");
      return 1;
    }
    const path = absolute(denort);
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(path);
    } catch (err) {
      const why = err instanceof Deno.errors.NotFound ? "no such file" : (err as Error).message;
      console.error(`sluice build: DENORT_BIN=${denort}: ${why} (it names denort, Deno's runtime)`);
      return 1;
    }
    const problem = problemWithRuntime(bytes, Deno.version.deno);
    const its = runtimeTarget(bytes);
    if (problem || !its) {
      console.error(`sluice build: DENORT_BIN=${denort} ${problem}`);
      return 1;
    }
    if (options.target && options.target !== its) {
      console.error(
        `sluice build: DENORT_BIN=${denort} is the runtime for ${its}, not ${options.target}`,
      );
      return 1;
    }
    // One runtime makes one target's binary: deno compile uses it whatever --target says.
    if (!options.target) {
      console.log(`sluice build: DENORT_BIN is ${its}'s runtime: that target only`);
    }
    targets = [its];
    env.DENORT_BIN = path;
  }
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT))) as DenoConfig;
  const manifest = await Deno.readTextFile(UI_FILES_MODULE).catch(() => "");
  if (manifest !== uiFilesModule(await servedFiles())) {
    console.error("sluice build: web/ui_files.ts is stale: run `deno task assets:web` first");
    return 1;
  }
  const workers = await workerModules();
  const outDir = absolute(options.out);
  for (const target of targets) {
    console.log(`sluice build: ${outputName(target, options.out)} …`);
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: compileArgs(config, target, workers, outDir),
      cwd: ROOT,
      env: { ...env, NO_COLOR: "1" },
      stdout: "null",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(stderr);
    if (code !== 0) {
      console.error(isRuntimeDownloadFailure(text) ? noRuntimeLine(target) : text.trimEnd());
      return 1;
    }
    const { size } = await Deno.stat(outputName(target, outDir));
    console.log(`sluice build: ${outputName(target, options.out)}, ${(size / 1e6).toFixed(1)} MB`);
  }
  return 0;
}

if (import.meta.main) {
  Deno.exit(await build(Deno.args));
}
