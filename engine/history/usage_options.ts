/**
 * The options of `UsageHistory`: how long each level is kept, where days
 * start, and how big its records and commits may get.
 *
 * @module
 */
import { type CommitLimits, DEFAULT_COMMIT_LIMITS } from "./_kv_batch.ts";
import { checkUtcOffset, DAY_MS, HOUR_MS } from "./periods.ts";

/** How long each level is kept, in milliseconds from the start of its period. */
export interface Retention {
  minute: number;
  hour: number;
  day: number;
}

/** Minutes 48 hours, hours 90 days, days 2 years. */
export const DEFAULT_RETENTION: Readonly<Retention> = {
  minute: 48 * HOUR_MS,
  hour: 90 * DAY_MS,
  day: 730 * DAY_MS,
};

/** Options for {@linkcode UsageHistory}. */
export interface UsageHistoryOptions {
  /** Per level; a level left out keeps its {@linkcode DEFAULT_RETENTION}. */
  retention?: Partial<Retention>;
  /** Where days start: local midnight at this offset from UTC, in whole hours (default 0). */
  utcOffsetMinutes?: number;
  /** Apps kept per record; smaller ones are folded into "unknown" (default 500). */
  maxAppsPerRecord?: number;
  /** Size of each atomic commit (default 800 mutations, 600,000 estimated bytes). */
  commitLimits?: Partial<CommitLimits>;
  /**
   * The first part of every key it writes (default "usage"): "proc-usage"
   * keeps its rows under "proc-usage", "proc-usage-by-time", ..., apart
   * from the default history in the same KV. Lowercase letters, digits and
   * "-", starting with a letter, up to 32 characters.
   */
  space?: string;
}

/** Options with every default filled in. */
export type ResolvedOptions = Required<Omit<UsageHistoryOptions, "retention" | "commitLimits">> & {
  retention: Retention;
  commitLimits: CommitLimits;
};

/**
 * Fills in the defaults and checks every option, with a RangeError naming the
 * one that is wrong.
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrows } from "@std/assert";
 * assertEquals(resolveOptions({ retention: { minute: 7_200_000 } }).retention.hour, 90 * 86_400_000);
 * assertThrows(() => resolveOptions({ retention: { hour: 1000 } }), RangeError, "retention.hour");
 * ```
 */
export function resolveOptions(options: UsageHistoryOptions = {}): ResolvedOptions {
  const retention = { ...DEFAULT_RETENTION, ...options.retention };
  // Recovery rebuilds the unfinished hour from minutes and the day from hours.
  const floors: Retention = { minute: HOUR_MS, hour: DAY_MS, day: DAY_MS };
  for (const level of ["minute", "hour", "day"] as const) {
    const ms = retention[level];
    if (!Number.isFinite(ms) || ms < floors[level]) {
      throw new RangeError(`retention.${level} must be at least ${floors[level]} ms, got ${ms}`);
    }
  }
  const utcOffsetMinutes = options.utcOffsetMinutes ?? 0;
  checkUtcOffset(utcOffsetMinutes);
  const maxAppsPerRecord = options.maxAppsPerRecord ?? 500;
  if (!Number.isInteger(maxAppsPerRecord) || maxAppsPerRecord < 1 || maxAppsPerRecord > 1000) {
    throw new RangeError(`maxAppsPerRecord must be 1 to 1000, got ${maxAppsPerRecord}`);
  }
  const commitLimits = { ...DEFAULT_COMMIT_LIMITS, ...options.commitLimits };
  const { maxMutations, maxBytes } = commitLimits;
  // One mutation is kept for the batch's marker, under KV's 1000.
  if (!Number.isInteger(maxMutations) || maxMutations < 2 || maxMutations > 999) {
    throw new RangeError(`commitLimits.maxMutations must be 2 to 999, got ${maxMutations}`);
  }
  if (!Number.isFinite(maxBytes) || maxBytes < 100_000 || maxBytes > 700_000) {
    throw new RangeError(`commitLimits.maxBytes must be 100000 to 700000, got ${maxBytes}`);
  }
  const space = options.space ?? "usage";
  if (typeof space !== "string" || !/^[a-z][a-z0-9-]{0,31}$/.test(space)) {
    throw new RangeError(`space must be 1 to 32 of a-z, 0-9 and "-", from a letter, got ${space}`);
  }
  return { retention, utcOffsetMinutes, maxAppsPerRecord, commitLimits, space };
}
