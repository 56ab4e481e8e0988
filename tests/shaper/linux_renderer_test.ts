import { assert, assertEquals, assertThrows } from "@std/assert";
import { LinuxRenderer, MAX_SLOTS } from "../../shaper/linux_renderer.ts";
import { appliedOf, reconcile } from "../../shaper/reconcile.ts";
import { commandLine } from "../../shaper/shaper.ts";
import type { ShapeDevice, ShapePlan, ShaperObject } from "../../shaper/shaper_types.ts";

const TV = "mac:02:00:00:00:00:07",
  CONSOLE = "mac:02:00:00:00:00:08",
  KID = "mac:02:00:00:00:00:09";

const NORMAL = { addresses: [], blocked: false, down: null, up: null, priority: "normal" } as const;
const device = (id: string, fields: Partial<ShapeDevice> = {}): ShapeDevice => ({
  ...NORMAL,
  addresses: [],
  id,
  mac: id.slice(4),
  ...fields,
});

/** 100 Mbit/s down, 20 up; the TV limited to 5 and 1, the console High, the kid's laptop blocked. */
const PLAN: ShapePlan = {
  link: { down: 12_500_000, up: 2_500_000 },
  shares: { high: 0.5, normal: 0.35, low: 0.15 },
  devices: [
    device(TV, { addresses: ["192.168.1.7", "fd00::7"], down: 625_000, up: 125_000 }),
    device(CONSOLE, { addresses: ["192.168.1.8"], priority: "high" }),
    device(KID, { addresses: ["192.168.1.9", "fd00::9"], blocked: true }),
  ],
};

const withDevices = (devices: ShapeDevice[]): ShapePlan => ({ ...PLAN, devices });
const lines = (objects: ShaperObject[], which: "create" | "remove" = "create") =>
  objects.flatMap((o) => o[which].map(commandLine));

const NFT = `table inet sluice
delete table inet sluice
table inet sluice {
  set blocked_macs { type ether_addr; }
  set blocked_v4 { type ipv4_addr; }
  set blocked_v6 { type ipv6_addr; }
  chain forward {
    type filter hook forward priority -10; policy accept;
    ether saddr @blocked_macs drop
    ip saddr @blocked_v4 drop
    ip daddr @blocked_v4 drop
    ip6 saddr @blocked_v6 drop
    ip6 daddr @blocked_v6 drop
  }
}
`;

