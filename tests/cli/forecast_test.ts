// sluice forecast: profiles and quota ETAs from hourly history written
// through the real UsageHistory into a KV file, read as a user runs it.
import { assertEquals } from "@std/assert";
import { KV_FILE } from "../../cli/data_store.ts";
import type { ForecastRow } from "../../cli/forecast.ts";
import type { Device } from "../../engine/devices/mod.ts";
import { DeviceStore, UsageHistory, type UsageSample } from "../../engine/history/mod.ts";
import { assertUserError, sluiceCommand } from "./_replay.ts";

const MIN = 60_000, HOUR = 3_600_000, DAY = 86_400_000;
/** "Today": Wednesday 10 January 2024, UTC; the forecast is made at noon. */
const D = Date.UTC(2024, 0, 10);
const AT = "2024-01-10T12:00";
const PHONE = "mac:02:00:00:00:00:01", TV = "mac:02:00:00:00:00:02";

const sluice = sluiceCommand;

const sample = (deviceId: string, bytes: number): UsageSample => ({
  deviceId,
  up: bytes / 5,
  down: (bytes * 4) / 5,
  local: 0,
  apps: { unknown: [bytes / 5, (bytes * 4) / 5] },
});

/**
 * The phone, every day from three days ago and this morning: 100 kB at
 * 08:00-08:09 and 1 MB at 20:00-20:09 (10 minutes each). The TV: 500 kB at
 * 03:00-03:04 yesterday only, and no device record.
 */
async function fixture(): Promise<string> {
  const data = await Deno.makeTempDir();
  const kv = await Deno.openKv(`${data}/${KV_FILE}`);
  try {
    const devices = new DeviceStore<Device>(kv);
    await devices.put({
      id: PHONE,
      mac: "02:00:00:00:00:01",
      addresses: ["192.168.1.7"],
      vendor: null,
      randomMac: true,
      label: null,
      name: "pixel",
      nameSource: "dhcp",
      firstSeen: (D - 3 * DAY + 8 * HOUR) / 1000,
      lastSeen: (D + 8 * HOUR + 9 * MIN) / 1000,
      online: true,
    });
    await devices.setLabel(PHONE, "Lucas's phone");
    const history = new UsageHistory(kv);
    await history.open(D - 3 * DAY);
    const minutes = async (start: number, count: number, deviceId: string, bytes: number) => {
      for (let m = 0; m < count; m++) {
        await history.writeMinute(start + m * MIN, [sample(deviceId, bytes)]);
      }
    };
    for (let day = D - 3 * DAY; day <= D; day += DAY) {
      if (day === D - DAY) await minutes(day + 3 * HOUR, 5, TV, 100_000);
      await minutes(day + 8 * HOUR, 10, PHONE, 10_000);
      if (day < D) await minutes(day + 20 * HOUR, 10, PHONE, 100_000);
    }
  } finally {
    kv.close();
  }
  return data;
}

async function forecastJson(data: string, ...args: string[]) {
  const run = await sluice("forecast", "--data", data, "--at", AT, "--format", "json", ...args);
  assertEquals([run.code, run.stderr], [0, ""]);
  return JSON.parse(run.stdout);
}

/** 24 hours of zeros but for the given ones. */
function hours(bytes: Record<number, number>): number[] {
  return Array.from({ length: 24 }, (_, h) => bytes[h] ?? 0);
}

Deno.test("sluice forecast finds each device's peak hour and expected bytes from its hourly history", async () => {
  const data = await fixture();
  try {
    const f = await forecastJson(data);
    assertEquals(f, {
      at: "2024-01-10T12:00:00.000Z",
      atMs: D + 12 * HOUR,
      weeks: 4,
      utcOffsetMinutes: 0,
      quota: null,
      devices: [
        {
          deviceId: PHONE,
          name: "Lucas's phone",
          days: 3,
          expectedTodayBytes: 1_100_000,
          peakHour: 20,
          peakBytes: 1_000_000,
          profile: hours({ 8: 100_000, 20: 1_000_000 }),
          quota: null,
        },
        {
          deviceId: TV, // no record: found in the usage history, and its days counted from there
          name: null,
          days: 1,
          expectedTodayBytes: 500_000,
          peakHour: 3,
          peakBytes: 500_000,
          profile: hours({ 3: 500_000 }),
          quota: null,
        },
      ],
    });
    // Hours of the day follow --utc-offset: 20:00 UTC is 22:00 at UTC+2.
    const east = await forecastJson(data, "--utc-offset", "120");
    assertEquals(
      east.devices.map((d: ForecastRow) => [d.deviceId, d.peakHour, d.days, d.profile]),
      [
        [PHONE, 22, 3, hours({ 10: 100_000, 22: 1_000_000 })],
        [TV, 5, 1, hours({ 5: 500_000 })],
      ],
    );
    const one = await forecastJson(data, "--utc-offset", "120", "--device", "02:00:00:00:00:01");
    assertEquals(one.devices.map((d: ForecastRow) => d.deviceId), [PHONE]);
    // Before any history, nothing to forecast.
    const before = await sluice("forecast", "--data", data, "--at", "2023-06-01");
    assertEquals(before.code, 0);
    assertEquals(
      before.stdout.trimEnd().split("\n").at(-1),
      "no device used the internet in the last 4 weeks",
    );
  } finally {
    await Deno.remove(data, { recursive: true });
  }
});

