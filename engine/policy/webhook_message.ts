/**
 * What a webhook receives for an alert event, and when it is tried again:
 * the JSON body, the kinds a webhook wants, the signature header and the
 * retry schedule. Pure: sending is cli/webhook_sender.ts's job.
 *
 * @module
 */
import { hmacSha256 } from "../_sha256.ts";
import type { Alert, AlertEvent } from "./alert_tracker.ts";
import type { AlertKind, WebhookConfig } from "./policy_types.ts";

/** The body's schema version: a receiver can tell a later, different shape. */
export const WEBHOOK_VERSION = 1;

/**
 * A webhook's JSON body, schema version 1. `alert` is the {@linkcode Alert}
 * as the event left it: times are epoch ms from the alert (the body has no
 * send time, so retries send the same bytes), rates bytes per second, sizes
 * bytes, `end` null while active.
 */
export interface WebhookBody {
  version: 1;
  event: AlertEvent["type"];
  alert: Alert;
}

/**
 * The JSON body of `event`, fields in a fixed order.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const alert = {
 *   id: "new_device/mac:02:00:00:00:00:09/1000", kind: "new_device", severity: "info",
 *   device: "mac:02:00:00:00:00:09", name: "TV", ruleId: null, figures: {},
 *   message: "New device joined: TV", start: 1000, end: 1000, count: 1, suppressed: 0,
 * } as const;
 * const body = JSON.parse(webhookBody({ type: "started", alert }));
 * assertEquals([body.version, body.event, body.alert.kind], [1, "started", "new_device"]);
 * ```
 */
export function webhookBody(event: AlertEvent): string {
  const a = event.alert;
  const body: WebhookBody = {
    version: WEBHOOK_VERSION,
    event: event.type,
    alert: {
      id: a.id,
      kind: a.kind,
      severity: a.severity,
      device: a.device,
      name: a.name,
      ruleId: a.ruleId,
      message: a.message,
      figures: a.figures,
      start: a.start,
      end: a.end,
      count: a.count,
      suppressed: a.suppressed,
    },
  };
  return JSON.stringify(body);
}

/**
 * The `X-Sluice-Delivery` value of `event`: the same for every retry and
 * every webhook, so a receiver can drop duplicates. An alert's events differ
 * in type or count.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const alert = { id: "spike/mac:02:00:00:00:00:09/5000", count: 3 };
 * const id = deliveryId({ type: "ended", alert } as never);
 * assertEquals(id, "spike/mac:02:00:00:00:00:09/5000/ended/3");
 * ```
 */
export function deliveryId(event: AlertEvent): string {
  return `${event.alert.id}/${event.type}/${event.alert.count}`;
}

/**
 * Whether `webhook` is sent alerts of `kind`: all kinds when it names none.
 *
 * @example
 * ```ts
 * import { assert } from "@std/assert";
 * assert(wantsKind({ url: "https://example.com/hook" }, "spike"));
 * assert(!wantsKind({ url: "https://example.com/hook", kinds: ["quota_reached"] }, "spike"));
 * ```
 */
export function wantsKind(webhook: WebhookConfig, kind: AlertKind): boolean {
  return webhook.kinds === undefined || webhook.kinds.includes(kind);
}

const encoder = new TextEncoder();
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/**
 * The `X-Sluice-Signature` value: `sha256=` and the lowercase hex HMAC-SHA256
 * of the body's bytes (UTF-8 when a string) under the secret's UTF-8 bytes.
 * A receiver recomputes it over the raw body it read and compares.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * // RFC 4231 test case 2.
 * assertEquals(
 *   webhookSignature("Jefe", "what do ya want for nothing?"),
 *   "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
 * );
 * ```
 */
export function webhookSignature(secret: string, body: string | Uint8Array): string {
  if (typeof secret !== "string" || secret === "") {
    throw new TypeError(`a webhook secret must be a non-empty string`);
  }
  if (typeof body !== "string" && !(body instanceof Uint8Array)) {
    throw new TypeError(`a webhook body must be a string or bytes, got ${typeof body}`);
  }
  const bytes = typeof body === "string" ? encoder.encode(body) : body;
  const mac = hmacSha256(encoder.encode(secret), bytes);
  let hex = "sha256=";
  for (const b of mac) hex += HEX[b];
  return hex;
}

/** When to try a delivery again: exponential backoff from `baseMs`, capped at `maxMs`. */
export interface RetrySchedule {
  /** The delay before the second attempt; each later one doubles it. */
  baseMs: number;
  /** No delay is longer. */
  maxMs: number;
  /** Attempts in all, the first included. */
  maxAttempts: number;
}

/** 1 s, 2 s, 4 s ... at most 5 min apart, 8 attempts (about 2 min in all). */
export const RETRY_SCHEDULE: Readonly<RetrySchedule> = Object.freeze({
  baseMs: 1000,
  maxMs: 300_000,
  maxAttempts: 8,
});

/**
 * The delay before attempt `attempt` (1 for the first, which has none), or
 * null past the schedule's last attempt. No jitter: one home gateway does
 * not make a thundering herd, and fixed delays keep tests exact.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals([1, 2, 3, 4, 8, 9].map((n) => retryDelayMs(n)), [0, 1000, 2000, 4000, 64000, null]);
 * ```
 */
export function retryDelayMs(
  attempt: number,
  schedule: Readonly<RetrySchedule> = RETRY_SCHEDULE,
): number | null {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be a whole number from 1, got ${attempt}`);
  }
  if (attempt > schedule.maxAttempts) return null;
  if (attempt === 1) return 0;
  return Math.min(schedule.baseMs * 2 ** (attempt - 2), schedule.maxMs);
}
