/**
 * Enforcement: everything Sluice does to the operating system's traffic
 * control, and the one place it runs programs.
 *
 * - {@linkcode shapePlan} turns the policy's desired state into a plan.
 * - {@linkcode Shaper} applies plans: a renderer ({@linkcode LinuxRenderer})
 *   gives the objects, {@linkcode reconcile} the operations, a
 *   {@linkcode CommandRunner} runs them (or, in dry-run, nothing does), and
 *   a {@linkcode ShaperStore} ({@linkcode KvShaperStore}) keeps what was
 *   applied.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const runner = new NamespacedRunner("lab", {
 *   run: (argv) => Promise.resolve({ code: 0, stdout: argv.join(" "), stderr: "" }),
 * });
 * assertEquals((await runner.run(["ip", "neigh"])).stdout, "ip netns exec lab ip neigh");
 * ```
 *
 * @module
 */
export {
  type CommandResult,
  type CommandRunner,
  NamespacedRunner,
  NOT_FOUND,
  type RunOptions,
  SystemCommandRunner,
  TIMED_OUT,
} from "./command_runner.ts";
export * from "./shaper_types.ts";
export { reconcile, type ReconcileOptions } from "./reconcile.ts";
export { LinuxRenderer, type LinuxRendererOptions, MAX_SLOTS } from "./linux_renderer.ts";
export { WindowsRenderer } from "./windows_renderer.ts";
export type { Leaf } from "./_linux_tc.ts";
export {
  type ApplyResult,
  commandLine,
  Shaper,
  type ShaperEvent,
  type ShaperOptions,
  type ShaperState,
  type ShaperStore,
} from "./shaper.ts";
export { KvShaperStore } from "./kv_shaper_store.ts";
export {
  type DeviceAddresses,
  type Protected,
  shapePlan,
  type SkippedDevice,
} from "./shape_plan.ts";
