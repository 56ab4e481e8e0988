/**
 * Linux: a plan as `tc` and `nft` objects.
 *
 * - Download is shaped where it leaves the gateway towards the LAN: an HTB
 *   tree (handle `51ce:`, Sluice's own) on the LAN interface. Upload is
 *   shaped on an IFB device of Sluice's that the LAN interface's ingress is
 *   redirected to. Each tree has a link class, three priority classes
 *   (High, Normal, Low; guaranteed their shares, each able to use the whole
 *   link), and a class per limited device under its priority's class.
 * - Packets find their class by u32 filters: small latency-sensitive
 *   packets (ICMP, DNS, NTP, SSH, bare TCP ACKs) first, to High; then each
 *   device's MAC, IPv4 and IPv6 addresses; the rest to Normal.
 * - Blocks are set elements in an nftables table of Sluice's own,
 *   `inet sluice`, dropped in its forward chain.
 *
 * Creation commands are idempotent (`replace`, or remove-then-add), so a
 * restart can apply everything again whatever the system kept.
 *
 * @module
 */
import {
  classOf,
  deviceFilters,
  LATENCY_FILTERS,
  type Leaf,
  leafOf,
  treeBase,
  type TreeSide,
} from "./_linux_tc.ts";
import { blockObject, NFT_TABLE_OBJECT } from "./_linux_nft.ts";
import type {
  ShapeDevice,
  ShapePlan,
  ShaperCommand,
  ShaperObject,
  ShaperRenderer,
} from "./shaper_types.ts";

/** Options for {@linkcode LinuxRenderer}. */
export interface LinuxRendererOptions {
  /** The interface facing the LAN devices. */
  lan: string;
  /** The IFB device for upload (default "sl-" and the LAN's name, at most 15 characters). */
  ifb?: string;
  /** Leaf qdisc of each class: fq_codel (default) or pfifo, for kernels without fq_codel. */
  leaf?: Leaf;
}

/** Device slots: class minors 0x100 + slot, so at most this many shaped devices. */
export const MAX_SLOTS = 0x4000;

/**
 * Renders plans for one LAN interface.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const renderer = new LinuxRenderer({ lan: "eth1" });
 * const objects = renderer.render({
 *   link: { down: 12_500_000, up: 2_500_000 },
 *   shares: { high: 0.5, normal: 0.35, low: 0.15 },
 *   devices: [{ id: "mac:02:00:00:00:00:07", mac: "02:00:00:00:00:07", addresses: [],
 *     blocked: false, down: 625_000, up: null, priority: "normal" }],
 * }, new Map());
 * const tv = objects.find((o) => o.key === "down/class/mac:02:00:00:00:00:07")!;
 * assertEquals(tv.create[0].argv.join(" "),
 *   "tc class replace dev eth1 parent 51ce:20 classid 51ce:101 htb rate 5000000bit " +
 *   "ceil 5000000bit prio 1 quantum 6250 burst 3028b cburst 3028b");
 * ```
 */
export class LinuxRenderer implements ShaperRenderer {
  readonly platform = "linux";
  readonly lan: string;
  readonly ifb: string;
  readonly leaf: Leaf;

  constructor(options: LinuxRendererOptions) {
    checkName(options.lan, "lan");
    this.lan = options.lan;
    this.ifb = options.ifb ?? `sl-${options.lan}`.slice(0, 15);
    checkName(this.ifb, "ifb");
    if (this.ifb === this.lan) throw new RangeError(`ifb must differ from lan, both "${this.lan}"`);
    this.leaf = options.leaf ?? "fq_codel";
  }

