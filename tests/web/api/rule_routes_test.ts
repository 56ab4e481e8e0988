import { assertEquals, assertMatch } from "@std/assert";
import { ruleRoutes } from "../../../web/api/rule_routes.ts";
import { errorOf, HOME, PC, withHarness } from "../_harness.ts";
import { adminEvents, storedPolicy, storeHomePolicy } from "./_policy_doc.ts";

const opts = { registrars: [ruleRoutes], seconds: 5 };
const RULES = "/api/v1/rules";
const guest = {
  id: "guests",
  devices: { unknown: true },
  action: { kind: "limit", down: "5Mbit" },
};

Deno.test("ruleRoutes() GET /rules lists the rules and groups as written", async () => {
  await withHarness(opts, async (h) => {
    const revision = await storeHomePolicy(h);
    assertEquals((await h.send("GET", RULES)).status, 401);
    const res = await h.send("GET", RULES, h.viewer);
    assertEquals(res.status, 200);
    const body = await res.json();
    assertEquals(body.revision, revision);
    assertEquals(body.rules.map((r: { id: string }) => r.id), ["pc-cap", "cam-off"]);
    assertEquals(body.rules[0].action, { kind: "limit", down: "10Mbit" });
    assertEquals(Object.keys(body.groups), ["gadgets"]);
  });
});

Deno.test("ruleRoutes() refuses anonymous, viewer and CSRF-less mutations", async () => {
  await withHarness(opts, async (h) => {
    await storeHomePolicy(h);
    const noCsrf = { cookie: (h.admin as { cookie: string }).cookie };
    for (
      const [method, path, body] of [
        ["POST", RULES, guest],
        ["PUT", `${RULES}/pc-cap`, guest],
        ["DELETE", `${RULES}/pc-cap`, undefined],
      ] as const
    ) {
      assertEquals((await h.send(method, path, null, body)).status, 401, method);
      assertEquals((await h.send(method, path, h.viewer, body)).status, 403, method);
      assertEquals((await h.send(method, path, noCsrf, body)).status, 403, method);
    }
    assertEquals((await storedPolicy(h)).revision, 1);
  });
});

Deno.test("ruleRoutes() POST /rules adds a rule as a new revision and logs who did", async () => {
  await withHarness(opts, async (h) => {
    const before = await storeHomePolicy(h);
    const res = await h.send("POST", RULES, h.admin, guest);
    assertEquals(res.status, 201);
    assertEquals(await res.json(), { revision: before + 1, rule: guest });
    const stored = await storedPolicy(h);
    assertEquals((stored.raw.rules as { id: string }[]).map((r) => r.id), [
      "pc-cap",
      "cam-off",
      "guests",
    ]);
    assertEquals(stored.note, "rule guests added by admin");
    const [event] = await adminEvents(h);
    assertEquals([event.message, (event.data as { by: string }).by], [
      "rule guests added by admin",
      "admin",
    ]);
    const again = await h.send("POST", RULES, h.admin, guest);
    assertEquals(again.status, 409);
    assertEquals((await errorOf(again)).fields, { id: "is the id of another rule" });
  });
});

Deno.test("ruleRoutes() names a bad rule's problems by the rule's own fields", async () => {
  await withHarness(opts, async (h) => {
    await storeHomePolicy(h);
    const fast = { ...guest, action: { kind: "limit", down: "fast" } };
    const res = await h.send("POST", RULES, h.admin, fast);
    assertEquals(res.status, 400);
    const error = await errorOf(res);
    assertEquals(Object.keys(error.fields ?? {}), ["action.down"]);
    assertMatch(error.message, /^invalid policy: action\.down: /);
    const group = await h.send("POST", RULES, h.admin, { ...guest, devices: { group: "kids" } });
    assertEquals((await errorOf(group)).fields, { "devices.group": 'no group "kids"' });
    // zod's own checks come first, keyed the same way.
    const kind = await h.send("POST", RULES, h.admin, { ...guest, action: { kind: "fly" } });
    assertEquals(Object.keys((await errorOf(kind)).fields ?? {}), ["action.kind"]);
    const manual = await h.send("POST", RULES, h.admin, { ...guest, manual: { at: 1 } });
    assertEquals(Object.keys((await errorOf(manual)).fields ?? {}), ["manual"]);
    assertEquals((await storedPolicy(h)).revision, 1);
  });
});

Deno.test("ruleRoutes() PUT /rules/:id replaces or renames a rule; 404 and 409 as due", async () => {
  await withHarness(opts, async (h) => {
    await storeHomePolicy(h);
    const cap = { devices: { device: PC }, action: { kind: "limit", down: "20Mbit" } };
    const res = await h.send("PUT", `${RULES}/pc-cap`, h.admin, cap);
    assertEquals(res.status, 200);
    assertEquals(await res.json(), { revision: 2, rule: { id: "pc-cap", ...cap } });
    const renamed = await h.send("PUT", `${RULES}/pc-cap`, h.admin, { ...cap, id: "pc-20" });
    assertEquals((await renamed.json()).rule.id, "pc-20");
    const rules = (await storedPolicy(h)).raw.rules as { id: string; action: unknown }[];
    assertEquals(rules.map((r) => r.id), ["pc-20", "cam-off"]);
    assertEquals(rules[0].action, cap.action);
    assertEquals((await h.send("PUT", `${RULES}/pc-cap`, h.admin, cap)).status, 404);
    const taken = await h.send("PUT", `${RULES}/pc-20`, h.admin, { ...cap, id: "cam-off" });
    assertEquals(taken.status, 409);
    const bad = await h.send("PUT", `${RULES}/cam-off`, h.admin, {
      devices: { device: "nope" },
      action: { kind: "block" },
    });
    assertEquals(Object.keys((await errorOf(bad)).fields ?? {}), ["devices.device"]);
    // A client that edited an older revision is told so.
    const stale = await h.send("PUT", `${RULES}/pc-20?revision=1`, h.admin, cap);
    assertEquals(stale.status, 409);
    assertMatch((await errorOf(stale)).message, /revision 3, not 1/);
  });
});

Deno.test("ruleRoutes() DELETE /rules/:id removes a rule", async () => {
  await withHarness(opts, async (h) => {
    await storeHomePolicy(h);
    const res = await h.send("DELETE", `${RULES}/cam-off`, h.admin);
    assertEquals(res.status, 204);
    const stored = await storedPolicy(h);
    assertEquals((stored.raw.rules as { id: string }[]).map((r) => r.id), ["pc-cap"]);
    assertEquals(stored.note, "rule cam-off deleted by admin");
    assertEquals((await h.send("DELETE", `${RULES}/cam-off`, h.admin)).status, 404);
  });
});

Deno.test("ruleRoutes() refuses edits without a policy with 409", async () => {
  await withHarness({ ...opts, scenario: { ...HOME, policy: undefined } }, async (h) => {
    const res = await h.send("POST", RULES, h.admin, guest);
    assertEquals(res.status, 409);
    assertEquals(
      (await errorOf(res)).message,
      "Sluice runs without a policy (start it with --policy FILE)",
    );
    assertEquals(await (await h.send("GET", RULES, h.viewer)).json(), {
      revision: 0,
      rules: [],
      groups: {},
    });
  });
});
