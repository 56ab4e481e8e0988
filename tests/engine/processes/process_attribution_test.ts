import { assert, assertEquals } from "@std/assert";
import { LanSubnets } from "../../../engine/devices/mod.ts";
import { LinkType } from "../../../engine/link_type.ts";
import { Monitor } from "../../../engine/monitor.ts";
import {
  EXITED_PROCESS,
  type ProcessResolver,
  ProcessTable,
  UNKNOWN_PROCESS,
} from "../../../engine/processes/mod.ts";
import {
  concat,
  ETH_ARP,
  ETH_IP4,
  ETH_IP6,
  ethernet,
  ICMP,
  icmp,
  ipv4,
  ipv6,
  MAC_A,
  MAC_B,
  prng,
  TCP,
  tcp,
  UDP,
  udp,
  view,
} from "../_packets.ts";

const HOST = 0xc0a8_0105; // 192.168.1.5: this host

/** Sockets by "protocol local-port", on this host's address only; counts its calls. */
class FakeResolver implements ProcessResolver {
  sockets = new Map<string, number>();
  calls = 0;
  resolve(
    protocol: number,
    ipVersion: number,
    local: Uint32Array,
    localPort: number,
  ): number | null {
    this.calls++;
    const ours = ipVersion === 4 ? local[0] === HOST : local[3] === 5 && local[0] === 0xfd000000;
    if (!ours) return null;
    return this.sockets.get(`${protocol} ${localPort}`) ?? null;
  }
}

function monitorWith(resolver: ProcessResolver, table = new ProcessTable()) {
  const monitor = new Monitor({
    linkType: LinkType.EN10MB,
    lan: new LanSubnets(["192.168.1.0/24"]),
    processes: { table, resolver },
  });
  return { monitor, table };
}

function feed(monitor: Monitor, time: number, bytes: Uint8Array): void {
  monitor.packet(view(bytes), 0, bytes.length, bytes.length, Math.floor(time), 0);
}

const out = (proto: number, sport: number, dport: number, n: number, dst = "93.184.216.34") =>
  ethernet(
    MAC_B,
    MAC_A,
    ETH_IP4,
    ipv4(
      { src: "192.168.1.5", dst, proto },
      proto === TCP
        ? tcp({ sport, dport }, new Uint8Array(n))
        : udp({ sport, dport }, new Uint8Array(n)),
    ),
  );
const back = (proto: number, sport: number, dport: number, n: number) =>
  ethernet(
    MAC_A,
    MAC_B,
    ETH_IP4,
    ipv4(
      { src: "93.184.216.34", dst: "192.168.1.5", proto },
      proto === TCP
        ? tcp({ sport, dport }, new Uint8Array(n))
        : udp({ sport, dport }, new Uint8Array(n)),
    ),
  );

Deno.test("Monitor with processes meters a flow to its local process, up and down", () => {
  const resolver = new FakeResolver();
  resolver.sockets.set(`${TCP} 40000`, 7);
  const { monitor, table } = monitorWith(resolver);
  const a = out(TCP, 40000, 443, 100), b = back(TCP, 443, 40000, 1000);
  feed(monitor, 1000, a);
  feed(monitor, 1000, b);
  feed(monitor, 1000, b);
  monitor.advance(1001);
  const u = table.usage(7)!;
  assertEquals([u.totalUp, u.totalDown, u.packetsUp, u.packetsDown], [
    a.length,
    2 * b.length,
    1,
    2,
  ]);
  assertEquals([u.up, u.down, u.protocols], [a.length, 2 * b.length, ["tcp"]]);
  assertEquals(resolver.calls, 1); // resolved on its first packet, never asked again
});

Deno.test("Monitor with processes attributes a flow opened from outside to its server side", () => {
  const resolver = new FakeResolver();
  resolver.sockets.set(`${UDP} 53`, 2);
  const { monitor, table } = monitorWith(resolver);
  const q = back(UDP, 5353, 53, 30), r = out(UDP, 53, 5353, 90);
  feed(monitor, 1000, q);
  feed(monitor, 1000, r);
  monitor.finish();
  const u = table.usage(2)!;
  assertEquals([u.totalUp, u.totalDown], [r.length, q.length]);
});

