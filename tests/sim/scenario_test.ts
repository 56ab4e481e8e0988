import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { loadScenario, parseScenario } from "../../sim/scenario.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

/** A small valid scenario file: a TV and a laptop. */
function base(): Json {
  const tv = { id: "tv", name: "TV", mac: "fc:03:9f:6a:21:c4", ip: "192.168.1.20" };
  return {
    name: "Flat",
    description: "A TV and a laptop",
    seed: 7,
    start: "2026-11-20T00:00:00+01:00",
    link: { down: "100Mbit", up: "20Mbit" },
    lan: "192.168.1.0/24",
    lan6: "fd00:1::/64",
    gateway: { mac: "DC-39-6F-5A-10-01", ip: "192.168.1.1" },
    devices: [
      { ...tv, vendor: "Samsung", hostname: "Samsung-TV", always: ["iot"] },
      {
        id: "laptop",
        name: "Laptop",
        mac: "f8:94:c2:8d:40:5e",
        ip: "192.168.1.40",
        ip6: "fd00:1::40",
      },
    ],
    profiles: {
      film: { kind: "video", hosts: ["www.netflix.com"], rate: "25Mbit" },
      dl: { kind: "bulk", hosts: ["cache1-fra1.steamcontent.com"], bytes: "30GB" },
      iot: {
        kind: "chatter",
        hosts: ["otn.samsungcloudsolution.com"],
        everySeconds: "15m",
        bytes: "20KB",
      },
    },
    timeline: [
      { at: "19:20", device: "laptop", profile: "dl", note: "a game download" },
      { at: "19:00", device: "tv", profile: "film", for: "2h", note: "a film" },
    ],
  };
}

function changed(change: (s: Json) => void): Json {
  const s = base();
  change(s);
  return s;
}

Deno.test("parseScenario() converts a valid file into numbers, defaults and canonical forms", () => {
  const { devices, profiles, timeline, ...rest } = parseScenario(base());
  assertEquals(rest, {
    name: "Flat",
    description: "A TV and a laptop",
    seed: 7,
    start: Date.UTC(2026, 10, 19, 23) / 1000,
    utcOffset: 3600,
    link: { down: 12_500_000, up: 2_500_000 },
    lan: "192.168.1.0/24",
    lan6: "fd00:1::/64",
    gateway: { mac: "dc:39:6f:5a:10:01", ip: "192.168.1.1" },
  });
  assertEquals(devices, [
    { ...base().devices[0] },
    {
      id: "laptop",
      name: "Laptop",
      mac: "f8:94:c2:8d:40:5e",
      ip: "192.168.1.40",
      ip6: "fd00:1::40",
      always: [],
    },
  ]);
  assertEquals(profiles.film, {
    kind: "video",
    hosts: ["www.netflix.com"],
    transport: "tls",
    rate: 3_125_000,
    chunkSeconds: 4,
  });
  const { dl, iot } = profiles as Json;
  assertEquals([dl.bytes, dl.transport, dl.direction, "rate" in dl], [
    3e10,
    "tls",
    "down",
    false,
  ]);
  assertEquals([iot.everySeconds, iot.bytes], [900, 20_000]);
  assertEquals(timeline, [ // sorted by time
    { at: 68_400, device: "tv", profile: "film", for: 7200, note: "a film" },
    { at: 69_600, device: "laptop", profile: "dl", note: "a game download" },
  ]);
});

Deno.test("parseScenario() reads calls, games, uploads and browsing with their defaults", () => {
  const { profiles } = parseScenario(changed((s) => {
    s.profiles.call = { kind: "call", hosts: ["meet.google.com"], rate: "2Mbit" };
    s.profiles.game = { kind: "game", hosts: ["apis.roblox.com"], pps: 30 };
    s.profiles.up = {
      kind: "bulk",
      hosts: ["b.backblaze.com"],
      direction: "up",
      bytes: 1e9,
      rate: 1e6,
    };
    s.profiles.web = { kind: "browse", hosts: ["www.google.com"], everySeconds: 30, bytes: "9KB" };
  }));
  assertEquals(profiles.call, {
    kind: "call",
    hosts: ["meet.google.com"],
    rate: 250_000,
    packet: 1000,
  });
  assertEquals(profiles.game, { kind: "game", hosts: ["apis.roblox.com"], pps: 30, packet: 120 });
  const { up, web } = profiles as Json;
  assertEquals([up.transport, up.direction, up.bytes, up.rate], ["tls", "up", 1e9, 1e6]);
  assertEquals([web.kind, web.everySeconds, web.bytes], ["browse", 30, 9000]);
});

