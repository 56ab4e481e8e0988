/**
 * What the policy engine wants and has counted, in Deno KV: each device's
 * desired state (what the shaper is to enforce, with its reason and since
 * when), and its quota and time-budget counters, so that a restart picks up
 * mid-period. Plain data in, plain data out.
 *
 * @module
 */
import type { Counter, DeviceState } from "../policy/mod.ts";
import { AtomicBatches, DEFAULT_COMMIT_LIMITS } from "./_kv_batch.ts";
import { checkTime } from "./periods.ts";
import { checkId } from "./usage_record.ts";

/** A device's desired state and when it was decided. */
export interface StoredState {
  /** Engine time of the evaluation that gave it, epoch ms. */
  time: number;
  state: DeviceState;
}

/** A device's counters by rule id, and when they were saved. */
export interface StoredCounters {
  time: number;
  counters: Record<string, Counter>;
}

const STATES = "policy-states", COUNTERS = "policy-counters";
/** Far above a state's size; the batch limits count it. */
const STATE_BYTES = 8_000;

/**
 * Desired states under `["policy-states", deviceId]`, counters under
 * `["policy-counters", deviceId]`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const kv = await Deno.openKv(":memory:");
 * const store = new PolicyStateStore(kv);
 * const state = { id: "mac:02:00:00:00:00:07", blocked: true, down: null, up: null,
 *   priority: "normal" as const, level: "block" as const, ruleId: "night",
 *   reason: "blocked (rule night)", scoped: [] };
 * await store.putStates([state], 5000);
 * assertEquals(await store.state(state.id), { time: 5000, state });
 * kv.close();
 * ```
 */
export class PolicyStateStore {
  readonly #kv: Deno.Kv;

  constructor(kv: Deno.Kv) {
    this.#kv = kv;
  }

  /** Stores devices' states as decided at `timeMs` (several atomic commits for many). */
  async putStates(states: readonly DeviceState[], timeMs: number): Promise<void> {
    checkTime(timeMs, "timeMs");
    states.forEach((s, i) => checkId(s?.id, `states[${i}].id`));
    const batches = new AtomicBatches(this.#kv, DEFAULT_COMMIT_LIMITS);
    for (const state of states) {
      await batches.set([STATES, state.id], { time: timeMs, state }, STATE_BYTES);
    }
    await batches.finish();
  }

  /** One device's stored state, or null. */
  async state(deviceId: string): Promise<StoredState | null> {
    checkId(deviceId, "deviceId");
    return (await this.#kv.get<StoredState>([STATES, deviceId])).value;
  }

  /** Every stored state, by device id. */
  async states(): Promise<Map<string, StoredState>> {
    const out = new Map<string, StoredState>();
    for await (const { key, value } of this.#kv.list<StoredState>({ prefix: [STATES] })) {
      out.set(key[1] as string, value);
    }
    return out;
  }

  /**
   * Removes every stored state: a new run with another policy decides them
   * again as devices appear.
   */
  async clearStates(): Promise<void> {
    for await (const { key } of this.#kv.list({ prefix: [STATES] })) await this.#kv.delete(key);
  }

  /** Stores devices' counters as of `timeMs`. */
  async putCounters(
    counters: ReadonlyMap<string, ReadonlyMap<string, Readonly<Counter>>>,
    timeMs: number,
  ): Promise<void> {
    checkTime(timeMs, "timeMs");
    // All checked before any write: a bad entry leaves the store as it was.
    for (const [deviceId, byRule] of counters) {
      checkId(deviceId, "deviceId");
      for (const [rule, c] of byRule) {
        if (!Number.isSafeInteger(c?.period) || !(c.used >= 0) || c.used === Infinity) {
          throw new RangeError(
            `counter ${rule} of ${deviceId} needs an integer period and used >= 0, got ` +
              `${c?.period} and ${c?.used}`,
          );
        }
      }
    }
    const batches = new AtomicBatches(this.#kv, DEFAULT_COMMIT_LIMITS);
    for (const [deviceId, byRule] of counters) {
      const value: StoredCounters = { time: timeMs, counters: {} };
      for (const [rule, c] of byRule) value.counters[rule] = { period: c.period, used: c.used };
      await batches.set([COUNTERS, deviceId], value, 64 + byRule.size * 96);
    }
    await batches.finish();
  }

  /** Every device's stored counters, by device id. */
  async counters(): Promise<Map<string, StoredCounters>> {
    const out = new Map<string, StoredCounters>();
    for await (const { key, value } of this.#kv.list<StoredCounters>({ prefix: [COUNTERS] })) {
      out.set(key[1] as string, value);
    }
    return out;
  }
}