Deno.test("Monitor with processes puts every byte in exactly one process or unknown", () => {
  const resolver = new FakeResolver();
  resolver.sockets.set(`${TCP} 40000`, 0);
  resolver.sockets.set(`${UDP} 40001`, 1);
  const { monitor, table } = monitorWith(resolver);
  const rand = prng(7);
  const frames = [
    () => out(TCP, 40000, 443, rand.int(1400)),
    () => back(TCP, 443, 40000, rand.int(1400)),
    () => out(UDP, 40001, 53, rand.int(500)),
    () => out(UDP, 40002, 53, rand.int(500)), // no socket: unknown
    () =>
      ethernet(
        MAC_B,
        MAC_A,
        ETH_IP4,
        ipv4(
          { src: "192.168.1.5", dst: "1.1.1.1", proto: ICMP },
          icmp({ type: 8 }, new Uint8Array(56)),
        ),
      ),
    () => ethernet(MAC_B, MAC_A, ETH_ARP, new Uint8Array(28)), // in no flow
    () => ethernet(MAC_B, MAC_A, ETH_IP4, new Uint8Array(10)), // truncated
    () =>
      ethernet(
        MAC_B,
        MAC_A,
        ETH_IP6,
        ipv6({ src: "fd00::5", dst: "2001:db8::1", next: 50 }, new Uint8Array(40)),
      ),
  ];
  let t = 1000;
  for (let i = 0; i < 2000; i++) {
    t += rand.int(50) / 100;
    feed(monitor, t, frames[rand.int(frames.length)]());
  }
  monitor.finish();
  const counters = monitor.tracker.counters, totals = table.totals();
  assertEquals([totals.bytes, totals.packets], [counters.bytes, counters.packets]);
  const unknown = table.usage(UNKNOWN_PROCESS)!;
  assertEquals(unknown.protocols, ["udp", "icmp", "other"]);
  assertEquals(table.usage(0)!.protocols, ["tcp"]);
  assertEquals(table.usage(1)!.protocols, ["udp"]);
  const sum = table.list().reduce((n, u) => n + u.totalUp + u.totalDown, 0);
  assertEquals(sum, counters.bytes);
});

Deno.test("Monitor with processes asks again for an unknown flow, on its packets 2, 4, 8, ...", () => {
  const resolver = new FakeResolver();
  const { monitor, table } = monitorWith(resolver);
  const a = out(UDP, 41000, 9000, 100);
  feed(monitor, 1000, a); // packet 1: no socket yet (2 calls: client side, server side)
  feed(monitor, 1000, a); // packet 2: asked again
  feed(monitor, 1000, a); // packet 3: not asked
  assertEquals(resolver.calls, 4);
  resolver.sockets.set(`${UDP} 41000`, 3); // the socket shows up
  feed(monitor, 1000, a); // packet 4: found
  for (let i = 0; i < 20; i++) feed(monitor, 1000, a);
  assertEquals(resolver.calls, 5);
  monitor.finish();
  // Metered at the second's close: by then the flow is known, so all of it is the process's.
  assertEquals(table.usage(3)!.packetsUp, 24);
  assertEquals(table.usage(UNKNOWN_PROCESS), { ...table.usage(UNKNOWN_PROCESS)!, packetsUp: 0 });
});

Deno.test("Monitor with processes gives up on an unknown flow after a bounded number of tries", () => {
  const resolver = new FakeResolver();
  const { monitor, table } = monitorWith(resolver);
  const a = out(UDP, 41000, 9000, 10);
  for (let i = 0; i < 100_000; i++) feed(monitor, 1000 + i / 1000, a);
  monitor.finish();
  assert(resolver.calls <= 2 * 13, `${resolver.calls} calls`);
  assertEquals(table.usage(UNKNOWN_PROCESS)!.packetsUp, 100_000);
});

Deno.test("Monitor with processes counts a released process's open flows as exited", () => {
  const resolver = new FakeResolver();
  resolver.sockets.set(`${TCP} 40000`, 0);
  const { monitor, table } = monitorWith(resolver, new ProcessTable({ maxProcesses: 1 }));
  const a = out(TCP, 40000, 443, 100);
  feed(monitor, 1000, a);
  monitor.advance(1001);
  table.release(0); // the caller gives id 0 to another process
  feed(monitor, 1001, a);
  monitor.finish();
  assertEquals(table.usage(0)!.totalUp, 0);
  assertEquals(table.usage(EXITED_PROCESS)!.totalUp, 2 * a.length);
  assertEquals(table.totals().bytes, monitor.tracker.counters.bytes);
});

Deno.test("Monitor with processes counts ids past the table's limit as unknown", () => {
  const resolver = new FakeResolver();
  resolver.sockets.set(`${TCP} 40000`, 50);
  const { monitor, table } = monitorWith(resolver, new ProcessTable({ maxProcesses: 8 }));
  feed(monitor, 1000, out(TCP, 40000, 443, 100));
  monitor.finish();
  assertEquals(table.list().map((u) => u.id), [UNKNOWN_PROCESS]);
  assert(table.rejected > 0);
  assertEquals(table.totals().bytes, monitor.tracker.counters.bytes);
});

Deno.test("Monitor without processes never asks a resolver", () => {
  const monitor = new Monitor({
    linkType: LinkType.EN10MB,
    lan: new LanSubnets(["192.168.1.0/24"]),
  });
  feed(monitor, 1000, concat(out(TCP, 40000, 443, 100)));
  monitor.finish();
  assertEquals(monitor.tracker.counters.packets, 1);
});