Deno.test("parseScenario() reads times of day in the start's offset, days and durations", () => {
  const at = (start: string, ...times: (string | number)[]) =>
    parseScenario(changed((s) => {
      s.start = start;
      s.timeline = times.map((t) => ({ at: t, device: "tv", profile: "film", note: String(t) }));
    })).timeline.map((e) => [e.note, e.at]);
  assertEquals(at("2026-11-20T00:00:00+01:00", "19:00", "00:00", "07:30:15", "+90s", "+2h", 45), [
    ["00:00", 0],
    ["45", 45],
    ["+90s", 90],
    ["+2h", 7200],
    ["07:30:15", 27_015],
    ["19:00", 68_400],
  ]);
  // From 20:00, "19:00" is tomorrow's; "d0 21:00" today's, "d1 07:00" tomorrow's.
  assertEquals(at("2026-11-20T20:00:00-05:30", "19:00", "d0 21:00", "d1 07:00", "d2 00:00"), [
    ["d0 21:00", 3600],
    ["d1 07:00", 39_600],
    ["19:00", 82_800],
    ["d2 00:00", 100_800],
  ]);
  assertThrows(
    () => at("2026-11-20T20:00:00+01:00", "d0 19:00"),
    RangeError,
    'timeline[0].at: "d0 19:00" is before the start',
  );
  const s = parseScenario(changed((s) => s.start = "2026-11-20T20:00:00-05:30"));
  assertEquals([s.start, s.utcOffset], [Date.UTC(2026, 10, 21, 1, 30) / 1000, -19_800]);
  assertEquals(parseScenario(changed((s) => s.start = "2026-03-01T06:00:00Z")).utcOffset, 0);
});

Deno.test("parseScenario() keeps the file order of entries at the same time", () => {
  const s = parseScenario(changed((s) => {
    s.timeline = ["b", "a", "c"].map((note) => ({
      at: "+1m",
      device: "tv",
      profile: "film",
      note,
    }));
  }));
  assertEquals(s.timeline.map((e) => e.note), ["b", "a", "c"]);
});

type Kind = typeof TypeError | typeof RangeError;
const T = TypeError, R = RangeError;

/** Sets `path` ("devices[1].mac") in `file` to `value`; undefined deletes it. */
function set(file: Json, path: string, value: unknown): Json {
  const keys = path.match(/[^.[\]]+/g)!;
  let at = file;
  for (const key of keys.slice(0, -1)) at = at[key];
  if (value === undefined) delete at[keys.at(-1)!];
  else at[keys.at(-1)!] = value;
  return file;
}

/** Each problem is refused with the right class, in one line starting with the path. */
function checkErrors(make: () => Json, table: [string, unknown, Kind, string][]): void {
  for (const [path, value, kind, start] of table) {
    const what = `${path} = ${JSON.stringify(value)}`;
    let err: Error | undefined;
    try {
      parseScenario(set(make(), path, value));
    } catch (e) {
      err = e as Error;
    }
    if (!err) throw new Error(`${what}: no error`);
    assert(err instanceof kind, `${what}: expected ${kind.name}, got ${err.name}: ${err.message}`);
    assert(!err.message.includes("\n"), `${what}: more than one line: ${err.message}`);
    assert(
      err.message.startsWith(start),
      `${what}:\n  got      ${err.message}\n  expected ${start}`,
    );
  }
}

const BAD_LIMIT = { id: "x", devices: { all: true }, action: { kind: "limit", down: "fast" } };
const STRANGER = {
  id: "x",
  devices: { device: "mac:02:00:00:00:00:09" },
  action: { kind: "block" },
};