const CREATE = [
  "tc qdisc replace dev eth1 root handle 51ce: htb default 21",
  "tc class replace dev eth1 parent 51ce: classid 51ce:1 htb rate 100000000bit ceil 100000000bit quantum 125000 burst 25000b cburst 25000b",
  "tc class replace dev eth1 parent 51ce:1 classid 51ce:10 htb rate 50000000bit ceil 100000000bit prio 0 quantum 62500 burst 12500b cburst 25000b",
  "tc class replace dev eth1 parent 51ce:10 classid 51ce:11 htb rate 50000000bit ceil 100000000bit prio 0 quantum 62500 burst 12500b cburst 25000b",
  "tc qdisc replace dev eth1 parent 51ce:11 handle 11: fq_codel",
  "tc class replace dev eth1 parent 51ce:1 classid 51ce:20 htb rate 35000000bit ceil 100000000bit prio 1 quantum 43750 burst 8750b cburst 25000b",
  "tc class replace dev eth1 parent 51ce:20 classid 51ce:21 htb rate 35000000bit ceil 100000000bit prio 1 quantum 43750 burst 8750b cburst 25000b",
  "tc qdisc replace dev eth1 parent 51ce:21 handle 21: fq_codel",
  "tc class replace dev eth1 parent 51ce:1 classid 51ce:30 htb rate 15000000bit ceil 100000000bit prio 2 quantum 18750 burst 3750b cburst 25000b",
  "tc class replace dev eth1 parent 51ce:30 classid 51ce:31 htb rate 15000000bit ceil 100000000bit prio 2 quantum 18750 burst 3750b cburst 25000b",
  "tc qdisc replace dev eth1 parent 51ce:31 handle 31: fq_codel",
  "ip link add sl-eth1 type ifb",
  "ip link set sl-eth1 up",
  "tc qdisc replace dev sl-eth1 root handle 51ce: htb default 21",
  "tc class replace dev sl-eth1 parent 51ce: classid 51ce:1 htb rate 20000000bit ceil 20000000bit quantum 25000 burst 5000b cburst 5000b",
  "tc class replace dev sl-eth1 parent 51ce:1 classid 51ce:10 htb rate 10000000bit ceil 20000000bit prio 0 quantum 12500 burst 3028b cburst 5000b",
  "tc class replace dev sl-eth1 parent 51ce:10 classid 51ce:11 htb rate 10000000bit ceil 20000000bit prio 0 quantum 12500 burst 3028b cburst 5000b",
  "tc qdisc replace dev sl-eth1 parent 51ce:11 handle 11: fq_codel",
  "tc class replace dev sl-eth1 parent 51ce:1 classid 51ce:20 htb rate 7000000bit ceil 20000000bit prio 1 quantum 8750 burst 3028b cburst 5000b",
  "tc class replace dev sl-eth1 parent 51ce:20 classid 51ce:21 htb rate 7000000bit ceil 20000000bit prio 1 quantum 8750 burst 3028b cburst 5000b",
  "tc qdisc replace dev sl-eth1 parent 51ce:21 handle 21: fq_codel",
  "tc class replace dev sl-eth1 parent 51ce:1 classid 51ce:30 htb rate 3000000bit ceil 20000000bit prio 2 quantum 3750 burst 3028b cburst 5000b",
  "tc class replace dev sl-eth1 parent 51ce:30 classid 51ce:31 htb rate 3000000bit ceil 20000000bit prio 2 quantum 3750 burst 3028b cburst 5000b",
  "tc qdisc replace dev sl-eth1 parent 51ce:31 handle 31: fq_codel",
  "tc qdisc replace dev eth1 handle ffff: ingress",
  "tc filter del dev eth1 parent ffff: prio 49",
  "tc filter add dev eth1 parent ffff: protocol all prio 49 u32 match u32 0 0 action mirred egress redirect dev sl-eth1",
  "tc filter del dev eth1 parent 51ce: prio 1",
  "tc filter add dev eth1 parent 51ce: protocol ip prio 1 u32 match ip protocol 1 0xff match u16 0 0xfe00 at 2 flowid 51ce:11",
  "tc filter add dev eth1 parent 51ce: protocol ip prio 1 u32 match ip sport 53 0xffff match u16 0 0xfe00 at 2 flowid 51ce:11",
  "tc filter add dev eth1 parent 51ce: protocol ip prio 1 u32 match ip dport 53 0xffff match u16 0 0xfe00 at 2 flowid 51ce:11",
  "tc filter add dev eth1 parent 51ce: protocol ip prio 1 u32 match ip sport 123 0xffff match u16 0 0xfe00 at 2 flowid 51ce:11",
  "tc filter add dev eth1 parent 51ce: protocol ip prio 1 u32 match ip dport 123 0xffff match u16 0 0xfe00 at 2 flowid 51ce:11",
  "tc filter add dev eth1 parent 51ce: protocol ip prio 1 u32 match ip sport 22 0xffff match u16 0 0xfe00 at 2 flowid 51ce:11",
  "tc filter add dev eth1 parent 51ce: protocol ip prio 1 u32 match ip dport 22 0xffff match u16 0 0xfe00 at 2 flowid 51ce:11",
  "tc filter add dev eth1 parent 51ce: protocol ip prio 1 u32 match ip protocol 6 0xff match u8 0x05 0x0f at 0 match u16 0x0000 0xffc0 at 2 match u8 0x10 0xff at 33 flowid 51ce:11",
  "tc filter del dev eth1 parent 51ce: prio 2",
  "tc filter add dev eth1 parent 51ce: protocol ipv6 prio 2 u32 match ip6 protocol 58 0xff match u16 0 0xfe00 at 4 flowid 51ce:11",
  "tc filter add dev eth1 parent 51ce: protocol ipv6 prio 2 u32 match ip6 sport 53 0xffff match u16 0 0xfe00 at 4 flowid 51ce:11",
  "tc filter add dev eth1 parent 51ce: protocol ipv6 prio 2 u32 match ip6 dport 53 0xffff match u16 0 0xfe00 at 4 flowid 51ce:11",
  "tc filter add dev eth1 parent 51ce: protocol ipv6 prio 2 u32 match ip6 sport 123 0xffff match u16 0 0xfe00 at 4 flowid 51ce:11",
  "tc filter add dev eth1 parent 51ce: protocol ipv6 prio 2 u32 match ip6 dport 123 0xffff match u16 0 0xfe00 at 4 flowid 51ce:11",
  "tc filter add dev eth1 parent 51ce: protocol ipv6 prio 2 u32 match ip6 sport 22 0xffff match u16 0 0xfe00 at 4 flowid 51ce:11",
  "tc filter add dev eth1 parent 51ce: protocol ipv6 prio 2 u32 match ip6 dport 22 0xffff match u16 0 0xfe00 at 4 flowid 51ce:11",
  "tc filter del dev sl-eth1 parent 51ce: prio 1",
  "tc filter add dev sl-eth1 parent 51ce: protocol ip prio 1 u32 match ip protocol 1 0xff match u16 0 0xfe00 at 2 flowid 51ce:11",
  "tc filter add dev sl-eth1 parent 51ce: protocol ip prio 1 u32 match ip sport 53 0xffff match u16 0 0xfe00 at 2 flowid 51ce:11",
  "tc filter add dev sl-eth1 parent 51ce: protocol ip prio 1 u32 match ip dport 53 0xffff match u16 0 0xfe00 at 2 flowid 51ce:11",
  "tc filter add dev sl-eth1 parent 51ce: protocol ip prio 1 u32 match ip sport 123 0xffff match u16 0 0xfe00 at 2 flowid 51ce:11",
  "tc filter add dev sl-eth1 parent 51ce: protocol ip prio 1 u32 match ip dport 123 0xffff match u16 0 0xfe00 at 2 flowid 51ce:11",
  "tc filter add dev sl-eth1 parent 51ce: protocol ip prio 1 u32 match ip sport 22 0xffff match u16 0 0xfe00 at 2 flowid 51ce:11",
  "tc filter add dev sl-eth1 parent 51ce: protocol ip prio 1 u32 match ip dport 22 0xffff match u16 0 0xfe00 at 2 flowid 51ce:11",
  "tc filter add dev sl-eth1 parent 51ce: protocol ip prio 1 u32 match ip protocol 6 0xff match u8 0x05 0x0f at 0 match u16 0x0000 0xffc0 at 2 match u8 0x10 0xff at 33 flowid 51ce:11",
  "tc filter del dev sl-eth1 parent 51ce: prio 2",
  "tc filter add dev sl-eth1 parent 51ce: protocol ipv6 prio 2 u32 match ip6 protocol 58 0xff match u16 0 0xfe00 at 4 flowid 51ce:11",
  "tc filter add dev sl-eth1 parent 51ce: protocol ipv6 prio 2 u32 match ip6 sport 53 0xffff match u16 0 0xfe00 at 4 flowid 51ce:11",
  "tc filter add dev sl-eth1 parent 51ce: protocol ipv6 prio 2 u32 match ip6 dport 53 0xffff match u16 0 0xfe00 at 4 flowid 51ce:11",
  "tc filter add dev sl-eth1 parent 51ce: protocol ipv6 prio 2 u32 match ip6 sport 123 0xffff match u16 0 0xfe00 at 4 flowid 51ce:11",
  "tc filter add dev sl-eth1 parent 51ce: protocol ipv6 prio 2 u32 match ip6 dport 123 0xffff match u16 0 0xfe00 at 4 flowid 51ce:11",
  "tc filter add dev sl-eth1 parent 51ce: protocol ipv6 prio 2 u32 match ip6 sport 22 0xffff match u16 0 0xfe00 at 4 flowid 51ce:11",
  "tc filter add dev sl-eth1 parent 51ce: protocol ipv6 prio 2 u32 match ip6 dport 22 0xffff match u16 0 0xfe00 at 4 flowid 51ce:11",
  "tc class replace dev eth1 parent 51ce:20 classid 51ce:101 htb rate 5000000bit ceil 5000000bit prio 1 quantum 6250 burst 3028b cburst 3028b",
  "tc qdisc replace dev eth1 parent 51ce:101 handle 101: fq_codel",
  "tc filter del dev eth1 parent 51ce: prio 103",
  "tc filter add dev eth1 parent 51ce: protocol all prio 103 u32 match ether dst 02:00:00:00:00:07 flowid 51ce:101",
  "tc filter del dev eth1 parent 51ce: prio 104",
  "tc filter add dev eth1 parent 51ce: protocol ip prio 104 u32 match ip dst 192.168.1.7/32 flowid 51ce:101",
  "tc filter del dev eth1 parent 51ce: prio 105",
  "tc filter add dev eth1 parent 51ce: protocol ipv6 prio 105 u32 match ip6 dst fd00::7/128 flowid 51ce:101",
  "tc class replace dev sl-eth1 parent 51ce:20 classid 51ce:101 htb rate 1000000bit ceil 1000000bit prio 1 quantum 1514 burst 3028b cburst 3028b",
  "tc qdisc replace dev sl-eth1 parent 51ce:101 handle 101: fq_codel",
  "tc filter del dev sl-eth1 parent 51ce: prio 103",
  "tc filter add dev sl-eth1 parent 51ce: protocol all prio 103 u32 match ether src 02:00:00:00:00:07 flowid 51ce:101",
  "tc filter del dev sl-eth1 parent 51ce: prio 104",
  "tc filter add dev sl-eth1 parent 51ce: protocol ip prio 104 u32 match ip src 192.168.1.7/32 flowid 51ce:101",
  "tc filter del dev sl-eth1 parent 51ce: prio 105",
  "tc filter add dev sl-eth1 parent 51ce: protocol ipv6 prio 105 u32 match ip6 src fd00::7/128 flowid 51ce:101",
  "tc filter del dev eth1 parent 51ce: prio 106",
  "tc filter add dev eth1 parent 51ce: protocol all prio 106 u32 match ether dst 02:00:00:00:00:08 flowid 51ce:11",
  "tc filter del dev eth1 parent 51ce: prio 107",
  "tc filter add dev eth1 parent 51ce: protocol ip prio 107 u32 match ip dst 192.168.1.8/32 flowid 51ce:11",
  "tc filter del dev sl-eth1 parent 51ce: prio 106",
  "tc filter add dev sl-eth1 parent 51ce: protocol all prio 106 u32 match ether src 02:00:00:00:00:08 flowid 51ce:11",
  "tc filter del dev sl-eth1 parent 51ce: prio 107",
  "tc filter add dev sl-eth1 parent 51ce: protocol ip prio 107 u32 match ip src 192.168.1.8/32 flowid 51ce:11",
  `nft -f - <<< '${NFT}'`,
  "nft add element inet sluice blocked_macs '{ 02:00:00:00:00:09 }'",
  "nft add element inet sluice blocked_v4 '{ 192.168.1.9 }'",
  "nft add element inet sluice blocked_v6 '{ fd00::9 }'",
];
const REMOVE = [
  "nft delete element inet sluice blocked_macs '{ 02:00:00:00:00:09 }'",
  "nft delete element inet sluice blocked_v4 '{ 192.168.1.9 }'",
  "nft delete element inet sluice blocked_v6 '{ fd00::9 }'",
  "nft delete table inet sluice",
  "tc filter del dev sl-eth1 parent 51ce: prio 107",
  "tc filter del dev sl-eth1 parent 51ce: prio 106",
  "tc filter del dev eth1 parent 51ce: prio 107",
  "tc filter del dev eth1 parent 51ce: prio 106",
  "tc filter del dev sl-eth1 parent 51ce: prio 105",
  "tc filter del dev sl-eth1 parent 51ce: prio 104",
  "tc filter del dev sl-eth1 parent 51ce: prio 103",
  "tc qdisc del dev sl-eth1 parent 51ce:101 handle 101:",
  "tc class del dev sl-eth1 classid 51ce:101",
  "tc filter del dev eth1 parent 51ce: prio 105",
  "tc filter del dev eth1 parent 51ce: prio 104",
  "tc filter del dev eth1 parent 51ce: prio 103",
  "tc qdisc del dev eth1 parent 51ce:101 handle 101:",
  "tc class del dev eth1 classid 51ce:101",
  "tc filter del dev sl-eth1 parent 51ce: prio 2",
  "tc filter del dev sl-eth1 parent 51ce: prio 1",
  "tc filter del dev eth1 parent 51ce: prio 2",
  "tc filter del dev eth1 parent 51ce: prio 1",
  "tc filter del dev eth1 parent ffff: prio 49",
  "tc qdisc del dev eth1 handle ffff: ingress",
  "tc qdisc del dev sl-eth1 parent 51ce:31 handle 31:",
  "tc class del dev sl-eth1 classid 51ce:31",
  "tc class del dev sl-eth1 classid 51ce:30",
  "tc qdisc del dev sl-eth1 parent 51ce:21 handle 21:",
  "tc class del dev sl-eth1 classid 51ce:21",
  "tc class del dev sl-eth1 classid 51ce:20",
  "tc qdisc del dev sl-eth1 parent 51ce:11 handle 11:",
  "tc class del dev sl-eth1 classid 51ce:11",
  "tc class del dev sl-eth1 classid 51ce:10",
  "tc class del dev sl-eth1 classid 51ce:1",
  "tc qdisc del dev sl-eth1 root handle 51ce: htb",
  "ip link del sl-eth1",
  "tc qdisc del dev eth1 parent 51ce:31 handle 31:",
  "tc class del dev eth1 classid 51ce:31",
  "tc class del dev eth1 classid 51ce:30",
  "tc qdisc del dev eth1 parent 51ce:21 handle 21:",
  "tc class del dev eth1 classid 51ce:21",
  "tc class del dev eth1 classid 51ce:20",
  "tc qdisc del dev eth1 parent 51ce:11 handle 11:",
  "tc class del dev eth1 classid 51ce:11",
  "tc class del dev eth1 classid 51ce:10",
  "tc class del dev eth1 classid 51ce:1",
  "tc qdisc del dev eth1 root handle 51ce: htb",
];

