/**
 * Per-process attribution for host mode: the per-process meter and the
 * per-flow attribution through an injected socket resolver.
 *
 * @example
 * ```ts ignore
 * import { ProcessTable } from "./mod.ts";
 * const monitor = new Monitor({ linkType, lan, processes: { table: new ProcessTable(), resolver } });
 * ```
 *
 * @module
 */
export * from "./process_table.ts";
export * from "./process_attribution.ts";
export * from "./process_history_id.ts";
