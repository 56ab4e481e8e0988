/**
 * Bytes and packets per local process, up (sent by the process) and down
 * (received), as the last closed second's rate and totals since start, with
 * the protocols each used. Rows are the caller's small process ids, plus
 * two of its own: "unknown" (what no process could be found for, and
 * packets in no flow) and "exited" (what processes released with
 * {@linkcode ProcessTable.release} carried, before and after), so the rows
 * always add up to every byte metered.
 *
 * @module
 */

/** The row of traffic no process was found for. */
export const UNKNOWN_PROCESS = -1;
/** The row of processes released (their ids given to others). */
export const EXITED_PROCESS = -2;

/** Protocol bits, as {@linkcode protocolBit} gives them. */
export const ProtocolBit = { TCP: 1, UDP: 2, ICMP: 4, OTHER: 8 } as const;
const PROTOCOL_NAMES: readonly [number, string][] = [
  [ProtocolBit.TCP, "tcp"],
  [ProtocolBit.UDP, "udp"],
  [ProtocolBit.ICMP, "icmp"],
  [ProtocolBit.OTHER, "other"],
];

/** The {@linkcode ProtocolBit} of an IP protocol number (ICMPv6 is icmp). */
export function protocolBit(protocol: number): number {
  return protocol === 6
    ? ProtocolBit.TCP
    : protocol === 17
    ? ProtocolBit.UDP
    : protocol === 1 || protocol === 58
    ? ProtocolBit.ICMP
    : ProtocolBit.OTHER;
}

/** One row, as plain data. */
export interface ProcessUsage {
  /** The caller's id, or {@linkcode UNKNOWN_PROCESS} / {@linkcode EXITED_PROCESS}. */
  id: number;
  /** Bytes in the last closed second. */
  up: number;
  down: number;
  totalUp: number;
  totalDown: number;
  packetsUp: number;
  packetsDown: number;
  /** "tcp", "udp", "icmp", "other": those seen, in that order. */
  protocols: string[];
}

/** Options for {@linkcode ProcessTable}. */
export interface ProcessTableOptions {
  /** Ids run 0..maxProcesses - 1 (default 4096); others count as unknown. */
  maxProcesses?: number;
}

/** Rows before the caller's ids: unknown, exited. */
const OWN_ROWS = 2;
/**
 * Per row: totals up, down, packets up, down, then this second's up, down,
 * then the rate's, then up and down since the last {@linkcode ProcessTable.takeMinute}.
 */
const F = 10;

/**
 * The per-process meter. {@linkcode add} allocates nothing once a row
 * exists; rows grow (doubling) up to `maxProcesses`, so memory stays
 * bounded by the ids the caller hands out, which it reuses after
 * {@linkcode release}.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const table = new ProcessTable();
 * table.add(3, 6, 1000, 40, 2, 1);
 * table.add(UNKNOWN_PROCESS, 1, 98, 0, 1, 0);
 * table.closeSecond();
 * assertEquals(table.usage(3)?.totalUp, 1000);
 * assertEquals(table.usage(3)?.protocols, ["tcp"]);
 * assertEquals(table.totals().bytes, 1138);
 * ```
 */
export class ProcessTable {
  readonly maxProcesses: number;
  /** Bumped each time an id is released, so flows attributed before can tell. */
  generation: Uint32Array;
  /** Ids past the limit, counted as unknown. */
  rejected = 0;
  #f: Float64Array;
  #protocols: Uint8Array;
  #rows = OWN_ROWS;

