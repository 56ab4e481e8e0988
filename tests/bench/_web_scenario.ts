// The benchmark's home: 1,000 generated devices on a 1 Gbit/s line, busy
// from the first minute (streams, calls, updates, browsing, chatter), so
// every second of the live snapshot has rates that change.
import { parseScenario, type Scenario } from "../../sim/scenario.ts";

/** Devices per kind; they add up to 1,000. */
const GROUPS = [
  { kind: "laptop", count: 350, vendor: "Intel", oui: "f8:94:c2", name: "Laptop" },
  { kind: "iphone", count: 250, vendor: "Apple", oui: "f0:18:98", name: "iPhone" },
  { kind: "android", count: 150, vendor: "Samsung", oui: "fc:a6:21", name: "Android phone" },
  { kind: "tv", count: 50, vendor: "LG", oui: "a8:23:fe", name: "TV" },
  { kind: "iot", count: 180, vendor: "Espressif", oui: "08:3a:8d", name: "Sensor" },
  { kind: "printer", count: 20, vendor: "HP", oui: "e8:d8:d1", name: "Printer" },
] as const;

/** What each kind does from the start, and what a share of them starts within minutes. */
const BUSY: Record<string, { always: string[]; starts: [string, number][] }> = {
  laptop: { always: ["browse"], starts: [["update", 0.1], ["call", 0.2]] },
  iphone: { always: ["push", "browse"], starts: [["short-video", 0.3]] },
  android: { always: ["push", "browse"], starts: [["short-video", 0.3]] },
  tv: { always: ["tv-idle"], starts: [["video", 0.6]] },
  iot: { always: ["iot"], starts: [] },
  printer: { always: ["printer"], starts: [] },
};

const PROFILES = {
  video: { kind: "video", hosts: ["ipv4-c004-fra002-ix.1.oca.nflxvideo.net"], rate: "5Mbit" },
  "short-video": { kind: "video", hosts: ["v16-webapp-prime.tiktok.com"], rate: "2Mbit" },
  call: { kind: "call", hosts: ["worldaz.tr.teams.microsoft.com"], rate: "1.5Mbit" },
  update: {
    kind: "bulk",
    hosts: ["7.tlu.dl.delivery.mp.microsoft.com"],
    transport: "http",
    direction: "down",
    bytes: "300MB",
    rate: "20Mbit",
  },
  browse: {
    kind: "browse",
    hosts: ["www.google.com", "en.wikipedia.org", "github.com"],
    everySeconds: "2m",
    bytes: "300KB",
  },
  push: { kind: "chatter", hosts: ["api.push.apple.com"], everySeconds: "5m", bytes: "4KB" },
  iot: { kind: "chatter", hosts: ["a2.tuyaeu.com"], everySeconds: "1m", bytes: "1KB" },
  printer: { kind: "chatter", hosts: ["0.pool.ntp.org"], everySeconds: "5m", bytes: "200B" },
  "tv-idle": {
    kind: "chatter",
    hosts: ["api-global.netflix.com"],
    everySeconds: "5m",
    bytes: "15KB",
  },
};

/**
 * A scenario of 1,000 devices, most of them busy within its first minute.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(thousandDevices().devices.length, 1000);
 * ```
 */
export function thousandDevices(): Scenario {
  let n = 0;
  return parseScenario({
    name: "Bench 1,000",
    description: "1,000 generated devices, busy from the first minute: the web benchmark's load",
    seed: 11,
    start: "2026-11-24T20:00:00Z",
    link: { down: "1Gbit", up: "1Gbit" },
    lan: "10.30.0.0/16",
    gateway: { mac: "f8:7a:41:00:00:01", ip: "10.30.0.1" },
    profiles: PROFILES,
    generate: GROUPS.map((g) => ({
      count: g.count,
      id: `${g.kind}-{n:4}`,
      name: `${g.name} {n}`,
      vendor: g.vendor,
      oui: g.oui,
      ...(n++ === 0 ? { ipStart: "10.30.1.1" } : {}),
      always: BUSY[g.kind].always,
      timeline: BUSY[g.kind].starts.map(([profile, share]) => ({
        at: "+0s",
        profile,
        share,
        spread: "60s",
        note: `{name} starts ${profile}`,
      })),
    })),
    policy: {
      timeZone: "UTC",
      rules: [{
        id: "downloads-fair",
        devices: { all: true },
        categories: ["Downloads"],
        action: { kind: "limit", down: "10Mbit" },
      }],
    },
  });
}
