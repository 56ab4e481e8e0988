// A small scenario file for tests, as written (before parseScenario): on a
// 100/20 Mbit/s line a PC downloads 30 GB from the start; it, a hub and a
// camera chatter. Tests add a policy or change fields by spreading it.

export const FLAT_PC = "f4:8e:38:c6:17:2a";
export const FLAT_HUB = "ec:b5:fa:1d:6e:40";
export const FLAT_CAM = "54:e0:19:a2:5c:3d";

/** The scenario file's object. */
export const FLAT = {
  name: "Flat",
  description: "A download and two chattering gadgets",
  seed: 11,
  start: "2026-11-20T20:00:00+01:00",
  link: { down: "100Mbit", up: "20Mbit" },
  lan: "192.168.1.0/24",
  gateway: { mac: "dc:39:6f:5a:10:01", ip: "192.168.1.1" },
  devices: [
    {
      id: "pc",
      name: "PC",
      mac: FLAT_PC,
      ip: "192.168.1.42",
      hostname: "DESKTOP-1",
      always: ["win"],
    },
    { id: "hub", name: "Hue Bridge", mac: FLAT_HUB, ip: "192.168.1.73", always: ["hue"] },
    { id: "cam", name: "Door camera", mac: FLAT_CAM, ip: "192.168.1.70", always: ["ring"] },
  ],
  profiles: {
    steam: {
      kind: "bulk",
      hosts: ["cache1-fra1.steamcontent.com"],
      transport: "http",
      bytes: "30GB",
    },
    win: {
      kind: "chatter",
      hosts: ["v10.events.data.microsoft.com"],
      everySeconds: "2s",
      bytes: "5KB",
    },
    hue: { kind: "chatter", hosts: ["ws.meethue.com"], everySeconds: "2s", bytes: "3KB" },
    ring: { kind: "chatter", hosts: ["fw.ring.com"], everySeconds: "3s", bytes: "20KB" },
  },
  timeline: [{ at: 0, device: "pc", profile: "steam", note: "a game download" }],
};
