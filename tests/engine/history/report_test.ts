// Reports: totals equal the samples written, ranking, CSV (RFC 4180) and JSON.
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import {
  calendarRange,
  type CsvTable,
  rankUsage,
  reportCsv,
  reportJson,
  toCsv,
  UsageHistory,
  type UsageReport,
} from "../../../engine/history/mod.ts";
import { DAY, HOUR, MIN, sample, T0 } from "./_helpers.ts";

Deno.test("rankUsage() of a day's history: totals equal the sum of the samples written", async () => {
  const kv = await Deno.openKv(":memory:");
  const history = new UsageHistory(kv);
  await history.open(T0);
  const sums = new Map<string, number>();
  let up = 0, down = 0, local = 0;
  for (let m = 0; m < 26 * 60; m += 13) {
    const samples = Array.from({ length: 6 }, (_, d) => sample(d, m));
    await history.writeMinute(T0 + m * MIN, samples);
    if (m >= 24 * 60) continue; // the report is of the first day
    for (const s of samples) {
      sums.set(s.deviceId, (sums.get(s.deviceId) ?? 0) + s.up + s.down);
      up += s.up;
      down += s.down;
      local += s.local;
    }
  }
  const day = calendarRange("day", T0 + 5 * HOUR);
  const report = rankUsage(await history.usage(day.fromMs, day.toMs));
  assertEquals(report.total, { up, down, bytes: up + down, local });
  assertEquals(
    report.devices.map((d) => [d.deviceId, d.bytes]),
    [...sums].sort((a, b) => b[1] - a[1]),
  );
  const appBytes = report.apps.reduce((sum, a) => sum + a.bytes, 0);
  assertEquals(appBytes, up + down);
  for (const device of report.devices) {
    assertEquals(device.apps.reduce((sum, a) => sum + a.bytes, 0), device.bytes);
  }
  assertEquals(report.apps.every((a, i) => i === 0 || report.apps[i - 1].bytes >= a.bytes), true);
  assertEquals(report.apps.map((a) => a.devices), [6, 6, 6]);
  kv.close();
});

const rec = (up: number, down: number, local = 0, apps: Record<string, [number, number]> = {}) => ({
  up,
  down,
  local,
  apps,
});

Deno.test("rankUsage() breaks ties by LAN bytes, then id; labels are the user's", () => {
  const report = rankUsage({
    fromMs: T0,
    toMs: T0 + DAY,
    gaps: [],
    total: rec(0, 0),
    devices: {
      "ip:b": rec(5, 5, 1),
      "ip:a": rec(5, 5, 1),
      "ip:c": rec(5, 5, 9),
      "ip:d": rec(50, 0),
    },
  }, { "ip:a": "Kitchen tablet", "toString": "no" });
  assertEquals(report.devices.map((d) => [d.deviceId, d.label]), [
    ["ip:d", null],
    ["ip:c", null],
    ["ip:a", "Kitchen tablet"],
    ["ip:b", null],
  ]);
});

function sampleReport(): UsageReport {
  return rankUsage({
    fromMs: T0,
    toMs: T0 + DAY,
    gaps: [],
    total: rec(0, 0),
    devices: {
      "mac:02:00:00:00:00:01": rec(10, 100, 0, { youtube: [8, 90], unknown: [2, 10] }),
      "mac:02:00:00:00:00:02": rec(1, 2, 3, { "dns": [1, 2] }),
    },
  }, {
    "mac:02:00:00:00:00:01": 'Living room "TV", big\r\nscreen',
    "mac:02:00:00:00:00:02": '=HYPERLINK("x")',
  });
}

Deno.test("reportCsv() quotes as RFC 4180: commas, quotes, CR and LF; CRLF rows", () => {
  assertEquals(
    reportCsv(sampleReport(), "devices"),
    "device,label,up_bytes,down_bytes,total_bytes,local_bytes\r\n" +
      'mac:02:00:00:00:00:01,"Living room ""TV"", big\r\nscreen",10,100,110,0\r\n' +
      'mac:02:00:00:00:00:02,"\'=HYPERLINK(""x"")",1,2,3,3\r\n',
  );
  assertEquals(
    reportCsv(sampleReport(), "apps"),
    "app,up_bytes,down_bytes,total_bytes,devices\r\n" +
      "youtube,8,90,98,1\r\nunknown,2,10,12,1\r\ndns,1,2,3,1\r\n",
  );
  assertEquals(
    reportCsv(sampleReport(), "device-apps"),
    "device,label,app,up_bytes,down_bytes,total_bytes\r\n" +
      'mac:02:00:00:00:00:01,"Living room ""TV"", big\r\nscreen",youtube,8,90,98\r\n' +
      'mac:02:00:00:00:00:01,"Living room ""TV"", big\r\nscreen",unknown,2,10,12\r\n' +
      'mac:02:00:00:00:00:02,"\'=HYPERLINK(""x"")",dns,1,2,3\r\n',
  );
  assertThrows(() => reportCsv(sampleReport(), "flows" as CsvTable), TypeError);
});

Deno.test("toCsv() leaves plain fields bare, empties nulls and guards formulas", () => {
  assertEquals(toCsv([]), "");
  assertEquals(
    toCsv([["a b", 0, null, "", "-5", "+x", "@me", "it's"]]),
    "a b,0,,,'-5,'+x,'@me,it's\r\n",
  );
  assertEquals(toCsv([['"'], ["\n"]]), '""""\r\n"\n"\r\n');
});

Deno.test("reportJson() is the report, with ISO times, and parses back", () => {
  const report = sampleReport();
  const json = reportJson(report);
  const parsed = JSON.parse(json);
  assertEquals(parsed.from, "2024-01-01T00:00:00.000Z");
  assertEquals(parsed.to, "2024-01-02T00:00:00.000Z");
  const { from: _f, to: _t, ...rest } = parsed;
  assertEquals(rest, report);
  assertStringIncludes(json, '\n  "fromMs": ');
});
