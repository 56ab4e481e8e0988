// deno task bench:kv — the usage history's write and read paths on a Deno KV
// file, side by side with node:sqlite doing the same work (WAL; synchronous
// NORMAL and FULL). A benchmark, not a test.
//
// 1. One minute's batch for 10,000 devices (5 apps each), median of several
//    minutes; the hour roll-up written when an hour ends, and at midnight the
//    hour and the day.
// 2. A 30-day hourly chart of one device (720 points) out of 30 days of
//    history for 200 devices, median of several queries.
// 3. A 30-day report of every device, 10,000 of them, from the day level:
//    UsageHistory.usage() (packed time-major rows) against one list call per
//    device, the layout it replaced.
//
// Usage: deno task bench:kv [--devices N] [--chart-devices N] [--days N] [--no-report]
import { DatabaseSync } from "node:sqlite";
import {
  addUsage,
  DAY_MS,
  emptyUsage,
  HOUR_MS,
  MINUTE_MS,
  UsageHistory,
  type UsageRecord,
  type UsageSample,
} from "../../engine/history/mod.ts";

const args = Deno.args;
const option = (name: string, fallback: number) =>
  args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback;
const DEVICES = option("--devices", 10_000);
const CHART_DEVICES = option("--chart-devices", 200);
const DAYS = option("--days", 30);
const REPORT = !args.includes("--no-report");
const T0 = Date.UTC(2024, 0, 1);
const APPS = ["youtube", "netflix", "dns", "google", "unknown", "whatsapp", "steam", "icloud"];

function samples(devices: number, minute: number): UsageSample[] {
  return Array.from({ length: devices }, (_, d) => {
    const apps: Record<string, [number, number]> = {};
    let up = 0, down = 0;
    for (let a = 0; a < 5; a++) {
      const app = APPS[(d + a * 3 + minute) % APPS.length];
      const pair: [number, number] = [
        1000 + ((d * 7 + a) % 5000),
        50_000 + ((d * 13 + minute) % 900_000),
      ];
      const have = apps[app];
      apps[app] = have ? [have[0] + pair[0], have[1] + pair[1]] : pair;
      up += pair[0];
      down += pair[1];
    }
    return { deviceId: `mac:02:00:00:${hex(d >> 8)}:${hex(d)}`, up, down, local: d % 3000, apps };
  });
}

function hex(n: number): string {
  return (n & 255).toString(16).padStart(2, "0");
}

