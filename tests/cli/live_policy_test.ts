// LivePolicy with a policy document: adopted at start, edits applied within
// a check, kept over a restart from the same file, and webhooks following.
import { assert, assertEquals, assertMatch } from "@std/assert";
import { documentOrigin, LivePolicy, type PolicySource } from "../../cli/live_policy.ts";
import { defaultCatalogue } from "../../engine/catalogue/default.ts";
import { OverrideStore, PolicyDocumentStore, UsageHistory } from "../../engine/history/mod.ts";
import { type DeviceSecond, parsePolicy } from "../../engine/policy/mod.ts";

const MBIT = 125_000;
const TV = "mac:02:00:00:00:00:07";
const NOW = Date.UTC(2024, 0, 10, 12, 0, 0);
const FILE = {
  link: { down: "100Mbit", up: "20Mbit" },
  auto: { enabled: false },
  rules: [{ id: "cap", devices: { device: TV }, action: { kind: "limit", down: "8Mbit" } }],
};
const tv: DeviceSecond = { index: 0, id: TV, name: "TV", labelled: true, down: 1000, up: 0 };

/** A started LivePolicy over `kv`, and the lines it printed. */
async function started(kv: Deno.Kv, source?: PolicySource) {
  const lines: string[] = [];
  const raw = source?.raw ?? FILE;
  const live = new LivePolicy(kv, parsePolicy(raw), (l) => lines.push(l), source);
  const history = new UsageHistory(kv);
  await history.open(NOW);
  const summary = await live.start(history, NOW, defaultCatalogue());
  return { live, lines, summary };
}

async function withKv(fn: (kv: Deno.Kv) => Promise<void>): Promise<void> {
  const kv = await Deno.openKv(":memory:");
  try {
    await fn(kv);
  } finally {
    kv.close();
  }
}

const edited = (down: string) => ({
  ...FILE,
  rules: [{ ...FILE.rules[0], action: { kind: "limit", down } }],
});

Deno.test("documentOrigin() names the source and hashes the content", async () => {
  const a = await documentOrigin("file home.json", FILE);
  assertMatch(a, /^file home\.json sha256:[0-9a-f]{64}$/);
  assertEquals(await documentOrigin("file home.json", structuredClone(FILE)), a);
  assert(a !== await documentOrigin("file home.json", edited("2Mbit")));
});

Deno.test("LivePolicy.checkOverrides() applies a new policy revision to the running engine", async () => {
  await withKv(async (kv) => {
    const origin = await documentOrigin("file home.json", FILE);
    const { live, lines } = await started(kv, { raw: FILE, origin });
    const docs = new PolicyDocumentStore(kv);
    assertEquals([live.documentRevision, await docs.revision()], [1, 1]);
    live.engine.second(NOW + 1000, [tv]);
    assertEquals(live.engine.state(TV)?.down, 8 * MBIT);
    // An override set meanwhile stays over the new revision.
    await new OverrideStore(kv).add({
      devices: { device: TV },
      action: { kind: "priority", priority: "high" },
      manual: { at: NOW },
    });
    await docs.save(edited("2Mbit"), { basedOn: 1, nowMs: NOW + 1500, note: "rule cap by ann" });
    assertEquals(await live.checkOverrides(), 1);
    assertEquals(live.documentRevision, 2);
    assertEquals(lines.at(-1), "policy: revision 2 applied (rule cap by ann)");
    live.engine.second(NOW + 2000, []);
    assertEquals(live.engine.state(TV)?.down, 2 * MBIT);
    assertEquals(live.engine.state(TV)?.priority, "high");
    // Unchanged: nothing applied again.
    const count = lines.length;
    await live.checkOverrides();
    assertEquals(lines.length, count);
    await live.stop(NOW + 3000);
  });
});

Deno.test("LivePolicy.start() keeps a web edit over a restart from the same file, not a changed one", async () => {
  await withKv(async (kv) => {
    const origin = await documentOrigin("file home.json", FILE);
    const first = await started(kv, { raw: FILE, origin });
    await new PolicyDocumentStore(kv).save(edited("2Mbit"), { basedOn: 1, nowMs: NOW });
    await first.live.stop(NOW);
    const again = await started(kv, { raw: FILE, origin });
    assertMatch(again.summary, /^1 rules \(revision 2, as edited on the web\) and 0 overrides/);
    assertEquals(again.live.engine.configured.rules[0].action, { kind: "limit", down: 2 * MBIT });
    await again.live.stop(NOW);
    const changed = edited("4Mbit");
    const third = await started(kv, {
      raw: changed,
      origin: await documentOrigin("file home.json", changed),
    });
    assertEquals(third.live.documentRevision, 3);
    assertEquals(third.live.engine.configured.rules[0].action, { kind: "limit", down: 4 * MBIT });
    await third.live.stop(NOW);
  });
});

Deno.test("LivePolicy follows a changed webhook list, unless told to send none", async () => {
  await withKv(async (kv) => {
    const hook = { url: "https://example.com/hook" };
    const { live } = await started(kv, { raw: FILE, origin: "scenario a" });
    assertEquals(live.webhooks, undefined);
    const docs = new PolicyDocumentStore(kv);
    await docs.save({ ...FILE, webhooks: [hook] }, { basedOn: 1, nowMs: NOW });
    await live.checkOverrides();
    assertEquals(live.webhooks?.status().map((w) => w.url), [hook.url]);
    await live.stop(NOW);
    const quiet = await started(kv, { raw: FILE, origin: "scenario b", webhooks: false });
    await docs.save({ ...FILE, webhooks: [hook] }, { basedOn: 3, nowMs: NOW });
    await quiet.live.checkOverrides();
    assertEquals([quiet.live.documentRevision, quiet.live.webhooks], [4, undefined]);
    assertEquals(quiet.live.engine.configured.webhooks, []);
    await quiet.live.stop(NOW);
  });
});

Deno.test("LivePolicy without a document ignores stored revisions", async () => {
  await withKv(async (kv) => {
    await new PolicyDocumentStore(kv).adopt(edited("2Mbit"), "elsewhere", NOW);
    const { live } = await started(kv);
    await live.checkOverrides();
    assertEquals(live.documentRevision, 0);
    assertEquals(live.engine.configured.rules[0].action, { kind: "limit", down: 8 * MBIT });
    await live.stop(NOW);
  });
});
