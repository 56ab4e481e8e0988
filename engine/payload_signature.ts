/**
 * Payload signatures: fixed bytes at a fixed place in a flow's first packets
 * that name the protocol whatever the port (a DNSCrypt certificate answer on
 * 443, RTSP on 8554). The signatures are data (engine/catalogue/signatures.json);
 * this module validates and matches them.
 *
 * @module
 */
import type { AppMatch } from "./app_catalogue.ts";
import {
  type Category,
  category,
  list,
  need,
  portNumber,
  type PortProtocol,
  protocol,
  record,
  show,
  text,
  version,
} from "./_json_shape.ts";

/** Which side's packets a signature is looked for in. */
export type SignatureDirection = "client" | "server" | "any";

/** One signature of signatures.json: `hex` or `text` bytes at `offset` (or within `within`). */
export interface SignatureEntry {
  app: string;
  name: string;
  category: Category;
  protocol: PortProtocol;
  direction: SignatureDirection;
  /** Server ports the signature is limited to; empty for any port. */
  ports: number[];
  offset: number;
  /** The bytes, as hex. */
  hex: string;
  /** When set, the bytes may start anywhere in the first `within` bytes instead of at `offset`. */
  within?: number;
  /** Hex bytes the payload must end with. */
  last?: string;
  minLength: number;
}

export type SignatureData = { version: 1; signatures: SignatureEntry[] };

const HEX = /^(?:[0-9a-f]{2})+$/;

function hexOf(v: unknown, path: string): string {
  const ok = typeof v === "string" && HEX.test(v.toLowerCase());
  need(ok, path, () => `${show(v)} is not an even number of hex digits`);
  return (v as string).toLowerCase();
}

function count(v: unknown, path: string, max: number): number {
  need(
    Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max,
    path,
    () => `${show(v)} is not 0-${max}`,
  );
  return v as number;
}

/**
 * Checks parsed signatures.json; throws a one-line TypeError naming the path
 * of the first problem. `text` is turned into `hex`.
 */
export function validateSignatures(data: unknown): SignatureData {
  const o = record(data, "signatures.json");
  version(o);
  const signatures = list(o.signatures, "signatures").map((value, i): SignatureEntry => {
    const at = `signatures[${i}]`, r = record(value, at);
    need((r.hex === undefined) !== (r.text === undefined), at, "needs exactly one of hex or text");
    const hex = r.hex !== undefined
      ? hexOf(r.hex, `${at}.hex`)
      : [...new TextEncoder().encode(text(r.text, `${at}.text`))]
        .map((b) => b.toString(16).padStart(2, "0")).join("");
    const direction = r.direction ?? "any";
    need(
      direction === "client" || direction === "server" || direction === "any",
      `${at}.direction`,
      `${show(direction)} is not client, server or any`,
    );
    const entry: SignatureEntry = {
      app: text(r.app, `${at}.app`),
      name: text(r.name, `${at}.name`),
      category: category(r.category, `${at}.category`),
      protocol: protocol(r.protocol ?? "any", `${at}.protocol`),
      direction,
      ports: list(r.ports ?? [], `${at}.ports`).map((p, j) => portNumber(p, `${at}.ports[${j}]`)),
      offset: count(r.offset ?? 0, `${at}.offset`, 1500),
      hex,
      minLength: count(r.minLength ?? 0, `${at}.minLength`, 65535),
    };
    if (r.within !== undefined) entry.within = count(r.within, `${at}.within`, 1500);
    if (r.last !== undefined) entry.last = hexOf(r.last, `${at}.last`);
    return entry;
  });
  return { version: 1, signatures };
}

interface Compiled {
  protocol: number;
  /** 0 client, 1 server, 2 either. */
  direction: number;
  ports: Set<number> | null;
  offset: number;
  bytes: Uint8Array;
  /** Where in `bytes` the byte searched for first sits: the one least likely in traffic. */
  anchor: number;
  within: number;
  last: Uint8Array | null;
  minLength: number;
  match: AppMatch;
}

const bytesOf = (hex: string) => Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));

