// The tc objects of one shaping tree (download on the LAN interface, upload
// on the IFB device): qdiscs, classes and u32 filters with their commands.
import type { ShapeDevice, ShapePriority, ShaperCommand, ShaperObject } from "./shaper_types.ts";

/** A leaf qdisc kind. */
export type Leaf = "fq_codel" | "pfifo";

/** One direction's tree: its device and link rate (bytes/s). */
export interface TreeSide {
  dir: "down" | "up";
  dev: string;
  link: number;
  leaf: Leaf;
}

const ROOT = "51ce";
/** Each priority's class (parent of its devices' classes) is 0xP0; 0xP1 holds the rest of its traffic. */
const PRIORITY_MINOR: Record<ShapePriority, number> = { high: 0x10, normal: 0x20, low: 0x30 };
const REST = 1;
const HTB_PRIO: Record<ShapePriority, number> = { high: 0, normal: 1, low: 2 };
/** The first filter priority of a device's filters; each device has three. */
const DEVICE_PREF = 100;

const hex = (n: number) => n.toString(16);
const classId = (minor: number) => `${ROOT}:${hex(minor)}`;
/** A rate in bytes/s as tc reads it: whole bits per second. */
const bits = (bytesPerSecond: number) => `${Math.max(8, Math.round(bytesPerSecond * 8))}bit`;
/**
 * Bytes a class may send at once: 2 ms at its rate, at least two full
 * frames. tc's default (one frame) starves fast classes between timer ticks.
 */
const burst = (bytesPerSecond: number) => `${Math.max(3028, Math.round(bytesPerSecond * 0.002))}b`;
/** Bytes a class may send per round: about 10 ms at its rate, at least one full frame. */
const quantum = (bytesPerSecond: number) =>
  String(Math.min(200_000, Math.max(1514, Math.round(bytesPerSecond / 100))));

/** Root qdisc, link class, the three priority classes and their leaves. */
export function treeBase(side: TreeSide, shares: Record<ShapePriority, number>): ShaperObject[] {
  const { dir, dev, link } = side;
  const root: ShaperObject = {
    key: `${dir}/root`,
    identity: dev,
    spec: `htb default ${hex(PRIORITY_MINOR.normal + REST)}`,
    needs: dir === "up" ? ["up/ifb"] : [],
    create: [{
      argv: ["tc", "qdisc", "replace", "dev", dev, "root", "handle", `${ROOT}:`, "htb"]
        .concat(["default", hex(PRIORITY_MINOR.normal + REST)]),
    }],
    remove: [{
      argv: ["tc", "qdisc", "del", "dev", dev, "root", "handle", `${ROOT}:`, "htb"],
      mayFail: true,
    }],
    summary: `${dir === "down" ? "download" : "upload"} shaping on ${dev}`,
  };
  const out = [root, htbClass(side, `${dir}/class/link`, `${ROOT}:`, 1, link, null, root.key)];
  for (const p of ["high", "normal", "low"] as const) {
    const key = `${dir}/class/${p}`, minor = PRIORITY_MINOR[p];
    out.push(htbClass(side, key, classId(1), minor, link * shares[p], p, out[1].key));
    // An HTB class with children has no queue: the priority's own traffic needs a leaf class.
    const rest = `${key}/rest`;
    out.push(htbClass(side, rest, classId(minor), minor + REST, link * shares[p], p, key));
    out.push(leafOf(side, rest, minor + REST, link));
  }
  return out;
}

/** A limited device's class, under its priority's class, at its limit. */
export function classOf(
  side: TreeSide,
  device: ShapeDevice,
  slot: number,
  limit: number,
): ShaperObject {
  const parent = `${side.dir}/class/${device.priority}`;
  const cls = htbClass(
    side,
    `${side.dir}/class/${device.id}`,
    classId(PRIORITY_MINOR[device.priority]),
    0x100 + slot,
    limit,
    device.priority,
    parent,
    limit,
  );
  cls.summary = `${side.dir === "down" ? "download" : "upload"} limit ${bits(limit)} ` +
    `for ${device.id}`;
  return cls;
}

function htbClass(
  side: TreeSide,
  key: string,
  parent: string,
  minor: number,
  rate: number,
  priority: ShapePriority | null,
  needs: string,
  ceil = side.link,
): ShaperObject {
  const params = ["rate", bits(rate), "ceil", bits(ceil)]
    .concat(priority ? ["prio", String(HTB_PRIO[priority])] : [])
    .concat(["quantum", quantum(rate), "burst", burst(rate), "cburst", burst(ceil)]);
  const argv = ["tc", "class", "replace", "dev", side.dev, "parent", parent, "classid"]
    .concat([classId(minor), "htb"], params);
  return {
    key,
    identity: `${side.dev} ${parent} ${classId(minor)}`,
    spec: params.join(" "),
    needs: [needs],
    create: [{ argv }],
    update: [{ argv }],
    remove: [{
      argv: ["tc", "class", "del", "dev", side.dev, "classid", classId(minor)],
      mayFail: true,
    }],
    summary: `class ${classId(minor)} on ${side.dev}`,
  };
}

/**
 * The leaf qdisc of class `minor`, handle `minor:`, for a class that sends
 * at most `ceil` bytes/s. fq_codel keeps its own queue short; a pfifo holds
 * about 100 ms at `ceil` (16 to 1000 full frames): its default, the
 * interface's txqueuelen, is seconds of delay at a few Mbit/s.
 */
