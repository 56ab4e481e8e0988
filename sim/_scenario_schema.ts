// A scenario file's shape in zod (README "Simulator" has the prose): each
// field checked on its own, figures in units ("25Mbit", "30GB", "2h") turned
// into bytes/s, bytes and seconds, addresses into numbers, and the forms of
// "start" and timeline times. What needs more than one field (generated
// devices, unique addresses, addresses inside the LAN, names that refer to
// other parts, the policy) is checked in scenario.ts.
import { z, type ZodIssue } from "zod";
import { parseDuration, parseRate, parseSize } from "../engine/policy/units.ts";
import { formatIp, parseIp } from "../engine/ip_address.ts";

/** A custom issue; `range` marks a value of the right type but out of bounds (RangeError). */
function problem(ctx: z.RefinementCtx, message: string, range = true): typeof z.NEVER {
  ctx.addIssue({ code: z.ZodIssueCode.custom, message, params: { range } });
  return z.NEVER;
}

/** A figure in units: the units parser's message (and error class) becomes the field's. */
function figure(parse: (v: string | number) => number, min = 0) {
  return z.union([z.number(), z.string()], {
    errorMap: (_issue, ctx) => ({
      message: ctx.data === undefined ? "is required" : "must be a number or a figure with units",
    }),
  }).transform((value, ctx) => {
    try {
      const n = parse(value);
      return n < min ? problem(ctx, `must be at least ${min}, got ${JSON.stringify(value)}`) : n;
    } catch (err) {
      return problem(ctx, (err as Error).message, err instanceof RangeError);
    }
  });
}

const rate = figure(parseRate);
const size = figure(parseSize, 1);
const seconds = figure(parseDuration, 0.001);

/** A MAC ("aa:bb:cc:dd:ee:ff", any case, ":" or "-") or an OUI (its first 3 octets), unicast. */
function macOf(octets: 3 | 6, what: string) {
  const form = new RegExp(`^[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\\1[0-9a-f]{2}){${octets - 2}}$`, "i");
  return z.string().transform((text, ctx) => {
    if (!form.test(text)) return problem(ctx, `${JSON.stringify(text)} is not ${what}`, false);
    const normal = text.toLowerCase().replaceAll("-", ":");
    if (parseInt(normal.slice(0, 2), 16) & 1) {
      return problem(ctx, `${normal} is multicast (first octet odd), not a device's`);
    }
    return normal;
  });
}

const mac = macOf(6, "a MAC address");
const oui = macOf(3, 'an OUI ("aa:bb:cc")');

/** An IPv4 address as `words[0]`, or an IPv6 one as four big-endian words. */
function address(version: 4 | 6) {
  return z.string().transform((text, ctx) => {
    const ip = text.includes("%") ? null : parseIp(text);
    if (ip?.version === version) return ip.words;
    return problem(ctx, `${JSON.stringify(text)} is not an IPv${version} address`, false);
  });
}

const ip4 = address(4).transform((words) => words[0]);
const ip6 = address(6);

/** A subnet read from "ADDRESS/PREFIX": its address words (host bits cleared) and prefix. */
export interface Subnet {
  words: Uint32Array;
  prefix: number;
}

/** The words with all but the first `prefix` bits cleared (a new array). */
function masked(words: Uint32Array, prefix: number): Uint32Array {
  return words.map((w, i) => {
    const keep = Math.min(32, Math.max(0, prefix - 32 * i));
    return keep === 0 ? 0 : w & (0xffffffff << (32 - keep));
  });
}

function cidr(version: 4 | 6, min: number, max: number) {
  const what = version === 4 ? 'an IPv4 CIDR ("192.168.1.0/24")' : 'an IPv6 CIDR ("fd00:1::/64")';
  return z.string().transform((text, ctx): Subnet => {
    const [address, bits, extra] = text.split("/");
    const ip = parseIp(address);
    const prefix = /^\d{1,3}$/.test(bits ?? "") ? Number(bits) : NaN;
    if (
      ip?.version !== version || extra !== undefined || !(prefix <= 32 * (version === 4 ? 1 : 4))
    ) {
      return problem(ctx, `${JSON.stringify(text)} is not ${what}`, false);
    }
    if (prefix < min || prefix > max) {
      return problem(ctx, `${text}: the prefix must be from /${min} to /${max}`);
    }
    return { words: masked(ip.words, prefix), prefix };
  });
}

