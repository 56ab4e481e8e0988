import type { PacketInfo } from "./packet_info.ts";

const KEY_WORDS = 10;
/** Seconds a first fragment is remembered for the fragments that follow it. */
const FRAGMENT_LIFETIME = 30;

/**
 * Remembers which flow each fragmented IP datagram belongs to, so that the
 * fragments after the first (which carry no ports) are counted in that flow.
 * Direct-mapped and fixed in size: a collision forgets the older datagram.
 */
export class FragmentTable {
  readonly #key: Uint32Array;
  readonly #flow: Int32Array;
  readonly #generation: Uint32Array;
  readonly #direction: Uint8Array;
  readonly #time: Float64Array;
  readonly #mask: number;
  readonly #probe = new Uint32Array(KEY_WORDS);
  /** Direction recorded for the flow returned by the last successful {@linkcode lookup}. */
  direction = 0;

  constructor(slots = 4096) {
    if (!Number.isInteger(Math.log2(slots))) {
      throw new RangeError(`fragment slots must be a power of two, got ${slots}`);
    }
    this.#key = new Uint32Array(slots * KEY_WORDS);
    this.#flow = new Int32Array(slots).fill(-1);
    this.#generation = new Uint32Array(slots);
    this.#direction = new Uint8Array(slots);
    this.#time = new Float64Array(slots);
    this.#mask = slots - 1;
  }

  /** Records the flow of a first fragment (offset 0, more fragments set). */
  remember(
    info: PacketInfo,
    flow: number,
    generation: number,
    direction: number,
    t: number,
  ): void {
    const slot = this.#slot(info);
    this.#key.set(this.#probe, slot * KEY_WORDS);
    this.#flow[slot] = flow;
    this.#generation[slot] = generation;
    this.#direction[slot] = direction;
    this.#time[slot] = t;
  }

  /**
   * The flow a later fragment belongs to, or -1 when its first fragment was
   * not seen (or too long ago). `generations` rejects a flow slot reused since.
   */
  lookup(info: PacketInfo, generations: Uint32Array, t: number): number {
    const slot = this.#slot(info);
    const flow = this.#flow[slot];
    if (flow < 0 || t - this.#time[slot] > FRAGMENT_LIFETIME) return -1;
    const base = slot * KEY_WORDS, k = this.#probe, key = this.#key;
    for (let i = 0; i < KEY_WORDS; i++) if (key[base + i] !== k[i]) return -1;
    if (generations[flow] !== this.#generation[slot]) return -1;
    this.#time[slot] = t;
    this.direction = this.#direction[slot];
    return flow;
  }

  #slot(info: PacketInfo): number {
    const k = this.#probe;
    k[0] = info.ipVersion << 8 | info.protocol;
    k[1] = info.fragmentId;
    for (let i = 0; i < 4; i++) {
      k[2 + i] = info.src[i];
      k[6 + i] = info.dst[i];
    }
    let h = 0x9e3779b9;
    for (let i = 0; i < KEY_WORDS; i++) h = Math.imul(h ^ k[i], 0x85ebca6b) ^ (h >>> 13);
    return (h >>> 0) & this.#mask;
  }
}
