// The Linux shaper on a real kernel: three namespaces (a LAN device, the
// gateway running `sluice run --policy --shaper linux`, a server) joined by
// veth links. iperf3 measures what the device gets each way with no limit,
// at 5 and 20 Mbit/s (set by a policy rule, then an override), a block
// stops its traffic, a restart with another desired state leaves exactly
// the base objects, and `sluice shaper reset` leaves nothing of Sluice's.
import { assert, assertEquals } from "@std/assert";
import { SystemCommandRunner } from "../../shaper/mod.ts";
import { LAB, Lab, mbits } from "./_lab.ts";
import { hasCommand, hasLibpcap, isRoot, requireSystem, skipUnless } from "../_system.ts";
import { watchOutput } from "../_child_output.ts";
import { sluiceCommand } from "../cli/_replay.ts";
import { detectLeaf } from "../../cli/live_shaper.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const available = isRoot() && hasLibpcap() && hasCommand("ip") && hasCommand("tc") &&
  hasCommand("nft") && hasCommand("iperf3");
const what = "root with libpcap, iproute2, nftables and iperf3";
const lab = new Lab();
const GW = lab.gateway;
const MAC = LAB.mac;
const inGw = (...argv: string[]) => lab.in(GW, ...argv);
const iperf = async (direction: "down" | "up") => mbits(await lab.iperf(direction, 3));

