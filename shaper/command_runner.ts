/**
 * The one place Sluice runs programs: `tc`, `nft` and `ip` for the shaper,
 * `ip neigh` and `arp -a` for the neighbour table. Callers get a
 * {@linkcode CommandRunner}, so tests can hand them a fake, a namespace
 * wrapper ({@linkcode NamespacedRunner}) or this real one.
 *
 * A program that fails, cannot be found or runs out of time is a result, not
 * an exception: the shaper records it as an event and retries, and the engine
 * never stops for it.
 *
 * @module
 */

/** What a program did. */
export interface CommandResult {
  /** The exit code; 124 after a timeout and 127 when the program was not found, as shells do. */
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for one run. */
export interface RunOptions {
  /** Killed (SIGKILL) after this many milliseconds; default 10,000. */
  timeoutMs?: number;
  /** Text written to the program's standard input (for `nft -f -`, `tc -batch -`). */
  stdin?: string;
}

/** Runs a program given as argv (no shell, so nothing is ever interpolated). */
export interface CommandRunner {
  run(argv: readonly string[], options?: RunOptions): Promise<CommandResult>;
}

/** Exit code reported after a timeout, as GNU `timeout` does. */
export const TIMED_OUT = 124;
/** Exit code reported when the program does not exist, as shells do. */
export const NOT_FOUND = 127;

/**
 * Runs programs with `Deno.Command`.
 *
 * @example
 * ```ts ignore
 * const runner = new SystemCommandRunner();
 * const { code, stdout } = await runner.run(["ip", "neigh", "show"], { timeoutMs: 2000 });
 * ```
 */
export class SystemCommandRunner implements CommandRunner {
  async run(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    checkArgv(argv);
    const { timeoutMs = 10_000, stdin } = options;
    if (!(timeoutMs > 0) || timeoutMs === Infinity) {
      throw new RangeError(`timeoutMs must be a positive number of milliseconds, got ${timeoutMs}`);
    }
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      const child = new Deno.Command(argv[0], {
        args: argv.slice(1),
        stdin: stdin === undefined ? "null" : "piped",
        stdout: "piped",
        stderr: "piped",
        signal: abort.signal,
      }).spawn();
      if (stdin !== undefined) {
        const writer = child.stdin.getWriter();
        // A program that exits without reading its input must not fail the run.
        await writer.write(new TextEncoder().encode(stdin)).catch(() => {});
        await writer.close().catch(() => {});
      }
      const out = await child.output();
      const decoder = new TextDecoder();
      const result = {
        code: out.code,
        stdout: decoder.decode(out.stdout),
        stderr: decoder.decode(out.stderr),
      };
      if (abort.signal.aborted) {
        result.code = TIMED_OUT;
        result.stderr += `${argv[0]}: timed out after ${timeoutMs} ms`;
      }
      return result;
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) {
        return { code: NOT_FOUND, stdout: "", stderr: `${argv[0]}: program not found` };
      }
      throw err; // a missing --allow-run is the operator's to fix, not a command failure
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Runs every program inside a network namespace (`ip netns exec NS ...`): how
 * tests point real code at a namespace they created.
 */
export class NamespacedRunner implements CommandRunner {
  readonly #inner: CommandRunner;
  readonly namespace: string;

  constructor(namespace: string, inner: CommandRunner = new SystemCommandRunner()) {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(namespace)) {
      throw new TypeError(`namespace name ${JSON.stringify(namespace)} is not a plain name`);
    }
    this.namespace = namespace;
    this.#inner = inner;
  }

  run(argv: readonly string[], options?: RunOptions): Promise<CommandResult> {
    checkArgv(argv);
    return this.#inner.run(["ip", "netns", "exec", this.namespace, ...argv], options);
  }
}

function checkArgv(argv: readonly string[]): void {
  if (!Array.isArray(argv) || argv.length === 0 || argv.some((a) => typeof a !== "string")) {
    throw new TypeError("argv must be a non-empty array of strings");
  }
}