Deno.test("LinuxRenderer.render() gives the full command list of a plan, in order", () => {
  const renderer = new LinuxRenderer({ lan: "eth1" });
  assertEquals(lines(renderer.render(PLAN, new Map())), CREATE);
});

Deno.test("LinuxRenderer.render() gives every object's removal, all harmless when already gone", () => {
  const objects = new LinuxRenderer({ lan: "eth1" }).render(PLAN, new Map());
  assertEquals(lines(objects.toReversed(), "remove"), REMOVE);
  assert(objects.every((o) => o.remove.every((c) => c.mayFail === true)));
});

Deno.test("LinuxRenderer.sweep() removes Sluice's table, redirect, IFB and root qdisc only", () => {
  const sweep = new LinuxRenderer({ lan: "eth1" }).sweep();
  assertEquals(sweep.map(commandLine), [
    "nft delete table inet sluice",
    "tc filter del dev eth1 parent ffff: prio 49",
    "tc qdisc del dev eth1 handle ffff: ingress",
    "ip link del sl-eth1",
    "tc qdisc del dev eth1 root handle 51ce: htb",
  ]);
  assert(sweep.every((c) => c.mayFail === true));
});

Deno.test("LinuxRenderer.render() keeps slots: the same map gives the same objects", () => {
  const renderer = new LinuxRenderer({ lan: "eth1" });
  const slots = new Map<string, number>();
  const first = renderer.render(PLAN, slots);
  // Blocked devices are not shaped, so they take no slot.
  assertEquals(Object.fromEntries(slots), { [TV]: 1, [CONSOLE]: 2 });
  assertEquals(renderer.render(PLAN, slots), first);
  assertEquals(renderer.render(PLAN, new Map(slots)), first);
  assertEquals(Object.fromEntries(slots), { [TV]: 1, [CONSOLE]: 2 });
});