/**
 * Matches payloads against signatures, first listed first.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const signatures = new PayloadSignatures({ version: 1, signatures: [
 *   { app: "rtsp", name: "RTSP", category: "Streaming", protocol: "TCP", text: " RTSP/1.0\r\n", within: 256 },
 * ] });
 * const request = new TextEncoder().encode("OPTIONS rtsp://cam/ RTSP/1.0\r\nCSeq: 1\r\n\r\n");
 * assertEquals(signatures.match(6, 0, 554, request)?.app, "rtsp");
 * ```
 */
export class PayloadSignatures {
  /** The signatures that apply, in order, by [TCP client, TCP server, UDP client, UDP server]. */
  readonly #byKind: Compiled[][] = [[], [], [], []];

  constructor(data: unknown) {
    const matches = new Map<string, AppMatch>();
    const all = validateSignatures(data).signatures.map((s): Compiled => {
      const key = `${s.app}\0${s.name}\0${s.category}`;
      let match = matches.get(key);
      if (!match) {
        matches.set(key, match = Object.freeze({ app: s.app, name: s.name, category: s.category }));
      }
      const bytes = bytesOf(s.hex);
      return {
        protocol: s.protocol === "TCP" ? 6 : s.protocol === "UDP" ? 17 : 0,
        direction: s.direction === "client" ? 0 : s.direction === "server" ? 1 : 2,
        ports: s.ports.length ? new Set(s.ports) : null,
        offset: s.offset,
        bytes,
        anchor: anchorOf(bytes),
        within: s.within ?? 0,
        last: s.last ? bytesOf(s.last) : null,
        minLength: Math.max(s.minLength, s.offset + s.hex.length / 2),
        match,
      };
    });
    for (const s of all) {
      for (let kind = 0; kind < 4; kind++) {
        const protocol = kind < 2 ? 6 : 17, direction = kind & 1;
        if (s.protocol !== 0 && s.protocol !== protocol) continue;
        if (s.direction !== 2 && s.direction !== direction) continue;
        this.#byKind[kind].push(s);
      }
    }
  }

  /** The first signature a packet of `protocol` going `direction` (0 client, 1 server) carries. */
  match(
    protocol: number,
    direction: number,
    serverPort: number,
    payload: Uint8Array,
  ): AppMatch | null {
    if ((protocol !== 6 && protocol !== 17) || (direction !== 0 && direction !== 1)) return null;
    for (const s of this.#byKind[(protocol === 6 ? 0 : 2) + direction]) {
      if (payload.length < s.minLength) continue;
      if (s.ports && !s.ports.has(serverPort)) continue;
      if (s.last && !endsWith(payload, s.last)) continue;
      if (
        s.within
          ? indexOf(payload, s.bytes, s.anchor, s.within) >= 0
          : startsAt(payload, s.bytes, s.offset)
      ) {
        return s.match;
      }
    }
    return null;
  }
}

function startsAt(payload: Uint8Array, bytes: Uint8Array, at: number): boolean {
  if (at + bytes.length > payload.length) return false;
  for (let i = 0; i < bytes.length; i++) if (payload[at + i] !== bytes[i]) return false;
  return true;
}

function endsWith(payload: Uint8Array, bytes: Uint8Array): boolean {
  return startsAt(payload, bytes, payload.length - bytes.length);
}

function indexOf(payload: Uint8Array, bytes: Uint8Array, anchor: number, window: number): number {
  const end = Math.min(payload.length, window) - bytes.length;
  const wanted = bytes[anchor];
  for (
    let at = payload.indexOf(wanted, anchor) - anchor;
    at >= 0 && at <= end;
    at = payload.indexOf(wanted, at + anchor + 1) - anchor
  ) {
    if (startsAt(payload, bytes, at)) return at;
  }
  return -1;
}

/**
 * The index of the byte a search should look for first. Zeros, 0xff, spaces
 * and lowercase letters fill payloads; a capital, a digit or an odd byte
 * rarely does, so scanning for it skips most candidate positions.
 */
function anchorOf(bytes: Uint8Array): number {
  let best = 0, bestRank = -1;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    const rank = c === 0x00 || c === 0xff || c === 0x20 ? 0 : c >= 0x61 && c <= 0x7a ? 1 : 2;
    if (rank > bestRank) [best, bestRank] = [i, rank];
  }
  return best;
}