/** A device id or profile name. */
export const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const idText = "1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit";
const id = z.string().regex(ID, { message: `must be ${idText}` });
const HOST = /^(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9])?\.)+[a-z](?:[a-z0-9-]*[a-z0-9])?$/;
/** A service's DNS name, lower case. */
const host = z.string().regex(HOST, {
  message: "must be a lower-case DNS name like www.example.com",
});
/** What a device sends as its DHCP host name (option 12): one DNS label. */
export const HOSTNAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const hostname = z.string().regex(HOSTNAME, {
  message: "must be one label of letters, digits and '-', at most 63",
});
const text = z.string().trim().min(1, "must not be empty");
const hosts = z.array(host).min(1, "needs at least one host");
const transport = z.enum(["tls", "quic", "http"]);
const packet = z.number().int().min(40).max(1500);

/** The six kinds of traffic; defaults keep the common case short. */
const profile = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("video"),
    hosts,
    transport: transport.default("tls"),
    rate,
    chunkSeconds: seconds.default(4),
  }).strict(),
  z.object({ kind: z.literal("call"), hosts, rate, packet: packet.default(1000) }).strict(),
  z.object({
    kind: z.literal("game"),
    hosts,
    pps: z.number().positive(),
    packet: packet.default(120),
  }).strict(),
  z.object({
    kind: z.literal("bulk"),
    hosts,
    transport: transport.default("tls"),
    direction: z.enum(["down", "up"]).default("down"),
    bytes: size,
    rate: rate.optional(),
  }).strict(),
  z.object({ kind: z.literal("chatter"), hosts, everySeconds: seconds, bytes: size }).strict(),
  z.object({ kind: z.literal("browse"), hosts, everySeconds: seconds, bytes: size }).strict(),
]);

/** "HH:MM", "HH:MM:SS", "dN HH:MM[:SS]", "+DURATION", or seconds from the start. */
const at = z.union([z.string(), z.number().nonnegative()], {
  errorMap: () => ({ message: 'must be "HH:MM", "dN HH:MM", "+DURATION" or seconds' }),
});

const entry = {
  at,
  profile: id,
  for: seconds.optional(),
  every: seconds.optional(),
  note: text,
};

const device = z.object({
  id,
  name: text,
  mac,
  ip: ip4,
  ip6: ip6.optional(),
  vendor: text.optional(),
  hostname: hostname.optional(),
  always: z.array(id).default([]),
}).strict();

/**
 * Many similar devices in a few lines (the stress scenario's thousands).
 * Device n (1 to count) gets: id, name and hostname from their templates,
 * where "{n}" is n and "{n:4}" n padded with zeros to 4 digits; the IPv4
 * address ipStart + n - 1 (skipping the gateway's; a group without ipStart
 * continues after the previous group); the MAC `oui` followed by the
 * address's last three octets (unique as the address is); with `ip6: true`
 * the EUI-64 address of that MAC in lan6. Each timeline entry applies to
 * round(share × count) of the group's devices (all by default), picked with
 * the scenario's seed, each starting a random 0 to `spread` seconds after
 * `at`; "{id}" and "{name}" in its note are the device's.
 */
const generate = z.object({
  count: z.number().int().min(1).max(100_000),
  id: z.string().refine((t) => /\{n(?::\d)?\}/.test(t), 'must contain "{n}" (or "{n:4}")'),
  name: z.string().min(1).optional(),
  hostname: z.string().min(1).optional(),
  vendor: text.optional(),
  oui,
  ipStart: ip4.optional(),
  ip6: z.boolean().default(false),
  always: z.array(id).default([]),
  timeline: z.array(
    z.object({
      ...entry,
      share: z.number().min(0).max(1).default(1),
      spread: figure(parseDuration).default(0),
    }).strict(),
  ).default([]),
}).strict();

/** The scenario file as written, fields converted but not yet checked against each other. */
export const scenarioSchema = z.object({
  name: text,
  description: text,
  seed: z.number().int().min(0).max(0xffffffff),
  start: z.string(),
  link: z.object({ down: rate, up: rate }).strict(),
  lan: cidr(4, 8, 30),
  lan6: cidr(6, 16, 64).optional(),
  gateway: z.object({ mac, ip: ip4 }).strict(),
  devices: z.array(device).default([]),
  profiles: z.record(id, profile),
  timeline: z.array(z.object({ ...entry, device: id }).strict()).default([]),
  generate: z.array(generate).default([]),
  policy: z.record(z.string(), z.unknown()).optional(),
}).strict();

/** The parsed, converted file. */
export type ScenarioInput = z.output<typeof scenarioSchema>;
/** One generate group, parsed. */
export type GenerateInput = ScenarioInput["generate"][number];
/** One device as written, parsed. */
export type DeviceInput = ScenarioInput["devices"][number];