Deno.test("LinuxRenderer.render() gives a new device the lowest free slot", () => {
  const renderer = new LinuxRenderer({ lan: "eth1" });
  const slots = new Map([[TV, 1], ["mac:02:00:00:00:00:0a", 3]]);
  const nas = device("mac:02:00:00:00:00:0b", { down: 250_000 });
  const objects = renderer.render(withDevices([...PLAN.devices, nas]), slots);
  assertEquals(slots.get(CONSOLE), 2);
  assertEquals(slots.get(nas.id), 4);
  const create = (key: string) => objects.find((o) => o.key === key)!.create.map(commandLine);
  assertEquals(
    create(`down/filter/${CONSOLE}/mac`)[1],
    "tc filter add dev eth1 parent 51ce: " +
      "protocol all prio 106 u32 match ether dst 02:00:00:00:00:08 flowid 51ce:11",
  );
  assertEquals(create(`down/class/${nas.id}`), [
    "tc class replace dev eth1 parent 51ce:20 " +
    "classid 51ce:104 htb rate 2000000bit ceil 2000000bit prio 1 quantum 2500 burst 3028b cburst 3028b",
  ]);
});

Deno.test("LinuxRenderer.render() refuses more than MAX_SLOTS shaped devices", () => {
  const slots = new Map(Array.from({ length: MAX_SLOTS }, (_, i) => [`ip:10.0.${i}`, i + 1]));
  const renderer = new LinuxRenderer({ lan: "eth1" });
  assertThrows(() => renderer.render(PLAN, slots), RangeError, `more than ${MAX_SLOTS}`);
});