Deno.test("parseScenario() names the path of the first problem in one line, table-driven", () => {
  checkErrors(base, [
    ["devices", 3, T, "devices: must be array, got number"],
    ["name", undefined, T, "name: is required"],
    ["colour", "red", T, 'scenario: unknown field "colour"'],
    ["seed", 2 ** 32, R, "seed: must be at most 4294967295"],
    ["seed", 1.5, R, "seed: must be a whole number, got 1.5"],
    ["start", "2026-11-20 19:00", T, 'start: "2026-11-20 19:00" is not a time with an offset'],
    ["start", "2026-02-30T00:00:00Z", R, 'start: "2026-02-30T00:00:00Z" is not a date and time'],
    ["link.down", "fast", T, 'link.down: rate "fast" not understood: write bits as "25Mbit"'],
    ["link", { down: 1 }, T, "link.up: is required"],
    ["profiles.film.rate", 0, R, "profiles.film.rate: rate 0 is zero: to stop traffic"],
    ["profiles.dl.bytes", "30Gbit", T, 'profiles.dl.bytes: size "30Gbit" is in bits'],
    ["profiles.dl.bytes", 0, R, "profiles.dl.bytes: must be at least 1, got 0"],
    ["profiles.iot.everySeconds", "0s", R, "profiles.iot.everySeconds: must be at least 0.001"],
    ["profiles.film.kind", "film", T, 'profiles.film.kind: must be one of "video", "call",'],
    ["profiles.film.pps", 3, T, 'profiles.film: unknown field "pps"'],
    ["profiles.dl.transport", "ftp", T, 'profiles.dl.transport: "ftp" is not one of tls, quic'],
    ["profiles.dl.direction", "sideways", T, 'profiles.dl.direction: "sideways" is not one of'],
    ["profiles.film.hosts", [], R, "profiles.film.hosts: needs at least one host"],
    ["profiles.film.hosts[0]", "Netflix", T, "profiles.film.hosts[0]: must be a lower-case DNS"],
    ["profiles.g", { kind: "game", hosts: ["a.io"], pps: 0 }, R, "profiles.g.pps: must be above 0"],
    ["profiles.c", { kind: "call", hosts: ["zoom.us"], rate: 1, packet: 9000 }, R, "profiles.c.pa"],
    ["profiles.my film", {}, T, "profiles.my film: must be 1 to 64 letters, digits"],
    ["lan", "192.168.1/24", T, 'lan: "192.168.1/24" is not an IPv4 CIDR ("192.168.1.0/24")'],
    ["lan", "192.168.1.0/31", R, "lan: 192.168.1.0/31: the prefix must be from /8 to /30"],
    ["lan6", "10.0.0.0/8", T, 'lan6: "10.0.0.0/8" is not an IPv6 CIDR ("fd00:1::/64")'],
    ["gateway.ip", "10.0.0.1", R, "gateway.ip: 10.0.0.1 not in lan 192.168.1.0/24"],
    ["devices[1].mac", "zz", T, 'devices[1].mac: "zz" is not a MAC address'],
    ["devices[1].mac", "01:00:5e:00:00:01", R, "devices[1].mac: 01:00:5e:00:00:01 is multicast"],
    ["devices[0].ip", "192.168.1.300", T, 'devices[0].ip: "192.168.1.300" is not an IPv4 address'],
    ["devices[0].ip", "fd00:1::5", T, 'devices[0].ip: "fd00:1::5" is not an IPv4 address'],
    ["devices[0].ip6", "192.168.1.9", T, 'devices[0].ip6: "192.168.1.9" is not an IPv6 address'],
    ["devices[0].hostname", "tv.local", T, "devices[0].hostname: must be one label of letters"],
    ["devices[0].name", " ", R, "devices[0].name: must not be empty"],
    ["devices[1].id", "tv", R, 'devices[1].id: "tv" is also the id of devices[0]'],
    ["devices[1].mac", "FC:03:9F:6A:21:C4", R, "devices[1].mac: fc:03:9f:6a:21:c4 is also the MA"],
    ["devices[0].mac", "dc:39:6f:5a:10:01", R, "devices[0].mac: dc:39:6f:5a:10:01 is also the MA"],
    ["devices[1].ip", "192.168.1.20", R, "devices[1].ip: 192.168.1.20 is also the address of d"],
    ["devices[1].ip", "192.168.1.1", R, "devices[1].ip: 192.168.1.1 is the gateway's address"],
    ["devices[1].ip", "192.168.2.40", R, "devices[1].ip: 192.168.2.40 is not in lan 192.168.1.0/2"],
    ["devices[1].ip", "192.168.1.255", R, "devices[1].ip: 192.168.1.255 is the broadcast address"],
    ["devices[1].ip", "192.168.1.0", R, "devices[1].ip: 192.168.1.0 is the network address"],
    ["devices[1].ip6", "fd00:2::40", R, "devices[1].ip6: fd00:2::40 is not in lan6 fd00:1::/64"],
    ["lan6", undefined, R, "devices[1].ip6: the scenario has no lan6"],
    ["devices[0].always[1]", "radio", R, 'devices[0].always[1]: no profile "radio"'],
    ["timeline[1].device", "tvv", R, 'timeline[1].device: no device "tvv"'],
    ["timeline[0].profile", "origin", R, 'timeline[0].profile: no profile "origin"'],
    ["timeline[0].at", "7pm", T, 'timeline[0].at: "7pm" is not a time: write "HH:MM", "HH:MM:SS"'],
    ["timeline[0].at", "24:00", T, 'timeline[0].at: "24:00" is not a time'],
    ["timeline[0].at", "+soon", T, 'timeline[0].at: duration "soon" not understood'],
    ["timeline[0].at", -5, R, "timeline[0].at: must be at least 0"],
    ["timeline[0].at", true, T, 'timeline[0].at: must be "HH:MM", "dN HH:MM", "+DURATION" or sec'],
    ["timeline[0].every", "daily", T, 'timeline[0].every: duration "daily" not understood'],
    ["timeline[0].note", undefined, T, "timeline[0].note: is required"],
    ["policy", { rules: [BAD_LIMIT] }, T, 'policy.rules[0].action.down: rate "fast" not under'],
    ["policy", [], T, "policy: must be object, got array"],
    ["policy", { timeZone: "Mars/Base" }, T, "policy.timeZone: "],
    ["policy", { rules: [STRANGER] }, R, "policy.rules[0].devices.device: no device in the sc"],
    ["policy", { groups: { kids: ["ip:192.168.1.99"] } }, R, "policy.groups.kids[0]: no device in"],
    ["policy", { timeZone: "Europe/London" }, R, "policy.timeZone: Europe/London is UTC+00:00"],
  ]);
  assertThrows(() => parseScenario(null), TypeError, "scenario: must be object, got null");
});

