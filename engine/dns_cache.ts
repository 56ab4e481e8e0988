import type { DnsMessage } from "./dns_message.ts";

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
  readonly #entries = new Map<string, { name: string; expires: number }>();
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
      this.#entries.delete(answer.data);
      this.#entries.set(answer.data, { name: message.question, expires });
      if (this.#entries.size > this.#max) {
        this.#entries.delete(this.#entries.keys().next().value!);
      }
    }
  }

  /** The name an address was last given, unless that answer has expired by `now`. */
  lookup(address: string, now: number): string | null {
    const entry = this.#entries.get(address);
    if (!entry) return null;
    if (entry.expires < now) {
      this.#entries.delete(address);
      return null;
    }
    return entry.name;
  }

  /** Addresses remembered now. */
  get size(): number {
    return this.#entries.size;
  }
}
