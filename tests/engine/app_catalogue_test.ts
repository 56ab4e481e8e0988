// The app catalogue: the shipped data's shape, and the matcher's lookups by
// hostname, port and address, with user rules winning over shipped ones.
import { assert, assertEquals, assertGreaterOrEqual, assertThrows } from "@std/assert";
import {
  AppCatalogue,
  CATEGORIES,
  validateCatalogue,
  validatePortRules,
  validateUserRules,
} from "../../engine/app_catalogue.ts";
import { DEFAULT_APPS, DEFAULT_PORTS, defaultCatalogue } from "../../engine/catalogue/default.ts";

const catalogue = defaultCatalogue();
const v4 = (a: number, b: number, c: number, d: number) =>
  Uint32Array.of(((a << 24) | (b << 16) | (c << 8) | d) >>> 0);
const v6 = (...g: number[]) =>
  Uint32Array.from([0, 1, 2, 3], (i) => g[2 * i] * 65536 + g[2 * i + 1]);
/** A small valid apps.json to break one field at a time. */
const tiny = () => ({
  version: 1,
  categories: [...CATEGORIES],
  apps: [
    { id: "netflix", name: "Netflix", category: "Streaming", domains: ["netflix.com"] },
    { id: "dns", name: "DNS", category: "Network", ports: [{ protocol: "any", from: 53, to: 53 }] },
  ],
});
const noPorts = { version: 1, rules: [] };

Deno.test("the shipped catalogue validates and covers at least 150 apps", () => {
  const data = validateCatalogue(DEFAULT_APPS);
  assertGreaterOrEqual(data.apps.length, 150);
  assertEquals(data.categories, [...CATEGORIES]);
  assertGreaterOrEqual(validatePortRules(DEFAULT_PORTS).rules.length, 20);
});

Deno.test("the shipped catalogue is in checked form, so defaultCatalogue() may trust it", () => {
  // What validation would change, beyond filling an app's missing lists, the trusted start would miss.
  const raw = DEFAULT_APPS as { apps: Record<string, unknown>[] };
  const filled = {
    ...raw,
    apps: raw.apps.map((a) => ({
      ...a,
      domains: a.domains ?? [],
      ports: a.ports ?? [],
      cidrs: a.cidrs ?? [],
    })),
  };
  assertEquals(validateCatalogue(DEFAULT_APPS), filled);
  assertEquals(validatePortRules(DEFAULT_PORTS), DEFAULT_PORTS);
  const checked = new AppCatalogue(DEFAULT_APPS, DEFAULT_PORTS);
  const trusted = defaultCatalogue();
  for (const app of filled.apps) {
    for (const domain of app.domains as string[]) {
      assertEquals(trusted.byHostname(`x.${domain}`), checked.byHostname(`x.${domain}`), domain);
    }
  }
  for (let port = 0; port < 65536; port += 7) {
    assertEquals(trusted.byPort(6, port, 40000), checked.byPort(6, port, 40000), `TCP ${port}`);
    assertEquals(trusted.byPort(17, port, 40000), checked.byPort(17, port, 40000), `UDP ${port}`);
  }
});

Deno.test("every shipped app has a category and something to match it by", () => {
  const data = validateCatalogue(DEFAULT_APPS);
  for (const app of data.apps) {
    assert((CATEGORIES as readonly string[]).includes(app.category), app.id);
    assert(app.domains.length + app.ports.length + app.cidrs.length > 0, app.id);
  }
  for (const category of CATEGORIES) {
    assert(data.apps.some((a) => a.category === category), `no app in ${category}`);
  }
});

Deno.test("no shipped domain belongs to two apps", () => {
  const owner = new Map<string, string>();
  for (const app of validateCatalogue(DEFAULT_APPS).apps) {
    for (const d of app.domains) {
      assert(!owner.has(d), `${d} is in ${owner.get(d)} and ${app.id}`);
      owner.set(d, app.id);
    }
  }
});

Deno.test("every shipped port rule names an app", () => {
  const ids = new Set(validateCatalogue(DEFAULT_APPS).apps.map((a) => a.id));
  for (const rule of validatePortRules(DEFAULT_PORTS).rules) {
    assert(ids.has(rule.app) || rule.name, `${rule.app} has no name`);
  }
});