/** `sluice run` in the gateway namespace until `stop()`. */
function startRun(data: string, policy: string) {
  const child = new Deno.Command("ip", {
    args: ["netns", "exec", GW, Deno.execPath(), "run", "-A", "main.ts", "run", "--iface", "lan0"]
      .concat(["--lan", "10.75.0.0/24", "--data", data, "--policy", policy, "--shaper", "linux"]),
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const guard = setTimeout(() => child.kill("SIGKILL"), 120_000);
  const stdout = watchOutput(child.stdout), stderr = watchOutput(child.stderr);
  return {
    stdout,
    stderr,
    async stop(): Promise<number> {
      child.kill("SIGINT");
      const status = await child.status;
      await Promise.all([stdout.ended, stderr.ended]);
      clearTimeout(guard);
      return status.code;
    },
  };
}

/** The gateway's tc and nft objects of Sluice's, as plain lists. */
async function installed() {
  const qdiscs = JSON.parse(await inGw("tc", "-j", "qdisc", "show", "dev", "lan0"))
    .map((q: { kind: string; handle: string }) => `${q.kind} ${q.handle}`).sort();
  const classes = (await inGw("tc", "class", "show", "dev", "lan0")).split("\n").filter(Boolean)
    .map((l) => l.split(" ")[2]).sort();
  const filters = JSON.parse(
    await inGw("tc", "-j", "filter", "show", "dev", "lan0", "parent", "51ce:").catch(() => "[]"),
  )
    .map((f: { pref: number }) => f.pref);
  const nft = JSON.parse(await inGw("nft", "-j", "list", "ruleset")).nftables
    .filter((o: Record<string, unknown>) => o.set)
    .map((o: { set: { name: string; elem?: unknown[] } }) =>
      `${o.set.name}:${o.set.elem?.length ?? 0}`
    );
  const links = (await inGw("ip", "-o", "link", "show")).includes("sl-lan0");
  const prefs = [...new Set<number>(filters)].sort((a, b) => a - b);
  return { qdiscs, classes, filters: prefs, nft, ifb: links };
}

function near(measured: number, limit: number, label: string): void {
  // Goodput: TCP/IP headers take about 4.4% of each full frame the shaper counts.
  assert(
    Math.abs(measured - limit) / limit <= 0.1,
    `${label}: ${measured} Mbit/s for a ${limit} Mbit/s limit`,
  );
}

Deno.test({
  name:
    "the Linux shaper holds a device to 5 and 20 Mbit/s each way, blocks it, and leaves nothing after reset",
  ignore: skipUnless(available, what),
  sanitizeResources: false,
  async fn() {
    requireSystem(available, what);
    const data = await Deno.makeTempDir({ prefix: "sluice-shaper-" });
    try {
      await lab.create();
      const free = { down: await iperf("down"), up: await iperf("up") };
      assert(free.down > 100 && free.up > 100, `unshaped: ${JSON.stringify(free)}`);

      const policy = `${data}/policy.json`;
      await Deno.writeTextFile(
        policy,
        JSON.stringify({
          link: { down: "1Gbit", up: "1Gbit" },
          auto: { enabled: false },
          rules: [{
            id: "cap",
            devices: { device: `mac:${MAC}` },
            action: { kind: "limit", down: "5Mbit", up: "5Mbit" },
          }],
        }),
      );
      let run = startRun(data, policy);
      await run.stderr.line(/Ctrl-C stops/);
      await lab.in(lab.device, "ping", "-c", "2", "-i", "0.2", LAB.server); // the device is seen
      await run.stdout.line(/shaper did create download limit 5000000bit for mac:/);
      near(await iperf("down"), 5, "5 Mbit/s down");
      near(await iperf("up"), 5, "5 Mbit/s up");

      const limit = await sluiceCommand(
        "override",
        MAC,
        "limit",
        "--down",
        "20Mbit",
        "--up",
        "20Mbit",
        "--data",
        data,
      );
      assertEquals(limit.code, 0, limit.stderr);
      await run.stdout.line(/shaper did update upload limit 20000000bit for mac:/);
      near(await iperf("down"), 20, "20 Mbit/s down");
      near(await iperf("up"), 20, "20 Mbit/s up");

      const block = await sluiceCommand("override", MAC, "block", "--data", data);
      assertEquals(block.code, 0, block.stderr);
      await run.stdout.line(/shaper did create block of mac:/);
      const ping = await new SystemCommandRunner().run([
        "ip",
        "netns",
        "exec",
        lab.device,
        "ping",
        "-c",
        "3",
        "-i",
        "0.2",
        "-W",
        "1",
        LAB.server,
      ]);
      assertEquals(ping.code, 1, "no replies while blocked");
      assertEquals(await run.stop(), 0, run.stderr.text());
      assertEquals((await installed()).nft, ["blocked_macs:1", "blocked_v4:1", "blocked_v6:0"]);

      // Restarted with no rule and no override: only the base remains.
      await Deno.writeTextFile(
        policy,
        JSON.stringify({ link: { down: "1Gbit", up: "1Gbit" }, auto: { enabled: false } }),
      );
      assertEquals((await sluiceCommand("override", "clear", "all", "--data", data)).code, 0);
      run = startRun(data, policy);
      await run.stderr.line(/Ctrl-C stops/);
      await run.stdout.line(/shaper did remove block of mac:/);
      assertEquals(await run.stop(), 0, run.stderr.text());
      const leaf = await detectLeaf();
      assertEquals(await installed(), {
        qdiscs: ["htb 51ce:", `${leaf} 11:`, `${leaf} 21:`, `${leaf} 31:`, "ingress ffff:"].sort(),
        classes: ["51ce:1", "51ce:10", "51ce:11", "51ce:20", "51ce:21", "51ce:30", "51ce:31"],
        filters: [1, 2],
        nft: ["blocked_macs:0", "blocked_v4:0", "blocked_v6:0"],
        ifb: true,
      });

      const reset = await new SystemCommandRunner().run(
        ["ip", "netns", "exec", GW, Deno.execPath(), "run", "-A", `${ROOT}main.ts`, "shaper"]
          .concat(["reset", "--iface", "lan0", "--data", data]),
        { timeoutMs: 60_000 },
      );
      assertEquals(reset.code, 0, reset.stderr);
      assertEquals(await installed(), {
        qdiscs: ["noqueue 0:"],
        classes: [],
        filters: [],
        nft: [],
        ifb: false,
      });
    } finally {
      await lab.destroy();
      await Deno.remove(data, { recursive: true });
    }
  },
});
