import type { DnsMessage } from "./dns_message.ts";
import { formatIp, parseIp } from "./ip_address.ts";

/** Options for {@linkcode DnsCache}. */
export interface DnsCacheOptions {
  /** Most addresses remembered; the least recently answered is forgotten first. */
  maxEntries?: number;
  /** Floor under an answer's TTL, in seconds: devices reuse addresses past short TTLs. */
  minTtl?: number;
}

/**
 * Remembers which name each address was given in DNS answers, so that a flow
 * with no name of its own (no SNI, ECH, a bare IP) is named after what the
 * device asked the resolver for. Times are the engine's (packet timestamps),
 * never the wall clock.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const cache = new DnsCache();
 * cache.learn({ id: 1, response: true, question: "www.netflix.com", questionType: 1, answers: [
 *   { type: "A", ttl: 60, data: "52.1.2.3" },
 * ], answerOwner: null }, 1000);
 * assertEquals(cache.lookup("52.1.2.3", 1010), "www.netflix.com");
 * ```
 */
export class DnsCache {
  /** By address: IPv4 as its 32-bit number (flows hold them so), IPv6 as text. */
  readonly #entries = new Map<number | string, { name: string; expires: number }>();
  readonly #max: number;
  readonly #minTtl: number;

  constructor(options: DnsCacheOptions = {}) {
    this.#max = options.maxEntries ?? 65_536;
    this.#minTtl = options.minTtl ?? 300;
  }

  /** Records the addresses a response gave, under the name the client asked for. */
  learn(message: DnsMessage, now: number): void {
    if (!message.response || message.question === null) return;
    for (const answer of message.answers) {
      if (answer.type === "CNAME") continue;
      // The question is what the user wanted (www.youtube.com), not the CDN alias at the chain's end.
      const expires = now + Math.max(answer.ttl, this.#minTtl);
      const key = keyOf(answer.data);
      this.#entries.delete(key);
      this.#entries.set(key, { name: message.question, expires });
      if (this.#entries.size > this.#max) {
        this.#entries.delete(this.#entries.keys().next().value!);
      }
    }
  }

  /** The name an address was last given, unless that answer has expired by `now`. */
  lookup(address: string, now: number): string | null {
    return this.#lookup(keyOf(address), now);
  }

  /** {@linkcode lookup} for an address held as words (IPv4 in `words[0]`), as flows hold them. */
  lookupWords(version: number, words: ArrayLike<number>, now: number): string | null {
    if (this.#entries.size === 0) return null;
    return this.#lookup(version === 4 ? words[0] >>> 0 : formatIp(6, words), now);
  }

  #lookup(key: number | string, now: number): string | null {
    const entry = this.#entries.get(key);
    if (!entry) return null;
    if (entry.expires < now) {
      this.#entries.delete(key);
      return null;
    }
    return entry.name;
  }

  /** Addresses remembered now. */
  get size(): number {
    return this.#entries.size;
  }
}

/** The key of an address in text: an IPv4 address becomes its number, as flows hold it. */
function keyOf(address: string): number | string {
  const ip = parseIp(address);
  return ip?.version === 4 ? ip.words[0] : address;
}
