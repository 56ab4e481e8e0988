// A live snapshot as `sluice demo` sends it for the flat scenario (tests/sim/_flat.ts):
// the PC downloading from Steam above every threshold, two gadgets chattering.
import type { TopSnapshot } from "../../cli/top/rows.ts";

/** 2026-11-20 19:00:15 UTC. */
export const TOP_TIME = 1_795_201_215_000;

/** The snapshot, with `extra` spread over it. */
export function topSnapshot(extra: Partial<TopSnapshot> = {}): TopSnapshot {
  return {
    time: TOP_TIME,
    link: {
      down: 12_524_110,
      up: 9_414,
      totalDown: 187_790_009,
      totalUp: 122_128,
      capacityDown: null,
      capacityUp: null,
    },
    quality: { wanRttMs: null, lanRttMs: null, retransmitRate: null },
    devices: [
      device("mac:f4:8e:38:c6:17:2a", "desktop-1", "Dell Inc.", "192.168.1.42", [
        12_514_794,
        6_380,
        187_693_841,
        88_608,
      ], "Steam Downloads"),
      device("mac:54:e0:19:a2:5c:3d", "cam", "Ring LLC", "192.168.1.70", [
        5_208,
        2_095,
        55_088,
        24_127,
      ], "Ring"),
      device("mac:ec:b5:fa:1d:6e:40", "hub", "Philips Lighting BV", "192.168.1.73", [
        4_108,
        939,
        41_080,
        9_393,
      ], "Philips Hue"),
    ],
    apps: [
      app("steam-downloads", "Steam Downloads", "Downloads", [
        12_510_686,
        5_400,
        187_665_085,
        81_323,
      ]),
      app("ring", "Ring", "Other", [5_208, 2_095, 55_088, 24_127]),
      app("philips-hue", "Philips Hue", "Other", [4_108, 939, 41_080, 9_393]),
    ],
    alerts: [],
    capture: { packets: 5003, bytes: 187_918_091, kernelDropped: 0, ownDropped: 0, flows: 59 },
    shaper: { mode: "off", failures: 0 },
    ...extra,
  };
}

function device(
  id: string,
  name: string,
  vendor: string,
  address: string,
  [down, up, totalDown, totalUp]: number[],
  topApp: string,
): TopSnapshot["devices"][number] {
  return {
    id,
    name,
    vendor,
    mac: id.slice(4),
    addresses: [address],
    online: true,
    down,
    up,
    totalDown,
    totalUp,
    today: totalDown + totalUp,
    topApp,
    control: {
      priority: "normal",
      state: name === "desktop-1" ? "limited" : "free",
      limitDown: name === "desktop-1" ? 2_500_000 : null,
      limitUp: null,
      reason: name === "desktop-1" ? "quota 20 GB/day reached" : "no rule applies",
    },
  };
}

function app(
  id: string,
  name: string,
  category: string,
  [down, up, totalDown, totalUp]: number[],
): TopSnapshot["apps"][number] {
  return { id, name, category, down, up, totalDown, totalUp };
}