export function leafOf(
  side: TreeSide,
  classKey: string,
  minor: number,
  ceil: number,
): ShaperObject {
  const at = ["dev", side.dev, "parent", classId(minor), "handle", `${hex(minor)}:`];
  const params = side.leaf === "pfifo"
    ? ["pfifo", "limit", String(Math.min(1000, Math.max(16, Math.round(ceil * 0.1 / 1514))))]
    : ["fq_codel"];
  const create = [{ argv: ["tc", "qdisc", "replace", ...at, ...params] }];
  return {
    key: `${classKey}/leaf`,
    identity: `${side.dev} ${classId(minor)} ${side.leaf}`,
    spec: params.join(" "),
    needs: [classKey],
    create,
    update: create,
    remove: [{ argv: ["tc", "qdisc", "del", ...at], mayFail: true }],
    summary: `${side.leaf} queue of ${classId(minor)} on ${side.dev}`,
  };
}

/** Filters at one priority; created after clearing it, so creation can be repeated. */
function filterSet(
  side: TreeSide,
  key: string,
  pref: number,
  protocol: "all" | "ip" | "ipv6",
  matches: string[][],
  classid: string,
  needs: string,
  summary: string,
): ShaperObject {
  const at = ["dev", side.dev, "parent", `${ROOT}:`];
  const clear: ShaperCommand = {
    argv: ["tc", "filter", "del", ...at, "prio", String(pref)],
    mayFail: true,
  };
  return {
    key,
    identity: `${side.dev} ${pref}`,
    spec: JSON.stringify([protocol, matches, classid]),
    needs: [needs],
    create: [clear].concat(matches.map((m) => ({
      argv: ["tc", "filter", "add", ...at, "protocol", protocol, "prio", String(pref), "u32"]
        .concat(m, ["flowid", classid]),
    }))),
    remove: [clear],
    summary,
  };
}

/** Small: an IPv4 total length, or an IPv6 payload length, under 512 bytes. */
const SMALL_V4 = ["match", "u16", "0", "0xfe00", "at", "2"];
const SMALL_V6 = ["match", "u16", "0", "0xfe00", "at", "4"];
const PORTS = ["53", "123", "22"];

/** Latency-sensitive packets to High, whatever their device: small ones only, so bulk SSH is not. */
export const LATENCY_FILTERS: ((side: TreeSide) => ShaperObject)[] = [
  (side) =>
    filterSet(
      side,
      `${side.dir}/latency/v4`,
      1,
      "ip",
      [
        ["match", "ip", "protocol", "1", "0xff", ...SMALL_V4],
        ...PORTS.flatMap((p) => [
          ["match", "ip", "sport", p, "0xffff", ...SMALL_V4],
          ["match", "ip", "dport", p, "0xffff", ...SMALL_V4],
        ]),
        // Bare TCP ACKs: header length 20, total under 64 bytes, only ACK set.
        ["match", "ip", "protocol", "6", "0xff", "match", "u8", "0x05", "0x0f", "at", "0"]
          .concat(["match", "u16", "0x0000", "0xffc0", "at", "2"])
          .concat(["match", "u8", "0x10", "0xff", "at", "33"]),
      ],
      classId(PRIORITY_MINOR.high + REST),
      `${side.dir}/class/high/rest`,
      `latency-sensitive IPv4 to High on ${side.dev}`,
    ),
  (side) =>
    filterSet(
      side,
      `${side.dir}/latency/v6`,
      2,
      "ipv6",
      [
        ["match", "ip6", "protocol", "58", "0xff", ...SMALL_V6],
        ...PORTS.flatMap((p) => [
          ["match", "ip6", "sport", p, "0xffff", ...SMALL_V6],
          ["match", "ip6", "dport", p, "0xffff", ...SMALL_V6],
        ]),
      ],
      classId(PRIORITY_MINOR.high + REST),
      `${side.dir}/class/high/rest`,
      `latency-sensitive IPv6 to High on ${side.dev}`,
    ),
];

/**
 * A device's filters to `target` (its class, or its priority's): by MAC,
 * IPv4 and IPv6 address, destination for download and source for upload.
 */
export function deviceFilters(
  side: TreeSide,
  device: ShapeDevice,
  slot: number,
  targetKey: string,
): ShaperObject[] {
  const toward = side.dir === "down" ? "dst" : "src";
  const classid = targetKey === `${side.dir}/class/${device.id}`
    ? classId(0x100 + slot)
    : classId(PRIORITY_MINOR[device.priority] + REST);
  const pref = DEVICE_PREF + 3 * slot;
  const v4 = device.addresses.filter((a) => !a.includes(":"));
  const v6 = device.addresses.filter((a) => a.includes(":"));
  const out: ShaperObject[] = [];
  const base = `${side.dir}/filter/${device.id}`;
  const what = `${side.dir === "down" ? "download" : "upload"} of ${device.id}`;
  if (device.mac) {
    out.push(filterSet(
      side,
      `${base}/mac`,
      pref,
      "all",
      [
        ["match", "ether", toward, device.mac],
      ],
      classid,
      targetKey,
      `${what} by MAC`,
    ));
  }
  if (v4.length) {
    out.push(filterSet(
      side,
      `${base}/v4`,
      pref + 1,
      "ip",
      v4.map((a) => ["match", "ip", toward, `${a}/32`]),
      classid,
      targetKey,
      `${what} by IPv4`,
    ));
  }
  if (v6.length) {
    out.push(filterSet(
      side,
      `${base}/v6`,
      pref + 2,
      "ipv6",
      v6.map((a) => ["match", "ip6", toward, `${a}/128`]),
      classid,
      targetKey,
      `${what} by IPv6`,
    ));
  }
  return out;
}
