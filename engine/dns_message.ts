// Reads DNS queries and answers (A, AAAA, CNAME) from a UDP payload, so that
// flows to an address can be named after what a device asked the resolver.
import { formatIp } from "./ip_address.ts";

/** One answer record Sluice uses; the owner name is skipped, the question names them all. */
export interface DnsAnswer {
  type: "A" | "AAAA" | "CNAME";
  /** Seconds the answer may be cached. */
  ttl: number;
  /** The address (A, AAAA) or the canonical name (CNAME). */
  data: string;
  /** The record's owner name, read only when asked for (mDNS names devices by it). */
  owner?: string;
}

/** A DNS message, reduced to what naming flows needs. */
export interface DnsMessage {
  id: number;
  response: boolean;
  /** The first question's name, lowercased, without the trailing dot. */
  question: string | null;
  questionType: number;
  answers: DnsAnswer[];
  /** The first answer's owner name whatever its type; read only when owners are asked for. */
  answerOwner: string | null;
}

const MAX_ANSWERS = 64;
const MAX_POINTERS = 16;
const utf8 = new TextDecoder();

/**
 * Parses a DNS message (RFC 1035, with name compression). Returns null for
 * bytes that are not a well-formed DNS message. With `owners`, A and AAAA
 * answers carry their owner name too.
 *
 * @example
 * ```ts ignore
 * const msg = parseDnsMessage(udpPayload);
 * for (const a of msg?.answers ?? []) if (a.type === "A") cache.set(a.data, msg!.question);
 * ```
 */
export function parseDnsMessage(b: Uint8Array, owners = false): DnsMessage | null {
  if (b.length < 12) return null;
  const flags = (b[2] << 8) | b[3];
  const questions = (b[4] << 8) | b[5];
  const answerCount = (b[6] << 8) | b[7];
  if ((flags >> 11 & 0xf) > 2 || questions > 4) return null; // opcodes: query, iquery, status
  const message: DnsMessage = {
    id: (b[0] << 8) | b[1],
    response: (flags & 0x8000) !== 0,
    question: null,
    questionType: 0,
    answers: [],
    answerOwner: null,
  };
  let p = 12;
  for (let q = 0; q < questions; q++) {
    const name = readName(b, p);
    if (!name) return null;
    p = name.next;
    if (p + 4 > b.length) return null;
    if (q === 0) {
      message.question = name.text;
      message.questionType = (b[p] << 8) | b[p + 1];
    }
    p += 4;
  }
  for (let a = 0; a < Math.min(answerCount, MAX_ANSWERS); a++) {
    const owner = owners ? readName(b, p) : null;
    const next = owner ? owner.next : owners ? -1 : skipName(b, p);
    if (a === 0 && owner) message.answerOwner = owner.text;
    if (next < 0) return message.answers.length > 0 ? message : null;
    p = next;
    if (p + 10 > b.length) break;
    const type = (b[p] << 8) | b[p + 1];
    const ttl = ((b[p + 4] << 24) | (b[p + 5] << 16) | (b[p + 6] << 8) | b[p + 7]) >>> 0;
    const length = (b[p + 8] << 8) | b[p + 9];
    const data = p + 10;
    if (data + length > b.length) break;
    if (type === 1 && length === 4) {
      const word = ((b[data] << 24) | (b[data + 1] << 16) | (b[data + 2] << 8) | b[data + 3]) >>> 0;
      message.answers.push({ type: "A", ttl, data: formatIp(4, [word]) });
      if (owner) message.answers[message.answers.length - 1].owner = owner.text;
    } else if (type === 28 && length === 16) {
      const words = new Uint32Array(4);
      for (let i = 0; i < 4; i++) {
        const at = data + i * 4;
        words[i] = ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
      }
      message.answers.push({ type: "AAAA", ttl, data: formatIp(6, words) });
      if (owner) message.answers[message.answers.length - 1].owner = owner.text;
    } else if (type === 5) {
      const target = readName(b, data);
      if (target) message.answers.push({ type: "CNAME", ttl, data: target.text });
    }
    p = data + length;
  }
  return message;
}

/**
 * The type of a DNS message's first question (1 for A, 28 for AAAA...), read
 * without building its name; -1 when it has none or is malformed.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const query = Uint8Array.of(0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0x61, 0, 0, 28, 0, 1);
 * assertEquals(questionType(query), 28);
 * ```
 */
export function questionType(b: Uint8Array): number {
  if (b.length < 12 || ((b[4] << 8) | b[5]) === 0) return -1;
  const at = skipName(b, 12);
  return at < 0 || at + 4 > b.length ? -1 : (b[at] << 8) | b[at + 1];
}

/** Where the record continues after the name at `p`, without reading it; -1 when malformed. */
function skipName(b: Uint8Array, p: number): number {
  for (let labels = 0; labels < 128; labels++) {
    if (p >= b.length) return -1;
    const len = b[p];
    if (len === 0) return p + 1;
    if ((len & 0xc0) === 0xc0) return p + 2 <= b.length ? p + 2 : -1;
    if ((len & 0xc0) !== 0) return -1;
    p += 1 + len;
  }
  return -1;
}

/** A name's bytes as read, dots included: a name is at most 255 bytes. */
const scratch = new Uint8Array(256);

/** Reads a possibly compressed name at `p`; `next` is where the record continues. */
function readName(b: Uint8Array, p: number): { text: string; next: number } | null {
  let next = -1, pointers = 0, length = 0, wide = false;
  while (true) {
    if (p >= b.length) return null;
    const len = b[p];
    if (len === 0) {
      p += 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (p + 1 >= b.length || ++pointers > MAX_POINTERS) return null;
      if (next < 0) next = p + 2;
      p = ((len & 0x3f) << 8) | b[p + 1];
      continue;
    }
    if ((len & 0xc0) !== 0 || p + 1 + len > b.length) return null;
    if (length + len + 1 > 255) return null;
    if (length > 0) scratch[length - 1] = 0x2e; // the dot before this label
    for (let i = p + 1; i <= p + len; i++) {
      const c = b[i];
      wide ||= c >= 0x80;
      scratch[length++] = c >= 0x41 && c <= 0x5a ? c + 32 : c;
    }
    length++;
    p += 1 + len;
  }
  const bytes = scratch.subarray(0, Math.max(0, length - 1));
  // Names in other scripts (LLMNR, mDNS) are UTF-8; shown as such, not as bytes.
  const text = wide
    ? utf8.decode(bytes).toLowerCase()
    : String.fromCharCode.apply(null, bytes as unknown as number[]); // one string, no per-byte concatenation
  return { text, next: next < 0 ? p : next };
}
