// `sluice run` live on a veth pair: a "client" namespace behind this host,
// which plays the gateway. The client pings an address the gateway holds on
// its loopback, so the traffic crosses the captured interface as internet
// traffic would, and never leaves the machine.
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { createHmac } from "node:crypto";
import { DeviceStore, EventLog, UsageHistory } from "../../engine/history/mod.ts";
import { SystemCommandRunner } from "../../shaper/mod.ts";
import { hasCommand, hasLibpcap, isRoot, requireSystem, skipUnless } from "../_system.ts";
import { sluiceCommand } from "./_replay.ts";
import { type WatchedOutput, watchOutput } from "../_child_output.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const available = isRoot() && hasLibpcap() && hasCommand("ip") && hasCommand("ping");
const what = "root with libpcap, iproute2 and ping";
const CLIENT_MAC = "02:88:00:00:00:02";
const OUTSIDE = "198.51.100.77"; // TEST-NET-2, held on this host's loopback

async function sh(...argv: string[]): Promise<void> {
  const out = await new SystemCommandRunner().run(argv);
  if (out.code !== 0) throw new Error(`${argv.join(" ")}: ${out.stderr.trim()}`);
}

/** The client namespace and its veth link for `fn`, torn down after. */
async function withClient(fn: (gw: string, ns: string, data: string) => Promise<void>) {
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
    await fn(gw, ns, data);
  } finally {
    // A run with a policy shaped gw as root: its IFB and nft table outlive the veth.
    const reset = ["run", "-A", `${ROOT}main.ts`, "shaper", "reset", "--iface", gw, "--data", data];
    await new SystemCommandRunner().run([Deno.execPath(), ...reset], { timeoutMs: 60_000 });
    await sh("ip", "netns", "del", ns).catch(() => {});
    await sh("ip", "link", "del", gw).catch(() => {});
    await sh("ip", "addr", "del", `${OUTSIDE}/32`, "dev", "lo").catch(() => {});
    await Deno.remove(data, { recursive: true });
  }
}

/**
 * Runs `sluice run --iface gw --data data ...extra` until it captures, then
 * `during(output)`, then Ctrl-C; returns its exit code, stdout and stderr.
 * A run still going after 60 s is killed, so a wait that is never met fails.
 */
async function runWhile(
  gw: string,
  data: string,
  extra: string[],
  during: (output: WatchedOutput) => Promise<void>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts", "run", "--iface", gw, "--data", data, "--lan", "10.88.0.0/24"]
      .concat(["--listen", "127.0.0.1:0"], extra),
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const output = watchOutput(child.stdout);
  const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let said = "";
  try {
    while (!said.includes("Ctrl-C stops")) {
      const { value, done } = await stderr.read();
      if (done) throw new Error(`sluice run ended before capturing: ${said}`);
      said += value;
    }
    await during(output);
    child.kill("SIGINT");
    for (;;) {
      const { value, done } = await stderr.read();
      if (done) break;
      said += value;
    }
    const status = await child.status;
    await output.ended;
    return { code: status.code, stdout: output.text(), stderr: said };
  } catch (err) {
    try {
      child.kill("SIGKILL"); // a failed wait must not leave the run behind
    } catch { /* already ended */ }
    await child.status;
    await output.ended;
    await stderr.cancel();
    throw err;
  } finally {
    clearTimeout(guard);
  }
}

