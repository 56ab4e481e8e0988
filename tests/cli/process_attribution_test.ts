// Per-process attribution on a real capture: two real programs (Python, so
// their PIDs and sockets are their own) transfer known byte counts over
// loopback while Sluice captures lo and the real /proc resolver finds their
// sockets. Each flow belongs to one process, its client's (on loopback both
// ends are local; counting the server too would count every packet twice):
// program A sends 3,000,000 bytes over TCP to B, B sends 200 UDP datagrams
// of 1,000 bytes to A. Both keep their sockets until the test lets them go.
import { assert, assertEquals } from "@std/assert";
import { END_OF_CAPTURE, openLive } from "../../capture/mod.ts";
import { ProcessSockets } from "../../cli/process_sockets.ts";
import { LanSubnets } from "../../engine/devices/mod.ts";
import { Monitor } from "../../engine/monitor.ts";
import { ProcessTable, UNKNOWN_PROCESS } from "../../engine/processes/mod.ts";
import { watchOutput } from "../_child_output.ts";
import { hasCommand, hasLibpcap, isRoot, requireSystem, skipUnless } from "../_system.ts";

const linux = Deno.build.os === "linux";
const available = linux && isRoot() && hasLibpcap() && hasCommand("python3");
const what = "Linux, root, libpcap and python3";

const TCP_BYTES = 3_000_000, DATAGRAMS = 200, DATAGRAM = 1000;

const PROGRAM_A = `
import socket, sys
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.setsockopt(socket.SOL_SOCKET, 33, 1 << 22)  # SO_RCVBUFFORCE (root): no datagram dropped
u.bind(("127.0.0.1", 0))
u.settimeout(20)
print(u.getsockname()[1], flush=True)
port = int(sys.stdin.readline())
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"a" * ${TCP_BYTES})
s.shutdown(socket.SHUT_WR)
got = 0
while got < ${DATAGRAMS}:
    u.recv(65536)
    got += 1
print("received", got, flush=True)
sys.stdin.readline()
`;

const PROGRAM_B = `
import socket, sys, time
l = socket.socket()
l.bind(("127.0.0.1", 0))
l.listen(1)
print(l.getsockname()[1], flush=True)
c, _ = l.accept()
n = 0
while True:
    d = c.recv(65536)
    if not d:
        break
    n += len(d)
port = int(sys.stdin.readline())
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(${DATAGRAMS}):
    u.sendto(b"b" * ${DATAGRAM}, ("127.0.0.1", port))
    if i % 20 == 19:
        time.sleep(0.002)
print("received", n, flush=True)
sys.stdin.readline()
`;

function python(program: string) {
  const child = new Deno.Command("python3", {
    args: ["-c", program],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const out = watchOutput(child.stdout);
  const writer = child.stdin.getWriter();
  const say = (line: string) => writer.write(new TextEncoder().encode(`${line}\n`));
  return { child, out, say, writer };
}

Deno.test({
  name: "Monitor with ProcessSockets meters two real programs' loopback traffic to their PIDs",
  ignore: skipUnless(available, what),
  async fn() {
    requireSystem(available, what);
    const source = await openLive("lo", { timeoutMs: 20 });
    const table = new ProcessTable();
    const sockets = new ProcessSockets({ refreshMs: 0, release: (id) => table.release(id) });
    const monitor = new Monitor({
      linkType: source.linkType,
      lan: new LanSubnets(["127.0.0.0/8"]),
      processes: { table, resolver: sockets },
    });
    let pumping = true;
    const pump = (async () => {
      while (pumping) if ((await source.read(monitor)) === END_OF_CAPTURE) break;
    })();
    const a = python(PROGRAM_A), b = python(PROGRAM_B);
    try {
      const udpPort = (await a.out.line(/^\d+$/)).trim();
      const tcpPort = (await b.out.line(/^\d+$/)).trim();
      await a.say(tcpPort);
      await b.say(udpPort);
      assertEquals(await b.out.line(/^received/), `received ${TCP_BYTES}`);
      assertEquals(await a.out.line(/^received/), `received ${DATAGRAMS}`);
      // Drain what the kernel still holds: a few reads that find nothing.
      pumping = false;
      await pump;
      for (let quiet = 0; quiet < 5;) quiet = (await source.read(monitor)) > 0 ? 0 : quiet + 1;
      monitor.finish();

      const usage = (pid: number) => {
        const ids = sockets.idsOf(pid);
        assertEquals(ids.length, 1, `pid ${pid}: ids ${ids}`);
        return table.usage(ids[0])!;
      };
      const ua = usage(a.child.pid), ub = usage(b.child.pid);
      // A: the TCP payload plus its headers (lo's MTU is 64 KiB: few segments).
      assert(ua.totalUp >= TCP_BYTES && ua.totalUp <= TCP_BYTES * 1.1, `A up ${ua.totalUp}`);
      assert(ua.totalDown < TCP_BYTES * 0.1, `A down ${ua.totalDown}`); // B's acks
      assertEquals(ua.protocols, ["tcp"]);
      // B: each datagram is 14 (Ethernet) + 20 (IPv4) + 8 (UDP) + 1,000 bytes on lo.
      assertEquals([ub.totalUp, ub.packetsUp], [DATAGRAMS * (DATAGRAM + 42), DATAGRAMS]);
      assertEquals([ub.totalDown, ub.protocols], [0, ["udp"]]);
      assertEquals(sockets.info(sockets.idsOf(a.child.pid)[0])?.name.startsWith("python"), true);
      // Every packet lo carried went to exactly one process or unknown.
      const counters = monitor.tracker.counters, totals = table.totals();
      assertEquals([totals.bytes, totals.packets], [counters.bytes, counters.packets]);
      const sum = table.list().reduce((n, u) => n + u.totalUp + u.totalDown, 0);
      assertEquals(sum, counters.bytes);
      assert(table.usage(UNKNOWN_PROCESS) === undefined || sum >= ua.totalUp + ub.totalUp);
    } finally {
      pumping = false;
      for (const p of [a, b]) {
        await p.say("").catch(() => {});
        await p.writer.close().catch(() => {});
        await p.child.status;
        await p.out.ended;
      }
      await pump;
      source.close();
    }
  },
});
