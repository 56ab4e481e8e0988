/**
 * Parsing of Linux's /proc/net/{tcp,tcp6,udp,udp6} and /proc/PID/fd links:
 * pure functions over text, for {@linkcode ProcessSockets}.
 *
 * @module
 */

/** One socket row of /proc/net/tcp and the like. */
export interface ProcSocket {
  /** 6 (TCP) or 17 (UDP). */
  protocol: number;
  /** 4, or 6; an IPv4-mapped IPv6 socket (::ffff:a.b.c.d) is given as 4. */
  version: number;
  /** The address as 4 words, as the engine's flow keys hold them (IPv4 in word 0). */
  local: number[];
  localPort: number;
  remote: number[];
  remotePort: number;
  /** The kernel's state number (TCP: 1 established, 10 listen, ...). */
  state: number;
  /** 0 for sockets no process holds (TIME_WAIT, not yet accepted). */
  inode: number;
}

/** Whether this machine stores words little-endian (as /proc/net prints them). */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A 32-bit word as /proc/net prints it (host byte order) → its network-order value. */
function word(hex: string, littleEndian: boolean): number {
  const v = parseInt(hex, 16);
  if (!littleEndian) return v >>> 0;
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}

/** "0100007F:0035" (or a 32-digit IPv6 address) → version, 4 words and port; null if bad. */
export function parseProcAddress(
  text: string,
  littleEndian = HOST_LITTLE_ENDIAN,
): { version: number; words: number[]; port: number } | null {
  const m = /^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})$/.exec(text);
  if (!m) return null;
  const hex = m[1], port = parseInt(m[2], 16);
  if (hex.length === 8) return { version: 4, words: [word(hex, littleEndian), 0, 0, 0], port };
  const words = [0, 1, 2, 3].map((i) => word(hex.slice(i * 8, i * 8 + 8), littleEndian));
  if (words[0] === 0 && words[1] === 0 && words[2] === 0xffff) {
    return { version: 4, words: [words[3], 0, 0, 0], port };
  }
  return { version: 6, words, port };
}

/**
 * The sockets of one /proc/net file's text (`protocol` 6 or 17); the
 * header and rows that do not parse are skipped.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const text = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
 *   "   0: 0100007F:0035 00000000:0000 0A 00000000:00000000 00:00000000 00000000   101        0 4242 1 0 100 0 0 10 0\n";
 * const [s] = parseProcNet(text, 6, true);
 * assertEquals([s.local[0], s.localPort, s.state, s.inode], [0x7f000001, 53, 10, 4242]);
 * ```
 */
export function parseProcNet(
  text: string,
  protocol: number,
  littleEndian = HOST_LITTLE_ENDIAN,
): ProcSocket[] {
  const out: ProcSocket[] = [];
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || !/^\d+:$/.test(f[0])) continue;
    const local = parseProcAddress(f[1], littleEndian);
    const remote = parseProcAddress(f[2], littleEndian);
    const inode = Number(f[9]);
    if (!local || !remote || !Number.isSafeInteger(inode)) continue;
    out.push({
      protocol,
      version: local.version,
      local: local.words,
      localPort: local.port,
      remote: remote.words,
      remotePort: remote.port,
      state: parseInt(f[3], 16),
      inode,
    });
  }
  return out;
}

/** "socket:[12345]" (a /proc/PID/fd link) → 12345; null for anything else. */
export function socketInode(link: string): number | null {
  const m = /^socket:\[(\d+)\]$/.exec(link);
  return m ? Number(m[1]) : null;
}

/** /proc/PID/cmdline's text (NUL-separated) → a command line; null when empty (kernel threads). */
export function commandLine(text: string): string | null {
  const line = text.split("\0").filter((part) => part !== "").join(" ").trim();
  return line === "" ? null : line;
}

/** The lookup key of an address and port (words joined), for one protocol. */
export function socketKey(protocol: number, words: ArrayLike<number>, port: number): string {
  return `${protocol} ${words[0]} ${words[1]} ${words[2]} ${words[3]} ${port}`;
}