  constructor(options: ProcessTableOptions = {}) {
    const max = options.maxProcesses ?? 4096;
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(`maxProcesses must be a positive integer, got ${max}`);
    }
    this.maxProcesses = max;
    const rows = Math.min(max, 14) + OWN_ROWS;
    this.#f = new Float64Array(rows * F);
    this.#protocols = new Uint8Array(rows);
    this.generation = new Uint32Array(rows - OWN_ROWS);
  }

  /** Whether `id` is one the table takes (an integer in 0..maxProcesses - 1). */
  accepts(id: number): boolean {
    return Number.isInteger(id) && id >= 0 && id < this.maxProcesses;
  }

  /**
   * Counts bytes and packets of process `id` (or {@linkcode UNKNOWN_PROCESS},
   * {@linkcode EXITED_PROCESS}); an id it does not accept counts as unknown.
   * `protocol` is the IP protocol number.
   */
  add(
    id: number,
    protocol: number,
    up: number,
    down: number,
    upPackets: number,
    downPackets: number,
  ): void {
    let row: number;
    if (id === UNKNOWN_PROCESS) row = 0;
    else if (id === EXITED_PROCESS) row = 1;
    else if (this.accepts(id)) row = this.#row(id);
    else {
      this.rejected++;
      row = 0;
    }
    const f = this.#f, at = row * F;
    f[at] += up;
    f[at + 1] += down;
    f[at + 2] += upPackets;
    f[at + 3] += downPackets;
    f[at + 4] += up;
    f[at + 5] += down;
    f[at + 8] += up;
    f[at + 9] += down;
    this.#protocols[row] |= protocolBit(protocol);
  }

  /** Ends the second: what was added since becomes the rate. */
  closeSecond(): void {
    const f = this.#f;
    for (let at = 0; at < this.#rows * F; at += F) {
      f[at + 6] = f[at + 4];
      f[at + 7] = f[at + 5];
      f[at + 4] = f[at + 5] = 0;
    }
  }

  /**
   * The caller gives `id` to another process: what it carried moves to the
   * "exited" row (so the totals still add up), its row starts again at zero,
   * and flows attributed to it before count as exited from now on.
   */
  release(id: number): void {
    if (!this.accepts(id) || id + OWN_ROWS >= this.#rows) return;
    const f = this.#f, from = (id + OWN_ROWS) * F, to = F;
    for (let i = 0; i < F; i++) f[to + i] += f[from + i];
    f.fill(0, from, from + F);
    this.#protocols[1] |= this.#protocols[id + OWN_ROWS];
    this.#protocols[id + OWN_ROWS] = 0;
    this.generation[id]++;
  }

  /** A row's figures; undefined for an id never counted. */
  usage(id: number): ProcessUsage | undefined {
    const row = id === UNKNOWN_PROCESS
      ? 0
      : id === EXITED_PROCESS
      ? 1
      : this.accepts(id) && id + OWN_ROWS < this.#rows
      ? id + OWN_ROWS
      : -1;
    if (row < 0) return undefined;
    const f = this.#f, at = row * F;
    return {
      id,
      up: f[at + 6],
      down: f[at + 7],
      totalUp: f[at],
      totalDown: f[at + 1],
      packetsUp: f[at + 2],
      packetsDown: f[at + 3],
      protocols: PROTOCOL_NAMES.filter(([bit]) => (this.#protocols[row] & bit) !== 0)
        .map(([, name]) => name),
    };
  }

  /** Every row with traffic since start (or since its release), unknown and exited first. */
  list(): ProcessUsage[] {
    const out: ProcessUsage[] = [];
    for (let row = 0; row < this.#rows; row++) {
      const at = row * F;
      if (this.#f[at + 2] + this.#f[at + 3] === 0) continue;
      out.push(
        this.usage(row === 0 ? UNKNOWN_PROCESS : row === 1 ? EXITED_PROCESS : row - OWN_ROWS)!,
      );
    }
    return out;
  }

  /**
   * Bytes each way per process name since the last call (or start), and
   * starts the next count: what the history keeps per minute. Rows are named
   * by `nameOf` (the caller's ids are its own), "unknown" and "exited" by
   * themselves; ids `nameOf` cannot name count as "unknown", rows sharing a
   * name are added up, and rows with nothing are left out. What a released
   * id carried since the last call counts as "exited".
   *
   * @example
   * ```ts
   * import { assertEquals } from "@std/assert";
   * const table = new ProcessTable();
   * table.add(0, 6, 500, 100, 1, 1);
   * table.add(UNKNOWN_PROCESS, 17, 7, 0, 1, 0);
   * assertEquals(table.takeMinute(() => "curl"), { unknown: [7, 0], curl: [500, 100] });
   * assertEquals(table.takeMinute(() => "curl"), {});
   * ```
   */
  takeMinute(nameOf: (id: number) => string | undefined): Record<string, [number, number]> {
    const out: Record<string, [number, number]> = {};
    const f = this.#f;
    for (let row = 0; row < this.#rows; row++) {
      const at = row * F, up = f[at + 8], down = f[at + 9];
      if (up + down === 0) continue;
      f[at + 8] = f[at + 9] = 0;
      const name = row === 0
        ? "unknown"
        : row === 1
        ? "exited"
        : nameOf(row - OWN_ROWS) ?? "unknown";
      const pair = Object.hasOwn(out, name) ? out[name] : (out[name] = [0, 0]);
      pair[0] += up;
      pair[1] += down;
    }
    return out;
  }

  /** Everything metered: bytes and packets, each way and in all. */
  totals(): { up: number; down: number; bytes: number; packets: number } {
    let up = 0, down = 0, packets = 0;
    const f = this.#f;
    for (let at = 0; at < this.#rows * F; at += F) {
      up += f[at];
      down += f[at + 1];
      packets += f[at + 2] + f[at + 3];
    }
    return { up, down, bytes: up + down, packets };
  }

  #row(id: number): number {
    const row = id + OWN_ROWS;
    if (row >= this.#rows) {
      if (row * F >= this.#f.length) {
        let rows = this.#f.length / F;
        while (rows <= row) rows *= 2;
        rows = Math.min(rows, this.maxProcesses + OWN_ROWS);
        const f = new Float64Array(rows * F), p = new Uint8Array(rows);
        const g = new Uint32Array(rows - OWN_ROWS);
        f.set(this.#f);
        p.set(this.#protocols);
        g.set(this.generation);
        this.#f = f, this.#protocols = p, this.generation = g;
      }
      this.#rows = row + 1;
    }
    return row;
  }
}
