// Live capture on a veth pair into a network namespace this test creates:
// a real ping sends a known number of packets of known size, and Sluice must
// count exactly those. Traffic never leaves the pair (198.18.0.0/30, a
// benchmarking range).
import { assertEquals } from "@std/assert";
import { END_OF_CAPTURE, openLive } from "../../capture/mod.ts";
import { flowRecord, FlowTracker } from "../../engine/mod.ts";
import { hasCommand, hasLibpcap, isRoot, requireSystem, skipUnless } from "../_system.ts";
import { readAccordingToContract } from "./_source_contract.ts";

const available = isRoot() && hasLibpcap() && hasCommand("ip") && hasCommand("ping");
const what = "root with libpcap, iproute2 and ping (network namespaces)";

async function sh(cmd: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
}

/** A namespace with one end of a veth pair; the other end stays here as `hostIf`. */
async function withVethNamespace(fn: (hostIf: string, peerIp: string) => Promise<void>) {
  const tag = `${Deno.pid % 100000}`;
  const ns = `sluice-live-${tag}`, hostIf = `slh${tag}`, nsIf = `sln${tag}`;
  await sh("ip", "netns", "add", ns);
  try {
    await sh("ip", "link", "add", hostIf, "type", "veth", "peer", "name", nsIf);
    await sh("ip", "link", "set", nsIf, "netns", ns);
    await sh("ip", "addr", "add", "198.18.0.1/30", "dev", hostIf);
    await sh("ip", "link", "set", hostIf, "up");
    await sh("ip", "-n", ns, "addr", "add", "198.18.0.2/30", "dev", nsIf);
    await sh("ip", "-n", ns, "link", "set", nsIf, "up");
    await sh("ip", "-n", ns, "link", "set", "lo", "up");
    await fn(hostIf, "198.18.0.2");
  } finally {
    await sh("ip", "link", "del", hostIf).catch(() => {});
    await sh("ip", "netns", "del", ns).catch(() => {});
  }
}

Deno.test({
  name: "openLive() counts exactly the packets and bytes a real ping sends over a veth",
  ignore: skipUnless(available, what),
  async fn() {
    requireSystem(available, what);
    await withVethNamespace(async (hostIf, peerIp) => {
      const source = await openLive(hostIf, { filter: "icmp", timeoutMs: 50 });
      const tracker = new FlowTracker({ linkType: source.linkType, maxFlows: 64, idleTimeout: 60 });
      // 5 echo requests and 5 replies of 100 data bytes: 14 + 20 + 8 + 100 = 142 bytes a frame.
      const ping = new Deno.Command("ping", {
        args: ["-c", "5", "-i", "0.2", "-s", "100", "-W", "2", peerIp],
        stdout: "null",
      }).spawn();
      let finished = false;
      const status = ping.status.then((s) => (finished = true, s));
      let quietReads = 0;
      for (let reads = 0; reads < 400 && quietReads < 4; reads++) {
        const n = await source.read(tracker);
        if (n === END_OF_CAPTURE) break;
        if (finished && n === 0) quietReads++; // ping is done and the ring is drained
      }
      assertEquals((await status).success, true, "ping failed");
      source.close();
      const flows: ReturnType<typeof flowRecord>[] = [];
      tracker.table.forEach((f) => flows.push(flowRecord(tracker.table, f)));
      assertEquals(flows.length, 1);
      const { protocol, client, server, c2s, s2c } = flows[0];
      assertEquals({ protocol, client, server, c2s, s2c }, {
        protocol: "ICMP",
        client: "198.18.0.1:0",
        server: "198.18.0.2:0",
        c2s: { packets: 5, bytes: 710 },
        s2c: { packets: 5, bytes: 710 },
      });
      assertEquals(source.stats().kernelDropped + source.stats().ownDropped, 0);
    });
  },
});

Deno.test({
  name: "openLive() drops and counts what a full ring cannot take, and never blocks capture",
  ignore: skipUnless(available, what),
  async fn() {
    requireSystem(available, what);
    await withVethNamespace(async (hostIf, peerIp) => {
      // A 64 KiB ring holds about 60 of these 1,042-byte frames: the rest must be dropped.
      const source = await openLive(hostIf, {
        filter: "icmp",
        timeoutMs: 50,
        snaplen: 2048,
        ringSize: 1 << 16,
      });
      const ping = await new Deno.Command("ping", {
        args: ["-f", "-c", "500", "-s", "1000", "-W", "2", peerIp],
        stdout: "null",
      }).output();
      assertEquals(ping.success, true, "ping failed");
      const tracker = new FlowTracker({ linkType: source.linkType, maxFlows: 64, idleTimeout: 60 });
      let quietReads = 0;
      for (let reads = 0; reads < 400 && quietReads < 4; reads++) {
        const n = await source.read(tracker);
        if (n === END_OF_CAPTURE) break;
        quietReads = n === 0 ? quietReads + 1 : 0;
      }
      source.close();
      const stats = source.stats();
      assertEquals(stats.ownDropped > 0, true, `no drops: ${JSON.stringify(stats)}`);
      assertEquals(stats.delivered, tracker.counters.packets);
      // 500 echo requests and 500 replies: each one delivered or counted as dropped.
      assertEquals(stats.delivered + stats.ownDropped + stats.kernelDropped, 1000);
    });
  },
});

Deno.test({
  name: "openLive() keeps the PacketSource contract and stops promptly on close()",
  ignore: skipUnless(available, what),
  async fn() {
    requireSystem(available, what);
    await withVethNamespace(async (hostIf, peerIp) => {
      const source = await openLive(hostIf, { filter: "icmp", timeoutMs: 50 });
      const ping = new Deno.Command("ping", {
        args: ["-c", "3", "-i", "0.2", "-W", "2", peerIp],
        stdout: "null",
      }).spawn();
      const seen = await readAccordingToContract(source, (s) => s.length >= 6, 400);
      await ping.status;
      assertEquals(seen.length, 6);
    });
  },
});

Deno.test({
  name: "openLive() refuses a missing interface with a CaptureError naming it",
  ignore: skipUnless(isRoot() && hasLibpcap(), "root with libpcap"),
  async fn() {
    requireSystem(isRoot() && hasLibpcap(), "root with libpcap");
    let message = "";
    try {
      await openLive("sluice-no-such0");
    } catch (err) {
      message = (err as Error).message;
    }
    assertEquals(message.startsWith("sluice-no-such0:"), true, message);
  },
});