Deno.test("byHostname() matches the longest domain suffix", () => {
  const app = (host: string) => catalogue.byHostname(host)?.app ?? null;
  assertEquals(catalogue.byHostname("rr3---sn-abc.googlevideo.com"), {
    app: "youtube",
    name: "YouTube",
    category: "Streaming",
  });
  assertEquals(catalogue.byHostname("www.netflix.com")?.category, "Streaming");
  assertEquals(app("netflix.com"), "netflix");
  assertEquals(app("WWW.NetFlix.COM."), "netflix"); // case and a trailing dot
  assertEquals(app("music.youtube.com"), "youtube-music"); // longer suffix wins
  assertEquals(app("www.youtube.com"), "youtube");
  assertEquals(app("yt3.ggpht.com"), "youtube");
  assertEquals(app("lh3.ggpht.com"), "google");
  assertEquals(app("teams.microsoft.com"), "teams");
  assertEquals(app("www.microsoft.com"), "microsoft");
  assertEquals(app("dns.google"), "dns");
});

Deno.test("byHostname() matches only on label boundaries and known names", () => {
  for (
    const host of ["notnetflix.com", "netflix.com.evil.example", "com", "", ".", "example.invalid"]
  ) {
    assertEquals(catalogue.byHostname(host), null, host);
  }
});

Deno.test("byPort() tries the server port, then the client port", () => {
  const app = (proto: number, server: number, client: number) =>
    catalogue.byPort(proto, server, client);
  assertEquals(app(17, 53, 50000), { app: "dns", name: "DNS", category: "Network" });
  assertEquals(app(6, 53, 50000)?.app, "dns");
  assertEquals(app(6, 22, 50000)?.app, "ssh");
  assertEquals(app(17, 123, 123)?.app, "ntp");
  assertEquals(app(6, 443, 6881)?.app, "web"); // server port first
  assertEquals(app(17, 40000, 6881)?.app, "bittorrent"); // then the client port
  assertEquals(app(17, 3478, 50000)?.category, "VideoCalls");
  assertEquals(app(17, 27015, 50000)?.app, "steam");
  assertEquals(app(6, 25565, 50000)?.app, "minecraft");
  assertEquals(app(17, 51820, 50000)?.app, "wireguard");
  assertEquals(app(17, 40000, 50001), null);
  assertEquals(app(1, 53, 53), null); // not TCP or UDP
  assertEquals(app(6, 70000, -1), null);
});

Deno.test("byAddress() matches CIDRs for IPv4 and IPv6, longest prefix first", () => {
  assertEquals(catalogue.byAddress(4, v4(45, 57, 3, 4))?.app, "netflix");
  assertEquals(catalogue.byAddress(4, v4(149, 154, 167, 51))?.app, "telegram");
  assertEquals(catalogue.byAddress(4, v4(8, 8, 8, 8))?.app, "dns");
  assertEquals(catalogue.byAddress(4, v4(192, 168, 1, 7)), null);
  assertEquals(catalogue.byAddress(6, v6(0x2a00, 0x86c0, 0x1234, 0, 0, 0, 0, 1))?.app, "netflix");
  assertEquals(catalogue.byAddress(6, v6(0x2606, 0x4700, 0x4700, 0, 0, 0, 0, 0x1111))?.app, "dns");
  assertEquals(catalogue.byAddress(6, v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)), null);
});

Deno.test("user rules win over shipped ones", () => {
  const mine = defaultCatalogue([
    { domain: "Netflix.com.", app: "work-vpn", category: "VPN", name: "Work VPN" },
    { domain: "corp.example", app: "nas", category: "Cloud" },
    { port: 22, protocol: "tcp", app: "bastion", category: "Other" },
    { port: 443, app: "netflix", category: "Streaming" },
    { cidr: "45.57.0.0/24", app: "lab", category: "Other" },
    { cidr: "2001:db8::/32", app: "lab6", category: "Other" },
  ]);
  assertEquals(mine.byHostname("www.netflix.com"), {
    app: "work-vpn",
    name: "Work VPN",
    category: "VPN",
  });
  assertEquals(mine.byHostname("files.corp.example"), {
    app: "nas",
    name: "nas",
    category: "Cloud",
  });
  assertEquals(mine.byHostname("rr1.googlevideo.com")?.app, "youtube");
  assertEquals(mine.byPort(6, 22, 50000)?.app, "bastion");
  assertEquals(mine.byPort(17, 22, 50000), null); // the rule is TCP only
  assertEquals(mine.byPort(17, 443, 50000), {
    app: "netflix",
    name: "Netflix",
    category: "Streaming",
  });
  assertEquals(mine.byPort(17, 53, 50000)?.app, "dns");
  assertEquals(mine.byAddress(4, v4(45, 57, 0, 9))?.app, "lab");
  assertEquals(mine.byAddress(4, v4(45, 57, 1, 9))?.app, "netflix");
  assertEquals(mine.byAddress(6, v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1))?.app, "lab6");
});

