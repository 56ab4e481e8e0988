// Reverse DNS (PTR) names for LAN addresses, for `sluice run`. A home
// router's resolver (dnsmasq, Unbound, a Fritz!Box) answers PTR queries with
// the names of its DHCP leases, which names devices that never say their own
// name on the wire. Lookups are few, cached, time-limited and never on the
// packet path: a refresh asks about at most `perRefresh` new addresses.
import { parseIp } from "../engine/ip_address.ts";

/** Looks up the PTR names of one `in-addr.arpa` / `ip6.arpa` name. */
export type PtrResolver = (name: string, signal: AbortSignal) => Promise<string[]>;

/** The system resolver, through `Deno.resolveDns` (needs --allow-net). */
export function systemPtrResolver(name: string, signal: AbortSignal): Promise<string[]> {
  return Deno.resolveDns(name, "PTR", { signal });
}

/** Options for {@linkcode ReverseDnsNames}. */
export interface ReverseDnsOptions {
  /** Seconds a name is kept before asking again (default 3600). */
  ttl?: number;
  /** Seconds before an address without a name is asked about again (default 900). */
  negativeTtl?: number;
  /** New lookups per refresh at most (default 32). */
  perRefresh?: number;
  /** Lookups in flight at once (default 4). */
  concurrency?: number;
  /** Milliseconds each lookup may take (default 2000). */
  timeoutMs?: number;
}

/**
 * The reverse-lookup name of an address: "192.168.1.7" → "7.1.168.192.in-addr.arpa",
 * IPv6 by nibbles under "ip6.arpa". TypeError for text that is not an address.
 */
export function reverseName(address: string): string {
  const ip = parseIp(address);
  if (!ip) throw new TypeError(`not an IP address: ${JSON.stringify(address)}`);
  if (ip.version === 4) {
    const w = ip.words[0];
    return `${w & 255}.${(w >>> 8) & 255}.${(w >>> 16) & 255}.${w >>> 24}.in-addr.arpa`;
  }
  const nibbles: string[] = [];
  for (let i = 3; i >= 0; i--) {
    for (let shift = 0; shift < 32; shift += 4) {
      nibbles.push(((ip.words[i] >>> shift) & 15).toString(16));
    }
  }
  return `${nibbles.join(".")}.ip6.arpa`;
}

/** Addresses whose PTR names no local resolver knows: IPv6 link-local ones. */
function worthAsking(address: string): boolean {
  return !/^fe[89ab]/i.test(address);
}

/** Cached PTR names by address text, refreshed a few at a time. */
export class ReverseDnsNames {
  readonly #resolve: PtrResolver;
  readonly #ttl: number;
  readonly #negativeTtl: number;
  readonly #perRefresh: number;
  readonly #concurrency: number;
  readonly #timeoutMs: number;
  readonly #names = new Map<string, string>();
  /** When each address may be asked about again (seconds). */
  readonly #due = new Map<string, number>();
  /** Set when the resolver may not be used at all (no permission): then nothing is asked. */
  disabled: string | undefined;

  constructor(resolve: PtrResolver = systemPtrResolver, options: ReverseDnsOptions = {}) {
    this.#resolve = resolve;
    this.#ttl = positive(options.ttl ?? 3600, "ttl");
    this.#negativeTtl = positive(options.negativeTtl ?? 900, "negativeTtl");
    this.#perRefresh = positive(options.perRefresh ?? 32, "perRefresh");
    this.#concurrency = positive(options.concurrency ?? 4, "concurrency");
    this.#timeoutMs = positive(options.timeoutMs ?? 2000, "timeoutMs");
  }

  /** Names found so far, by address text. */
  get names(): ReadonlyMap<string, string> {
    return this.#names;
  }

  /** Looks up the addresses that are due at `now` (seconds), a bounded number of them. */
  async refresh(addresses: Iterable<string>, now: number): Promise<void> {
    if (this.disabled) return;
    const due: string[] = [];
    for (const address of addresses) {
      if (due.length >= this.#perRefresh) break;
      if (worthAsking(address) && (this.#due.get(address) ?? -Infinity) <= now) due.push(address);
    }
    for (let i = 0; i < due.length && !this.disabled; i += this.#concurrency) {
      await Promise.all(due.slice(i, i + this.#concurrency).map((a) => this.#lookup(a, now)));
    }
  }

  async #lookup(address: string, now: number): Promise<void> {
    let names: string[] = [];
    try {
      names = await this.#resolve(reverseName(address), AbortSignal.timeout(this.#timeoutMs));
    } catch (err) {
      if (err instanceof Deno.errors.NotCapable || err instanceof Deno.errors.PermissionDenied) {
        this.disabled = (err as Error).message.split("\n")[0];
        return;
      }
      // NXDOMAIN, no answer, a timeout: no name for now.
    }
    const name = names.map((n) => n.replace(/\.$/, "")).find((n) => n.length > 0);
    if (name) {
      this.#names.set(address, name);
      this.#due.set(address, now + this.#ttl);
    } else {
      this.#names.delete(address);
      this.#due.set(address, now + this.#negativeTtl);
    }
  }
}

function positive(value: number, what: string): number {
  if (!(value > 0) || value === Infinity) {
    throw new RangeError(`${what} must be positive, got ${value}`);
  }
  return value;
}