const EXAMPLE = '"2026-11-20T00:00:00+01:00"';
const START = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/** "start" (ISO 8601 with an offset) as epoch seconds and seconds east of UTC. */
export function splitStart(text: string): { start: number; utcOffset: number } {
  const m = START.exec(text), shown = JSON.stringify(text);
  if (!m) throw new TypeError(`start: ${shown} is not a time with an offset, like ${EXAMPLE}`);
  const [y, mo, d, h, mi, s, oh, om] = [1, 2, 3, 4, 5, 6, 9, 10].map((i) => Number(m[i] ?? 0));
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (y < 1970 || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59) {
    throw new RangeError(`start: ${shown} is not a date and time from 1970 on`);
  }
  if (s > 59 || oh > 14 || om > 59) {
    throw new RangeError(`start: ${shown} has a second or offset out of range`);
  }
  const utcOffset = m[7] ? 0 : (m[8] === "-" ? -1 : 1) * (oh * 3600 + om * 60);
  return { start: date.getTime() / 1000 - utcOffset, utcOffset };
}

const AT = /^(?:d(\d{1,4})\s+)?(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A timeline "at" in seconds from the start: a number is seconds; "+90s" a
 * duration; "HH:MM[:SS]" the first such time of day at or after the start;
 * "dN HH:MM[:SS]" that time on day N, d0 being the start's day. Times of day
 * are in the start's offset. Errors name `path`.
 */
export function resolveAt(
  at: string | number,
  start: number,
  utcOffset: number,
  path: string,
): number {
  if (typeof at === "number") return at;
  if (at.startsWith("+")) {
    try {
      return parseDuration(at.slice(1));
    } catch (err) {
      const line = `${path}: ${(err as Error).message}`;
      throw err instanceof RangeError ? new RangeError(line) : new TypeError(line);
    }
  }
  const m = AT.exec(at.trim());
  const [hh, mm, ss] = m ? [2, 3, 4].map((i) => Number(m[i] ?? 0)) : [];
  if (!m || hh > 23 || mm > 59 || ss > 59) {
    const forms = '"HH:MM", "HH:MM:SS", "dN HH:MM" or "+DURATION"';
    throw new TypeError(`${path}: ${JSON.stringify(at)} is not a time: write ${forms}`);
  }
  const since = hh * 3600 + mm * 60 + ss - ((((start + utcOffset) % 86_400) + 86_400) % 86_400);
  if (m[1] === undefined) return since < 0 ? since + 86_400 : since;
  const seconds = Number(m[1]) * 86_400 + since;
  if (seconds < 0) throw new RangeError(`${path}: ${JSON.stringify(at)} is before the start`);
  return seconds;
}

/** Throws the one-line error for `path`: RangeError unless told TypeError. */
export function fail(path: string, message: string, kind = RangeError): never {
  throw new kind(`${path}: ${message}`);
}

/** Text with "{n}" as n and "{n:4}" as n padded with zeros to 4 digits. */
export function fill(template: string, n: number): string {
  return template.replace(
    /\{n(?::(\d))?\}/g,
    (_, width) => String(n).padStart(Number(width ?? 0), "0"),
  );
}

export function hex(octet: number): string {
  return (octet & 255).toString(16).padStart(2, "0");
}

/** The SLAAC (EUI-64) address of a MAC in a /64 or wider prefix. */
export function eui64(prefix: Uint32Array, mac: string): Uint32Array {
  const b = mac.split(":").map((h) => parseInt(h, 16));
  const id = [
    (b[0] ^ 2) << 24 | b[1] << 16 | b[2] << 8 | 0xff,
    0xfe << 24 | b[3] << 16 | b[4] << 8 | b[5],
  ];
  return Uint32Array.of(prefix[0], prefix[1], id[0], id[1]);
}

/** The LAN's subnets and every id and address taken so far, with who took it. */
export class Lan {
  readonly text: string;
  readonly gateway: number;
  readonly v6: Subnet | undefined;
  readonly ids = new Map<string, string>();
  readonly #net: number;
  readonly #broadcast: number;
  readonly #macs = new Map<string, string>();
  readonly #ips = new Map<number, string>();
  readonly #ip6s = new Map<string, string>();

  constructor(input: ScenarioInput) {
    const { words, prefix } = input.lan;
    this.text = `${formatIp(4, words)}/${prefix}`;
    this.#net = words[0];
    this.#broadcast = (words[0] | (2 ** (32 - prefix) - 1)) >>> 0;
    this.v6 = input.lan6;
    this.gateway = input.gateway.ip;
    const problem = this.outside(this.gateway);
    if (problem) fail("gateway.ip", `${formatIp(4, [this.gateway])} ${problem}`);
    this.#macs.set(input.gateway.mac, "the gateway");
  }

  /** Why `ip` cannot be a host's address on this LAN, or "" if it can. */
  outside(ip: number): string {
    if (ip < this.#net || ip > this.#broadcast) return `not in lan ${this.text}`;
    if (ip === this.#net) return `the network address of lan ${this.text}`;
    return ip === this.#broadcast ? `the broadcast address of lan ${this.text}` : "";
  }

  claimId(id: string, path: string, who: string): void {
    claim(this.ids, id, who, path, `"${id}" is also the id of`);
  }

  claimMac(mac: string, path: string, who: string): void {
    claim(this.#macs, mac, who, path, `${mac} is also the MAC of`);
  }

  claimIp(ip: number, path: string, who: string): void {
    const text = formatIp(4, [ip]);
    if (ip === this.gateway) fail(path, `${text} is the gateway's address`);
    const problem = this.outside(ip);
    if (problem) fail(path, `${text} is ${problem}`);
    claim(this.#ips, ip, who, path, `${text} is also the address of`);
  }

  claimIp6(ip6: Uint32Array, path: string, who: string): void {
    const text = formatIp(6, ip6), v6 = this.v6;
    if (!v6) fail(path, "the scenario has no lan6");
    if (masked(ip6, v6.prefix).some((w, i) => w !== v6.words[i])) {
      fail(path, `${text} is not in lan6 ${formatIp(6, v6.words)}/${v6.prefix}`);
    }
    claim(this.#ip6s, text, who, path, `${text} is also the address of`);
  }
}

function claim<K>(taken: Map<K, string>, key: K, who: string, path: string, text: string): void {
  const other = taken.get(key);
  if (other !== undefined) fail(path, `${text} ${other}`);
  taken.set(key, who);
}

/** A field path as people write it: `devices[3].mac`, `profiles.tv.rate`. */
export function fieldPath(path: readonly (string | number)[]): string {
  return path.map((p, n) => typeof p === "number" ? `[${p}]` : n === 0 ? p : `.${p}`).join("");
}

/** Messages for zod's own bounds checks, in the words of the rest. */
const messages: z.ZodErrorMap = (issue, ctx) => {
  if (issue.code === "too_small" || issue.code === "too_big") {
    const low = issue.code === "too_small";
    const bound = Number(low ? issue.minimum : issue.maximum);
    if (issue.type === "array") {
      return { message: low ? `needs at least ${bound}` : `has more than ${bound}` };
    }
    const word = low
      ? (issue.inclusive ? "at least" : "above")
      : (issue.inclusive ? "at most" : "below");
    return { message: `must be ${word} ${bound}` };
  }
  if (issue.code === "invalid_type" && issue.expected === "integer") {
    return { message: `must be a whole number, got ${ctx.data}` };
  }
  return { message: ctx.defaultError };
};

/** The file's shape checked and converted; throws the first problem as a one-line error. */
export function readShape(value: unknown): ScenarioInput {
  const parsed = scenarioSchema.safeParse(value, { errorMap: messages });
  if (!parsed.success) throw issueError(parsed.error.issues[0]);
  return parsed.data;
}

function issueError(i: ZodIssue): TypeError | RangeError {
  let message = i.message, range = false;
  if (i.code === "unrecognized_keys") {
    message = `unknown field ${i.keys.map((k) => `"${k}"`).join(", ")}`;
  } else if (i.code === "invalid_type" && i.expected !== "integer") {
    message = i.received === "undefined"
      ? "is required"
      : `must be ${i.expected}, got ${i.received}`;
  } else if (i.code === "invalid_union_discriminator") {
    message = `must be one of ${i.options.map((o) => `"${String(o)}"`).join(", ")}`;
  } else if (i.code === "invalid_enum_value") {
    message = `${JSON.stringify(i.received)} is not one of ${i.options.join(", ")}`;
  } else if (i.code === "too_small" || i.code === "too_big" || i.code === "invalid_type") {
    range = true; // bounds, or a fraction where a whole number belongs
  } else if (i.code === "custom") {
    range = i.params?.range === true;
  }
  const line = `${fieldPath(i.path) || "scenario"}: ${message}`;
  return range ? new RangeError(line) : new TypeError(line);
}
