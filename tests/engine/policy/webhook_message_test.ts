// Webhook bodies, kind filters, signatures (against node:crypto) and the retry schedule.
import { createHmac } from "node:crypto";
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  deliveryId,
  RETRY_SCHEDULE,
  retryDelayMs,
  wantsKind,
  webhookBody,
  webhookSignature,
} from "../../../engine/policy/webhook_message.ts";
import { type AlertEvent, AlertTracker } from "../../../engine/policy/alert_tracker.ts";

function quotaEvent(): AlertEvent {
  const alerts = new AlertTracker({
    sustained: null,
    spike: null,
    quotaWarnAt: 0.8,
    offlineAfter: 300,
    cooldown: 600,
  });
  return alerts.quota("mac:02:00:00:00:00:01", "Zoë's phone", "cap", 5e10, 5e10, 0, 1000)[0];
}

Deno.test("webhookBody() is version 1 with the event type and the whole alert, in order", () => {
  const event = quotaEvent();
  const text = webhookBody(event);
  assertEquals(
    text,
    '{"version":1,"event":"started","alert":{"id":"quota_reached/mac:02:00:00:00:00:01/cap/1000",' +
      '"kind":"quota_reached","severity":"critical","device":"mac:02:00:00:00:00:01",' +
      `"name":"Zoë's phone","ruleId":"cap","message":"Zoë's phone reached quota \\"cap\\" ` +
      '(50 GB of 50 GB)","figures":{"used":50000000000,"quota":50000000000,"fraction":1},' +
      '"start":1000,"end":null,"count":1,"suppressed":0}}',
  );
  assertEquals(JSON.parse(text).alert, event.alert);
});

Deno.test("deliveryId() is stable per event and differs between an alert's events", () => {
  const event = quotaEvent();
  assertEquals(deliveryId(event), "quota_reached/mac:02:00:00:00:00:01/cap/1000/started/1");
  assertEquals(deliveryId(event), deliveryId(structuredClone(event)));
  const ended: AlertEvent = { type: "ended", alert: { ...event.alert, end: 2000 } };
  assert(deliveryId(ended) !== deliveryId(event));
});

Deno.test("wantsKind() takes every kind when the webhook lists none", () => {
  assert(wantsKind({ url: "http://x/" }, "device_back"));
  assert(wantsKind({ url: "http://x/", kinds: ["spike", "device_back"] }, "device_back"));
  assert(!wantsKind({ url: "http://x/", kinds: ["spike"] }, "device_back"));
});

Deno.test("webhookSignature() is sha256= and the HMAC-SHA256 node:crypto computes", () => {
  const body = webhookBody(quotaEvent()); // non-ASCII: the UTF-8 bytes are signed
  for (const secret of ["a shared secret!", "k".repeat(100), "ключ-секрет-0123456789"]) {
    const expected = createHmac("sha256", secret).update(body, "utf8").digest("hex");
    assertEquals(webhookSignature(secret, body), `sha256=${expected}`);
    assertEquals(webhookSignature(secret, new TextEncoder().encode(body)), `sha256=${expected}`);
  }
  assertThrows(() => webhookSignature("", body), TypeError, "secret");
  assertThrows(() => webhookSignature("s", 5 as never), TypeError, "body");
});

Deno.test("retryDelayMs() doubles from 1 s, caps at 5 min, stops after 8 attempts", () => {
  const delays = Array.from({ length: 9 }, (_, n) => retryDelayMs(n + 1));
  assertEquals(delays, [0, 1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, null]);
  const long = { ...RETRY_SCHEDULE, maxAttempts: 12 };
  assertEquals(retryDelayMs(10, long), 256_000);
  assertEquals(retryDelayMs(11, long), 300_000);
  assertEquals(retryDelayMs(3, { baseMs: 1, maxMs: 3, maxAttempts: 5 }), 2);
  assertThrows(() => retryDelayMs(0), RangeError, "attempt");
  assertThrows(() => retryDelayMs(1.5), RangeError, "attempt");
});
