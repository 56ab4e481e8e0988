/**
 * The local host's sockets and their processes (Linux), as the engine's
 * {@linkcode ProcessResolver}: socket inodes from /proc/net/{tcp,tcp6,udp,udp6},
 * matched to processes through their /proc/PID/fd links. Both are cached:
 * the socket tables are read again only when a lookup misses, and at most
 * every `refreshMs`, and the fd links likewise when an inode is not known
 * yet, so a busy capture does not scan /proc on every packet or flow.
 *
 * @module
 */
import { procReader } from "../capture/mod.ts";
import { parseIp } from "../engine/ip_address.ts";
import type { ProcessInfo, ProcessResolver } from "../engine/processes/mod.ts";
import { commandLine, parseProcNet, socketInode, socketKey } from "./_proc_net.ts";

/** What the resolver reads of /proc: the real one, or a fake in tests. */
export interface ProcFs {
  /** A file's text; null when it cannot be read (gone, no permission). */
  readText(path: string): string | null;
  /** A directory's entries; [] when it cannot be read. */
  list(path: string): string[];
  /** A symlink's target; null when it cannot be read. */
  readLink(path: string): string | null;
}

/**
 * The real /proc. Deno grants /proc only to --allow-all, so it is read
 * through the C library (capture/proc_fs.ts); where there is none, nothing
 * is found and every flow stays "unknown".
 */
export const realProcFs: ProcFs = procReader() ?? {
  readText: () => null,
  list: () => [],
  readLink: () => null,
};

/** Options for {@linkcode ProcessSockets}. */
export interface ProcessSocketsOptions {
  fs?: ProcFs;
  /** Milliseconds now (default Date.now). */
  now?: () => number;
  /** Least time between two reads of the socket tables, or two fd scans (default 250 ms). */
  refreshMs?: number;
  /** Ids run 0..maxProcesses - 1 (default 4096): the engine table's limit. */
  maxProcesses?: number;
  /** This host's addresses, as text (default: every interface's, and all of 127/8). */
  addresses?: () => string[];
  /** Called when an id of a process gone is given to another (the table's `release`). */
  release?: (id: number) => void;
}

const TABLES: readonly [string, number][] = [["tcp", 6], ["tcp6", 6], ["udp", 17], ["udp6", 17]];

/**
 * Finds the process of a local socket; assigns an id per (PID, name).
 *
 * @example
 * ```ts ignore
 * const table = new ProcessTable();
 * const sockets = new ProcessSockets({ release: (id) => table.release(id) });
 * const monitor = new Monitor({ linkType, lan, processes: { table, resolver: sockets } });
 * ```
 */
export class ProcessSockets implements ProcessResolver {
  /** Reads of the socket tables and fd scans so far. */
  readonly stats = { tableReads: 0, fdScans: 0 };
  readonly #fs: ProcFs;
  readonly #now: () => number;
  readonly #refreshMs: number;
  readonly #max: number;
  readonly #release: (id: number) => void;
  readonly #addressesOf: () => string[];
  #local = new Set<string>();
  /** Connected sockets by both ends; bound ones (listening, unconnected UDP) by their own. */
  #connected = new Map<string, number>();
  #bound = new Map<string, number>();
  #pidOf = new Map<number, number>();
  #lastRead = -Infinity;
  #lastScan = -Infinity;
  #ids = new Map<string, number>();
  #info: (ProcessInfo | undefined)[] = [];
  #free: number[] = [];

  constructor(options: ProcessSocketsOptions = {}) {
    this.#fs = options.fs ?? realProcFs;
    this.#now = options.now ?? Date.now;
    this.#refreshMs = options.refreshMs ?? 250;
    this.#max = options.maxProcesses ?? 4096;
    this.#release = options.release ?? (() => {});
    this.#addressesOf = options.addresses ?? interfaceAddresses;
  }

