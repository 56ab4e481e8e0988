/**
 * The shaper: a plan in, the operating system brought to it. Each apply
 * renders the plan, reconciles it with what is applied, runs the
 * operations in order and keeps what was applied in a store, so a restart
 * removes what is no longer wanted. A failing command is an event with its
 * stderr, retried with backoff; it never throws to the engine.
 *
 * @module
 */
import type { CommandRunner } from "./command_runner.ts";
import { appliedOf, reconcile } from "./reconcile.ts";
import type {
  AppliedObject,
  ShapePlan,
  ShaperCommand,
  ShaperOperation,
  ShaperRenderer,
} from "./shaper_types.ts";

/** What was applied, as a store keeps it. */
export interface ShaperState {
  objects: AppliedObject[];
  /** Device slots (class and filter numbers) by device id. */
  slots: Record<string, number>;
}

/** Where the applied state is kept (KV in a run; memory in tests). */
export interface ShaperStore {
  load(): Promise<ShaperState | null>;
  save(state: ShaperState): Promise<void>;
}

/** One operation done, failed, or (in dry-run) recorded. */
export interface ShaperEvent {
  /** Engine time, epoch ms. */
  time: number;
  action: ShaperOperation["action"] | "sweep";
  key: string;
  summary: string;
  ok: boolean;
  /** The commands, as a shell would show them. */
  commands: string[];
  /** The failing command's exit code and stderr. */
  error?: string;
  dryRun: boolean;
}

/** Options for {@linkcode Shaper}. */
export interface ShaperOptions {
  renderer: ShaperRenderer;
  /** Runs the commands; in dry-run it is never called. */
  runner: CommandRunner;
  store: ShaperStore;
  /** Record what would be done, run nothing. */
  dryRun?: boolean;
  onEvent?: (event: ShaperEvent) => void;
  /** Per command; default 10 s. */
  timeoutMs?: number;
  /** First retry after a failure, doubling to `maxRetryMs` (defaults 1 s and 60 s). */
  firstRetryMs?: number;
  maxRetryMs?: number;
}

/** What one apply did. */
export interface ApplyResult {
  done: number;
  failed: number;
  /** When the next retry is due (engine ms), or null when all is applied. */
  retryAt: number | null;
}

/**
 * Applies plans.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { LinuxRenderer } from "./linux_renderer.ts";
 * let saved = null as unknown;
 * const shaper = new Shaper({
 *   renderer: new LinuxRenderer({ lan: "eth1" }),
 *   runner: { run: () => Promise.reject(new Error("dry-run runs nothing")) },
 *   store: { load: () => Promise.resolve(null), save: (s) => (saved = s, Promise.resolve()) },
 *   dryRun: true,
 * });
 * await shaper.start();
 * const plan = { link: { down: 12_500_000, up: 2_500_000 },
 *   shares: { high: 0.5, normal: 0.35, low: 0.15 }, devices: [] };
 * const first = await shaper.apply(plan, 1000);
 * assertEquals(first.failed, 0);
 * assertEquals((await shaper.apply(plan, 2000)).done, 0, "nothing changed");
 * ```
 */
export class Shaper {
  readonly dryRun: boolean;
  readonly #o: ShaperOptions;
  #applied: AppliedObject[] = [];
  #slots = new Map<string, number>();
  #recreate = true;
  #failures = 0;
  #retryAt: number | null = null;
  #lastPlan: ShapePlan | null = null;

  constructor(options: ShaperOptions) {
    this.#o = options;
    this.dryRun = options.dryRun ?? false;
  }

  /** Loads what a previous run applied: the first apply removes what is no longer wanted. */
  async start(): Promise<void> {
    const state = await this.#o.store.load();
    this.#applied = state?.objects ?? [];
    this.#slots = new Map(Object.entries(state?.slots ?? {}));
    this.#recreate = true;
  }

  /** What is applied now, in order. */
  get applied(): readonly AppliedObject[] {
    return this.#applied;
  }

  /** When a failed apply is retried (engine ms), or null. */
  get retryAt(): number | null {
    return this.#retryAt;
  }

