// sluice devices: the list, labels, forgetting, as a user runs them, over a
// real KV file written through the real stores.
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { KV_FILE } from "../../cli/data_store.ts";
import type { Device } from "../../engine/devices/mod.ts";
import { DeviceStore, UsageHistory, type UsageSample } from "../../engine/history/mod.ts";
import { assertUserError, sluiceCommand } from "./_replay.ts";

const MIN = 60_000, HOUR = 3_600_000, DAY = 86_400_000;
/** "Today" in these tests: Wednesday 10 January 2024, UTC. */
const D = Date.UTC(2024, 0, 10);
const AT = "2024-01-10T18:00";

const sluice = sluiceCommand;

const LAPTOP = "mac:a4:83:e7:01:02:03", TV = "mac:00:00:0c:0a:0b:0c", PRINTER = "ip:192.168.1.50";

/** A device record as the monitor stores it (times in epoch seconds). */
function device(id: string, fields: Partial<Device>): Device {
  return {
    id,
    mac: id.startsWith("mac:") ? id.slice(4) : null,
    addresses: [],
    vendor: null,
    randomMac: false,
    label: null,
    name: null,
    nameSource: null,
    firstSeen: 0,
    lastSeen: 0,
    online: false,
    ...fields,
  };
}

const minute = (deviceId: string, up: number, down: number, local = 0): UsageSample => ({
  deviceId,
  up,
  down,
  local,
  apps: { unknown: [up, down] },
});

/**
 * Three devices, and usage: the laptop 10 kB yesterday evening and 2 kB this
 * morning, the TV 3 kB down (and LAN traffic, not counted) today, the
 * printer nothing.
 */
async function fixture(): Promise<string> {
  const data = await Deno.makeTempDir();
  const kv = await Deno.openKv(`${data}/${KV_FILE}`);
  try {
    await new DeviceStore<Device>(kv).putMany([
      device(LAPTOP, {
        addresses: ["192.168.1.7", "fe80::1"],
        vendor: "Apple, Inc.",
        name: "lucas-mbp",
        nameSource: "dhcp",
        firstSeen: (D - 2 * DAY + 9 * HOUR) / 1000 + 0.25,
        lastSeen: (D + 17 * HOUR) / 1000,
        online: true,
      }),
      device(TV, {
        addresses: ["192.168.1.20"],
        vendor: "Cisco Systems, Inc",
        firstSeen: (D - DAY) / 1000,
        lastSeen: (D + 12 * HOUR) / 1000,
      }),
      device(PRINTER, {
        addresses: ["192.168.1.50"],
        name: "printer.lan",
        nameSource: "rdns",
        firstSeen: (D - 5 * DAY) / 1000,
        lastSeen: (D - DAY + 8 * HOUR) / 1000,
      }),
    ]);
    const history = new UsageHistory(kv);
    await history.open(D - DAY + 20 * HOUR);
    await history.writeMinute(D - DAY + 20 * HOUR, [minute(LAPTOP, 5000, 5000)]);
    await history.writeMinute(D + 10 * HOUR, [minute(LAPTOP, 100, 900)]);
    await history.writeMinute(D + 10 * HOUR + MIN, [minute(LAPTOP, 100, 900)]);
    await history.writeMinute(D + 11 * HOUR, [minute(TV, 0, 3000, 777)]);
  } finally {
    kv.close();
  }
  return data;
}

async function list(data: string, ...args: string[]): Promise<Record<string, unknown>[]> {
  const run = await sluice("devices", "--data", data, "--at", AT, "--format", "json", ...args);
  assertEquals(run.code, 0, run.stderr);
  return JSON.parse(run.stdout);
}