Deno.test("LinuxRenderer.render() turns a rate change into one class replace per direction", () => {
  const renderer = new LinuxRenderer({ lan: "eth1" });
  const slots = new Map<string, number>();
  const applied = renderer.render(PLAN, slots).map(appliedOf);
  const tv = (fields: Partial<ShapeDevice>) =>
    withDevices([{ ...PLAN.devices[0], ...fields }, ...PLAN.devices.slice(1)]);
  const down = reconcile(applied, renderer.render(tv({ down: 1_250_000 }), slots));
  assertEquals(down.map((o) => [o.action, o.object.key, o.commands.map(commandLine)]), [
    ["update", `down/class/${TV}`, [
      "tc class replace dev eth1 parent 51ce:20 classid 51ce:101 htb rate 10000000bit " +
      "ceil 10000000bit prio 1 quantum 12500 burst 3028b cburst 3028b",
    ]],
  ]);
  const both = reconcile(applied, renderer.render(tv({ down: 1_250_000, up: 250_000 }), slots));
  assertEquals(both.map((o) => [o.action, o.object.key, o.commands.map(commandLine)]), [
    down.map((o) => [o.action, o.object.key, o.commands.map(commandLine)])[0],
    ["update", `up/class/${TV}`, [
      "tc class replace dev sl-eth1 parent 51ce:20 classid 51ce:101 htb rate 2000000bit " +
      "ceil 2000000bit prio 1 quantum 2500 burst 3028b cburst 3028b",
    ]],
  ]);
});