  render(plan: ShapePlan, slots: Map<string, number>): ShaperObject[] {
    const down: TreeSide = { dir: "down", dev: this.lan, link: plan.link.down, leaf: this.leaf };
    const up: TreeSide = { dir: "up", dev: this.ifb, link: plan.link.up, leaf: this.leaf };
    const objects: ShaperObject[] = [...treeBase(down, plan.shares)];
    objects.push(this.#ifbObject(), ...treeBase(up, plan.shares), ...this.#redirect());
    for (const side of [down, up]) {
      for (const f of LATENCY_FILTERS) objects.push(f(side));
    }
    const shaped = plan.devices.filter((d) => !d.blocked);
    const slotOf = slotPicker(slots);
    for (const device of shaped) {
      const slot = slotOf(device.id);
      for (const side of [down, up]) objects.push(...deviceObjects(side, device, slot));
    }
    objects.push(NFT_TABLE_OBJECT);
    for (const device of plan.devices) if (device.blocked) objects.push(blockObject(device));
    return objects;
  }

  sweep(): ShaperCommand[] {
    return [
      { argv: ["nft", "delete", "table", "inet", "sluice"], mayFail: true },
      ...this.#redirect()[1].remove,
      ...this.#redirect()[0].remove,
      { argv: ["ip", "link", "del", this.ifb], mayFail: true },
      // Only a root qdisc with Sluice's handle: another tool's stays.
      {
        argv: ["tc", "qdisc", "del", "dev", this.lan, "root", "handle", "51ce:", "htb"],
        mayFail: true,
      },
    ];
  }

  #ifbObject(): ShaperObject {
    const ifb = this.ifb;
    return {
      key: "up/ifb",
      identity: ifb,
      spec: "",
      needs: [],
      create: [
        { argv: ["ip", "link", "add", ifb, "type", "ifb"], mayFail: true },
        { argv: ["ip", "link", "set", ifb, "up"] },
      ],
      remove: [{ argv: ["ip", "link", "del", ifb], mayFail: true }],
      summary: `upload device ${ifb}`,
    };
  }

  /** The LAN interface's ingress, redirected to the IFB device. */
  #redirect(): [ShaperObject, ShaperObject] {
    const { lan, ifb } = this;
    const filter = ["tc", "filter", "del", "dev", lan, "parent", "ffff:", "prio", "49"];
    return [{
      key: "up/ingress",
      identity: lan,
      spec: "",
      needs: [],
      create: [{ argv: ["tc", "qdisc", "replace", "dev", lan, "handle", "ffff:", "ingress"] }],
      remove: [{
        argv: ["tc", "qdisc", "del", "dev", lan, "handle", "ffff:", "ingress"],
        mayFail: true,
      }],
      summary: `ingress of ${lan}`,
    }, {
      key: "up/redirect",
      identity: `${lan}>${ifb}`,
      spec: "",
      needs: ["up/ingress", "up/ifb", "up/root"],
      create: [{ argv: filter, mayFail: true }, {
        argv: [
          "tc",
          "filter",
          "add",
          "dev",
          lan,
          "parent",
          "ffff:",
          "protocol",
          "all",
          "prio",
          "49",
        ]
          .concat(["u32", "match", "u32", "0", "0", "action", "mirred", "egress"])
          .concat(["redirect", "dev", ifb]),
      }],
      remove: [{ argv: filter, mayFail: true }],
      summary: `upload from ${lan} redirected to ${ifb}`,
    }];
  }
}

/** A device's class (when limited this way) and its filters (when not in Normal's default). */
function deviceObjects(side: TreeSide, device: ShapeDevice, slot: number): ShaperObject[] {
  const limit = side.dir === "down" ? device.down : device.up;
  const objects: ShaperObject[] = [];
  let target: string;
  if (limit !== null) {
    const cls = classOf(side, device, slot, limit);
    objects.push(cls, leafOf(side, cls.key, 0x100 + slot, limit));
    target = cls.key;
  } else if (device.priority !== "normal") {
    target = `${side.dir}/class/${device.priority}/rest`;
  } else {
    return objects;
  }
  objects.push(...deviceFilters(side, device, slot, target));
  return objects;
}

/**
 * Each device's slot from `slots`, a new one (the lowest free) when it has
 * none. Slots are only taken while rendering, so the lowest free one never
 * goes down: the search goes on from the last, not from 1 for each new device.
 */
function slotPicker(slots: Map<string, number>): (id: string) => number {
  let used: Set<number> | null = null, free = 1;
  return (id) => {
    let slot = slots.get(id);
    if (slot === undefined) {
      used ??= new Set(slots.values());
      while (used.has(free)) free++;
      slot = free;
      if (slot > MAX_SLOTS) throw new RangeError(`more than ${MAX_SLOTS} shaped devices`);
      slots.set(id, slot);
      used.add(slot);
    }
    return slot;
  };
}

function checkName(name: string, what: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,14}$/.test(name ?? "")) {
    throw new TypeError(
      `${what} must be an interface name (1 to 15 letters, digits, _.@-), got "${name}"`,
    );
  }
}