Deno.test("lookups return one shared match per app", () => {
  assert(catalogue.byHostname("netflix.com") === catalogue.byHostname("nflxvideo.net"));
  assert(Object.isFrozen(catalogue.byHostname("netflix.com")));
});

Deno.test("validateCatalogue() names the bad field", () => {
  const broken = (edit: (data: ReturnType<typeof tiny>) => void, message: string) => {
    const data = tiny();
    edit(data);
    assertThrows(() => validateCatalogue(data), TypeError, message);
  };
  broken(
    (d) => Object.assign(d.apps[0], { category: "Streamng" }),
    'apps[0].category: "Streamng" is not a category',
  );
  broken(
    (d) => Object.assign(d.apps[1], { id: "netflix" }),
    'apps[1].id: "netflix" is a duplicate',
  );
  broken((d) => Object.assign(d.apps[1], { domains: ["netflix.com"] }), "apps[1].domains[0]");
  broken((d) => Object.assign(d.apps[0], { domains: ["Netflix.com"] }), "apps[0].domains[0]");
  broken((d) => Object.assign(d.apps[0], { domains: ["com"] }), "apps[0].domains[0]");
  broken((d) => Object.assign(d.apps[0], { domains: [] }), "apps[0]: needs at least one");
  broken((d) => Object.assign(d.apps[0], { name: "" }), "apps[0].name");
  broken((d) => Object.assign(d.apps[0], { cidrs: ["10.0.0.0/33"] }), "apps[0].cidrs[0]");
  broken((d) => Object.assign(d.apps[0], { cidrs: ["1::2::3/64"] }), "apps[0].cidrs[0]");
  broken(
    (d) => Object.assign(d.apps[1].ports![0], { protocol: "SCTP" }),
    "apps[1].ports[0].protocol",
  );
  broken((d) => Object.assign(d.apps[1].ports![0], { to: 52 }), "apps[1].ports[0].to");
  broken((d) => Object.assign(d.apps[1].ports![0], { from: 70000 }), "apps[1].ports[0].from");
  broken((d) => d.categories.pop(), "categories");
  broken((d) => Object.assign(d, { version: 2 }), "version: expected 1, got 2");
  assertThrows(() => validateCatalogue(null), TypeError, "catalogue: expected an object");
  const error = assertThrows(() => validateCatalogue({ ...tiny(), apps: {} }), TypeError);
  assertEquals(error.message, "apps: expected an array, got {}");
});

Deno.test("port and user rule validation names the bad field", () => {
  const rule = { protocol: "UDP", from: 53, to: 53, app: "dns", category: "Network" };
  assertThrows(
    () => validatePortRules({ version: 1, rules: [rule, { ...rule, category: "Net" }] }),
    TypeError,
    'rules[1].category: "Net" is not a category',
  );
  assertThrows(
    () => validatePortRules({ version: 1, rules: [{ ...rule, app: 7 }] }),
    TypeError,
    "rules[0].app",
  );
  const user = (r: unknown, message: string) =>
    assertThrows(() => validateUserRules([r]), TypeError, message);
  user({ app: "x", category: "Other" }, "userRules[0]: needs exactly one of domain, port or cidr");
  user(
    { domain: "a.com", port: 1, app: "x", category: "Other" },
    "userRules[0]: needs exactly one",
  );
  user({ domain: "a b.com", app: "x", category: "Other" }, "userRules[0].domain");
  user({ port: 1, protocol: "icmp", app: "x", category: "Other" }, "userRules[0].protocol");
  user(
    { cidr: "10.0.0.0/8", protocol: "tcp", app: "x", category: "Other" },
    "userRules[0].protocol",
  );
  user({ cidr: "300.0.0.0/8", app: "x", category: "Other" }, "userRules[0].cidr");
  user({ port: 1, app: "x", category: "other" }, "userRules[0].category");
  assertThrows(
    () => new AppCatalogue(tiny(), noPorts, [{ port: -1, app: "x", category: "Other" }]),
    TypeError,
    "userRules[0].port",
  );
});

Deno.test("AppCatalogue works from hand-made data", () => {
  const mine = new AppCatalogue(tiny(), noPorts);
  assertEquals(mine.byPort(6, 53, 1)?.app, "dns");
  assertEquals(mine.byHostname("a.netflix.com")?.app, "netflix");
  assertEquals(mine.byAddress(4, v4(1, 1, 1, 1)), null);
});
