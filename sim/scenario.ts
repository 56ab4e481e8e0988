/**
 * Scenarios for the traffic simulator: a home or office as data (its link,
 * LAN, devices, the kinds of traffic they make, a timeline of what happens
 * when, and optionally a policy), read from JSON and checked whole. Figures
 * are in units and times of day in the start's offset; see
 * sim/_scenario_schema.ts for the file's fields and README "Simulator" for
 * the prose.
 *
 * @module
 */
import { formatIp } from "../engine/ip_address.ts";
import { parsePolicy, PolicyConfigError } from "../engine/policy/policy_config.ts";
import { localTime } from "../engine/policy/zoned_time.ts";
import {
  type DeviceInput,
  eui64,
  fail,
  fieldPath,
  fill,
  type GenerateInput,
  hex,
  HOSTNAME,
  ID,
  Lan,
  readShape,
  resolveAt,
  splitStart,
} from "./_scenario_schema.ts";
import { Random } from "./random.ts";
import family from "./scenarios/family.json" with { type: "json" };
import office from "./scenarios/office.json" with { type: "json" };
import stress from "./scenarios/stress.json" with { type: "json" };

/** A simulated network: parsed, with figures in bytes, bytes/s and seconds. */
export interface Scenario {
  name: string;
  description: string;
  /** uint32: seeds every random choice, so a scenario replays exactly. */
  seed: number;
  /** Epoch seconds, from "start" (ISO 8601 with offset). */
  start: number;
  /** Seconds east of UTC, from "start": the clock of times of day in the timeline. */
  utcOffset: number;
  /** The line's capacity each way, bytes/s. */
  link: { down: number; up: number };
  /** IPv4 CIDR in network form, e.g. "192.168.1.0/24". */
  lan: string;
  /** IPv6 prefix in network form, e.g. "fd00:1::/64". */
  lan6?: string;
  gateway: { mac: string; ip: string };
  /** The devices written out, then the generated ones in order. */
  devices: SimDevice[];
  profiles: Record<string, Profile>;
  /** Sorted by `at` (entries at the same second in file order, generated ones last). */
  timeline: TimelineEntry[];
  /** The policy's JSON object as written, `link` filled in from the scenario's if absent. */
  policy?: unknown;
}

/** One device on the LAN. */
export interface SimDevice {
  /** Short name used in the timeline, e.g. "tv". */
  id: string;
  /** Human name, e.g. "Living room TV". */
  name: string;
  /** Lower-case aa:bb:cc:dd:ee:ff; unique. */
  mac: string;
  /** Inside lan; unique; not the gateway's. */
  ip: string;
  /** Inside lan6 (canonical text). */
  ip6?: string;
  vendor?: string;
  /** What it sends in DHCP option 12. */
  hostname?: string;
  /** Profile names running all the time (background chatter, browsing). */
  always: string[];
}

/** How a flow's payload is carried: TLS over TCP, QUIC, or clear HTTP. */
export type Transport = "tls" | "quic" | "http";

/** A kind of traffic; rates bytes/s, sizes bytes, times seconds, packets bytes. */
export type Profile =
  /** Streaming: average `rate` delivered in bursty chunks every `chunkSeconds`. */
  | { kind: "video"; hosts: string[]; transport: Transport; rate: number; chunkSeconds: number }
  /** Symmetric steady UDP, `rate` each way in packets of `packet` bytes. */
  | { kind: "call"; hosts: string[]; rate: number; packet: number }
  /** Small latency-sensitive UDP, `pps` packets a second each way. */
  | { kind: "game"; hosts: string[]; pps: number; packet: number }
  /** Download, backup or update: as fast as it can (up to `rate`) until `bytes` are done. */
  | {
    kind: "bulk";
    hosts: string[];
    transport: Transport;
    direction: "down" | "up";
    bytes: number;
    rate?: number;
  }
  /** IoT: a small exchange of about `bytes` every ~`everySeconds`. */
  | { kind: "chatter"; hosts: string[]; everySeconds: number; bytes: number }
  /** A DNS lookup then a short TLS fetch of ~`bytes` every ~`everySeconds`. */
  | { kind: "browse"; hosts: string[]; everySeconds: number; bytes: number };