/** 10 echo requests of 1000 bytes from the client: 1042-byte frames each way. */
function ping(ns: string): Promise<void> {
  return sh(
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
}

Deno.test({
  name: "sluice run meters a live device's upload and download into history, with its stored label",
  ignore: skipUnless(available, what),
  async fn() {
    requireSystem(available, what);
    await withClient(async (gw, ns, data) => {
      // A label stored before the run, as `sluice devices label` would.
      const kv = await Deno.openKv(`${data}/sluice.kv`);
      await new DeviceStore(kv).setLabel(`mac:${CLIENT_MAC}`, "Test client");
      kv.close();
      const run = await runWhile(gw, data, [], () => ping(ns));
      assertEquals(run.code, 0, run.stderr);
      assertMatch(
        run.stderr,
        /sluice run: stopped; \d+ packets, 0 dropped by the kernel, 0 by Sluice/,
      );

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
    });
  },
});

Deno.test({
  name:
    "sluice run --policy decides live: a quota blocks the device, logged with its reason, alerts signed to a webhook",
  ignore: skipUnless(available, what),
  async fn() {
    requireSystem(available, what);
    const hits: { body: string; signature: string | null }[] = [];
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
      hits.push({ body: await req.text(), signature: req.headers.get("x-sluice-signature") });
      return new Response("ok");
    });
    try {
      await withClient(async (gw, ns, data) => {
        const policy = `${data}/policy.json`;
        await Deno.writeTextFile(
          policy,
          JSON.stringify({
            link: { down: "100Mbit", up: "20Mbit" },
            auto: { enabled: false },
            rules: [{
              id: "tiny",
              devices: { device: `mac:${CLIENT_MAC}` },
              action: {
                kind: "quota",
                bytes: 5000,
                direction: "down",
                period: "day",
                then: { kind: "block" },
              },
            }],
            webhooks: [{
              url: `http://127.0.0.1:${server.addr.port}/hook`,
              kinds: ["quota_reached"],
              secret: "a shared secret, 16+ chars",
            }],
          }),
        );
        const run = await runWhile(gw, data, ["--policy", policy], () => ping(ns));
        assertEquals(run.code, 0, run.stderr);
        assertStringIncludes(run.stderr, `sluice run: policy ${policy}: 1 rules and 0 overrides;`);
        // 5 replies of 1042 bytes pass 5000: one block, printed as it is decided, at the end
        // of the second that crossed (its figure is the replies up to then: 5 to 10 of them).
        const used = /quota used, (5\.21|6\.25|7\.29|8\.34|9\.38|10\.4) kB of 5 kB down this day/;
        const blocks = run.stdout.split("\n").filter((l) => / block: allowed → blocked/.test(l));
        assertEquals(blocks.length, 1, run.stdout);
        assertStringIncludes(blocks[0], `mac:${CLIENT_MAC} block: allowed → blocked — blocked: `);
        assertMatch(blocks[0], used);
        assertStringIncludes(run.stderr, "1 delivered, 0 failed, 0 dropped");

        const kv = await Deno.openKv(`${data}/sluice.kv`);
        try {
          const page = await new EventLog(kv).list({ kind: "policy" });
          assertEquals(page.events.map((e) => [e.device, e.message]), [
            [`mac:${CLIENT_MAC}`, "block: allowed → blocked"],
          ]);
        } finally {
          kv.close();
        }
        const explained = await sluiceCommand("explain", CLIENT_MAC, "--data", data);
        assertEquals(explained.code, 0, explained.stderr);
        assertStringIncludes(explained.stdout, "State: blocked, as of ");
        assertMatch(explained.stdout, used);
      });
      assertEquals(hits.length, 1, "only the kind asked for");
      const body = JSON.parse(hits[0].body);
      assertEquals([body.alert.kind, body.alert.device, body.alert.ruleId], [
        "quota_reached",
        `mac:${CLIENT_MAC}`,
        "tiny",
      ]);
      const mac = createHmac("sha256", "a shared secret, 16+ chars").update(hits[0].body).digest(
        "hex",
      );
      assertEquals(hits[0].signature, `sha256=${mac}`);
      assert(body.alert.figures.used >= 5000);
    } finally {
      await server.shutdown();
    }
  },
});

Deno.test({
  name:
    "sluice override while sluice run --policy runs: the block applies within seconds with its reason, and clearing it lifts it",
  ignore: skipUnless(available, what),
  async fn() {
    requireSystem(available, what);
    await withClient(async (gw, ns, data) => {
      const policy = `${data}/policy.json`;
      await Deno.writeTextFile(
        policy,
        JSON.stringify({ link: { down: "100Mbit", up: "20Mbit" }, auto: { enabled: false } }),
      );
      const device = `mac:${CLIENT_MAC}`;
      let setAt = 0;
      const run = await runWhile(gw, data, ["--policy", policy], async (output) => {
        await ping(ns); // the device is seen: its state is decided from then on
        const set = await sluiceCommand(
          "override",
          CLIENT_MAC,
          "block",
          "--for",
          "1h",
          "--by",
          "tester",
          "--json",
          "--data",
          data,
        );
        assertEquals(set.code, 0, set.stderr);
        setAt = JSON.parse(set.stdout).manual.at;
        const blocked = await output.line(/ block: allowed → blocked — manual blocked by tester/);
        assertStringIncludes(blocked, device);
        const cleared = await sluiceCommand("override", "clear", CLIENT_MAC, "--data", data);
        assertEquals(cleared.stdout.trim(), "cleared 1 override: manual-1", cleared.stderr);
        await output.line(/ unblock: blocked → allowed — no rule applies/);
      });
      assertEquals(run.code, 0, run.stderr);
      assertStringIncludes(run.stderr, "0 rules and 0 overrides;");
      const kv = await Deno.openKv(`${data}/sluice.kv`);
      try {
        const events = (await new EventLog(kv).list({ kind: "policy", device })).events;
        assertEquals(events.map((e) => e.message), [
          "unblock: blocked → allowed",
          "block: allowed → blocked",
        ]);
        const block = events[1];
        assertMatch(
          block.reason ?? "",
          /^manual blocked by tester until \d{4}-\d\d-\d\d \d\d:\d\d UTC \(rule manual-1\)$/,
        );
        // Decided at the end of an engine second once the running loop had seen it.
        assert(block.time >= setAt, `decided at ${block.time}, set at ${setAt}`);
      } finally {
        kv.close();
      }
    });
  },
});
