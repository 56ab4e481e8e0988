/**
 * Which local process each flow belongs to, asked of an injected
 * {@linkcode ProcessResolver} (the engine itself knows no sockets), and the
 * flows' bytes metered to it in a {@linkcode ProcessTable}. Every packet
 * goes to exactly one row: the flow's process, or unknown.
 *
 * @module
 */
import type { FlowTable } from "../flow_table.ts";
import { EXITED_PROCESS, type ProcessTable, UNKNOWN_PROCESS } from "./process_table.ts";

/**
 * Finds the process owning a socket. Addresses come as 4 words (IPv4 in
 * word 0, the rest 0; IPv6 as the flow key's words), in arrays reused from
 * call to call: read them, do not keep them.
 */
export interface ProcessResolver {
  /**
   * The caller's process id (a small integer, below the table's
   * `maxProcesses`) of the socket at `local`:`localPort` talking to
   * `remote`:`remotePort` over IP `protocol`; null when `local` is not this
   * host's or no socket is found.
   */
  resolve(
    protocol: number,
    ipVersion: number,
    local: Uint32Array,
    localPort: number,
    remote: Uint32Array,
    remotePort: number,
  ): number | null;
}

/** A process as the caller describes the ids it gives (for the snapshot and API). */
export interface ProcessInfo {
  pid: number;
  /** Its short name (on Linux /proc/PID/comm). */
  name: string;
  /** Its command line; null when it has none (kernel threads) or it cannot be read. */
  command: string | null;
}

/** Retries of an unknown flow, on its packets number 2, 4, 8, ... (so spread over its life). */
const DEFAULT_RETRIES = 12;

/**
 * Per-flow process attribution, for the Monitor: {@linkcode packet} on each
 * packet of a flow, {@linkcode meter} as its bytes are metered,
 * {@linkcode outsideFlows} for packets in no flow. A flow is attributed
 * when first seen: to its client's socket if that is local, else its
 * server's (on loopback both are local: the client's wins, so a packet is
 * never counted twice). While unknown it is asked again on its packets
 * number 2, 4, 8, ... up to `retries` times. Allocation-free.
 *
 * @example
 * ```ts ignore
 * const processes = { table: new ProcessTable(), resolver };
 * const monitor = new Monitor({ linkType, lan, processes });
 * ```
 */
export class ProcessAttribution {
  readonly table: ProcessTable;
  readonly #resolver: ProcessResolver;
  readonly #retries: number;
  /** Per flow: the process id or -1, its generation, 1 when the server side is the local one, tries left. */
  readonly #owner: Int32Array;
  readonly #generation: Uint32Array;
  readonly #serverSide: Uint8Array;
  readonly #tries: Uint8Array;
  readonly #a = new Uint32Array(4);
  readonly #b = new Uint32Array(4);

  constructor(table: ProcessTable, resolver: ProcessResolver, maxFlows: number, retries?: number) {
    this.table = table;
    this.#resolver = resolver;
    this.#retries = Math.max(0, Math.min(retries ?? DEFAULT_RETRIES, 30));
    this.#owner = new Int32Array(maxFlows);
    this.#generation = new Uint32Array(maxFlows);
    this.#serverSide = new Uint8Array(maxFlows);
    this.#tries = new Uint8Array(maxFlows);
  }

  /** A packet of `flow` (`isNew`: its first): attributes it, or retries while unknown. */
  packet(flows: FlowTable, flow: number, isNew: boolean): void {
    if (isNew) {
      this.#owner[flow] = UNKNOWN_PROCESS;
      this.#tries[flow] = 0;
      this.#resolve(flows, flow);
      return;
    }
    if (this.#owner[flow] !== UNKNOWN_PROCESS || this.#tries[flow] > this.#retries) return;
    const n = flows.packets[flow * 2] + flows.packets[flow * 2 + 1];
    if (n < 2 ** 31 && (n & (n - 1)) === 0) this.#resolve(flows, flow);
  }

  /** Meters what `flow` carried since last time, client to server and back, to its process. */
  meter(
    flows: FlowTable,
    flow: number,
    toServer: number,
    toClient: number,
    toServerPackets: number,
    toClientPackets: number,
  ): void {
    let id = this.#owner[flow];
    // The process's id was given to another since: its flows count as exited.
    if (id >= 0 && this.table.generation[id] !== this.#generation[flow]) id = EXITED_PROCESS;
    const protocol = flows.protocol(flow);
    // Unknown flows count their client as the local side.
    if (this.#serverSide[flow] === 1 && id !== UNKNOWN_PROCESS) {
      this.table.add(id, protocol, toClient, toServer, toClientPackets, toServerPackets);
    } else {
      this.table.add(id, protocol, toServer, toClient, toServerPackets, toClientPackets);
    }
  }

  /** A packet counted in no flow (not IP, truncated, an orphan fragment): unknown, down. */
  outsideFlows(wireLen: number): void {
    this.table.add(UNKNOWN_PROCESS, 255, 0, wireLen, 0, 1);
  }

  #resolve(flows: FlowTable, flow: number): void {
    this.#tries[flow]++;
    const a = this.#a, b = this.#b;
    const protocol = flows.protocol(flow), version = flows.ipVersion(flow);
    const clientPort = flows.endpoint(flow, 0, a), serverPort = flows.endpoint(flow, 1, b);
    const resolver = this.#resolver, table = this.table;
    let side = 0;
    let id = resolver.resolve(protocol, version, a, clientPort, b, serverPort);
    if (id !== null && !table.accepts(id)) table.rejected++, id = null;
    if (id === null) {
      side = 1;
      id = resolver.resolve(protocol, version, b, serverPort, a, clientPort);
      if (id !== null && !table.accepts(id)) table.rejected++, id = null;
    }
    if (id === null) return;
    this.#owner[flow] = id;
    this.#serverSide[flow] = side;
    table.add(id, protocol, 0, 0, 0, 0); // makes its row, so its generation is readable
    this.#generation[flow] = table.generation[id];
  }
}