  resolve(
    protocol: number,
    ipVersion: number,
    local: Uint32Array,
    localPort: number,
    remote: Uint32Array,
    remotePort: number,
  ): number | null {
    if (protocol !== 6 && protocol !== 17) return null;
    if (this.#lastRead === -Infinity) this.#read();
    if (!this.#isLocal(ipVersion, local)) return null;
    let inode = this.#find(protocol, local, localPort, remote, remotePort);
    if (inode === 0 && this.#now() - this.#lastRead >= this.#refreshMs) {
      this.#read();
      inode = this.#find(protocol, local, localPort, remote, remotePort);
    }
    if (inode === 0) return null;
    let pid = this.#pidOf.get(inode);
    if (pid === undefined && this.#now() - this.#lastScan >= this.#refreshMs) {
      this.#scan();
      pid = this.#pidOf.get(inode);
    }
    return pid === undefined ? null : this.#idOf(pid);
  }

  /** The process given `id`; undefined for an id not given. */
  info(id: number): ProcessInfo | undefined {
    return this.#info[id];
  }

  /** The ids given to process `pid` (one per name it had). */
  idsOf(pid: number): number[] {
    const out: number[] = [];
    this.#info.forEach((p, id) => p?.pid === pid && out.push(id));
    return out;
  }

  #isLocal(version: number, words: Uint32Array): boolean {
    if (version === 4 && words[0] >>> 24 === 127) return true;
    return this.#local.has(`${words[0]} ${words[1]} ${words[2]} ${words[3]}`);
  }

  /** The inode of the socket, 0 if none: connected first, then bound to the address, then to any. */
  #find(protocol: number, local: Uint32Array, lport: number, remote: Uint32Array, rport: number) {
    const own = socketKey(protocol, local, lport);
    return this.#connected.get(`${own} ${socketKey(protocol, remote, rport)}`) ??
      this.#bound.get(own) ?? this.#bound.get(socketKey(protocol, ANY, lport)) ?? 0;
  }

  /** Reads the socket tables (and this host's addresses) again. */
  #read(): void {
    this.#lastRead = this.#now();
    this.stats.tableReads++;
    const connected = new Map<string, number>(), bound = new Map<string, number>();
    for (const [name, protocol] of TABLES) {
      const text = this.#fs.readText(`/proc/net/${name}`);
      if (text === null) continue;
      for (const s of parseProcNet(text, protocol)) {
        if (s.inode === 0) continue;
        const own = socketKey(protocol, s.local, s.localPort);
        if (s.remotePort === 0) bound.set(own, s.inode);
        else connected.set(`${own} ${socketKey(protocol, s.remote, s.remotePort)}`, s.inode);
      }
    }
    this.#connected = connected, this.#bound = bound;
    const local = new Set<string>();
    for (const text of this.#addressesOf()) {
      const ip = parseIp(text.replace(/%.*$/, ""));
      if (ip) local.add(`${ip.words[0]} ${ip.words[1]} ${ip.words[2]} ${ip.words[3]}`);
    }
    this.#local = local;
  }

  /** Maps every socket inode of every process to its PID. */
  #scan(): void {
    this.#lastScan = this.#now();
    this.stats.fdScans++;
    const pidOf = new Map<number, number>();
    for (const entry of this.#fs.list("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      for (const fd of this.#fs.list(`/proc/${pid}/fd`)) {
        const link = this.#fs.readLink(`/proc/${pid}/fd/${fd}`);
        const inode = link === null ? null : socketInode(link);
        if (inode !== null && !pidOf.has(inode)) pidOf.set(inode, pid);
      }
    }
    this.#pidOf = pidOf;
  }

  /** The id of (pid, its name now); null when every id is taken by a live process. */
  #idOf(pid: number): number | null {
    const name = this.#fs.readText(`/proc/${pid}/comm`)?.trim() ?? `pid ${pid}`;
    const key = `${pid} ${name}`;
    const known = this.#ids.get(key);
    if (known !== undefined) return known;
    let id = this.#free.pop();
    if (id === undefined && this.#info.length < this.#max) id = this.#info.length;
    if (id === undefined) {
      this.#reclaim();
      id = this.#free.pop();
      if (id === undefined) return null;
    }
    const cmdline = this.#fs.readText(`/proc/${pid}/cmdline`);
    this.#info[id] = { pid, name, command: cmdline === null ? null : commandLine(cmdline) };
    this.#ids.set(key, id);
    return id;
  }

  /** Frees the ids of processes gone, their figures moved to "exited" by `release`. */
  #reclaim(): void {
    this.#info.forEach((p, id) => {
      if (p === undefined || this.#fs.readText(`/proc/${p.pid}/comm`)?.trim() === p.name) return;
      this.#ids.delete(`${p.pid} ${p.name}`);
      this.#info[id] = undefined;
      this.#release(id);
      this.#free.push(id);
    });
  }
}

const ANY = [0, 0, 0, 0];

/** Every address of this host's interfaces. */
function interfaceAddresses(): string[] {
  try {
    return Deno.networkInterfaces().map((i) => i.address);
  } catch {
    return [];
  }
}