Deno.test("sluice forecast --quota gives used, projected and the time the quota is reached", async () => {
  const data = await fixture();
  try {
    // 100 kB used this morning; 500 kB to go at 1 MB an hour from 20:00.
    let f = await forecastJson(data, "--quota", "600KB/day");
    assertEquals(f.quota, {
      bytes: 600_000,
      period: "day",
      from: "2024-01-10T00:00:00.000Z",
      to: "2024-01-11T00:00:00.000Z",
    });
    assertEquals(
      f.devices.map((d: { deviceId: string; quota: unknown }) => [d.deviceId, d.quota]),
      [
        [PHONE, {
          usedBytes: 100_000,
          projectedBytes: 1_100_000,
          eta: "2024-01-10T20:30:00.000Z",
          etaMs: D + 20.5 * HOUR,
          reached: false,
        }],
        [TV, { usedBytes: 0, projectedBytes: 0, eta: null, etaMs: null, reached: false }],
      ],
    );
    f = await forecastJson(data, "--quota", "2MB/day", "--device", PHONE);
    assertEquals(f.devices[0].quota.eta, null);
    // The week from Monday the 8th: 2.3 MB so far, 1.1 MB a day to come; 5 MB on Friday 20:30.
    f = await forecastJson(data, "--quota", "5MB/week", "--device", PHONE);
    assertEquals(f.devices[0].quota, {
      usedBytes: 2_300_000,
      projectedBytes: 7_700_000,
      eta: "2024-01-12T20:30:00.000Z",
      etaMs: D + 2 * DAY + 20.5 * HOUR,
      reached: false,
    });
    // Already past it: when it was crossed (spread over the hour it was in).
    f = await forecastJson(data, "--quota", "50KB/day", "--device", PHONE);
    assertEquals([f.devices[0].quota.reached, f.devices[0].quota.eta], [
      true,
      "2024-01-10T08:30:00.000Z",
    ]);
  } finally {
    await Deno.remove(data, { recursive: true });
  }
});

Deno.test("sluice forecast prints a table: a line on what it assumed, then a row per device, largest first", async () => {
  const data = await fixture();
  try {
    const run = await sluice("forecast", "--data", data, "--at", AT, "--quota", "600KB/day");
    assertEquals([run.code, run.stderr], [0, ""]);
    const lines = run.stdout.trimEnd().split("\n");
    assertEquals(
      lines[0],
      "forecast at 2024-01-10T12:00:00Z from up to 4 weeks of history, hours in UTC; quota 600.0 kB a day",
    );
    assertEquals(lines.slice(2).map((l) => l.split(/\s{2,}/)), [
      [
        "DEVICE",
        "NAME",
        "DAYS",
        "EXPECTED TODAY",
        "PEAK HOUR",
        "AT PEAK",
        "USED",
        "BY PERIOD END",
        "ETA",
      ],
      [
        PHONE,
        "Lucas's phone",
        "3",
        "1.1 MB",
        "20:00",
        "1.0 MB",
        "100.0 kB",
        "1.1 MB",
        "2024-01-10T20:30:00Z",
      ],
      [TV, "-", "1", "500.0 kB", "03:00", "500.0 kB", "0 B", "0 B", "not at this pace"],
    ]);
    const reached = await sluice("forecast", "--data", data, "--at", AT, "--quota", "50KB/day");
    assertEquals(
      reached.stdout.trimEnd().split("\n")[3].split(/\s{2,}/).at(-1),
      "reached 2024-01-10T08:30:00Z",
    );
    const plain = await sluice("forecast", "--data", data, "--at", AT, "--device", TV);
    assertEquals(plain.stdout.trimEnd().split("\n").slice(2).map((l) => l.split(/\s{2,}/)), [
      ["DEVICE", "NAME", "DAYS", "EXPECTED TODAY", "PEAK HOUR", "AT PEAK"],
      [TV, "-", "1", "500.0 kB", "03:00", "500.0 kB"],
    ]);
  } finally {
    await Deno.remove(data, { recursive: true });
  }
});

Deno.test("sluice forecast refuses a bad quota, weeks, time or device with one line and status 2", async () => {
  const data = await fixture();
  try {
    const fails: [string[], string][] = [
      [
        ["--quota", "50GB"],
        `--quota must be SIZE/PERIOD, PERIOD day, week or month (50GB/month), got "50GB"`,
      ],
      [["--quota", "50GB/year"], "--quota must be SIZE/PERIOD"],
      [["--quota", "50XB/month"], `--quota: size "50XB" not understood`],
      [["--quota", "0GB/day"], "--quota must be more than 0 bytes"],
      [["--quota", "99999999TB/day"], `--quota: size "99999999TB" is too large`],
      [["--weeks", "0"], `--weeks must be a whole number from 1 to 12, got "0"`],
      [["--weeks", "13"], `--weeks must be a whole number from 1 to 12, got "13"`],
      [["--weeks", "two"], "--weeks must be a whole number"],
      [["--at", "noon"], `--at must be an ISO 8601 date or time, got "noon"`],
      [
        ["--device", "tv"],
        `--device must be a MAC or IP address, or "mac:..." or "ip:...", got "tv"`,
      ],
      [["--device", "02:00:00:00:00:09"], "no device mac:02:00:00:00:00:09 is known"],
      [["--utc-offset", "90"], "--utc-offset must be whole hours"],
      [["--format", "csv"], `--format must be one of table, json, got "csv"`],
    ];
    for (const [args, message] of fails) {
      assertUserError(
        await sluice("forecast", "--data", data, "--at", AT, ...args),
        `sluice forecast: ${message}`,
      );
    }
  } finally {
    await Deno.remove(data, { recursive: true });
  }
});