  /**
   * Brings the system to `plan` at engine time `nowMs`: only the
   * operations that differ run. After a failure the rest waits for the
   * retry ({@linkcode tick}), since later operations may need the failed one.
   */
  async apply(plan: ShapePlan, nowMs: number): Promise<ApplyResult> {
    this.#lastPlan = plan;
    const slots = new Map(this.#slots);
    let desired;
    try {
      desired = this.#o.renderer.render(plan, slots);
    } catch (err) {
      // A plan the platform cannot take (too many devices): reported, never thrown.
      const why = (err as Error).message;
      this.#event(nowMs, "create", "plan", "the plan", [], why);
      return { done: 0, failed: 1, retryAt: null };
    }
    const ops = reconcile(this.#applied, desired, { recreate: this.#recreate });
    const have = new Map(this.#applied.map((a) => [a.key, a]));
    let done = 0, failed = 0;
    for (const op of ops) {
      const error = await this.#run(op.commands);
      this.#event(nowMs, op.action, op.object.key, op.object.summary, op.commands, error);
      if (error !== undefined) {
        failed++;
        break;
      }
      done++;
      if (op.action === "remove") have.delete(op.object.key);
      else have.set(op.object.key, appliedOf(op.object));
    }
    // Applied, in the order wanted; what could not be removed stays first.
    const wantedKeys = new Set(desired.map((d) => d.key));
    this.#applied = [
      ...this.#applied.filter((a) => have.has(a.key) && !wantedKeys.has(a.key)),
      ...desired.filter((d) => have.has(d.key)).map((d) => have.get(d.key)!),
    ];
    // A slot is freed once its device's objects are surely gone: after a clean apply.
    const planned = new Set(plan.devices.map((d) => d.id));
    this.#slots = failed > 0 ? slots : new Map([...slots].filter(([id]) => planned.has(id)));
    await this.#o.store.save({ objects: this.#applied, slots: Object.fromEntries(this.#slots) });
    if (failed > 0) {
      const first = this.#o.firstRetryMs ?? 1000, max = this.#o.maxRetryMs ?? 60_000;
      this.#retryAt = nowMs + Math.min(max, first * 2 ** this.#failures++);
    } else {
      this.#failures = 0;
      this.#retryAt = null;
      this.#recreate = false;
    }
    return { done, failed, retryAt: this.#retryAt };
  }

  /** Retries the last plan when its retry is due. */
  async tick(nowMs: number): Promise<ApplyResult | null> {
    if (this.#retryAt === null || nowMs < this.#retryAt || !this.#lastPlan) return null;
    return await this.apply(this.#lastPlan, nowMs);
  }

  /**
   * Removes everything applied, then sweeps whatever of Sluice's the
   * renderer knows to look for (a lost store, another run's leftovers).
   * Returns how many operations failed.
   */
  async reset(nowMs: number): Promise<number> {
    let failed = 0;
    for (let i = this.#applied.length - 1; i >= 0; i--) {
      const a = this.#applied[i];
      const error = await this.#run(a.remove);
      this.#event(nowMs, "remove", a.key, a.summary, a.remove, error);
      if (error !== undefined) failed++;
    }
    const sweep = this.#o.renderer.sweep();
    const error = await this.#run(sweep);
    this.#event(nowMs, "sweep", "sweep", "anything else of Sluice's", sweep, error);
    if (error !== undefined) failed++;
    this.#applied = [];
    this.#slots.clear();
    this.#retryAt = null;
    this.#lastPlan = null;
    await this.#o.store.save({ objects: [], slots: {} });
    return failed;
  }

  /** Runs commands in order; the first real failure as "exit N: stderr", else undefined. */
  async #run(commands: readonly ShaperCommand[]): Promise<string | undefined> {
    if (this.dryRun) return undefined;
    for (const c of commands) {
      const result = await this.#o.runner.run(c.argv, {
        stdin: c.stdin,
        timeoutMs: this.#o.timeoutMs ?? 10_000,
      }).catch((err) => ({ code: -1, stdout: "", stderr: String(err?.message ?? err) }));
      if (result.code !== 0 && !c.mayFail) {
        const why = result.stderr.trim().split("\n").filter(Boolean).join("; ");
        return `${commandLine(c)}: exit ${result.code}${why ? `: ${why}` : ""}`;
      }
    }
    return undefined;
  }

  #event(
    time: number,
    action: ShaperEvent["action"],
    key: string,
    summary: string,
    commands: readonly ShaperCommand[],
    error: string | undefined,
  ): void {
    this.#o.onEvent?.({
      time,
      action,
      key,
      summary,
      ok: error === undefined,
      commands: commands.map(commandLine),
      ...(error === undefined ? {} : { error }),
      dryRun: this.dryRun,
    });
  }
}

/** A command as a shell would show it, quoting what needs it; stdin shown after "<<<". */
export function commandLine(c: ShaperCommand): string {
  const quote = (a: string) =>
    /^[A-Za-z0-9_.:/@%+=,-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`;
  const line = c.argv.map(quote).join(" ");
  return c.stdin === undefined ? line : `${line} <<< ${quote(c.stdin)}`;
}
