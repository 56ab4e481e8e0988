import { assertEquals, assertThrows } from "@std/assert";
import { rendererFor, shaperLogEntry } from "../../cli/live_shaper.ts";

Deno.test("rendererFor() picks the platform's renderer, and in dry-run the one of the OS", () => {
  assertEquals(rendererFor("linux", "lan0").platform, "linux");
  assertEquals(rendererFor("windows", String.raw`\Device\NPF_{0B9A}`).platform, "windows");
  assertEquals(rendererFor("dry-run", "lan0", undefined, "linux").platform, "linux");
  assertEquals(rendererFor("dry-run", "Ethernet 2", undefined, "windows").platform, "windows");
  assertEquals(rendererFor("dry-run", "en0", undefined, "darwin").platform, "linux");
  assertThrows(() => rendererFor("linux", "lan 0;"), TypeError);
});

Deno.test("shaperLogEntry() words an event as done, would-do or failed", () => {
  const event = {
    time: 1000,
    action: "create" as const,
    key: "down/class/mac:02:00:00:00:00:07",
    summary: "download limit 5000000bit for mac:02:00:00:00:00:07",
    ok: true,
    commands: ["tc class add ..."],
    dryRun: false,
  };
  assertEquals(shaperLogEntry(event).message, `shaper did create ${event.summary}`);
  assertEquals(
    shaperLogEntry({ ...event, dryRun: true }).message,
    `shaper would create ${event.summary}`,
  );
  const failed = shaperLogEntry({
    ...event,
    ok: false,
    error: "exit 2: RTNETLINK answers: No such device",
  });
  assertEquals(
    failed.message,
    `shaper failed to create ${event.summary}: exit 2: RTNETLINK answers: No such device`,
  );
  assertEquals(failed.kind, "shaper");
  assertEquals(failed.data, { key: event.key, commands: event.commands, ok: false, dryRun: false });
});