Deno.test("LinuxRenderer.render() moves a limited device's class, leaf and filters on a priority change", () => {
  const renderer = new LinuxRenderer({ lan: "eth1" });
  const slots = new Map<string, number>();
  const applied = renderer.render(PLAN, slots).map(appliedOf);
  const high = withDevices([{ ...PLAN.devices[0], priority: "high" }, ...PLAN.devices.slice(1)]);
  const ops = reconcile(applied, renderer.render(high, slots));
  const tvKeys = (dir: string) =>
    ["class", "class/leaf", "filter/mac", "filter/v4", "filter/v6"].map((k) =>
      `${dir}/${k.replace("class", `class/${TV}`).replace("filter", `filter/${TV}`)}`
    );
  const mine = [...tvKeys("down"), ...tvKeys("up")];
  assertEquals(ops.filter((o) => o.action === "create").map((o) => o.object.key), mine);
  assertEquals(
    new Set(ops.filter((o) => o.action === "remove").map((o) => o.object.key)),
    new Set(mine),
  );
  assert(
    ops.findLastIndex((o) => o.action === "remove") < ops.findIndex((o) => o.action === "create"),
  );
});

Deno.test("LinuxRenderer.render() gives unique keys and puts each object's needs before it", () => {
  for (const leaf of ["fq_codel", "pfifo"] as const) {
    const objects = new LinuxRenderer({ lan: "eth1", leaf }).render(PLAN, new Map());
    const seen = new Set<string>();
    for (const o of objects) {
      assert(!seen.has(o.key), `duplicate key ${o.key}`);
      for (const need of o.needs) assert(seen.has(need), `${o.key} needs ${need} before it`);
      seen.add(o.key);
    }
  }
});

