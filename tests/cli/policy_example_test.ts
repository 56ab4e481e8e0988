// The example policy the README points to is a valid policy.
import { assertEquals } from "@std/assert";
import { readPolicyFile } from "../../cli/policy_file.ts";

Deno.test("sim/samples/policy.example.json reads as a policy", async () => {
  const path = new URL("../../sim/samples/policy.example.json", import.meta.url).pathname;
  const policy = await readPolicyFile(path, "test");
  assertEquals(policy.link, { down: 12_500_000, up: 2_500_000 });
  assertEquals(policy.rules.map((r) => r.action.kind), [
    "block",
    "limit",
    "quota",
    "timeBudget",
    "limit",
    "quota",
  ]);
  assertEquals(policy.alerts.sustained, { rate: 10_000_000, seconds: 300 });
});
