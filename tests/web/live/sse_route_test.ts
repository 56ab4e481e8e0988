import { assert, assertEquals, assertThrows } from "@std/assert";
import { Hono } from "hono";
import { LiveHub } from "../../../web/live/live_hub.ts";
import { liveSnapshot } from "../../../web/live/live_snapshot.ts";
import { liveRoute, type LiveRouteOptions } from "../../../web/live/sse_route.ts";
import type { LiveDevice, LiveSnapshot } from "../../../web/live/snapshot_types.ts";
import { runHome } from "./_sim.ts";
import { settle, SseReader } from "./_sse_reader.ts";

const URL = "http://sluice.test/api/v1/live";

/** A snapshot of second `second` with `devices` devices (busiest first) and two apps. */
function snapshot(second: number, devices = 2): LiveSnapshot {
  const list: LiveDevice[] = Array.from({ length: devices }, (_, i) => ({
    id: `ip:10.0.0.${i + 1}`,
    name: `device ${i + 1}`,
    vendor: null,
    mac: null,
    addresses: [`10.0.0.${i + 1}`],
    online: true,
    down: 1000 - i,
    up: 10,
    totalDown: second * 1000,
    totalUp: second * 10,
    today: 0,
    topApp: null,
    control: null,
  }));
  const app = (id: string) => ({
    id,
    name: id,
    category: "Other",
    down: 1,
    up: 1,
    totalDown: 1,
    totalUp: 1,
  });
  return {
    time: second * 1000,
    link: { down: 1, up: 1, totalDown: 1, totalUp: 1, capacityDown: null, capacityUp: null },
    quality: { wanRttMs: null, lanRttMs: null, retransmitRate: null },
    devices: list,
    apps: [app("a"), app("b")],
    alerts: [],
    capture: { packets: 1, bytes: 1, kernelDropped: 0, ownDropped: 0, flows: 1 },
    shaper: { mode: "off", failures: 0 },
  };
}

/** The hub, an app serving it at /api/v1/live, and the heartbeat timer the route set. */
function serve(options: LiveRouteOptions = {}, size = 60) {
  const hub = new LiveHub({ size });
  const timer = { beat: null as (() => void) | null, every: 0, cleared: false };
  const app = new Hono().get(
    "/api/v1/live",
    liveRoute(hub, {
      repeat: (fn, ms) => {
        timer.beat = fn, timer.every = ms;
        return () => timer.cleared = true;
      },
      ...options,
    }),
  );
  const connect = async (path = "", headers: HeadersInit = {}, signal?: AbortSignal) => {
    const response = await app.request(new Request(URL + path, { headers, signal }));
    return { response, events: new SseReader(response.body) };
  };
  return { hub, app, timer, connect };
}

const ids = (blocks: { id?: string }[]) => blocks.map((b) => Number(b.id));

Deno.test("liveRoute() sends retry, the latest snapshot, then each one published, as event/id/data", async () => {
  const { hub, connect, timer } = serve();
  hub.publish(snapshot(100));
  const { response, events } = await connect();
  assertEquals(response.status, 200);
  assertEquals(response.headers.get("content-type"), "text/event-stream");
  assertEquals(response.headers.get("cache-control"), "no-cache");
  const [retry, first] = await events.take(2);
  assertEquals(retry.raw, "retry: 2000");
  assertEquals(first.raw, `event: snapshot\ndata: ${JSON.stringify(snapshot(100))}\nid: 100`);
  hub.publish(snapshot(101));
  const second = (await events.next())!;
  assertEquals([second.event, second.id], ["snapshot", "101"]);
  assertEquals(JSON.parse(second.data!), snapshot(101));
  assertEquals(timer.every, 15_000);
  await events.cancel();
});

Deno.test("liveRoute() resumes after Last-Event-ID (header or query) from the hub's ring", async () => {
  const cases: [string, HeadersInit, number[]][] = [
    ["", { "Last-Event-ID": "102" }, [103, 104, 105]],
    ["?lastEventId=103", {}, [104, 105]],
    ["?lastEventId=100", { "Last-Event-ID": "104" }, [105]], // the header wins
    ["", { "Last-Event-ID": "105" }, []], // up to date: nothing to replay
    ["", { "Last-Event-ID": "101" }, [102, 103, 104, 105]], // all of 101's successors held
    ["", { "Last-Event-ID": "100" }, [105]], // 101 left the ring: the latest
    ["", { "Last-Event-ID": "99" }, [105]],
    ["", { "Last-Event-ID": "not-an-id" }, [105]],
    ["", { "Last-Event-ID": "999" }, [105]], // another run's id
  ];
  for (const [path, headers, expected] of cases) {
    const { hub, connect } = serve({}, 4);
    for (let s = 100; s <= 105; s++) hub.publish(snapshot(s)); // 102..105 held
    const { events } = await connect(path, headers);
    const blocks = await events.take(1 + expected.length);
    assertEquals(blocks[0].retry, "2000");
    assertEquals(ids(blocks.slice(1)), expected, `${path} ${JSON.stringify(headers)}`);
    hub.publish(snapshot(106)); // and goes on live
    assertEquals((await events.next())!.id, "106");
    await events.cancel();
  }
});