/** Something that happens: a device starts a profile. */
export interface TimelineEntry {
  /** Seconds from the start. */
  at: number;
  /** A SimDevice id. */
  device: string;
  /** A key of profiles. */
  profile: string;
  /** Seconds it runs (default: until done for bulk, else until the end). */
  for?: number;
  /** Repeats every this many seconds (86400 for daily). */
  every?: number;
  /** Human text for logs, e.g. "the TV starts a 4K stream". */
  note: string;
}

/** The scenarios shipped in sim/scenarios/, by name. */
export const SCENARIO_NAMES = ["family", "office", "stress"] as const;
const SHIPPED: Record<string, unknown> = { family, office, stress };

/**
 * Parses and validates a scenario file's JSON value. Throws a TypeError (wrong
 * shape) or RangeError (a value out of bounds, a duplicate, a name that refers
 * to nothing) with one line naming the path: `devices[3].mac: "zz" is not a
 * MAC address`, `timeline[2].device: no device "tvv"`, `policy.rules[0]...`.
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrows } from "@std/assert";
 * const file = {
 *   name: "Flat", description: "One TV", seed: 7, start: "2026-11-20T00:00:00+01:00",
 *   link: { down: "100Mbit", up: "20Mbit" }, lan: "192.168.1.0/24",
 *   gateway: { mac: "38:10:d5:00:00:01", ip: "192.168.1.1" },
 *   devices: [{ id: "tv", name: "TV", mac: "f8:3b:1d:00:00:02", ip: "192.168.1.20" }],
 *   profiles: { netflix: { kind: "video", hosts: ["www.netflix.com"], rate: "25Mbit" } },
 *   timeline: [{ at: "19:00", device: "tv", profile: "netflix", for: "2h", note: "a film" }],
 * };
 * const s = parseScenario(file);
 * assertEquals(s.timeline[0].at, 68_400);
 * assertEquals(s.profiles.netflix, {
 *   kind: "video", hosts: ["www.netflix.com"], transport: "tls", rate: 3_125_000, chunkSeconds: 4,
 * });
 * assertThrows(() => parseScenario({ ...file, lan: "192.168.1/24" }), TypeError, "lan: ");
 * ```
 */
export function parseScenario(value: unknown): Scenario {
  const input = readShape(value);
  const { start, utcOffset } = splitStart(input.start);
  const lan = new Lan(input);
  const devices = input.devices.map((d, i): SimDevice => {
    const at = `devices[${i}]`;
    lan.claimId(d.id, `${at}.id`, at);
    lan.claimMac(d.mac, `${at}.mac`, at);
    lan.claimIp(d.ip, `${at}.ip`, at);
    if (d.ip6) lan.claimIp6(d.ip6, `${at}.ip6`, at);
    d.always.forEach((p, k) => checkProfile(p, `${at}.always[${k}]`, input.profiles));
    return device(d);
  });
  let next = -1;
  input.generate.forEach((g, i) => {
    g.always.forEach((p, k) => checkProfile(p, `generate[${i}].always[${k}]`, input.profiles));
    next = generate(g, `generate[${i}]`, next, lan, devices);
  });
  const timeline = input.timeline.map((e, i): TimelineEntry => {
    const at = `timeline[${i}]`;
    if (!lan.ids.has(e.device)) fail(`${at}.device`, `no device "${e.device}"`);
    checkProfile(e.profile, `${at}.profile`, input.profiles);
    return entry(resolveAt(e.at, start, utcOffset, `${at}.at`), e.device, e);
  });
  let first = input.devices.length;
  input.generate.forEach((g, i) => {
    const group = devices.slice(first, first += g.count);
    g.timeline.forEach((e, k) => {
      const at = `generate[${i}].timeline[${k}]`;
      checkProfile(e.profile, `${at}.profile`, input.profiles);
      const base = resolveAt(e.at, start, utcOffset, `${at}.at`);
      const random = new Random(input.seed).fork(at);
      for (const d of chosen(group, Math.round(e.share * g.count), random)) {
        const note = e.note.replaceAll("{id}", d.id).replaceAll("{name}", d.name);
        const delay = Math.floor(random.float() * e.spread);
        timeline.push(entry(base + delay, d.id, { ...e, note }));
      }
    });
  });
  timeline.sort((a, b) => a.at - b.at); // stable: ties keep file order
  const scenario: Scenario = {
    name: input.name,
    description: input.description,
    seed: input.seed,
    start,
    utcOffset,
    link: input.link,
    lan: lan.text,
    gateway: { mac: input.gateway.mac, ip: formatIp(4, [input.gateway.ip]) },
    devices,
    profiles: input.profiles,
    timeline,
  };
  if (input.lan6) scenario.lan6 = `${formatIp(6, input.lan6.words)}/${input.lan6.prefix}`;
  if (input.policy) scenario.policy = checkPolicy(input.policy, scenario);
  return scenario;
}