Deno.test("parseScenario() fills in the policy's link from the scenario's, the rest as written", () => {
  const policy = {
    timeZone: "Europe/Berlin",
    groups: { screens: ["mac:fc:03:9f:6a:21:c4", "ip:192.168.1.40", "ip:fd00:1:0::40"] },
    rules: [{ id: "cap", devices: { device: "mac:FC-03-9F-6A-21-C4" }, action: { kind: "block" } }],
  };
  const s = parseScenario(changed((s) => s.policy = policy));
  assertEquals(s.policy, { ...policy, link: { down: 12_500_000, up: 2_500_000 } });
  const own = { ...policy, link: { down: "50Mbit", up: "10Mbit" } };
  assertEquals(parseScenario(changed((s) => s.policy = own)).policy, own);
  assertEquals("policy" in parseScenario(base()), false);
});

/** A LAN of generated devices only. */
function generated(...groups: Json[]): Json {
  return changed((s) => {
    Object.assign(s, { lan: "10.20.0.0/16", devices: [], timeline: [], generate: groups });
    s.gateway.ip = "10.20.1.1";
  });
}

const WATCH = { at: "19:00", profile: "film", for: "1h", share: 0.67, spread: "10m" };
const HOSTS = {
  ...{ count: 3, id: "host-{n:2}", name: "Host {n}", hostname: "H{n:3}", vendor: "Intel" },
  ...{ oui: "F8:94:C2", ipStart: "10.20.0.254", ip6: true, always: ["iot"] },
  timeline: [{ ...WATCH, note: "{name} ({id})" }],
};

Deno.test("parseScenario() expands generate groups into devices, in order and deterministically", () => {
  const s = parseScenario(generated(HOSTS, { count: 2, id: "cam-{n}", oui: "54:e0:19" }));
  const shown = (d: Json) => [d.id, d.name, d.mac, d.ip, d.ip6, d.hostname, d.vendor].join(" ");
  assertEquals(s.devices.map(shown), [
    "host-01 Host 1 f8:94:c2:14:00:fe 10.20.0.254 fd00:1::fa94:c2ff:fe14:fe H001 Intel",
    "host-02 Host 2 f8:94:c2:14:00:ff 10.20.0.255 fd00:1::fa94:c2ff:fe14:ff H002 Intel",
    "host-03 Host 3 f8:94:c2:14:01:00 10.20.1.0 fd00:1::fa94:c2ff:fe14:100 H003 Intel",
    // The next group goes on after the last address, past the gateway's (10.20.1.1).
    "cam-1 cam-1 54:e0:19:14:01:02 10.20.1.2   ",
    "cam-2 cam-2 54:e0:19:14:01:03 10.20.1.3   ",
  ]);
  assertEquals(s.devices.map((d) => d.always), [["iot"], ["iot"], ["iot"], [], []]);
  assertEquals(Object.keys(s.devices[3]), ["id", "name", "mac", "ip", "always"]);
  // round(0.67 × 3) = 2 of the hosts, each 0 to 10 minutes after 19:00.
  assertEquals(s.timeline.length, 2);
  for (const e of s.timeline) {
    const d = s.devices.find((d) => d.id === e.device)!;
    assertEquals([e.profile, e.for, e.note], ["film", 3600, `${d.name} (${d.id})`]);
    assert(e.at >= 68_400 && e.at < 69_000 && Number.isInteger(e.at), `${e.at}`);
  }
  assertEquals(parseScenario(generated(HOSTS)).timeline, parseScenario(generated(HOSTS)).timeline);
  const picks = new Set<string>();
  for (let seed = 0; seed < 20; seed++) {
    picks.add(JSON.stringify(parseScenario({ ...generated(HOSTS), seed }).timeline));
  }
  assert(picks.size > 5, `only ${picks.size} different timelines from 20 seeds`);
});

