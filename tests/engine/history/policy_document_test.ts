// PolicyDocumentStore: checked saves, conflicts, adopting the policy file at start.
import { assertEquals, assertRejects } from "@std/assert";
import { PolicyDocumentStore } from "../../../engine/history/mod.ts";
import { PolicyConfigError } from "../../../engine/policy/mod.ts";

const FILE = { link: { down: "100Mbit", up: "20Mbit" } };
const ORIGIN = "file home.json sha256:01";

async function withStore(fn: (docs: PolicyDocumentStore) => Promise<void>): Promise<void> {
  const kv = await Deno.openKv(":memory:");
  try {
    await fn(new PolicyDocumentStore(kv));
  } finally {
    kv.close();
  }
}

Deno.test("PolicyDocumentStore.adopt() saves the file once and keeps later edits from the same origin", async () => {
  await withStore(async (docs) => {
    assertEquals(await docs.revision(), 0);
    assertEquals(await docs.current(), null);
    const first = await docs.adopt(FILE, ORIGIN, 1000);
    assertEquals([first.kept, first.revision, first.note], [false, 1, `from ${ORIGIN}`]);
    assertEquals(first.policy.link.down, 12_500_000);
    const edited = { ...FILE, timeZone: "Europe/Berlin" };
    const saved = await docs.save(edited, { basedOn: 1, nowMs: 2000, note: "settings by ann" });
    assertEquals([saved?.revision, saved?.origin], [2, ORIGIN]);
    const again = await docs.adopt(FILE, ORIGIN, 3000);
    assertEquals([again.kept, again.revision, again.raw], [true, 2, edited]);
    // The file changed: it wins, as a new revision.
    const changed = await docs.adopt(FILE, "file home.json sha256:02", 4000);
    assertEquals([changed.kept, changed.revision, changed.raw], [false, 3, FILE]);
    assertEquals(await docs.revision(), 3);
  });
});

Deno.test("PolicyDocumentStore.save() refuses a bad policy whole and a stale editor", async () => {
  await withStore(async (docs) => {
    await docs.adopt(FILE, ORIGIN, 1000);
    const err = await assertRejects(
      () => docs.save({ link: { down: "fast", up: 1 } }, { basedOn: 1, nowMs: 2000 }),
      PolicyConfigError,
    ) as PolicyConfigError;
    assertEquals(err.issues[0].path, "link.down");
    assertEquals(await docs.revision(), 1);
    assertEquals(await docs.save(FILE, { basedOn: 0, nowMs: 2000 }), null);
    assertEquals((await docs.current())?.raw, FILE);
  });
});

Deno.test("PolicyDocumentStore.adopt() replaces a stored revision that no longer passes", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    // As an older Sluice might have left it: a field this one does not know.
    await kv.set(["config", "current"], {
      revision: 4,
      savedAt: 1,
      value: { policy: { ...FILE, extra: 1 }, origin: ORIGIN },
    });
    const adopted = await new PolicyDocumentStore(kv).adopt(FILE, ORIGIN, 1000);
    assertEquals([adopted.kept, adopted.revision, adopted.raw], [false, 5, FILE]);
  } finally {
    kv.close();
  }
});
