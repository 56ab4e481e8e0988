/**
 * The app and category catalogue: names the app behind a flow from its
 * hostname (longest domain suffix), its server address (CIDR) or a well-known
 * port. Pure: it takes parsed JSON (engine/catalogue/default.ts embeds the
 * shipped data) plus user rules, which win over shipped ones.
 *
 * @module
 */

import {
  CATEGORIES,
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

import { parseIp } from "./ip_address.ts";
import { PayloadSignatures } from "./payload_signature.ts";

export { CATEGORIES, type Category, type PortProtocol } from "./_json_shape.ts";

/** What a lookup found: the app's id, display name and category. */
export type AppMatch = { readonly app: string; readonly name: string; readonly category: Category };
export type PortRange = { protocol: PortProtocol; from: number; to: number };
/** What an app is matched by; optional in apps.json, filled in as empty lists. */
export type AppSelectors = { domains: string[]; ports: PortRange[]; cidrs: string[] };
/** One app of apps.json. */
export type AppEntry = { id: string; name: string; category: Category } & AppSelectors;
export type CatalogueData = { version: 1; categories: Category[]; apps: AppEntry[] };
/** One fallback rule of ports.json; `name` is for apps not in apps.json. */
export type PortRule = PortRange & { app: string; category: Category; name?: string };
export type PortRulesData = { version: 1; rules: PortRule[] };
/** A user's rule: exactly one of `domain`, `port` (with `protocol`) or `cidr`; `name` if new. */
export type UserRule = { domain?: string; port?: number; protocol?: string; cidr?: string } & {
  app: string;
  category: string;
  name?: string;
};

const DOMAIN = /^(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
function domain(v: unknown, path: string): string {
  const ok = typeof v === "string" && DOMAIN.test(v);
  need(ok, path, () => `${show(v)} is not a lowercase domain of two or more labels`);
  return v as string;
}
function cidr(v: unknown, path: string): string {
  need(typeof v === "string" && parseCidr(v), path, () => `${show(v)} is not a CIDR`);
  return v;
}
function range(v: unknown, path: string): PortRange {
  const o = record(v, path);
  const from = portNumber(o.from, `${path}.from`);
  const to = portNumber(o.to ?? o.from, `${path}.to`);
  need(to >= from, `${path}.to`, `${to} is below from (${from})`);
  return { protocol: protocol(o.protocol, `${path}.protocol`), from, to };
}

/** Checks apps.json's shape; throws a TypeError naming the first bad field. */
export function validateCatalogue(data: unknown): CatalogueData {
  const o = record(data, "catalogue");
  const categories = list(o.categories, "categories").map((c, i) =>
    category(c, `categories[${i}]`)
  );
  const count = categories.length;
  need(count === CATEGORIES.length, "categories", `expected all 12 categories, got ${count}`);
  const ids = new Set<string>(), owners = new Map<string, number>();
  const apps = list(o.apps, "apps").map((value, i): AppEntry => {
    const at = `apps[${i}]`, a = record(value, at);
    const id = text(a.id, `${at}.id`);
    need(!ids.has(id), `${at}.id`, () => `${show(id)} is a duplicate`);
    ids.add(id);
    const opt = (key: string) => a[key] === undefined ? [] : list(a[key], `${at}.${key}`);
    const domains = opt("domains").map((d, j) => {
      const name = domain(d, `${at}.domains[${j}]`), owner = owners.get(name);
      need(
        owner === undefined,
        `${at}.domains[${j}]`,
        () => `${show(name)} is in apps[${owner}] too`,
      );
      owners.set(name, i);
      return name;
    });
    const ports = opt("ports").map((p, j) => range(p, `${at}.ports[${j}]`));
    const cidrs = opt("cidrs").map((c, j) => cidr(c, `${at}.cidrs[${j}]`));
    const any = domains.length + ports.length + cidrs.length > 0;
    need(any, at, "needs at least one of domains, ports or cidrs");
    const name = text(a.name, `${at}.name`);
    return { id, name, category: category(a.category, `${at}.category`), domains, ports, cidrs };
  });
  return { version: version(o), categories, apps };
}

/** Checks ports.json's shape; throws a TypeError naming the first bad field. */
export function validatePortRules(data: unknown): PortRulesData {
  const o = record(data, "ports");
  const rules = list(o.rules, "rules").map((value, i): PortRule => {
    const at = `rules[${i}]`, r = record(value, at);
    const rule: PortRule = {
      ...range(r, at),
      app: text(r.app, `${at}.app`),
      category: category(r.category, `${at}.category`),
    };
    if (r.name !== undefined) rule.name = text(r.name, `${at}.name`);
    return rule;
  });
  return { version: version(o), rules };
}

/** Checks and normalises user rules (lowercase domains, protocol names). */
export function validateUserRules(data: unknown): UserRule[] {
  return list(data, "userRules").map((value, i) => {
    const at = `userRules[${i}]`, r = record(value, at);
    const rule: UserRule = {
      app: text(r.app, `${at}.app`),
      category: category(r.category, `${at}.category`),
    };
    const kinds = ["domain", "port", "cidr"].filter((k) => r[k] !== undefined);
    need(kinds.length === 1, at, "needs exactly one of domain, port or cidr");
    if (r.domain !== undefined) {
      const d = typeof r.domain === "string" ? r.domain.toLowerCase().replace(/\.$/, "") : r.domain;
      rule.domain = domain(d, `${at}.domain`);
    }
    if (r.port !== undefined) {
      rule.port = portNumber(r.port, `${at}.port`);
      rule.protocol = protocol(r.protocol ?? "any", `${at}.protocol`);
    } else need(r.protocol === undefined, `${at}.protocol`, "only goes with port");
    if (r.cidr !== undefined) rule.cidr = cidr(r.cidr, `${at}.cidr`);
    if (r.name !== undefined) rule.name = text(r.name, `${at}.name`);
    return rule;
  });
}

type Net = { version: 4 | 6; prefix: number; net: Uint32Array; mask: Uint32Array };
type Cidr = Net & { match: AppMatch };

/** Parses `a.b.c.d/n` or an IPv6 `x::y/n` (no prefix: one address); null if malformed. */
function parseCidr(cidr: string): Net | null {
  const slash = cidr.indexOf("/"), ip = parseIp(slash < 0 ? cidr : cidr.slice(0, slash));
  if (!ip) return null;
  const max = ip.version === 4 ? 32 : 128, bits = cidr.slice(slash + 1);
  const prefix = slash < 0 ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  if (!(prefix <= max)) return null;
  const net = ip.words, mask = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {
    const n = Math.min(32, Math.max(0, prefix - 32 * i));
    mask[i] = n === 0 ? 0 : 0xffffffff << (32 - n);
    net[i] &= mask[i];
  }
  return { version: ip.version, prefix, net, mask };
}

/** TCP and UDP port → match, first rule added wins; index 0 means none. */
class PortTable {
  readonly #tcp = new Uint16Array(65536);
  readonly #udp = new Uint16Array(65536);
  readonly #matches: AppMatch[] = [];
  add(r: PortRange, match: AppMatch): void {
    const index = this.#matches.push(match);
    if (index > 65535) throw new RangeError("too many port rules");
    const { protocol: p } = r, tcp = this.#tcp, udp = this.#udp;
    for (const table of p === "TCP" ? [tcp] : p === "UDP" ? [udp] : [tcp, udp]) {
      for (let port = r.from; port <= r.to; port++) if (table[port] === 0) table[port] = index;
    }
  }
  get(protocol: number, port: number): AppMatch | null {
    const table = protocol === 6 ? this.#tcp : protocol === 17 ? this.#udp : null;
    const index = table ? table[port] : 0; // out-of-range ports read undefined
    return index ? this.#matches[index - 1] : null;
  }
}

function byDomain(map: Map<string, AppMatch>, host: string): AppMatch | null {
  if (map.size === 0) return null;
  for (let at = 0;;) {
    const hit = map.get(at === 0 ? host : host.slice(at));
    if (hit) return hit;
    const dot = host.indexOf(".", at);
    if (dot < 0 || host.indexOf(".", dot + 1) < 0) return null; // stop at the last two labels
    at = dot + 1;
  }
}

function byCidr(cidrs: Cidr[], version: number, words: ArrayLike<number>): AppMatch | null {
  const n = version === 4 ? 1 : 4;
  next: for (const c of cidrs) {
    if (c.version !== version) continue;
    for (let i = 0; i < n; i++) if (((words[i] ^ c.net[i]) & c.mask[i]) !== 0) continue next;
    return c.match;
  }
  return null;
}

/** Checked catalogue data from JSON that leaves out an app's empty lists. */
function withEmptyLists(data: CatalogueData): CatalogueData {
  const apps = data.apps.map((a) => ({
    ...a,
    domains: a.domains ?? [],
    ports: a.ports ?? [],
    cidrs: a.cidrs ?? [],
  }));
  return { ...data, apps };
}

/**
 * Looks apps up by hostname, port and address. User rules win over shipped
 * ones; among shipped ones the longest domain suffix and longest prefix win.
 */
export class AppCatalogue {
  readonly #names = new Map<string, string>();
  readonly #categoryOf = new Map<string, Category>();
  readonly #matches = new Map<string, AppMatch>();
  readonly #domains = new Map<string, AppMatch>();
  readonly #userDomains = new Map<string, AppMatch>();
  readonly #ports = new PortTable();
  readonly #userPorts: PortTable | null;
  readonly #cidrs: Cidr[] = [];
  readonly #userCidrs: Cidr[] = [];

  readonly #signatures: PayloadSignatures | null;

  /**
   * Checks `apps`, `ports` and `signatures` (TypeError naming the first bad
   * field) unless `options.trusted`: the shipped files, which a test proves
   * valid and in checked form (lists an app lacks are empty), so a start
   * does not check them again. User rules are checked always.
   */
  constructor(
    apps: unknown,
    ports: unknown,
    userRules: unknown = [],
    signatures?: unknown,
    options: { trusted?: boolean } = {},
  ) {
    const data = options.trusted ? withEmptyLists(apps as CatalogueData) : validateCatalogue(apps);
    const fallback = options.trusted ? ports as PortRulesData : validatePortRules(ports);
    this.#signatures = signatures === undefined ? null : new PayloadSignatures(signatures);
    const users = validateUserRules(userRules);
    for (const a of data.apps) this.#names.set(a.id, a.name);
    for (const u of users) {
      const match = this.#match(u.app, u.category as Category, u.name);
      if (u.domain && !this.#userDomains.has(u.domain)) this.#userDomains.set(u.domain, match);
      if (u.cidr) this.#userCidrs.push({ ...parseCidr(u.cidr)!, match });
    }
    const userPorts = users.filter((u) => u.port !== undefined);
    this.#userPorts = userPorts.length ? new PortTable() : null;
    for (const u of userPorts) {
      const r = { protocol: u.protocol as PortProtocol, from: u.port!, to: u.port! };
      this.#userPorts!.add(r, this.#match(u.app, u.category as Category, u.name));
    }
    for (const r of fallback.rules) this.#ports.add(r, this.#match(r.app, r.category, r.name));
    for (const a of data.apps) {
      const match = this.#match(a.id, a.category);
      for (const d of a.domains) this.#domains.set(d, match);
      for (const p of a.ports) this.#ports.add(p, match);
      for (const c of a.cidrs) this.#cidrs.push({ ...parseCidr(c)!, match });
    }
    const longestFirst = (a: Cidr, b: Cidr) => b.prefix - a.prefix;
    this.#cidrs.sort(longestFirst);
    this.#userCidrs.sort(longestFirst);
  }

  /**
   * The category of an app id, as a user rule, a port rule or the catalogue
   * gives it (first given wins, in that order); null for an unknown id.
   */
  categoryOf(app: string): Category | null {
    return this.#categoryOf.get(app) ?? null;
  }

  /** One shared, frozen match per app, category and name. */
  #match(app: string, category: Category, name?: string): AppMatch {
    if (!this.#categoryOf.has(app)) this.#categoryOf.set(app, category);
    const shown = this.#names.get(app) ?? name ?? app, key = `${app}\0${category}\0${shown}`;
    let match = this.#matches.get(key);
    if (!match) this.#matches.set(key, match = Object.freeze({ app, name: shown, category }));
    return match;
  }

  /** The app for a hostname by longest domain suffix; case and a trailing dot are ignored. */
  byHostname(name: string): AppMatch | null {
    const host = (name.endsWith(".") ? name.slice(0, -1) : name).toLowerCase();
    return byDomain(this.#userDomains, host) ?? byDomain(this.#domains, host);
  }

  /** The app for a TCP (6) or UDP (17) flow by port: user rules first, then the server port. */
  byPort(protocol: number, serverPort: number, clientPort: number): AppMatch | null {
    const user = this.#userPorts;
    return (user && (user.get(protocol, serverPort) ?? user.get(protocol, clientPort))) ??
      this.#ports.get(protocol, serverPort) ?? this.#ports.get(protocol, clientPort);
  }

  /**
   * The app a payload's signature names, for a packet of `protocol` going
   * `direction` (0 from the client, 1 from the server).
   */
  byPayload(
    protocol: number,
    direction: number,
    serverPort: number,
    payload: Uint8Array,
  ): AppMatch | null {
    return this.#signatures?.match(protocol, direction, serverPort, payload) ?? null;
  }

  /** The same app counted as a call (its STUN and media flows): category VideoCalls. */
  asCall(match: AppMatch): AppMatch {
    return this.#match(match.app, "VideoCalls", match.name);
  }

  /** The app for an address held as words (IPv4 in `words[0]`), by longest CIDR prefix. */
  byAddress(version: 4 | 6, words: ArrayLike<number>): AppMatch | null {
    return byCidr(this.#userCidrs, version, words) ?? byCidr(this.#cidrs, version, words);
  }
}