Deno.test("parseScenario() refuses generate groups that do not fit, naming the field", () => {
  const group = { count: 2, id: "h{n}", oui: "02:5a:00", ipStart: "10.20.0.10" };
  const at = (at: unknown, more = {}) => [{ at, profile: "film", note: "x", ...more }];
  const g = "generate[0]";
  checkErrors(() => set(generated(structuredClone(group)), "lan6", undefined), [
    [`${g}.ipStart`, undefined, R, `${g}.ipStart: is required in the first group`],
    [`${g}.ipStart`, "10.21.0.1", R, `${g}.ipStart: device 1 of 2 would get 10.21.0.1, not in`],
    [`${g}.ipStart`, "10.20.255.254", R, `${g}.count: device 2 of 2 would get 10.20.255.255`],
    [`${g}.id`, "host", T, `${g}.id: must contain "{n}"`],
    [`${g}.id`, "h {n}", T, `${g}.id: "h 1" (device 1) is not a device id`],
    [`${g}.hostname`, "h_{n}", T, `${g}.hostname: "h_1" (device 1) is not a host name`],
    [`${g}.oui`, "02:5a", T, `${g}.oui: "02:5a" is not an OUI ("aa:bb:cc")`],
    [`${g}.count`, 0, R, `${g}.count: must be at least 1`],
    [`${g}.ip6`, true, R, `${g}.ip6: the scenario has no lan6`],
    [`${g}.always`, ["radio"], R, `${g}.always[0]: no profile "radio"`],
    [`${g}.timeline`, at("1:00"), T, `${g}.timeline[0].at: "1:00" is not a time`],
    [`${g}.timeline`, at(0, { profile: "x" }), R, `${g}.timeline[0].profile: no profile "x"`],
    [`${g}.timeline`, at(0, { share: 2 }), R, `${g}.timeline[0].share: must be at most 1`],
    [`${g}.timeline`, at(0, { spread: "ages" }), T, `${g}.timeline[0].spread: duration "ages"`],
    ["generate[1]", { ...group }, R, 'generate[1].id: "h1" is also the id of generate[0] device'],
    ["generate[1]", { ...group, id: "g{n}" }, R, "generate[1].ipStart: 10.20.0.10 is also the ad"],
    ["generate[1]", { ...group, id: "g{n}", ipStart: "10.20.0.9" }, R, "generate[1].count: 10.20"],
  ]);
  const clash = changed((s) => s.generate = [{ ...group, ipStart: "192.168.1.20" }]);
  const message = "generate[0].ipStart: 192.168.1.20 is also the address of devices[0]";
  assertThrows(() => parseScenario(clash), RangeError, message);
});

Deno.test("loadScenario() reads a shipped scenario by name and other files through the reader", async () => {
  const unread = (path: string): Promise<string> => Promise.reject(new Error(`read ${path}`));
  assertEquals((await loadScenario("family", unread)).name, "Family home");
  const asked: string[] = [];
  const reader = (text: string) => (path: string) => {
    asked.push(path);
    return Promise.resolve(text);
  };
  const flat = await loadScenario("homes/flat.json", reader(JSON.stringify(base())));
  assertEquals([flat.name, asked], ["Flat", ["homes/flat.json"]]);
  await assertRejects(() => loadScenario("flat.json", reader("{ nope")), TypeError, "not JSON: ");
  await assertRejects(() => loadScenario("./x.json", reader("{}")), TypeError, "name: is required");
  const unknown = "not a shipped scenario (family, office, stress) nor a .json file";
  await assertRejects(() => loadScenario("famly", unread), TypeError, unknown);
  await assertRejects(() => loadScenario("/no/such.json", unread), Error, "read /no/such.json");
});
