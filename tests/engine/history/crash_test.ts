// Crash consistency with a real process: a child writes minutes to a KV file
// in a loop and is killed with SIGKILL mid-write, three times or more over the same
// file (each child recovering what the last left). After each kill the file
// must open, every minute the child reported must be there, every minute
// batch must be whole (all 300 devices with the values written) or unread,
// and hours and days must equal their minutes.
import { assert, assertEquals } from "@std/assert";
import {
  addUsage,
  emptyUsage,
  UsageHistory,
  type UsageRecord,
} from "../../../engine/history/mod.ts";
import type { PeriodMarker } from "../../../engine/history/_usage_store.ts";
import { CRASH_DEVICES, CRASH_START, DAY, HOUR, MIN, sample } from "./_helpers.ts";

const writer = new URL("./_crash_writer.ts", import.meta.url).pathname;

/** Runs the writer until it reported `minutes` more minutes, then kills it. */
async function runAndKill(path: string, minutes: number): Promise<number[]> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--unstable-kv", "--allow-read", "--allow-write", writer, path],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reported: number[] = [];
  const decoder = new TextDecoder();
  let pending = "";
  const reader = child.stdout.getReader();
  while (reported.length < minutes) {
    const { value, done } = await reader.read();
    if (done) break;
    pending += decoder.decode(value, { stream: true });
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const line of lines) reported.push(Number(line));
  }
  // Land the kill anywhere in the next minute's commits.
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 15));
  child.kill("SIGKILL");
  reader.releaseLock();
  await child.stdout.cancel();
  const stderr = new TextDecoder().decode(await new Response(child.stderr).arrayBuffer());
  const status = await child.status;
  assertEquals(status.signal, "SIGKILL", `the writer died on its own: ${stderr}`);
  return reported;
}

type Stored = UsageRecord & { g: number };
type Chunk = { g: number; rows: [string, UsageRecord][] };

/** Reads the raw store and checks every batch; returns the whole minutes and the partial batches. */
async function checkStore(path: string): Promise<{ whole: number[]; partial: number }> {
  const kv = await Deno.openKv(path);
  const markers = new Map<string, PeriodMarker>();
  for await (const { key, value } of kv.list<PeriodMarker>({ prefix: ["usage-done"] })) {
    markers.set(`${key[1] as string}/${key[2] as number}`, value);
  }
  // Every value of every batch, trusted or not: [period, g, device, record].
  const values: [string, number, string, UsageRecord][] = [];
  const rowsOf = (period: string, chunk: Chunk) => {
    for (const [id, record] of chunk.rows) values.push([period, chunk.g, id, record]);
  };
  for await (const { key, value } of kv.list<Chunk>({ prefix: ["usage-minutes"] })) {
    rowsOf(`m/${key[2] as number}`, value);
  }
  for await (const { key, value } of kv.list<Chunk>({ prefix: ["usage-by-time"] })) {
    rowsOf(`${key[1] as string}/${key[2] as number}`, value);
  }
  const records = new Map<string, Map<string, UsageRecord>>();
  for await (const { key, value } of kv.list<Stored>({ prefix: ["usage"] })) {
    const period = `${key[1] as string}/${key[3] as number}`;
    if (markers.get(period)?.g !== value.g) continue;
    const { g: _g, ...record } = value;
    let devices = records.get(period);
    if (!devices) records.set(period, devices = new Map());
    devices.set(key[2] as string, record);
  }
  const byPeriod = new Map<string, Map<string, UsageRecord>>();
  const partials = new Set<string>();
  for (const [period, g, id, record] of values) {
    if (markers.get(period)?.g !== g) {
      partials.add(`${period}/${g}`);
      continue;
    }
    let devices = byPeriod.get(period);
    if (!devices) byPeriod.set(period, devices = new Map());
    assertEquals(devices.has(id), false, `${period}: ${id} once`);
    devices.set(id, record);
  }
  const whole: number[] = [];
  for (const [period, marker] of markers) {
    const [level, start] = [period.split("/")[0], Number(period.split("/")[1])];
    const devices = byPeriod.get(period) ?? new Map();
    assertEquals(devices.size, marker.devices, `${period}: ${devices.size} of ${marker.devices}`);
    if (level !== "m") {
      // Charts read the device records: the same as the packed rows.
      assertEquals(records.get(period) ?? new Map(), devices, `${period}: records`);
      continue;
    }
    // Whole minutes: every device, exactly as written.
    assertEquals(marker.devices, CRASH_DEVICES);
    const m = (start - CRASH_START) / MIN;
    for (let d = 0; d < CRASH_DEVICES; d++) {
      const { deviceId, ...record } = sample(d, m);
      assertEquals(devices.get(deviceId), record, `${period} ${deviceId}`);
    }
    whole.push(start);
  }
  // Finished hours and days equal the sum of their minutes.
  for (const [period] of markers) {
    const [level, start] = [period.split("/")[0], Number(period.split("/")[1])];
    if (level === "m") continue;
    const size = level === "h" ? HOUR : DAY;
    const expected = new Map<string, UsageRecord>();
    for (const minute of whole) {
      if (minute < start || minute >= start + size) continue;
      for (let d = 0; d < CRASH_DEVICES; d++) {
        const { deviceId, ...record } = sample(d, (minute - CRASH_START) / MIN);
        if (!expected.has(deviceId)) expected.set(deviceId, emptyUsage());
        addUsage(expected.get(deviceId)!, record);
      }
    }
    assertEquals(byPeriod.get(period), expected, `${period} equals its minutes`);
  }
  kv.close();
  return { whole: whole.sort((a, b) => a - b), partial: partials.size };
}

Deno.test("UsageHistory survives SIGKILL mid-write: batches whole or unread, nothing reported lost", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/history.kv`;
  const reported: number[] = [];
  let partials = 0;
  // Three kills at least, and more until one has landed inside a batch (the
  // writer's commits are tiny, so nearly every kill does).
  for (let round = 0; round < 3 || (partials === 0 && round < 8); round++) {
    reported.push(...await runAndKill(path, [25, 50, 30][round % 3]));
    const { whole, partial } = await checkStore(path);
    partials += partial;
    for (const minute of reported) assert(whole.includes(minute), `reported minute ${minute} kept`);
    // Each child carries on from the last whole minute, so they form one run.
    assertEquals(whole, whole.map((_, i) => CRASH_START + i * MIN));
  }
  // A last writer sees exactly the whole minutes, through every level.
  const kv = await Deno.openKv(path);
  const history = new UsageHistory(kv);
  const { whole } = await checkStore(path);
  await history.open(whole.at(-1)! + MIN);
  const usage = await history.usage(CRASH_START - HOUR, whole.at(-1)! + MIN);
  const expected = emptyUsage();
  for (const minute of whole) {
    for (let d = 0; d < CRASH_DEVICES; d++) {
      addUsage(expected, sample(d, (minute - CRASH_START) / MIN));
    }
  }
  assertEquals(usage.total, expected);
  console.log(`${whole.length} minutes whole, ${partials} partial batches seen after kills`);
  assert(partials > 0, "no kill landed inside a batch");
  kv.close();
  await Deno.remove(dir, { recursive: true });
});
