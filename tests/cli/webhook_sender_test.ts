// WebhookSender against a real local HTTP server: signatures, retries, timeouts, bounds.
import { createHmac } from "node:crypto";
import { assert, assertEquals } from "@std/assert";
import { type TimerId, WebhookSender } from "../../cli/webhook_sender.ts";
import type { AlertEvent } from "../../engine/policy/alert_tracker.ts";

const SECRET = "correct horse battery staple";

/** The n-th distinct event: a device joining at n seconds. */
function event(n = 1): AlertEvent {
  const device = `mac:02:00:00:00:00:${String(n).padStart(2, "0")}`;
  return {
    type: "started",
    alert: {
      id: `new_device/${device}/${n * 1000}`,
      kind: "new_device",
      severity: "info",
      device,
      name: `Device ${n}`,
      ruleId: null,
      figures: {},
      message: `New device joined: Device ${n}`,
      start: n * 1000,
      end: n * 1000,
      count: 1,
      suppressed: 0,
    },
  };
}

interface Hit {
  url: string;
  headers: Headers;
  body: string;
}

/**
 * A local server answering each request with `answer` (given the hit, its
 * number from 1 and the request); `arrived(n)` resolves when hit n has come in.
 */
function serve(
  answer: (hit: Hit, n: number, request: Request) => Response | Promise<Response>,
) {
  const hits: Hit[] = [];
  const waiters = new Map<number, () => void>();
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (request) => {
    const hit = { url: request.url, headers: request.headers, body: await request.text() };
    hits.push(hit);
    waiters.get(hits.length)?.();
    return await answer(hit, hits.length, request);
  });
  const arrived = (n: number) =>
    hits.length >= n ? Promise.resolve() : new Promise<void>((r) => waiters.set(n, r));
  return { server, hits, arrived, url: `http://127.0.0.1:${server.addr.port}/hook` };
}

/**
 * A handler that answers only when `release()` is called (before shutting the
 * server down: the client giving up does not reliably abort the request here).
 */
function hang() {
  let release!: () => void;
  const released = new Promise<void>((r) => release = r);
  const answer = async () => {
    await released;
    return new Response(null, { status: 500 });
  };
  return { answer, release };
}

/** Real timers, but backoff waits (every delay but `keep`) recorded and made immediate. */
function fastTimers(keep: number) {
  const delays: number[] = [];
  return {
    delays,
    setTimeout: (fn: () => void, ms: number): TimerId => {
      if (ms !== keep) delays.push(ms);
      return setTimeout(fn, ms === keep ? ms : 0);
    },
  };
}

Deno.test("WebhookSender send() POSTs signed JSON to the webhooks that want the kind", async () => {
  const { server, hits, url } = serve(() => new Response(null, { status: 204 }));
  const sender = new WebhookSender([
    { url: `${url}?signed`, secret: SECRET },
    { url: `${url}?plain` },
    { url: `${url}?spikes`, kinds: ["spike"] },
  ], { now: () => 42_000 });
  try {
    sender.send(event());
    await sender.idle();
    assertEquals(hits.map((h) => new URL(h.url).search).sort(), ["?plain", "?signed"]);
    const signed = hits.find((h) => h.url.endsWith("?signed"))!;
    const plain = hits.find((h) => h.url.endsWith("?plain"))!;
    const mac = createHmac("sha256", SECRET).update(signed.body).digest("hex");
    assertEquals(signed.headers.get("x-sluice-signature"), `sha256=${mac}`);
    assertEquals(plain.headers.get("x-sluice-signature"), null);
    assertEquals(signed.headers.get("content-type"), "application/json");
    assertEquals(signed.headers.get("user-agent"), "sluice/0.1");
    assertEquals(signed.headers.get("x-sluice-event"), "new_device");
    assertEquals(
      signed.headers.get("x-sluice-delivery"),
      "new_device/mac:02:00:00:00:00:01/1000/started/1",
    );
    assertEquals(JSON.parse(signed.body), { version: 1, event: "started", alert: event().alert });
    assertEquals(sender.status(), [
      {
        url: `${url}?signed`,
        delivered: 1,
        failed: 0,
        dropped: 0,
        retries: 0,
        pending: 0,
        lastError: null,
        lastErrorAt: null,
        lastSuccess: 42_000,
        lastAttempt: 42_000,
      },
      {
        url: `${url}?plain`,
        delivered: 1,
        failed: 0,
        dropped: 0,
        retries: 0,
        pending: 0,
        lastError: null,
        lastErrorAt: null,
        lastSuccess: 42_000,
        lastAttempt: 42_000,
      },
      {
        url: `${url}?spikes`,
        delivered: 0,
        failed: 0,
        dropped: 0,
        retries: 0,
        pending: 0,
        lastError: null,
        lastErrorAt: null,
        lastSuccess: null,
        lastAttempt: null,
      },
    ]);
  } finally {
    await sender.close();
    await server.shutdown();
  }
});