Deno.test("LinuxRenderer.render() with leaf pfifo puts pfifo under every class", () => {
  const objects = new LinuxRenderer({ lan: "eth1", leaf: "pfifo" }).render(PLAN, new Map());
  const leaves = lines(objects).filter((l) =>
    / handle [0-9a-f]+: /.test(l) && l.includes("parent")
  );
  assertEquals(leaves.length, 8);
  assert(leaves.every((l) => / pfifo limit \d+$/.test(l)), leaves.join("\n"));
});

Deno.test("LinuxRenderer.render() sizes a pfifo to 100 ms of its class, and a new limit resizes it", () => {
  const device = { ...PLAN.devices[0], down: 625_000, up: null }; // 5 Mbit/s
  const plan = { ...PLAN, link: { down: 125e6, up: 1_250_000 }, devices: [device] };
  const renderer = new LinuxRenderer({ lan: "eth1", leaf: "pfifo" });
  const leaf = (p: typeof plan, key: string) =>
    renderer.render(p, new Map()).find((o) => o.key === key)!.spec;
  assertEquals(leaf(plan, `down/class/${device.id}/leaf`), "pfifo limit 41");
  assertEquals(leaf(plan, "down/class/normal/rest/leaf"), "pfifo limit 1000"); // 1 Gbit/s
  assertEquals(leaf(plan, "up/class/normal/rest/leaf"), "pfifo limit 83"); // 10 Mbit/s
  const slower = { ...plan, devices: [{ ...device, down: 62_500 }] }; // 0.5 Mbit/s
  assertEquals(leaf(slower, `down/class/${device.id}/leaf`), "pfifo limit 16");
  const before = renderer.render(plan, new Map()).map(appliedOf);
  const ops = reconcile(before, renderer.render(slower, new Map()));
  assertEquals(ops.map((o) => `${o.action} ${o.object.key}`), [
    `update down/class/${device.id}`,
    `update down/class/${device.id}/leaf`,
  ]);
});

Deno.test("new LinuxRenderer() refuses bad interface names and an IFB equal to the LAN", () => {
  for (const lan of ["", "eth 1", "-eth1", "eth1;reboot", "eth/1", "a-very-long-name"]) {
    assertThrows(() => new LinuxRenderer({ lan }), TypeError, "lan");
  }
  assertThrows(() => new LinuxRenderer({ lan: "eth1", ifb: "--help" }), TypeError, "ifb");
  assertThrows(() => new LinuxRenderer({ lan: "eth1", ifb: "eth1" }), RangeError, "ifb");
  assertEquals(new LinuxRenderer({ lan: "enp0s31f6abcdef" }).ifb, "sl-enp0s31f6abc");
  assertEquals(new LinuxRenderer({ lan: "eth1", ifb: "ifb0" }).ifb, "ifb0");
});
