// The devices PolicyEngine knows, and what it hands evaluation about each:
// kept apart from the engine so that it holds only the per-second flow.
import type { AutoPriority } from "./auto_priority.ts";
import type { DeviceFacts, PreparedPolicy } from "./evaluate.ts";
import type { DeviceState, PolicyConfig } from "./policy_types.ts";
import { clockText } from "./zoned_time.ts";
import { type Counter, usedNow } from "./_usage_counters.ts";

/** Per-device state the engine keeps besides the meters. */
export interface Known {
  index: number;
  id: string;
  name: string;
  labelled: boolean;
  /** Quota bytes and budget seconds by rule id. */
  counters: Map<string, Counter>;
  state: DeviceState | undefined;
}

/** What the book learns a device by, from its second. */
export type Seen = Pick<Known, "index" | "id" | "name" | "labelled">;

/** The engine's devices: by id and monitor index, which need evaluating, and counters seeded early. */
export class DeviceBook {
  readonly known = new Map<string, Known>();
  readonly byIndex: (Known | undefined)[] = [];
  readonly dirty = new Set<Known>();
  /** Devices seen before (another run, or forgotten since): no new_device alert. */
  readonly familiar = new Set<string>();
  /** Counters seeded for devices not seen yet, by device id. */
  readonly seeds = new Map<string, Map<string, Counter>>();

  /** Every known device is evaluated again at the next second. */
  touchAll(): void {
    for (const known of this.known.values()) this.dirty.add(known);
  }

  /** Drops the counters of rules whose ids are not in `ids`. */
  prune(ids: ReadonlySet<string>): void {
    const prune = (counters: Map<string, Counter>) => {
      for (const id of counters.keys()) if (!ids.has(id)) counters.delete(id);
    };
    for (const known of this.known.values()) prune(known.counters);
    for (const seeds of this.seeds.values()) prune(seeds);
  }

  /** Sets a device's counter of a rule; a device not seen yet gets it when it is. */
  seed(deviceId: string, ruleId: string, counter: Counter): void {
    const known = this.known.get(deviceId);
    if (known) {
      known.counters.set(ruleId, counter);
      this.dirty.add(known);
    } else {
      const seeds = this.seeds.get(deviceId) ?? new Map<string, Counter>();
      seeds.set(ruleId, counter);
      this.seeds.set(deviceId, seeds);
    }
  }

  /**
   * The device of a second, added if new: `forget` is first called with the
   * one it replaces at its index, and `arrived` once it is added, unless it
   * is familiar.
   */
  learn(d: Seen, forget: (old: Known) => void, arrived: () => void): Known {
    let known = this.known.get(d.id);
    if (!known) {
      const old = this.byIndex[d.index];
      if (old && old.id !== d.id) forget(old);
      known = {
        index: d.index,
        id: d.id,
        name: d.name,
        labelled: d.labelled,
        counters: this.seeds.get(d.id) ?? new Map(),
        state: undefined,
      };
      this.seeds.delete(d.id);
      this.known.set(d.id, known);
      this.byIndex[d.index] = known;
      this.dirty.add(known);
      if (!this.familiar.has(d.id)) arrived();
    } else if (known.labelled !== d.labelled || known.name !== d.name) {
      known.labelled = d.labelled, known.name = d.name;
      this.dirty.add(known);
    }
    return known;
  }
}

/** What evaluation is told of a known device at `timeMs`. */
export function deviceFacts(
  prepared: PreparedPolicy,
  auto: AutoPriority | null,
  timeZone: PolicyConfig["timeZone"],
  known: Known,
  timeMs: number,
): DeviceFacts {
  const facts: DeviceFacts = {
    id: known.id,
    labelled: known.labelled,
    ...usedNow(prepared, known.counters, timeMs),
  };
  if (auto) {
    facts.auto = {
      priority: auto.priority(known.index),
      reason: auto.reason(known.index, (ms) => clockText(ms, timeZone)),
    };
  }
  return facts;
}