Deno.test("WebhookSender retries 5xx on the backoff schedule: delivered on the 3rd attempt", async () => {
  const { server, hits, url } = serve((_hit, n) =>
    new Response("busy", { status: n <= 2 ? 500 : 200 })
  );
  const timers = fastTimers(4321);
  const sender = new WebhookSender([{ url, secret: SECRET }], {
    ...timers,
    timeoutMs: 4321,
    closeTimeoutMs: 4321,
  });
  try {
    sender.send(event());
    await sender.idle();
    assertEquals(hits.length, 3);
    assertEquals(timers.delays, [1000, 2000]);
    // The same bytes, signature and delivery id every time.
    assertEquals(new Set(hits.map((h) => h.body)).size, 1);
    assertEquals(new Set(hits.map((h) => h.headers.get("x-sluice-signature"))).size, 1);
    assertEquals(new Set(hits.map((h) => h.headers.get("x-sluice-delivery"))).size, 1);
    const [status] = sender.status();
    assertEquals(
      [status.delivered, status.failed, status.retries, status.pending],
      [1, 0, 2, 0],
    );
    assertEquals(status.lastError, "HTTP 500 Internal Server Error");
  } finally {
    await sender.close();
    await server.shutdown();
  }
});

Deno.test("WebhookSender does not retry a 400; it honours a 429's Retry-After", async () => {
  const { server, hits, url } = serve((hit, n) =>
    hit.url.endsWith("?bad")
      ? new Response("no", { status: 400 })
      : new Response(null, { status: n <= 2 ? 429 : 204, headers: { "retry-after": "7" } })
  );
  const timers = fastTimers(4321);
  const sender = new WebhookSender([{ url: `${url}?bad` }], { ...timers, timeoutMs: 4321 });
  const busy = new WebhookSender([{ url: `${url}?busy` }], { ...timers, timeoutMs: 4321 });
  try {
    sender.send(event());
    await sender.idle();
    assertEquals(hits.length, 1);
    const [bad] = sender.status();
    assertEquals([bad.delivered, bad.failed, bad.retries], [0, 1, 0]);
    assertEquals(bad.lastError, "HTTP 400 Bad Request");
    busy.send(event());
    await busy.idle();
    assertEquals([busy.status()[0].delivered, busy.status()[0].retries], [1, 1]);
    assertEquals(timers.delays, [7000]); // not the schedule's 1000
  } finally {
    await sender.close();
    await busy.close();
    await server.shutdown();
  }
});

Deno.test("WebhookSender send() returns at once; a server that never answers times out and fails", async () => {
  const never = hang();
  const { server, hits, url } = serve(never.answer);
  const sender = new WebhookSender([{ url }], {
    timeoutMs: 50,
    schedule: { baseMs: 1, maxMs: 1, maxAttempts: 2 },
  });
  try {
    sender.send(event());
    // Nothing sent yet: send() only queued it.
    assertEquals(sender.status()[0].pending, 1);
    assertEquals(sender.status()[0].lastAttempt, null);
    await sender.idle();
    assertEquals(hits.length, 2);
    const [status] = sender.status();
    assertEquals([status.delivered, status.failed, status.retries, status.pending], [0, 1, 1, 0]);
    assertEquals(status.lastError, "timed out after 50 ms");
  } finally {
    never.release();
    await sender.close();
    await server.shutdown();
  }
});

Deno.test("WebhookSender drops the oldest waiting message when its queue is full", async () => {
  let open!: () => void;
  const gate = new Promise<void>((r) => open = r);
  const { server, hits, arrived, url } = serve(async () => {
    await gate;
    return new Response(null, { status: 204 });
  });
  const sender = new WebhookSender([{ url }], { queueLimit: 2 });
  try {
    sender.send(event(1));
    await arrived(1); // 1 in flight, held by the gate
    for (const n of [2, 3, 4]) sender.send(event(n));
    assertEquals([sender.status()[0].pending, sender.status()[0].dropped], [3, 1]);
    open();
    await sender.idle();
    const ids = hits.map((h) => JSON.parse(h.body).alert.start / 1000);
    assertEquals(ids, [1, 3, 4]);
    assertEquals([sender.status()[0].delivered, sender.status()[0].dropped], [3, 1]);
  } finally {
    open();
    await sender.close();
    await server.shutdown();
  }
});

Deno.test("WebhookSender close() aborts a hung request after its bound and keeps it pending", async () => {
  const never = hang();
  const { server, arrived, url } = serve(never.answer);
  const sender = new WebhookSender([{ url }], { timeoutMs: 60_000, closeTimeoutMs: 20 });
  try {
    sender.send(event(1));
    sender.send(event(2));
    await arrived(1);
    await sender.close();
    sender.send(event(3));
    const [status] = sender.status();
    assertEquals([status.delivered, status.failed, status.pending, status.dropped], [0, 0, 2, 1]);
    assertEquals(status.lastError, "aborted: the sender closed");
    assert(status.lastAttempt !== null);
  } finally {
    never.release();
    await sender.close();
    await server.shutdown();
  }
});
