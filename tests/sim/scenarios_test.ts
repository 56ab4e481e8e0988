import { assert, assertEquals } from "@std/assert";
import { defaultCatalogue } from "../../engine/catalogue/default.ts";
import { defaultOui } from "../../engine/devices/oui_default.ts";
import { parsePolicy } from "../../engine/policy/policy_config.ts";
import type { Rule } from "../../engine/policy/policy_types.ts";
import { loadScenario, type Scenario, SCENARIO_NAMES } from "../../sim/scenario.ts";

const notRead = (path: string): Promise<string> => Promise.reject(new Error(`read ${path}`));
const scenarios = new Map<string, Scenario>();
for (const name of SCENARIO_NAMES) scenarios.set(name, await loadScenario(name, notRead));

/** The categories each kind of profile's hosts may be in: the app must fit the traffic. */
const FITTING: Record<string, string[]> = {
  video: ["Streaming", "Social"],
  call: ["VideoCalls"],
  game: ["Gaming"],
  bulk: ["Downloads", "Cloud"],
  browse: ["Browsing", "Social", "Messaging"],
  chatter: ["Other", "Network", "Cloud", "Streaming", "Gaming", "VideoCalls"],
};

Deno.test("the shipped scenarios parse, policies included, and the files match their names", async () => {
  assertEquals([...scenarios.values()].map((s) => s.name), [
    "Family home",
    "Small office",
    "Stress",
  ]);
  for (const [name, s] of scenarios) {
    const policy = parsePolicy(s.policy);
    assertEquals([policy.link.down, policy.link.up], [s.link.down, s.link.up], name);
    const path = new URL(`../../sim/scenarios/${name}.json`, import.meta.url).pathname;
    assertEquals(await loadScenario(path, Deno.readTextFile), s, name);
  }
});

Deno.test("the shipped scenarios have about the devices their descriptions say", () => {
  const counts = [...scenarios].map(([name, s]) => [name, s.devices.length]);
  assertEquals(counts, [["family", 20], ["office", 50], ["stress", 3000]]);
  const family = scenarios.get("family")!;
  const kinds = (prefix: string) => family.devices.filter((d) => d.id.startsWith(prefix)).length;
  assertEquals([kinds("tv"), kinds("phone-"), kinds("cam-")], [2, 4, 2]);
});

Deno.test("every host in every shipped profile is an app of the catalogue that fits the kind", () => {
  const catalogue = defaultCatalogue();
  for (const [name, s] of scenarios) {
    for (const [id, profile] of Object.entries(s.profiles)) {
      for (const host of profile.hosts) {
        const match = catalogue.byHostname(host);
        const where = `${name} profiles.${id}: ${host}`;
        assert(match !== null, `${where} is not in the catalogue`);
        assert(FITTING[profile.kind].includes(match.category), `${where} is ${match.category}`);
      }
    }
  }
});

Deno.test("every shipped MAC's OUI names a vendor, the one the device says", () => {
  const oui = defaultOui();
  const vendorOf = (mac: string) => oui.vendor(parseInt(mac.slice(0, 8).replaceAll(":", ""), 16));
  for (const [name, s] of scenarios) {
    assert(vendorOf(s.gateway.mac) !== null, `${name} gateway ${s.gateway.mac}`);
    for (const d of s.devices) {
      const vendor = vendorOf(d.mac);
      assert(vendor !== null, `${name} ${d.id}: ${d.mac} has no vendor`);
      assert(d.vendor !== undefined, `${name} ${d.id}: no vendor`);
      const word = d.vendor.split(" ")[0].toLowerCase();
      assert(vendor.toLowerCase().includes(word), `${name} ${d.id}: ${d.vendor}, OUI ${vendor}`);
    }
  }
});

Deno.test("every shipped profile is used, and every device does something all the time", () => {
  for (const [name, s] of scenarios) {
    const used = new Set([
      ...s.devices.flatMap((d) => d.always),
      ...s.timeline.map((e) => e.profile),
    ]);
    assertEquals(Object.keys(s.profiles).filter((p) => !used.has(p)), [], `${name}: unused`);
    assertEquals(s.devices.filter((d) => d.always.length === 0).map((d) => d.id), [], name);
  }
});

Deno.test("the family home's evening: a 4K film at 19:00, then a download the policy throttles", () => {
  const s = scenarios.get("family")!;
  const at = (clock: string, device: string) =>
    s.timeline.find((e) => e.device === device && e.at === clockSeconds(clock));
  const film = at("19:00", "tv")!;
  assertEquals([film.for, s.profiles[film.profile]], [7200, {
    kind: "video",
    hosts: s.profiles[film.profile].hosts,
    transport: "tls",
    rate: 3_125_000,
    chunkSeconds: 4,
  }]);
  const download = at("19:20", "laptop")!;
  const bulk = s.profiles[download.profile];
  assert(bulk.kind === "bulk" && bulk.direction === "down" && bulk.bytes === 30e9, download.note);
  assert(bulk.rate === undefined && download.for === undefined, "it runs as fast as it can");
  // A quota the download crosses then limits the whole laptop (the shaper limits whole devices)
  // to a tenth of the line or less.
  const policy = parsePolicy(s.policy);
  const laptop = `mac:${s.devices.find((d) => d.id === "laptop")!.mac}`;
  const about = (r: Rule) =>
    "all" in r.devices || ("device" in r.devices && r.devices.device === laptop) ||
    ("group" in r.devices && policy.groups[r.devices.group].includes(laptop));
  const throttles = policy.rules.filter((r) =>
    about(r) && !r.apps && !r.categories && r.action.kind === "quota" &&
    r.action.bytes < bulk.bytes && r.action.direction !== "up" && r.action.then.kind === "limit" &&
    (r.action.then.down ?? Infinity) <= s.link.down / 10
  );
  assertEquals(throttles.map((r) => r.id), ["big-downloads"]);
  const update = at("03:00", "ps5")!;
  assertEquals([s.profiles[update.profile].kind, update.every], ["bulk", 86_400]);
  const kinds = new Set(s.timeline.map((e) => s.profiles[e.profile].kind));
  assertEquals([...kinds].sort(), ["browse", "bulk", "call", "game", "video"]);
});

Deno.test("the shipped scenarios' generated devices and timelines are the same every time", async () => {
  for (const name of SCENARIO_NAMES) {
    assertEquals(await loadScenario(name, notRead), scenarios.get(name), name);
  }
  const stress = scenarios.get("stress")!;
  assertEquals(new Set(stress.devices.map((d) => d.mac)).size, 3000);
  assert(stress.timeline.length > 1000, `${stress.timeline.length} timeline entries`);
  assertEquals(stress.link, { down: 1.25e9, up: 1.25e9 });
});

function clockSeconds(clock: string): number {
  const [h, m] = clock.split(":").map(Number);
  return h * 3600 + m * 60;
}
