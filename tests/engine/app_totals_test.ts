// appTotals(): flows added up per app and per category, both directions.
import { assertEquals } from "@std/assert";
import { appTotals } from "../../engine/app_totals.ts";
import type { FlowRecord } from "../../engine/flow_record.ts";

let port = 40000;

/** A flow of `app` (name and category) with the given packets and bytes each way. */
function flow(
  app: string | null,
  appName: string | null,
  category: string | null,
  c2s: [number, number],
  s2c: [number, number] = [0, 0],
): FlowRecord {
  return {
    protocol: "TCP",
    client: `192.168.1.7:${port++}`,
    server: "192.0.2.1:443",
    vlan: 0,
    c2s: { packets: c2s[0], bytes: c2s[1] },
    s2c: { packets: s2c[0], bytes: s2c[1] },
    firstSeen: 1,
    lastSeen: 2,
    hostname: null,
    hostnameSource: null,
    app,
    appName,
    category,
  };
}

Deno.test("appTotals() gives empty lists for no flows", () => {
  assertEquals(appTotals([]), { apps: [], categories: [] });
});

Deno.test("appTotals() adds both directions of every flow of an app", () => {
  const { apps, categories } = appTotals([
    flow("youtube", "YouTube", "Streaming", [10, 1000], [20, 30000]),
    flow("youtube", "YouTube", "Streaming", [1, 60], [2, 120]),
  ]);
  assertEquals(apps, [{
    app: "youtube",
    name: "YouTube",
    category: "Streaming",
    flows: 2,
    packets: 33,
    bytes: 31180,
  }]);
  assertEquals(categories, [{ category: "Streaming", flows: 2, packets: 33, bytes: 31180 }]);
});

Deno.test("appTotals() sorts apps and categories by bytes, largest first", () => {
  const { apps, categories } = appTotals([
    flow("dns", "DNS", "Network", [1, 80], [1, 200]),
    flow("netflix", "Netflix", "Streaming", [5, 500], [50, 70000]),
    flow("steam", "Steam", "Gaming", [3, 300], [3, 900]),
    flow("youtube", "YouTube", "Streaming", [5, 500], [40, 50000]),
  ]);
  assertEquals(apps.map((a) => [a.app, a.bytes]), [
    ["netflix", 70500],
    ["youtube", 50500],
    ["steam", 1200],
    ["dns", 280],
  ]);
  assertEquals(categories.map((c) => [c.category, c.flows, c.bytes]), [
    ["Streaming", 2, 121000],
    ["Gaming", 1, 1200],
    ["Network", 1, 280],
  ]);
});

Deno.test("appTotals() groups flows without an app as Unknown", () => {
  const { apps } = appTotals([
    flow(null, null, "Other", [2, 100]),
    flow("dns", "DNS", "Network", [1, 80]),
    flow(null, null, "Other", [3, 300], [1, 50]),
  ]);
  assertEquals(apps, [
    { app: null, name: "Unknown", category: "Other", flows: 2, packets: 6, bytes: 450 },
    { app: "dns", name: "DNS", category: "Network", flows: 1, packets: 1, bytes: 80 },
  ]);
});

Deno.test("appTotals() keeps an app's calls apart from its other flows", () => {
  const { apps, categories } = appTotals([
    flow("whatsapp", "WhatsApp", "Messaging", [4, 400]),
    flow("whatsapp", "WhatsApp", "VideoCalls", [100, 90000]),
  ]);
  assertEquals(apps.map((a) => [a.app, a.category, a.bytes]), [
    ["whatsapp", "VideoCalls", 90000],
    ["whatsapp", "Messaging", 400],
  ]);
  assertEquals(categories.map((c) => c.category), ["VideoCalls", "Messaging"]);
});

Deno.test("appTotals() names an app by its id when the flow has no display name", () => {
  const record = flow("custom", null, "Cloud", [1, 10]);
  delete record.appName;
  assertEquals(appTotals([record]).apps[0].name, "custom");
});

Deno.test("appTotals() counts flows without a category (no catalogue) as Other", () => {
  const { apps, categories } = appTotals([flow(null, null, null, [1, 10])]);
  assertEquals(apps[0].category, "Other");
  assertEquals(categories, [{ category: "Other", flows: 1, packets: 1, bytes: 10 }]);
});

Deno.test("appTotals() breaks ties by packets, flows, then name", () => {
  const { apps } = appTotals([
    flow("b", "B", "Cloud", [1, 100]),
    flow("a", "A", "Cloud", [1, 100]),
    flow("c", "C", "Cloud", [2, 100]),
    flow("d", "D", "Cloud", [1, 50]),
    flow("d", "D", "Cloud", [0, 50]),
  ]);
  assertEquals(apps.map((a) => a.app), ["c", "d", "a", "b"]);
});

Deno.test("appTotals() totals add up to the flows' totals", () => {
  const flows = [
    flow("a", "A", "Cloud", [3, 333], [4, 4444]),
    flow(null, null, "Other", [1, 11]),
    flow("b", "B", "P2P", [7, 777], [1, 1]),
    flow("a", "A", "Cloud", [2, 22], [2, 22]),
  ];
  const { apps, categories } = appTotals(flows);
  const sum = (list: { flows: number; packets: number; bytes: number }[]) =>
    list.reduce((t, x) => [t[0] + x.flows, t[1] + x.packets, t[2] + x.bytes], [0, 0, 0]);
  const want = [
    flows.length,
    flows.reduce((n, f) => n + f.c2s.packets + f.s2c.packets, 0),
    flows.reduce((n, f) => n + f.c2s.bytes + f.s2c.bytes, 0),
  ];
  assertEquals(sum(apps), want);
  assertEquals(sum(categories), want);
});