Deno.test("liveRoute() unsubscribes and stops its heartbeat when the client cancels the stream", async () => {
  const { hub, connect, timer } = serve();
  hub.publish(snapshot(1));
  const { events } = await connect();
  await events.take(2);
  assertEquals(hub.subscribers, 1);
  await events.cancel();
  await settle(() => hub.subscribers === 0);
  assertEquals([hub.subscribers, timer.cleared], [0, true]);
  hub.publish(snapshot(2)); // nobody to tell, nothing thrown
});

Deno.test("liveRoute() unsubscribes when the client goes while a snapshot waits to be read", async () => {
  const { hub, connect, timer } = serve();
  const { events } = await connect();
  assertEquals((await events.next())!.retry, "2000"); // no snapshot yet: it waits for one
  hub.publish(snapshot(1)); // written, never read
  await settle(() => false);
  assertEquals(hub.subscribers, 1);
  await events.cancel();
  await settle(() => hub.subscribers === 0);
  assertEquals([hub.subscribers, timer.cleared], [0, true]);
});

Deno.test("liveRoute() gives a client that does not read the latest snapshot, not a queue", async () => {
  const { hub, connect } = serve();
  hub.publish(snapshot(100));
  const { events } = await connect();
  for (let s = 101; s <= 1100; s++) hub.publish(snapshot(s)); // nothing read meanwhile
  const [retry, first] = await events.take(2);
  assertEquals([retry.retry, first.id], ["2000", "1100"]);
  hub.publish(snapshot(1101));
  hub.publish(snapshot(1102));
  hub.publish(snapshot(1103));
  assertEquals((await events.next())!.id, "1103");
  hub.publish(snapshot(1104));
  assertEquals((await events.next())!.id, "1104");
  await events.cancel();
});

Deno.test("liveRoute() sends a comment when the heartbeat comes and no snapshot did", async () => {
  const { hub, connect, timer } = serve({ heartbeatMs: 5000 });
  const { events } = await connect();
  await events.next();
  assertEquals(timer.every, 5000);
  timer.beat!();
  assertEquals((await events.next())!.comments, ["heartbeat"]);
  hub.publish(snapshot(7));
  timer.beat!(); // a snapshot to send: it is the sign of life
  assertEquals((await events.next())!.id, "7");
  hub.publish(snapshot(8));
  assertEquals((await events.next())!.id, "8");
  await events.cancel();
});

Deno.test("liveRoute() with ?top=N sends the N busiest devices and apps; a bad N is a 400", async () => {
  const { hub, connect, app } = serve({ heartbeatMs: 0, retryMs: 500 });
  hub.publish(snapshot(1, 5));
  const { events } = await connect("?top=1");
  const [retry, block] = await events.take(2);
  assertEquals(retry.raw, "retry: 500");
  const sent = JSON.parse(block.data!) as LiveSnapshot;
  assertEquals([sent.devices.map((d) => d.id), sent.apps.map((a) => a.id)], [["ip:10.0.0.1"], [
    "a",
  ]]);
  assertEquals(hub.latest!.devices.length, 5, "the hub's snapshot is left whole");
  await events.cancel();
  for (const top of ["0", "-1", "1.5", "x", "100001"]) {
    const response = await app.request(`${URL}?top=${top}`);
    assertEquals(response.status, 400, top);
    const body = await response.json();
    assertEquals(body.error.status, 400);
    assert(body.error.message.startsWith("top must be an integer"), body.error.message);
  }
  assertEquals(hub.subscribers, 0);
});

Deno.test("liveRoute() streams the engine's snapshots of a simulated home, resumable from the first", async () => {
  const hub = new LiveHub();
  const published: LiveSnapshot[] = [];
  await runHome(20, ({ monitor, engine }, now) => {
    const s = liveSnapshot({ monitor, now, policy: engine });
    hub.publish(s);
    published.push(s);
  });
  const app = new Hono().get("/api/v1/live", liveRoute(hub, { heartbeatMs: 0 }));
  const first = published[0].time / 1000;
  const response = await app.request(URL, { headers: { "Last-Event-ID": String(first) } });
  const events = new SseReader(response.body);
  const blocks = await events.take(published.length);
  await events.cancel();
  assertEquals(ids(blocks.slice(1)), published.slice(1).map((s) => s.time / 1000));
  const last = JSON.parse(blocks.at(-1)!.data!) as LiveSnapshot;
  assertEquals(last, JSON.parse(JSON.stringify(published.at(-1))));
  assert(last.devices.some((d) => d.control?.state === "limited"));
});

Deno.test("liveRoute() refuses bad options", () => {
  const hub = new LiveHub();
  assertThrows(() => liveRoute(hub, { retryMs: -1 }), RangeError);
  assertThrows(() => liveRoute(hub, { heartbeatMs: NaN }), RangeError);
});
