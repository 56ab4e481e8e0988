/**
 * Per-device connection quality: handshake RTTs on the LAN and WAN side and
 * the share of data segments retransmitted, smoothed.
 *
 * @module
 */
import { growFloat64 } from "./_grow.ts";

/** A device's quality figures; null where there is no sample yet. */
export interface QualityFigures {
  /** Median of the last {@linkcode RECENT_RTTS} LAN-side handshake RTTs, milliseconds. */
  lanRttMs: number | null;
  /** The same on the WAN side. */
  wanRttMs: number | null;
  /** RTT samples since start, per side and both. */
  lanRttSamples: number;
  wanRttSamples: number;
  rttSamples: number;
  /** Retransmissions per data segment over the last 1 to 2 × {@linkcode RECENT_SEGMENTS} segments. */
  retransmitRate: number | null;
  /** Data segments and retransmissions since start. */
  segments: number;
  retransmits: number;
}

/** How many recent RTT samples the medians are taken over, per side. */
export const RECENT_RTTS = 16;
/** Segments per bucket of the recent retransmission rate. */
export const RECENT_SEGMENTS = 1000;

const SIDE = { lan: 0, wan: 1 } as const;

/**
 * Quality figures per device index, growing as devices appear. RTTs are
 * medians of recent samples: one far-away server's slow handshake does not
 * move them, as it would a mean. The retransmission rate covers two buckets
 * of {@linkcode RECENT_SEGMENTS} segments (the filling one and the last
 * full one), so it follows a change within a few thousand segments.
 * {@linkcode addSegments} allocates nothing: it can be called per packet.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const quality = new DeviceQuality();
 * quality.addRtt(4, "wan", 0.030);
 * quality.addRtt(4, "wan", 0.020);
 * quality.addRtt(4, "wan", 0.900); // one slow server
 * quality.addRtt(4, "lan", 0.002);
 * quality.addSegments(4, 200, 3);
 * assertEquals(quality.get(4), {
 *   lanRttMs: 2, wanRttMs: 30, lanRttSamples: 1, wanRttSamples: 3, rttSamples: 4,
 *   retransmitRate: 0.015, segments: 200, retransmits: 3,
 * });
 * assertEquals(quality.get(5).wanRttMs, null);
 * ```
 */
export class DeviceQuality {
  /** [(device * 2 + side) * RECENT_RTTS + i], seconds: a ring per device and side. */
  #rtt = new Float64Array(8 * 2 * RECENT_RTTS);
  /** [device * 2 + side]: samples since start. */
  #rttCount = new Float64Array(8 * 2);
  /** [device * 2]: segments, [device * 2 + 1]: retransmits since start. */
  #totals = new Float64Array(8 * 2);
  /** [device * 4 + 0..3]: segments and retransmits of the filling bucket, then the last full one. */
  #recent = new Float64Array(8 * 4);
  #devices = 0;

  /** Device indexes seen so far run 0..devices - 1. */
  get devices(): number {
    return this.#devices;
  }

  /** Adds a handshake RTT sample, in seconds, to a device's LAN or WAN side. */
  addRtt(device: number, side: "lan" | "wan", seconds: number): void {
    if (!Object.hasOwn(SIDE, side)) throw new TypeError(`side must be "lan" or "wan", got ${side}`);
    const s = SIDE[side];
    if (!(seconds >= 0) || seconds === Infinity) {
      throw new RangeError(`an RTT must be finite seconds >= 0, got ${seconds}`);
    }
    this.#ensure(device);
    const ring = device * 2 + s;
    const n = this.#rttCount[ring]++;
    this.#rtt[ring * RECENT_RTTS + n % RECENT_RTTS] = seconds;
  }

  /** Counts data segments of a device, `retransmits` of them retransmissions. */
  addSegments(device: number, segments: number, retransmits: number): void {
    if (!(segments >= 0 && retransmits >= 0 && retransmits <= segments)) {
      throw new RangeError(
        `need 0 <= retransmits <= segments, got ${retransmits} of ${segments}`,
      );
    }
    this.#ensure(device);
    this.#totals[device * 2] += segments;
    this.#totals[device * 2 + 1] += retransmits;
    const r = this.#recent, at = device * 4;
    r[at] += segments;
    r[at + 1] += retransmits;
    if (r[at] >= RECENT_SEGMENTS) {
      r[at + 2] = r[at], r[at + 3] = r[at + 1];
      r[at] = r[at + 1] = 0;
    }
  }

  /**
   * Forgets device `index`'s figures, for another device to be given the
   * index: it reads as never seen until new samples come. RangeError for a
   * bad index.
   */
  forgetDevice(index: number): void {
    if (!Number.isInteger(index) || index < 0) {
      throw new RangeError(`device must be an index (integer >= 0), got ${index}`);
    }
    if (index >= this.#devices) return;
    // The RTT rings need no clearing: a median reads only the samples counted.
    this.#rttCount[index * 2] = this.#rttCount[index * 2 + 1] = 0;
    this.#totals[index * 2] = this.#totals[index * 2 + 1] = 0;
    this.#recent.fill(0, index * 4, index * 4 + 4);
  }

  /** A device's figures; nulls and zeros for a device never seen. */
  get(device: number): QualityFigures {
    if (!Number.isInteger(device) || device < 0) {
      throw new RangeError(`device must be an index (integer >= 0), got ${device}`);
    }
    if (device >= this.#devices) {
      return {
        lanRttMs: null,
        wanRttMs: null,
        lanRttSamples: 0,
        wanRttSamples: 0,
        rttSamples: 0,
        retransmitRate: null,
        segments: 0,
        retransmits: 0,
      };
    }
    const lan = this.#rttCount[device * 2], wan = this.#rttCount[device * 2 + 1];
    const r = this.#recent, at = device * 4;
    const recentSegments = r[at] + r[at + 2];
    return {
      lanRttMs: this.#medianMs(device * 2),
      wanRttMs: this.#medianMs(device * 2 + 1),
      lanRttSamples: lan,
      wanRttSamples: wan,
      rttSamples: lan + wan,
      retransmitRate: recentSegments > 0 ? (r[at + 1] + r[at + 3]) / recentSegments : null,
      segments: this.#totals[device * 2],
      retransmits: this.#totals[device * 2 + 1],
    };
  }

  #medianMs(ring: number): number | null {
    const n = Math.min(this.#rttCount[ring], RECENT_RTTS);
    if (n === 0) return null;
    const start = ring * RECENT_RTTS;
    const samples = Array.from(this.#rtt.subarray(start, start + n)).sort((a, b) => a - b);
    const mid = n >> 1;
    const median = n % 2 === 1 ? samples[mid] : (samples[mid - 1] + samples[mid]) / 2;
    return median * 1000;
  }

  #ensure(device: number): void {
    if ((device | 0) !== device || device < 0) {
      throw new RangeError(`device must be an index (integer >= 0), got ${device}`);
    }
    if (device < this.#devices) return;
    const n = device + 1;
    if (n * 2 > this.#rttCount.length) {
      this.#rtt = growFloat64(this.#rtt, n * 2 * RECENT_RTTS);
      this.#rttCount = growFloat64(this.#rttCount, n * 2);
      this.#totals = growFloat64(this.#totals, n * 2);
      this.#recent = growFloat64(this.#recent, n * 4);
    }
    this.#devices = n;
  }
}