/** Adds `record` into the entry for `id`, made empty the first time. */
function addInto(sums: Map<string, UsageRecord>, id: string, record: UsageRecord): void {
  let sum = sums.get(id);
  if (!sum) sums.set(id, sum = emptyUsage());
  addUsage(sum, record);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timed(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** The same history in SQLite: one table per level, keyed by device then time, indexed by time. */
class SqliteHistory {
  readonly db: DatabaseSync;
  readonly #insert: Record<string, ReturnType<DatabaseSync["prepare"]>> = {};

  constructor(path: string, synchronous: "NORMAL" | "FULL") {
    this.db = new DatabaseSync(path);
    this.db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${synchronous};`);
    for (const level of ["minute", "hour", "day"]) {
      this.db.exec(`CREATE TABLE usage_${level} (
        device TEXT NOT NULL, start INTEGER NOT NULL,
        up INTEGER NOT NULL, down INTEGER NOT NULL, local INTEGER NOT NULL, apps TEXT NOT NULL,
        PRIMARY KEY (device, start)) WITHOUT ROWID;
        CREATE INDEX usage_${level}_time ON usage_${level} (start);`);
      this.#insert[level] = this.db.prepare(
        `INSERT OR REPLACE INTO usage_${level} VALUES (?, ?, ?, ?, ?, ?)`,
      );
    }
  }

  write(level: string, start: number, records: Iterable<[string, UsageRecord]>): void {
    const insert = this.#insert[level];
    this.db.exec("BEGIN");
    for (const [id, r] of records) {
      insert.run(id, start, r.up, r.down, r.local, JSON.stringify(r.apps));
    }
    this.db.exec("COMMIT");
  }
}

const fmt = (ms: number | undefined) => ms === undefined ? "-" : `${ms.toFixed(1)} ms`;
const rows: [string, number, number | undefined, number | undefined, string][] = [];
const dir = await Deno.makeTempDir({ prefix: "sluice-bench-kv-" });
console.log(
  `Deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} CPUs; KV files and SQLite ` +
    `databases in ${dir}`,
);
try {
  // 1. Minute batches and roll-ups: five hours of three minutes, the last hour ending at midnight.
  {
    console.log(`1. minute batches of ${DEVICES} devices...`);
    const start = T0 + 19 * HOUR_MS;
    const kv = await Deno.openKv(`${dir}/write.kv`);
    const history = new UsageHistory(kv);
    await history.open(start);
    const sqlite = (["NORMAL", "FULL"] as const).map((s) =>
      new SqliteHistory(`${dir}/write-${s}.db`, s)
    );
    const hourSums = sqlite.map(() => new Map<string, UsageRecord>());
    const daySums = sqlite.map(() => new Map<string, UsageRecord>());
    const times = { minute: [[], [], []], hour: [[], [], []], day: [[], [], []] } as Record<
      string,
      number[][]
    >;
    for (let hour = 0; hour < 5; hour++) {
      for (let m = 0; m < 3; m++) {
        const minute = start + hour * HOUR_MS + (m + 20) * MINUTE_MS;
        const batch = samples(DEVICES, m);
        times.minute[0].push(await timed(() => history.writeMinute(minute, batch)));
        sqlite.forEach((db, i) => {
          const t = performance.now();
          const records = batch.map(({ deviceId, ...r }) => [deviceId, r] as [string, UsageRecord]);
          db.write("minute", minute, records);
          for (const [id, r] of records) addInto(hourSums[i], id, r);
          times.minute[i + 1].push(performance.now() - t);
        });
      }
      const next = start + (hour + 1) * HOUR_MS;
      const closesDay = next % DAY_MS === 0;
      const bucket = closesDay ? "day" : "hour";
      times[bucket][0].push(await timed(() => history.advance(next)));
      sqlite.forEach((db, i) => {
        const t = performance.now();
        db.write("hour", next - HOUR_MS, hourSums[i]);
        for (const [id, r] of hourSums[i]) addInto(daySums[i], id, r);
        hourSums[i].clear();
        if (closesDay) db.write("day", next - DAY_MS, daySums[i]);
        times[bucket][i + 1].push(performance.now() - t);
      });
    }
    const med = (kind: string) => times[kind].map((list) => median(list));
    const m = med("minute"), h = med("hour"), d = med("day");
    rows.push([
      `minute batch, ${DEVICES} devices × 5 apps (median of 15)`,
      m[0],
      m[1],
      m[2],
      "< 1 s",
    ]);
    rows.push([`hour roll-up written, ${DEVICES} devices (median of 4)`, h[0], h[1], h[2], ""]);
    rows.push([`hour + day roll-ups at midnight, ${DEVICES} devices`, d[0], d[1], d[2], ""]);
    kv.close();
    sqlite.forEach((s) => s.db.close());
    const size = async (path: string) => {
      let total = 0;
      for (const suffix of ["", "-wal"]) {
        total += await Deno.stat(path + suffix).then((s) => s.size, () => 0);
      }
      return `${(total / 1e6).toFixed(0)} MB`;
    };
    console.log(
      `   store sizes after 15 minutes, 5 hours, 1 day: KV ${await size(`${dir}/write.kv`)}, ` +
        `SQLite ${await size(`${dir}/write-NORMAL.db`)}`,
    );
  }

  // 2. A 30-day hourly chart of one device, from hourly history of CHART_DEVICES devices.
  {
    console.log(`2. filling ${DAYS} days of hourly history for ${CHART_DEVICES} devices...`);
    const kv = await Deno.openKv(`${dir}/chart.kv`);
    const history = new UsageHistory(kv);
    await history.open(T0);
    const sqlite = (["NORMAL", "FULL"] as const).map((s) =>
      new SqliteHistory(`${dir}/chart-${s}.db`, s)
    );
    const daySums = new Map<string, UsageRecord>();
    // One minute an hour: each hour holds that minute, each day its 24 hours.
    for (let hour = 0; hour < DAYS * 24; hour++) {
      const minute = T0 + hour * HOUR_MS + 30 * MINUTE_MS;
      const batch = samples(CHART_DEVICES, hour);
      await history.writeMinute(minute, batch);
      const records = batch.map(({ deviceId, ...r }) => [deviceId, r] as [string, UsageRecord]);
      for (const db of sqlite) db.write("hour", minute - 30 * MINUTE_MS, records);
      for (const [id, r] of records) addInto(daySums, id, r);
      if ((hour + 1) % 24 === 0) {
        for (const db of sqlite) db.write("day", T0 + (hour - 23) * HOUR_MS, daySums);
        daySums.clear();
      }
    }
    await history.advance(T0 + DAYS * DAY_MS);
    const to = T0 + DAYS * DAY_MS, from = to - 30 * DAY_MS;
    const ids = samples(CHART_DEVICES, 0).map((s) => s.deviceId);
    const kvTimes: number[] = [], sqlTimes: number[][] = [[], []];
    for (let q = 0; q < 21; q++) {
      const id = ids[(q * 37) % ids.length];
      let points = 0;
      kvTimes.push(
        await timed(async () => {
          points = (await history.series(id, "hour", from, to)).length;
        }),
      );
      if (points !== Math.min(720, DAYS * 24)) throw new Error(`chart has ${points} points`);
      sqlite.forEach((s, i) => {
        const query = s.db.prepare(
          "SELECT start, up, down, local, apps FROM usage_hour WHERE device = ? AND start >= ? AND start < ? ORDER BY start",
        );
        const t = performance.now();
        const result = query.all(id, from, to).map((r) => ({
          ...r,
          apps: JSON.parse(r.apps as string),
        }));
        sqlTimes[i].push(performance.now() - t);
        if (result.length !== points) throw new Error("SQLite chart differs");
      });
    }
    rows.push([
      `${Math.min(30, DAYS)}-day hourly chart, 1 of ${CHART_DEVICES} devices ` +
      `(${Math.min(720, DAYS * 24)} points, median of 21)`,
      median(kvTimes),
      median(sqlTimes[0]),
      median(sqlTimes[1]),
      "< 100 ms",
    ]);
    kv.close();
    sqlite.forEach((s) => s.db.close());
  }

  // 3. A 30-day report over DEVICES devices from the day level.
  if (REPORT) {
    console.log(`3. filling ${DAYS} days for ${DEVICES} devices (one minute a day)...`);
    const kv = await Deno.openKv(`${dir}/report.kv`);
    const history = new UsageHistory(kv);
    await history.open(T0);
    const sqlite = new SqliteHistory(`${dir}/report.db`, "NORMAL");
    for (let day = 0; day < DAYS; day++) {
      const batch = samples(DEVICES, day);
      await history.writeMinute(T0 + day * DAY_MS + 12 * HOUR_MS, batch);
      sqlite.write("day", T0 + day * DAY_MS, batch.map(({ deviceId, ...r }) => [deviceId, r]));
    }
    await history.advance(T0 + DAYS * DAY_MS);
    const from = T0, to = T0 + DAYS * DAY_MS;
    const packed: number[] = [];
    let bytes = 0;
    for (let q = 0; q < 3; q++) {
      packed.push(await timed(async () => bytes = (await history.usage(from, to)).total.down));
    }
    // The alternative: the device-major records alone, one list call per device.
    const ids = samples(DEVICES, 0).map((s) => s.deviceId);
    const perDevice = await timed(async () => {
      let sum = 0;
      await Promise.all(ids.map(async (id) => {
        for await (
          const { value } of kv.list<UsageRecord>({
            start: ["usage", "d", id, from],
            end: ["usage", "d", id, to],
          })
        ) {
          sum += value.down;
        }
      }));
      if (sum !== bytes) throw new Error(`per-device sum ${sum} differs from ${bytes}`);
    });
    const sql: number[] = [];
    for (let q = 0; q < 3; q++) {
      sql.push(
        await timed(() => {
          const devices = new Map<string, UsageRecord>();
          const rows = sqlite.db.prepare(
            "SELECT device, up, down, local, apps FROM usage_day WHERE start >= ? AND start < ?",
          )
            .all(from, to);
          for (const r of rows) {
            const record = {
              up: r.up as number,
              down: r.down as number,
              local: r.local as number,
              apps: JSON.parse(r.apps as string),
            };
            addInto(devices, r.device as string, record);
          }
        }),
      );
    }
    rows.push([
      `${DAYS}-day report, ${DEVICES} devices (usage(), median of 3)`,
      median(packed),
      median(sql),
      undefined,
      "",
    ]);
    rows.push([`  same, one KV list call per device`, perDevice, undefined, undefined, ""]);
    kv.close();
    sqlite.db.close();
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
const width = Math.max(...rows.map((r) => r[0].length));
console.log();
console.log(
  `${"workload".padEnd(width)}  ${"Deno KV".padStart(10)}  ${"SQLite NORMAL".padStart(13)}  ${
    "SQLite FULL".padStart(11)
  }  goal`,
);
for (const [name, kv, normal, full, goal] of rows) {
  console.log(
    `${name.padEnd(width)}  ${fmt(kv).padStart(10)}  ${fmt(normal).padStart(13)}  ${
      fmt(full).padStart(11)
    }  ${goal}`,
  );
}