Deno.test("sluice devices lists recorded devices newest first with today's usage, as JSON", async () => {
  const data = await fixture();
  try {
    assertEquals(await list(data), [
      {
        id: LAPTOP,
        name: "lucas-mbp",
        label: null,
        vendor: "Apple, Inc.",
        addresses: ["192.168.1.7", "fe80::1"],
        firstSeen: "2024-01-08T09:00:00.250Z",
        lastSeen: "2024-01-10T17:00:00.000Z",
        online: true,
        todayBytes: 2000, // yesterday evening's 10 kB is not today's
      },
      {
        id: TV,
        name: null,
        label: null,
        vendor: "Cisco Systems, Inc",
        addresses: ["192.168.1.20"],
        firstSeen: "2024-01-09T00:00:00.000Z",
        lastSeen: "2024-01-10T12:00:00.000Z",
        online: false,
        todayBytes: 3000, // LAN bytes are not internet usage
      },
      {
        id: PRINTER,
        name: "printer.lan",
        label: null,
        vendor: null,
        addresses: ["192.168.1.50"],
        firstSeen: "2024-01-05T00:00:00.000Z",
        lastSeen: "2024-01-09T08:00:00.000Z",
        online: false,
        todayBytes: 0,
      },
    ]);
    // "Today" is the day holding --at, in --utc-offset's days.
    const tomorrow = await list(data, "--at", "2024-01-11T09:00");
    assertEquals(tomorrow.map((d) => d.todayBytes), [0, 0, 0]);
    const east = await list(data, "--at", "2024-01-10T12:00", "--utc-offset", "600");
    // UTC+10: the 10th began at 14:00 UTC on the 9th, before the laptop's evening.
    assertEquals(east.map((d) => d.todayBytes), [12_000, 3000, 0]);
    const west = await list(data, "--at", "2024-01-10T03:00", "--utc-offset", "-300");
    // UTC-5: the 9th lasts until 05:00 UTC on the 10th and holds the laptop's evening.
    assertEquals(west.map((d) => d.todayBytes), [10_000, 0, 0]);
  } finally {
    await Deno.remove(data, { recursive: true });
  }
});

Deno.test("sluice devices prints an aligned table, one row per device, newest first", async () => {
  const data = await fixture();
  try {
    const run = await sluice("devices", "--data", data, "--at", AT);
    assertEquals([run.code, run.stderr], [0, ""]);
    const lines = run.stdout.trimEnd().split("\n");
    assertEquals(lines.length, 4);
    const header = lines[0];
    assertEquals(
      header.split(/\s{2,}/),
      ["ID", "NAME", "VENDOR", "ADDRESSES", "FIRST SEEN", "LAST SEEN", "ONLINE", "TODAY"],
    );
    assertEquals(lines.slice(1).map((l) => l.split(" ")[0]), [LAPTOP, TV, PRINTER]);
    // Every column starts where its heading does; TODAY is right-aligned under its heading.
    const cells: [number, string, string, string][] = [
      [1, "lucas-mbp", "-", "printer.lan"],
      [2, "Apple, Inc.", "Cisco Systems, Inc", "-"],
      [3, "192.168.1.7,fe80::1", "192.168.1.20", "192.168.1.50"],
      [4, "2024-01-08T09:00:00Z", "2024-01-09T00:00:00Z", "2024-01-05T00:00:00Z"],
      [5, "2024-01-10T17:00:00Z", "2024-01-10T12:00:00Z", "2024-01-09T08:00:00Z"],
      [6, "yes", "no", "no"],
    ];
    const headings = header.split(/\s{2,}/);
    for (const [column, ...values] of cells) {
      const at = header.indexOf(headings[column]);
      values.forEach((v, row) => assertEquals(lines[row + 1].slice(at, at + v.length), v, v));
    }
    assertEquals(lines.map((l) => l.length), lines.map(() => header.length));
    assert(
      lines[1].endsWith(" 2.0 kB") && lines[2].endsWith(" 3.0 kB") && lines[3].endsWith(" 0 B"),
    );
  } finally {
    await Deno.remove(data, { recursive: true });
  }
});