function checkProfile(name: string, path: string, profiles: Record<string, Profile>): void {
  if (!Object.hasOwn(profiles, name)) fail(path, `no profile "${name}"`);
}

/** `count` of the devices, picked at random (a partial Fisher-Yates shuffle), in their order. */
function chosen(devices: SimDevice[], count: number, random: Random): SimDevice[] {
  const order = Array.from(devices.keys());
  for (let i = 0; i < count; i++) {
    const j = i + random.int(order.length - i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, count).sort((a, b) => a - b).map((i) => devices[i]);
}

/** Adds a generate group's devices; returns the address after its last. */
function generate(g: GenerateInput, at: string, next: number, lan: Lan, out: SimDevice[]): number {
  if (g.ipStart === undefined && next < 0) fail(`${at}.ipStart`, "is required in the first group");
  if (g.ip6 && !lan.v6) fail(`${at}.ip6`, "the scenario has no lan6");
  let ip = g.ipStart ?? next;
  for (let n = 1; n <= g.count; n++) {
    if (ip === lan.gateway) ip++;
    const id = fill(g.id, n), who = `${at} device "${id}"`;
    if (!ID.test(id)) fail(`${at}.id`, `"${id}" (device ${n}) is not a device id`, TypeError);
    const hostname = g.hostname === undefined ? undefined : fill(g.hostname, n);
    if (hostname !== undefined && !HOSTNAME.test(hostname)) {
      fail(`${at}.hostname`, `"${hostname}" (device ${n}) is not a host name`, TypeError);
    }
    const where = n === 1 ? `${at}.ipStart` : `${at}.count`;
    if (lan.outside(ip)) {
      fail(where, `device ${n} of ${g.count} would get ${formatIp(4, [ip])}, ${lan.outside(ip)}`);
    }
    const mac = `${g.oui}:${hex(ip >>> 16)}:${hex(ip >>> 8)}:${hex(ip)}`;
    const ip6 = g.ip6 ? eui64(lan.v6!.words, mac) : undefined;
    lan.claimId(id, `${at}.id`, who);
    lan.claimIp(ip, where, who); // first: a clash of addresses is also one of MACs
    lan.claimMac(mac, `${at}.oui`, who);
    if (ip6) lan.claimIp6(ip6, `${at}.ip6`, who);
    const name = g.name === undefined ? id : fill(g.name, n);
    out.push(device({ id, name, mac, ip, ip6, vendor: g.vendor, hostname, always: g.always }));
    ip++;
  }
  return ip;
}

/** A device as parsed or generated (addresses as numbers), without absent optional fields. */
function device({ id, name, mac, ip, ip6, vendor, hostname, always }: DeviceInput): SimDevice {
  const out = { id, name, mac, ip: formatIp(4, [ip]) } as SimDevice;
  if (ip6) out.ip6 = formatIp(6, ip6);
  if (vendor !== undefined) out.vendor = vendor;
  if (hostname !== undefined) out.hostname = hostname;
  out.always = [...always]; // last, as in the file
  return out;
}

/** A timeline entry without absent optional fields. */
function entry(
  at: number,
  device: string,
  e: { profile: string; for?: number; every?: number; note: string },
): TimelineEntry {
  const out: TimelineEntry = { at, device, profile: e.profile, note: e.note };
  if (e.for !== undefined) out.for = e.for;
  if (e.every !== undefined) out.every = e.every;
  return out;
}

function checkPolicy(written: Record<string, unknown>, s: Scenario): Record<string, unknown> {
  const policy = "link" in written ? written : { ...written, link: { ...s.link } };
  let config;
  try {
    config = parsePolicy(policy);
  } catch (err) {
    if (!(err instanceof PolicyConfigError)) throw err;
    const { path, message } = err.issues[0];
    throw new TypeError(`policy${path ? `.${path}` : ""}: ${message}`);
  }
  // Rules about devices that are not in the scenario would never apply: a typo.
  const known = new Set<string>();
  for (const d of s.devices) {
    known.add(`mac:${d.mac}`).add(`ip:${d.ip}`);
    if (d.ip6) known.add(`ip:${d.ip6}`);
  }
  const check = (id: string, path: string) => {
    if (!known.has(id)) fail(`policy.${path}`, `no device in the scenario is ${id}`);
  };
  for (const [name, members] of Object.entries(config.groups)) {
    members.forEach((id, i) => check(id, `${fieldPath(["groups", name])}[${i}]`));
  }
  config.rules.forEach((rule, i) => {
    if ("device" in rule.devices) check(rule.devices.device, `rules[${i}].devices.device`);
  });
  // Schedules read the policy's zone and the timeline the start's offset: they must agree.
  const offset = localTime(s.start * 1000, config.timeZone).offsetMinutes * 60;
  if (offset !== s.utcOffset) {
    fail(
      "policy.timeZone",
      `${config.timeZone} is ${utc(offset)} at the start, but start is ${utc(s.utcOffset)}: ` +
        "schedules and the timeline would read different clocks",
    );
  }
  return policy;
}

function utc(offset: number): string {
  const a = Math.abs(offset) / 60;
  const hm = `${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
  return `UTC${offset < 0 ? "-" : "+"}${hm}`;
}

/**
 * Reads a scenario: one of {@linkcode SCENARIO_NAMES} (bundled with the
 * code, so nothing is read) or a .json file through `readTextFile`
 * (Deno.readTextFile in the CLI, whose NotFound and other errors pass
 * through). Errors are parseScenario's; a file that is not JSON is a
 * TypeError "not JSON: …".
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const home = await loadScenario("family", Deno.readTextFile);
 * assertEquals(home.name, "Family home");
 * ```
 */
export async function loadScenario(
  nameOrPath: string,
  readTextFile: (path: string) => Promise<string>,
): Promise<Scenario> {
  if (Object.hasOwn(SHIPPED, nameOrPath)) return parseScenario(SHIPPED[nameOrPath]);
  if (!/[\\/]|\.json$/i.test(nameOrPath)) {
    throw new TypeError(
      `not a shipped scenario (${SCENARIO_NAMES.join(", ")}) nor a .json file`,
    );
  }
  const text = await readTextFile(nameOrPath);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new TypeError(`not JSON: ${(err as Error).message}`);
  }
  return parseScenario(value);
}

/**
 * A time in a scenario, in seconds from its start, written as a timeline's
 * "at" is: "HH:MM[:SS]" (the first such time of day at or after the start,
 * in the start's offset), "dN HH:MM", or "+DURATION". Errors name `path`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const home = await loadScenario("family", Deno.readTextFile);
 * assertEquals(scenarioTime(home, "19:15", "--from"), 69_300);
 * assertEquals(scenarioTime(home, "+90s", "--from"), 90);
 * ```
 */
export function scenarioTime(scenario: Scenario, text: string, path: string): number {
  return resolveAt(text, scenario.start, scenario.utcOffset, path);
}
