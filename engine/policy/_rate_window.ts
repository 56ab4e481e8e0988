// Per-device sliding windows of (down, up) rate samples, for AutoPriority:
// one ring of `size` samples per device index, in two flat typed arrays.

/** Typed arrays that AutoPriority grows by device index. */
type Grown = Float64Array<ArrayBuffer> | Int32Array<ArrayBuffer> | Uint8Array<ArrayBuffer>;

/** A copy of `a`, `n` long, new elements `fill`. */
export function grown<T extends Grown>(a: T, n: number, fill = 0): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

/** The last `size` samples of each device, with their sums. */
export class RateWindows {
  readonly size: number;
  #down = new Float64Array(0);
  #up = new Float64Array(0);
  #sumDown = new Float64Array(0);
  #sumUp = new Float64Array(0);
  /** Samples held (up to size), samples not zero, the next slot. */
  #held = new Int32Array(0);
  #nonZero = new Int32Array(0);
  #next = new Int32Array(0);

  constructor(size: number) {
    this.size = size;
  }

  /** Makes room for device indexes below `n`. */
  grow(n: number): void {
    this.#down = grown(this.#down, n * this.size);
    this.#up = grown(this.#up, n * this.size);
    this.#sumDown = grown(this.#sumDown, n);
    this.#sumUp = grown(this.#sumUp, n);
    this.#held = grown(this.#held, n);
    this.#nonZero = grown(this.#nonZero, n);
    this.#next = grown(this.#next, n);
  }

  /** Adds a sample, dropping the oldest once the window is full. */
  push(device: number, down: number, up: number): void {
    const size = this.size, next = this.#next[device], at = device * size + next;
    const oldDown = this.#down[at], oldUp = this.#up[at];
    this.#down[at] = down;
    this.#up[at] = up;
    if (oldDown + oldUp > 0) this.#nonZero[device]--;
    if (down + up > 0) this.#nonZero[device]++;
    if (this.#held[device] < size) this.#held[device]++;
    this.#next[device] = next + 1 === size ? 0 : next + 1;
    if (this.#nonZero[device] === 0) {
      this.#sumDown[device] = this.#sumUp[device] = 0; // exactly: idle is idle
    } else if (next + 1 === size) { // once a lap, sums afresh: no drift
      let sumDown = 0, sumUp = 0;
      for (let i = device * size, end = i + size; i < end; i++) {
        sumDown += this.#down[i];
        sumUp += this.#up[i];
      }
      this.#sumDown[device] = sumDown;
      this.#sumUp[device] = sumUp;
    } else {
      this.#sumDown[device] += down - oldDown;
      this.#sumUp[device] += up - oldUp;
    }
  }

  /** Samples in `device`'s window (0 to size). */
  held(device: number): number {
    return this.#held[device];
  }

  /** The average download over the window, bytes/s (0 when empty). */
  down(device: number): number {
    const held = this.#held[device];
    return held === 0 ? 0 : this.#sumDown[device] / held;
  }

  /** The average upload over the window, bytes/s (0 when empty). */
  up(device: number): number {
    const held = this.#held[device];
    return held === 0 ? 0 : this.#sumUp[device] / held;
  }

  /** Whether every sample in the window is zero. */
  idle(device: number): boolean {
    return this.#nonZero[device] === 0;
  }

  /** Empties `device`'s window. */
  clear(device: number): void {
    this.#down.fill(0, device * this.size, (device + 1) * this.size);
    this.#up.fill(0, device * this.size, (device + 1) * this.size);
    this.#sumDown[device] = this.#sumUp[device] = 0;
    this.#held[device] = this.#nonZero[device] = this.#next[device] = 0;
  }
}
