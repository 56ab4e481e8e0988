// Each device's addresses: up to PER_FAMILY IPv4 and PER_FAMILY IPv6, each
// with when it was last seen, in typed arrays indexed by device slot. A full
// family drops its least recently seen address for a new one (IPv6 privacy
// addresses rotate daily; an old one is the one to lose).
import { formatIp } from "../ip_address.ts";
import { grown } from "./_recency.ts";

/** Addresses kept per family per device. */
export const PER_FAMILY = 8;

export class AddressLists {
  // Int32, as DeviceTable passes words: compared without conversion.
  #v4 = new Int32Array(0);
  #v6 = new Int32Array(0);
  #v4Seen = new Float64Array(0);
  #v6Seen = new Float64Array(0);
  #v4Count = new Uint8Array(0);
  #v6Count = new Uint8Array(0);

  /** Makes room for `devices` slots, keeping what is held. */
  grow(devices: number): void {
    this.#v4 = grown(this.#v4, devices * PER_FAMILY);
    this.#v6 = grown(this.#v6, devices * PER_FAMILY * 4);
    this.#v4Seen = grown(this.#v4Seen, devices * PER_FAMILY);
    this.#v6Seen = grown(this.#v6Seen, devices * PER_FAMILY);
    this.#v4Count = grown(this.#v4Count, devices);
    this.#v6Count = grown(this.#v6Count, devices);
  }

  /** The slot of the address within the device's family list, or -1. */
  #find(d: number, version: number, w0: number, w1: number, w2: number, w3: number): number {
    const base = d * PER_FAMILY;
    w0 |= 0, w1 |= 0, w2 |= 0, w3 |= 0;
    if (version === 4) {
      const v4 = this.#v4;
      for (let i = base, end = base + this.#v4Count[d]; i < end; i++) if (v4[i] === w0) return i;
      return -1;
    }
    const v6 = this.#v6;
    for (let i = base, end = base + this.#v6Count[d]; i < end; i++) {
      const w = i * 4;
      if (v6[w] === w0 && v6[w + 1] === w1 && v6[w + 2] === w2 && v6[w + 3] === w3) return i;
    }
    return -1;
  }

  /**
   * Marks the address seen at `time`; false when the device does not hold it.
   * The per-packet path: the search is written out here rather than calling #find.
   */
  see(
    d: number,
    version: number,
    w0: number,
    w1: number,
    w2: number,
    w3: number,
    time: number,
  ): boolean {
    const base = d * PER_FAMILY;
    if (version === 4) {
      const v4 = this.#v4, seen = this.#v4Seen;
      for (let i = base, end = base + this.#v4Count[d]; i < end; i++) {
        if (v4[i] !== w0) continue;
        if (time > seen[i]) seen[i] = time;
        return true;
      }
      return false;
    }
    const v6 = this.#v6, seen = this.#v6Seen;
    for (let i = base, end = base + this.#v6Count[d]; i < end; i++) {
      const w = i * 4;
      if (v6[w] !== w0 || v6[w + 1] !== w1 || v6[w + 2] !== w2 || v6[w + 3] !== w3) continue;
      if (time > seen[i]) seen[i] = time;
      return true;
    }
    return false;
  }

  /**
   * Adds the address (not held yet) seen at `time`. Returns the words of the
   * address dropped to make room, or null.
   */
  add(
    d: number,
    version: number,
    w0: number,
    w1: number,
    w2: number,
    w3: number,
    time: number,
  ): number[] | null {
    const v4 = version === 4, counts = v4 ? this.#v4Count : this.#v6Count;
    const seen = v4 ? this.#v4Seen : this.#v6Seen, base = d * PER_FAMILY;
    let slot = base + counts[d], dropped: number[] | null = null;
    if (counts[d] < PER_FAMILY) counts[d]++;
    else {
      slot = base;
      for (let i = base + 1; i < base + PER_FAMILY; i++) if (seen[i] < seen[slot]) slot = i;
      dropped = v4 ? [this.#v4[slot], 0, 0, 0] : [...this.#v6.subarray(slot * 4, slot * 4 + 4)];
    }
    if (v4) this.#v4[slot] = w0;
    else {
      const w = slot * 4, v6 = this.#v6;
      v6[w] = w0, v6[w + 1] = w1, v6[w + 2] = w2, v6[w + 3] = w3;
    }
    seen[slot] = time;
    return dropped;
  }

  /** Removes the address if the device holds it (another device took it). */
  remove(d: number, version: number, w0: number, w1: number, w2: number, w3: number): void {
    const slot = this.#find(d, version, w0, w1, w2, w3);
    if (slot < 0) return;
    const v4 = version === 4, counts = v4 ? this.#v4Count : this.#v6Count;
    const seen = v4 ? this.#v4Seen : this.#v6Seen, last = d * PER_FAMILY + --counts[d];
    // The last entry fills the hole: order within a list does not matter.
    seen[slot] = seen[last];
    if (v4) this.#v4[slot] = this.#v4[last];
    else this.#v6.copyWithin(slot * 4, last * 4, last * 4 + 4);
  }

  /** Empties the device's lists, telling `each` every address it held. */
  clear(
    d: number,
    each: (version: number, w0: number, w1: number, w2: number, w3: number) => void,
  ): void {
    const base = d * PER_FAMILY;
    for (let i = base; i < base + this.#v4Count[d]; i++) each(4, this.#v4[i], 0, 0, 0);
    for (let i = base; i < base + this.#v6Count[d]; i++) {
      const w = this.#v6.subarray(i * 4, i * 4 + 4);
      each(6, w[0], w[1], w[2], w[3]);
    }
    this.#v4Count[d] = this.#v6Count[d] = 0;
  }

  /** The device's addresses as text: IPv4 first, each family most recently seen first. */
  list(d: number): string[] {
    const base = d * PER_FAMILY, out: [number, string][] = [], out6: [number, string][] = [];
    for (let i = base; i < base + this.#v4Count[d]; i++) {
      out.push([this.#v4Seen[i], formatIp(4, [this.#v4[i]])]);
    }
    for (let i = base; i < base + this.#v6Count[d]; i++) {
      out6.push([this.#v6Seen[i], formatIp(6, this.#v6.subarray(i * 4, i * 4 + 4))]);
    }
    const newest = (a: [number, string], b: [number, string]) => b[0] - a[0];
    return [...out.sort(newest), ...out6.sort(newest)].map(([, text]) => text);
  }
}
