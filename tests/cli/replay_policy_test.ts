// `sluice replay --policy`: a corpus capture and a policy give exactly the
// decisions the capture's own bytes imply, at the seconds they imply. The
// expectations come from reading the capture here, without Sluice: a few
// lines over the classic pcap format, one device, every byte internet.
import { assertEquals, assertStringIncludes } from "@std/assert";
import type { ReplayReport } from "../../cli/replay.ts";
import { EventLog, PolicyStateStore } from "../../engine/history/mod.ts";
import { CORPUS_DIR, hasCorpus, hasLibpcap, requireSystem, skipUnless } from "../_system.ts";
import { sluice, sluiceCommand } from "./_replay.ts";

const CORPUS = "the shared nDPI corpus (../shared/pcap) with libpcap";
const withCorpus = hasCorpus() && hasLibpcap();
/** WhatsApp file transfers of one phone (192.168.2.29) with its server, on 2018-03-01. */
const CAPTURE = `${CORPUS_DIR}ndpi/whatsappfiles.pcap`;
const PHONE = "mac:90:b9:31:28:fa:ca";

/** Wire bytes per second (epoch seconds), straight from a little-endian classic pcap. */
async function bytesPerSecond(path: string): Promise<Map<number, number>> {
  const file = await Deno.readFile(path);
  const view = new DataView(file.buffer);
  assertEquals(view.getUint32(0, true), 0xa1b2c3d4, "a microsecond pcap, little-endian");
  const out = new Map<number, number>();
  for (let at = 24; at < file.length;) {
    const second = view.getUint32(at, true), captured = view.getUint32(at + 8, true);
    out.set(second, (out.get(second) ?? 0) + view.getUint32(at + 12, true));
    at += 16 + captured;
  }
  return out;
}

const POLICY = {
  link: { down: "100Mbit", up: "20Mbit" },
  auto: { enabled: false },
  alerts: { sustained: null, spike: null },
  rules: [
    {
      id: "files",
      devices: { all: true },
      action: {
        kind: "quota",
        bytes: "200KB",
        period: "day",
        then: { kind: "limit", down: "1Mbit" },
      },
    },
    {
      id: "evening",
      devices: { all: true },
      schedule: [{ days: ["thu"], from: "17:09", to: "17:10" }],
      action: { kind: "limit", up: "2Mbit" },
    },
    {
      id: "online",
      devices: { all: true },
      action: { kind: "timeBudget", seconds: 16, then: { kind: "block" } },
    },
  ],
};

Deno.test({
  name: "sluice replay --policy decides what the capture's bytes imply, at the seconds they imply",
  ignore: skipUnless(withCorpus, CORPUS),
  async fn() {
    requireSystem(withCorpus, CORPUS);
    const dir = await Deno.makeTempDir({ prefix: "sluice-policy-" });
    try {
      const policy = `${dir}/policy.json`;
      await Deno.writeTextFile(policy, JSON.stringify(POLICY));
      // What the capture implies: the second the day's bytes pass 200 kB (and 80% of
      // it), and the 16th second with traffic; a decision is taken as its second ends.
      const perSecond = await bytesPerSecond(CAPTURE);
      const seconds = [...perSecond.keys()].sort((a, b) => a - b);
      let used = 0, quotaEnd = 0, warnEnd = 0, usedAtQuota = 0;
      for (const s of seconds) {
        used += perSecond.get(s)!;
        if (!warnEnd && used >= 160_000) warnEnd = (s + 1) * 1000;
        if (!quotaEnd && used >= 200_000) quotaEnd = (s + 1) * 1000, usedAtQuota = used;
      }
      const budgetEnd = (seconds[15] + 1) * 1000;
      const kB = (bytes: number) => `${(bytes / 1000).toPrecision(3)} kB`;

      const { code, stdout, stderr } = await sluice(CAPTURE, "--policy", policy, "--json");
      assertEquals([code, stderr], [0, ""]);
      const report: ReplayReport = JSON.parse(stdout);
      const decisions = report.policy!.decisions.map((
        d,
      ) => [d.time, d.kind, d.from, d.to, d.ruleId]);
      assertEquals(decisions, [
        [quotaEnd, "limit", "none", "1 Mbit/s down", "files"],
        // The schedule's edges, 17:09 and 17:10 UTC on that Thursday: no packet needed.
        [
          Date.UTC(2018, 2, 1, 17, 9),
          "limit",
          "1 Mbit/s down",
          "1 Mbit/s down, 2 Mbit/s up",
          "evening",
        ],
        [
          Date.UTC(2018, 2, 1, 17, 10),
          "limit",
          "1 Mbit/s down, 2 Mbit/s up",
          "1 Mbit/s down",
          "files",
        ],
        [budgetEnd, "block", "allowed", "blocked", "online"],
      ]);
      assertEquals(
        report.policy!.decisions[0].reason,
        `limited to 1 Mbit/s down: quota used, ${kB(usedAtQuota)} of 200 kB this day (rule files)`,
      );
      assertEquals(
        report.policy!.decisions[3].reason,
        "blocked: time budget used, 16s of 16s online today (rule online)",
      );
      const alerts = report.policy!.alerts.filter((a) => a.type === "started")
        .map((a) => [a.alert.start, a.alert.kind]);
      assertEquals(alerts, [
        [(seconds[0] + 1) * 1000, "new_device"],
        [warnEnd, "quota_warning"],
        [quotaEnd, "quota_reached"],
        [budgetEnd, "time_budget_used"],
      ]);
      assertEquals(report.policy!.states.map((s) => [s.id, s.blocked, s.level, s.ruleId]), [
        [PHONE, true, "quota", "online"],
      ]);

      // With --data the same decisions are logged, the state is kept, and explain tells it.
      const data = `${dir}/data`;
      const loaded = await sluiceCommand(
        "replay",
        CAPTURE,
        "--policy",
        policy,
        "--data",
        data,
        "--json",
      );
      assertEquals([loaded.code, loaded.stderr], [0, ""]);
      const kv = await Deno.openKv(`${data}/sluice.kv`);
      try {
        const logged = await new EventLog(kv).list({ kind: "policy", device: PHONE });
        assertEquals(logged.events.map((e) => e.time).reverse(), decisions.map((d) => d[0]));
        const state = await new PolicyStateStore(kv).state(PHONE);
        assertEquals([state?.time, state?.state.blocked], [budgetEnd, true]);
      } finally {
        kv.close();
      }
      const explained = await sluiceCommand("explain", PHONE, "--data", data, "--last", "2");
      assertEquals([explained.code, explained.stderr], [0, ""]);
      assertStringIncludes(explained.stdout, "State: blocked, as of 2018-03-01 17:10:48 UTC");
      assertStringIncludes(
        explained.stdout,
        "because blocked: time budget used, 16s of 16s online today",
      );
      assertStringIncludes(explained.stdout, "2018-03-01 17:10:48 UTC  block: allowed → blocked");
      assertStringIncludes(
        explained.stdout,
        "2018-03-01 17:10:00 UTC  limit: 1 Mbit/s down, 2 Mbit/s up → 1 Mbit/s down",
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
