// `sluice run` live on a veth pair: a "client" namespace behind this host,
// which plays the gateway. The client pings an address the gateway holds on
// its loopback, so the traffic crosses the captured interface as internet
// traffic would, and never leaves the machine.
import { assertEquals, assertMatch } from "@std/assert";
import { DeviceStore, UsageHistory } from "../../engine/history/mod.ts";
import { SystemCommandRunner } from "../../shaper/mod.ts";
import { hasCommand, hasLibpcap, isRoot, requireSystem, skipUnless } from "../_system.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const available = isRoot() && hasLibpcap() && hasCommand("ip") && hasCommand("ping");
const what = "root with libpcap, iproute2 and ping";
const CLIENT_MAC = "02:88:00:00:00:02";
const OUTSIDE = "198.51.100.77"; // TEST-NET-2, held on this host's loopback

async function sh(...argv: string[]): Promise<void> {
  const out = await new SystemCommandRunner().run(argv);
  if (out.code !== 0) throw new Error(`${argv.join(" ")}: ${out.stderr.trim()}`);
}

Deno.test({
  name: "sluice run meters a live device's upload and download into history, with its stored label",
  ignore: skipUnless(available, what),
  async fn() {
    requireSystem(available, what);
    const ns = `sluice-run-${Deno.pid}`,
      gw = `srg${Deno.pid % 100000}`,
      cl = `src${Deno.pid % 100000}`;
    const data = await Deno.makeTempDir({ prefix: "sluice-run-" });
    await sh("ip", "netns", "add", ns);
    try {
      await sh("ip", "link", "add", gw, "type", "veth", "peer", "name", cl);
      await sh("ip", "link", "set", cl, "netns", ns);
      await sh("ip", "addr", "add", "10.88.0.1/24", "dev", gw);
      await sh("ip", "link", "set", gw, "up");
      await sh("ip", "addr", "add", `${OUTSIDE}/32`, "dev", "lo");
      await sh("ip", "-n", ns, "link", "set", cl, "address", CLIENT_MAC);
      await sh("ip", "-n", ns, "addr", "add", "10.88.0.2/24", "dev", cl);
      await sh("ip", "-n", ns, "link", "set", cl, "up");
      await sh("ip", "-n", ns, "route", "add", "default", "via", "10.88.0.1");
      // A label stored before the run, as `sluice devices label` would.
      const kv = await Deno.openKv(`${data}/sluice.kv`);
      await new DeviceStore(kv).setLabel(`mac:${CLIENT_MAC}`, "Test client");
      kv.close();

      const child = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "main.ts",
          "run",
          "--iface",
          gw,
          "--data",
          data,
          "--lan",
          "10.88.0.0/24",
        ],
        cwd: ROOT,
        env: { NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
      let said = "";
      while (!said.includes("Ctrl-C stops")) {
        const { value, done } = await stderr.read();
        if (done) throw new Error(`sluice run ended before capturing: ${said}`);
        said += value;
      }
      // 10 echo requests of 1000 bytes: 1042-byte frames each way.
      await sh(
        "ip",
        "netns",
        "exec",
        ns,
        "ping",
        "-c",
        "10",
        "-i",
        "0.01",
        "-s",
        "1000",
        "-W",
        "1",
        OUTSIDE,
      );
      child.kill("SIGINT");
      for (;;) {
        const { value, done } = await stderr.read();
        if (done) break;
        said += value;
      }
      const status = await child.status;
      await child.stdout.cancel();
      assertEquals(status.code, 0, said);
      assertMatch(said, /sluice run: stopped; \d+ packets, 0 dropped by the kernel, 0 by Sluice/);

      const store = await Deno.openKv(`${data}/sluice.kv`);
      try {
        const history = new UsageHistory(store);
        const now = Date.now() - (Date.now() % 60_000) + 60_000;
        await history.open(now, { readOnly: true });
        const usage = await history.usage(now - 3_600_000, now);
        const client = usage.devices[`mac:${CLIENT_MAC}`];
        assertEquals([client?.up, client?.down], [10 * 1042, 10 * 1042]);
        const record = await new DeviceStore(store).get(`mac:${CLIENT_MAC}`);
        assertEquals(record?.label, "Test client");
        const device = record?.device as { name?: string; addresses?: string[] } | null;
        assertEquals(device?.name, "Test client");
        assertEquals(device?.addresses, ["10.88.0.2"]);
      } finally {
        store.close();
      }
    } finally {
      await sh("ip", "netns", "del", ns).catch(() => {});
      await sh("ip", "link", "del", gw).catch(() => {});
      await sh("ip", "addr", "del", `${OUTSIDE}/32`, "dev", "lo").catch(() => {});
      await Deno.remove(data, { recursive: true });
    }
  },
});