Deno.test("sluice devices label, unlabel and forget show in the next list and in sluice report", async () => {
  const data = await fixture();
  const reportLabels = async () => {
    const run = await sluice("report", "--data", data, "--at", "2024-01-10", "--format", "json");
    assertEquals(run.code, 0, run.stderr);
    const devices = JSON.parse(run.stdout).devices as { deviceId: string; label: string | null }[];
    return Object.fromEntries(devices.map((d) => [d.deviceId, d.label]));
  };
  try {
    // A bare MAC in any case and separator; the label is trimmed.
    let run = await sluice(
      "devices",
      "label",
      "A4-83-E7-01-02-03",
      "  Lucas's laptop ",
      "--data",
      data,
    );
    assertEquals(run, { code: 0, stdout: `${LAPTOP} is labelled "Lucas's laptop"\n`, stderr: "" });
    let devices = await list(data);
    assertEquals([devices[0].name, devices[0].label], ["Lucas's laptop", "Lucas's laptop"]);
    assertEquals(await reportLabels(), { [LAPTOP]: "Lucas's laptop", [TV]: null });

    run = await sluice("devices", "unlabel", LAPTOP, "--data", data);
    assertEquals([run.code, run.stdout], [0, `${LAPTOP} is no longer labelled "Lucas's laptop"\n`]);
    devices = await list(data);
    assertEquals([devices[0].name, devices[0].label], ["lucas-mbp", null]);
    assertEquals(await reportLabels(), { [LAPTOP]: null, [TV]: null });
    run = await sluice("devices", "unlabel", LAPTOP, "--data", data);
    assertEquals([run.code, run.stdout], [0, ""]);
    assertStringIncludes(run.stderr, `sluice devices: note: ${LAPTOP} has no label`);

    // A label may come before the device: a note says so, and --all lists it.
    run = await sluice("devices", "label", "192.168.1.99", "Guest tablet", "--data", data);
    assertEquals([run.code, run.stdout], [0, `ip:192.168.1.99 is labelled "Guest tablet"\n`]);
    assertStringIncludes(run.stderr, "note: ip:192.168.1.99 has not been seen yet");
    assertEquals((await list(data)).map((d) => d.id), [LAPTOP, TV, PRINTER]);
    const all = await list(data, "--all");
    assertEquals(all.map((d) => d.id), [LAPTOP, TV, PRINTER, "ip:192.168.1.99"]);
    assertEquals(all[3], {
      id: "ip:192.168.1.99",
      name: "Guest tablet",
      label: "Guest tablet",
      vendor: null,
      addresses: [],
      firstSeen: null,
      lastSeen: null,
      online: false,
      todayBytes: 0,
    });
    // An address of a device known by its MAC: the note names that device.
    run = await sluice("devices", "label", "192.168.1.7", "Laptop", "--data", data);
    assertStringIncludes(run.stderr, `192.168.1.7 is an address of ${LAPTOP}: use that id`);
    assertEquals((await sluice("devices", "unlabel", "ip:192.168.1.7", "--data", data)).code, 0);

    // Forget takes the record and its label; forgetting it again is an error.
    await sluice("devices", "label", PRINTER, "Printer", "--data", data);
    run = await sluice("devices", "forget", "192.168.1.50", "--data", data);
    assertEquals(run, { code: 0, stdout: `forgot ${PRINTER} ("Printer")\n`, stderr: "" });
    assertEquals((await list(data, "--all")).map((d) => d.id), [LAPTOP, TV, "ip:192.168.1.99"]);
    assertUserError(
      await sluice("devices", "forget", PRINTER, "--data", data),
      `sluice devices: no device ${PRINTER} is known`,
    );
    run = await sluice("devices", "forget", "ip:192.168.1.99", "--data", data);
    assertEquals(run.code, 0);
    assertEquals((await list(data, "--all")).map((d) => d.id), [LAPTOP, TV]);
  } finally {
    await Deno.remove(data, { recursive: true });
  }
});

Deno.test("sluice devices refuses a bad id, label or option with one line and status 2, writing nothing", async () => {
  const data = await fixture();
  try {
    const before = await list(data, "--all");
    const fails: [string[], string][] = [
      [
        ["label", "nonsense", "X"],
        `ID must be a MAC or IP address, or "mac:..." or "ip:...", got "nonsense"`,
      ],
      [["label", "mac:zz:83:e7:01:02:03", "X"], "ID must be a MAC or IP address"],
      [["label", LAPTOP, "   "], "the label is empty"],
      [["label", LAPTOP, "x".repeat(101)], "a label is at most 100 characters, got 101"],
      [["label", LAPTOP, "two\nlines"], "a label is one line of text"],
      [["label", LAPTOP], "label takes ID NAME"],
      [["forget", LAPTOP, "now"], "forget takes ID"],
      [["forget", LAPTOP, "--format", "json"], "--format is for listing, not forget"],
      [["unlabel", LAPTOP, "--all"], "--all is for listing, not unlabel"],
      [["rename", LAPTOP], `unknown action "rename": label, unlabel or forget`],
      [["forget", "ip:192.168.1.77"], "no device ip:192.168.1.77 is known"],
      [["--format", "xml"], `--format must be one of table, json, got "xml"`],
      [["--at", "yesterday"], `--at must be an ISO 8601 date or time, got "yesterday"`],
      [
        ["--utc-offset", "330"],
        `--utc-offset must be whole hours in minutes, -720 to 840, got "330"`,
      ],
    ];
    for (const [args, message] of fails) {
      assertUserError(
        await sluice("devices", ...args, "--data", data),
        `sluice devices: ${message}`,
      );
    }
    assertEquals(await list(data, "--all"), before);
    // A refused command does not even make the data directory.
    const nowhere = `${data}/nowhere`;
    assertUserError(
      await sluice("devices", "label", "nonsense", "X", "--data", nowhere),
      "ID must be",
    );
    assertEquals(await Deno.stat(nowhere).then(() => true, () => false), false);
  } finally {
    await Deno.remove(data, { recursive: true });
  }
});
