/**
 * Where `sluice top` gets its snapshots: a running Sluice's API
 * (api_source.ts), or its own capture on an interface or from a file
 * (capture_source.ts). Either way, one {@linkcode TopSnapshot} a second.
 *
 * @module
 */
import type { TopSnapshot } from "./rows.ts";

/**
 * A stream of snapshots.
 *
 * @example
 * ```ts ignore
 * for await (const snapshot of source.snapshots(signal)) show(snapshot);
 * source.close();
 * ```
 */
export interface SnapshotSource {
  /** For the title line: the URL, the interface or the file. */
  readonly name: string;
  /** The snapshots as they come, until the source ends or `signal` aborts. */
  snapshots(signal: AbortSignal): AsyncIterable<TopSnapshot>;
  /** Releases what the source holds (a capture). */
  close(): void;
}
