// Per-device alert state in typed arrays indexed by a slot number, so the
// per-second paths (rate samples, ticks) only read and write numbers. Slot 0
// is the link itself (alerts about no one device); freed slots are reused.
import { ALERT_KINDS } from "./policy_types.ts";
import type { AlertState, RuleState } from "./_alert_state.ts";

/** Alert kinds per slot in the `[slot * KINDS + kind]` tables. */
export const KINDS: number = ALERT_KINDS.length;

function grown(a: Float64Array, length: number, fill: number): Float64Array {
  const b = new Float64Array(length).fill(fill);
  b.set(a);
  return b;
}

function grownBytes(a: Uint8Array, length: number): Uint8Array {
  const b = new Uint8Array(length);
  b.set(a);
  return b;
}

/** Device slots and their state; fields are public for the tracker's loops. */
export class AlertSlots {
  readonly #slots = new Map<string, number>();
  readonly #free: number[] = [];
  /** Slots handed out so far, the link's included: loops run below this. */
  size = 1;
  /** Device id per slot; null for the link and for free slots. */
  devices: (string | null)[] = [null];
  /** Display name per slot, as last given. */
  names: string[] = [""];

  /** Time of the last rate sample, of the last traffic (NaN: never). */
  lastSample: Float64Array = new Float64Array(8).fill(NaN);
  lastSeen: Float64Array = new Float64Array(8).fill(NaN);
  /** The current run of samples above the sustained rate: first sample, last one, peak. */
  runStart: Float64Array = new Float64Array(8).fill(NaN);
  lastAbove: Float64Array = new Float64Array(8).fill(NaN);
  runPeak: Float64Array = new Float64Array(8);
  /** Last spike sample; last shaper failure. */
  lastSpike: Float64Array = new Float64Array(8).fill(NaN);
  lastFailure: Float64Array = new Float64Array(8).fill(NaN);
  /** 1 once the current run has started (or been counted against) an alert. */
  runCounted: Uint8Array = new Uint8Array(8);
  /** 1 when the previous sample was a spike. */
  prevSpike: Uint8Array = new Uint8Array(8);
  /** 1 while the device is offline (alerted or held back by the cooldown). */
  offline: Uint8Array = new Uint8Array(8);
  /** [slot * KINDS + kind]: no start before this time; repeats held back meanwhile. */
  cooldownUntil: Float64Array = new Float64Array(8 * KINDS).fill(-Infinity);
  suppressed: Float64Array = new Float64Array(8 * KINDS);
  /** [slot * KINDS + kind]: the active alert (rule kinds live in `rules`). */
  active: (AlertState | null)[] = new Array(8 * KINDS).fill(null);
  /** Per slot: rule id to its quota and time-budget state. */
  rules: (Map<string, RuleState> | undefined)[] = [undefined];

  /** The slot of `device`, -1 if it has none. */
  find(device: string): number {
    return this.#slots.get(device) ?? -1;
  }

  /** The slot of `device`, given one on first use. */
  slot(device: string): number {
    const found = this.#slots.get(device);
    if (found !== undefined) return found;
    const slot = this.#free.pop() ?? this.size++;
    if (slot >= this.lastSample.length) this.#grow(slot + 1);
    this.#slots.set(device, slot);
    this.devices[slot] = device;
    return slot;
  }

  /** Clears `slot` for reuse. */
  release(slot: number): void {
    const device = this.devices[slot];
    if (slot === 0 || device === null) return;
    this.#slots.delete(device);
    this.devices[slot] = null;
    this.names[slot] = "";
    this.lastSample[slot] = this.lastSeen[slot] = this.runStart[slot] = NaN;
    this.lastAbove[slot] = this.lastSpike[slot] = this.lastFailure[slot] = NaN;
    this.runPeak[slot] =
      this.runCounted[slot] =
      this.prevSpike[slot] =
      this.offline[slot] =
        0;
    this.cooldownUntil.fill(-Infinity, slot * KINDS, (slot + 1) * KINDS);
    this.suppressed.fill(0, slot * KINDS, (slot + 1) * KINDS);
    this.active.fill(null, slot * KINDS, (slot + 1) * KINDS);
    this.rules[slot] = undefined;
    this.#free.push(slot);
  }

  #grow(min: number): void {
    let n = this.lastSample.length;
    while (n < min) n *= 2;
    this.lastSample = grown(this.lastSample, n, NaN);
    this.lastSeen = grown(this.lastSeen, n, NaN);
    this.runStart = grown(this.runStart, n, NaN);
    this.lastAbove = grown(this.lastAbove, n, NaN);
    this.runPeak = grown(this.runPeak, n, 0);
    this.lastSpike = grown(this.lastSpike, n, NaN);
    this.lastFailure = grown(this.lastFailure, n, NaN);
    this.runCounted = grownBytes(this.runCounted, n);
    this.prevSpike = grownBytes(this.prevSpike, n);
    this.offline = grownBytes(this.offline, n);
    this.cooldownUntil = grown(this.cooldownUntil, n * KINDS, -Infinity);
    this.suppressed = grown(this.suppressed, n * KINDS, 0);
    for (let i = this.active.length; i < n * KINDS; i++) this.active.push(null);
  }
}
