/**
 * Enforcement: everything Sluice does to the operating system's traffic
 * control, and the one place it runs programs.
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
