// `sluice shaper status|reset` as a user runs them over what a run applied,
// over a record that cannot be read (reset sweeps all the same), and with
// bad input refused in one line. Dry-run resets only: they need no root.
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { KvShaperStore, LinuxRenderer, type ShapePlan, Shaper } from "../../shaper/mod.ts";
import { assertUserError, sluiceCommand } from "./_replay.ts";

const SWEEP = [
  "nft delete table inet sluice",
  "tc filter del dev lan9 parent ffff: prio 49",
  "tc qdisc del dev lan9 handle ffff: ingress",
  "ip link del sl-lan9",
  "tc qdisc del dev lan9 root handle 51ce: htb",
];

const PLAN: ShapePlan = {
  link: { down: 12_500_000, up: 2_500_000 },
  shares: { high: 0.5, normal: 0.35, low: 0.15 },
  devices: [{
    id: "mac:02:00:00:00:00:07",
    mac: "02:00:00:00:00:07",
    addresses: ["192.168.1.7"],
    blocked: false,
    down: 625_000,
    up: null,
    priority: "normal",
  }],
};

/** A data directory whose KV `fill` prepares. */
async function withData(fill: (kv: Deno.Kv) => Promise<void>, fn: (data: string) => Promise<void>) {
  const data = await Deno.makeTempDir({ prefix: "sluice-shaper-cmd-" });
  try {
    const kv = await Deno.openKv(`${data}/sluice.kv`);
    try {
      await fill(kv);
    } finally {
      kv.close();
    }
    await fn(data);
  } finally {
    await Deno.remove(data, { recursive: true });
  }
}

/** `sluice shaper reset --dry-run` of lan9 over `data`. */
const dryReset = (data: string) =>
  sluiceCommand("shaper", "reset", "--iface", "lan9", "--data", data, "--dry-run");

/** What a run with every command succeeding would have kept. */
async function applied(kv: Deno.Kv): Promise<void> {
  const shaper = new Shaper({
    renderer: new LinuxRenderer({ lan: "lan9", leaf: "fq_codel" }),
    runner: { run: () => Promise.resolve({ code: 0, stdout: "", stderr: "" }) },
    store: new KvShaperStore(kv, "lan9"),
  });
  await shaper.start();
  assertEquals((await shaper.apply(PLAN, 0)).failed, 0);
}

Deno.test("sluice shaper status lists what was applied, and reset --dry-run changes nothing", async () => {
  await withData(applied, async (data) => {
    const status = await sluiceCommand(
      "shaper",
      "status",
      "--iface",
      "lan9",
      "--data",
      data,
      "--json",
    );
    assertEquals(status.code, 0, status.stderr);
    const keys = JSON.parse(status.stdout).objects.map((o: { key: string }) => o.key);
    assertEquals(keys.filter((k: string) => k.includes("mac:")), [
      "down/class/mac:02:00:00:00:00:07",
      "down/class/mac:02:00:00:00:00:07/leaf",
      "down/filter/mac:02:00:00:00:00:07/mac",
      "down/filter/mac:02:00:00:00:00:07/v4",
    ]);

    const reset = await dryReset(data);
    assertEquals([reset.code, reset.stderr], [0, ""]);
    const lines = reset.stdout.trimEnd().split("\n");
    assertEquals(lines.slice(-SWEEP.length), SWEEP);
    // The device's filters go before its class, its class before the root.
    const at = (line: string) => lines.indexOf(line);
    assert(at("tc filter del dev lan9 parent 51ce: prio 103") >= 0, reset.stdout);
    assert(
      at("tc filter del dev lan9 parent 51ce: prio 103") <
        at("tc class del dev lan9 classid 51ce:101"),
    );
    assert(
      at("tc class del dev lan9 classid 51ce:101") <
        at("tc qdisc del dev lan9 root handle 51ce: htb"),
    );

    const again = await sluiceCommand(
      "shaper",
      "status",
      "--iface",
      "lan9",
      "--data",
      data,
      "--json",
    );
    assertEquals(again.stdout, status.stdout, "a dry run forgets nothing");
  });
});

Deno.test("sluice shaper reset sweeps past an applied state it cannot read", async () => {
  const broken = async (kv: Deno.Kv) => {
    await kv.set(["shaper", "lan9", "meta"], { count: 3, slots: {} }); // its objects are gone
  };
  await withData(broken, async (data) => {
    const status = await sluiceCommand("shaper", "status", "--iface", "lan9", "--data", data);
    assertEquals([status.code, status.stdout], [1, ""]);
    assertEquals(
      status.stderr,
      'sluice shaper: shaper state of lan9 is incomplete: run "sluice shaper reset"\n',
    );

    const reset = await dryReset(data);
    assertEquals(reset.code, 0, reset.stderr);
    assertStringIncludes(reset.stderr, "sweeping instead");
    assertEquals(reset.stdout.trimEnd().split("\n"), SWEEP);
  });
});

Deno.test("sluice shaper refuses bad input in one line", async () => {
  await withData(() => Promise.resolve(), async (data) => {
    assertUserError(
      await sluiceCommand("shaper", "status", "--data", data),
      "--iface IFACE is required",
    );
    assertUserError(
      await sluiceCommand("shaper", "flush", "--iface", "lan9", "--data", data),
      'the action must be status or reset, got "flush"',
    );
    assertUserError(
      await sluiceCommand("shaper", "status", "--iface", "lan 9;", "--data", data),
      "--iface:",
    );
  });
});
