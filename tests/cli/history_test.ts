import { assertEquals, assertGreaterOrEqual } from "@std/assert";
import { assertUserError, sluiceCommand } from "./_replay.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const CORPUS = `${ROOT}../shared/pcap/ndpi`;
const CAPTURE = `${CORPUS}/youtube_quic.pcap`; // a LAN phone on 192.168.1.7, March 2017

const sluice = sluiceCommand;

async function haveCorpus(t: Deno.TestContext): Promise<boolean> {
  if (await Deno.stat(CAPTURE).then(() => true, () => false)) return true;
  if (Deno.env.get("CI")) {
    throw new Error(`${CAPTURE} is missing: ../shared must sit beside the repository`);
  }
  console.log(`skipping ${t.name}: ${CAPTURE} not found`);
  return false;
}

const PRIVATE = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/;
const host = (endpoint: string) => endpoint.replace(/:\d+$/, "");

Deno.test("replay --data loads a capture into history, and the report's totals equal its flows' bytes", async (t) => {
  if (!(await haveCorpus(t))) return;
  const data = await Deno.makeTempDir();
  try {
    const replay = await sluice("replay", CAPTURE, "--json", "--data", data);
    assertEquals(replay.code, 0, replay.stderr);
    const flows = JSON.parse(replay.stdout).flows as {
      client: string;
      server: string;
      c2s: { bytes: number };
      s2c: { bytes: number };
      app: string | null;
    }[];
    let up = 0, down = 0;
    const apps = new Map<string, number>();
    for (const f of flows) {
      const lanClient = PRIVATE.test(host(f.client)), lanServer = PRIVATE.test(host(f.server));
      if (lanClient === lanServer) continue; // nothing here is LAN-to-LAN or outside-only
      up += lanClient ? f.c2s.bytes : f.s2c.bytes;
      down += lanClient ? f.s2c.bytes : f.c2s.bytes;
      const app = f.app ?? "unknown";
      apps.set(app, (apps.get(app) ?? 0) + f.c2s.bytes + f.s2c.bytes);
    }
    assertGreaterOrEqual(up + down, 100_000);
    const report = await sluice(
      "report",
      "--data",
      data,
      "--from",
      "2017-03-12",
      "--to",
      "2017-03-14",
      "--format",
      "json",
    );
    assertEquals(report.code, 0, report.stderr);
    const r = JSON.parse(report.stdout);
    assertEquals([r.total.up, r.total.down], [up, down]);
    assertEquals(r.devices.map((d: { deviceId: string }) => d.deviceId).length, 1);
    const reported = new Map<string, number>(
      r.apps.map((a: { app: string; bytes: number }) => [a.app, a.bytes]),
    );
    assertEquals(reported, apps);
    const csv = await sluice("report", "--data", data, "--at", "2017-03-13", "--format", "csv");
    assertEquals(
      csv.stdout.split("\r\n")[0],
      "device,label,up_bytes,down_bytes,total_bytes,local_bytes",
    );
    assertEquals(csv.stdout.split("\r\n")[1].split(",").slice(2, 4), [String(up), String(down)]);
  } finally {
    await Deno.remove(data, { recursive: true });
  }
});

Deno.test("report refuses a half range, a bad time or offset with one line and status 2", async () => {
  assertUserError(await sluice("report", "--from", "2017-03-12"), "--from and --to go together");
  assertUserError(
    await sluice("report", "--at", "yesterday"),
    '--at must be an ISO 8601 date or time, got "yesterday"',
  );
  assertUserError(await sluice("report", "--format", "xml"), "--format must be one of");
  assertUserError(
    await sluice("report", "--utc-offset", "330"),
    '--utc-offset must be whole hours in minutes, -720 to 840, got "330"',
  );
});
