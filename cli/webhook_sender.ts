// Delivers alert events to the configured webhooks: JSON POSTs, signed when
// a secret is set, retried with backoff. `send()` only queues: a slow or
// failing webhook never stalls the engine, nor another webhook (each has its
// own queue and loop, delivering in order).
import type { AlertEvent } from "../engine/policy/alert_tracker.ts";
import type { WebhookConfig } from "../engine/policy/policy_types.ts";
import {
  deliveryId,
  RETRY_SCHEDULE,
  retryDelayMs,
  type RetrySchedule,
  wantsKind,
  webhookBody,
  webhookSignature,
} from "../engine/policy/webhook_message.ts";
import { errorOutcome, type Failure, responseOutcome } from "./_webhook_outcome.ts";

/** What the timer functions return: Deno types it as a Node `Timeout`, though it is a number. */
export type TimerId = ReturnType<typeof setTimeout>;

/** Injectable effects and limits of {@linkcode WebhookSender}. */
export interface WebhookSenderOptions {
  /** Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Epoch ms, for the status times (default `Date.now`). */
  now?: () => number;
  /** Timers for backoff and timeouts (default the global ones). */
  setTimeout?: (fn: () => void, ms: number) => TimerId;
  clearTimeout?: (id: TimerId) => void;
  /** Messages waiting per webhook; when full the oldest is dropped (default 1000). */
  queueLimit?: number;
  /** Milliseconds one request may take (default 10 000). */
  timeoutMs?: number;
  /** Default {@linkcode RETRY_SCHEDULE}. */
  schedule?: Readonly<RetrySchedule>;
  /** Milliseconds {@linkcode WebhookSender.close} waits before aborting requests (default 5000). */
  closeTimeoutMs?: number;
}

/** One webhook's delivery status. Times are epoch ms, null before the first. */
export interface WebhookStatus {
  url: string;
  /** Messages delivered (a 2xx answer). */
  delivered: number;
  /** Messages given up on: a 4xx answer, or every attempt failed. */
  failed: number;
  /** Messages dropped unsent: the queue was full, or the sender closed. */
  dropped: number;
  /** Attempts after a message's first. */
  retries: number;
  /** Messages queued or in flight. */
  pending: number;
  lastError: string | null;
  lastErrorAt: number | null;
  lastSuccess: number | null;
  lastAttempt: number | null;
}

interface Message {
  body: string;
  kind: string;
  id: string;
}

interface Lane extends Omit<WebhookStatus, "pending"> {
  hook: WebhookConfig;
  queue: Message[];
  current: Message | null;
  /** The running delivery loop; null when idle. */
  loop: Promise<void> | null;
  /** Aborts the request in flight. */
  inflight: AbortController | null;
  /** Cuts a backoff wait short. */
  wake: (() => void) | null;
}

/**
 * Queues alert events for the webhooks that want their kind, and delivers
 * them in the background: per request a timeout; 5xx answers, 408, 429,
 * timeouts and network errors are retried on the schedule (429's and 503's
 * Retry-After seconds honoured, up to the schedule's longest delay); other
 * answers are final. Redirects are not followed: a POST would not survive one.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const seen: string[] = [];
 * const fetch = (_url: string | URL | Request, init?: RequestInit) => {
 *   seen.push(new Headers(init?.headers).get("x-sluice-event")!);
 *   return Promise.resolve(new Response(null, { status: 204 }));
 * };
 * const sender = new WebhookSender([{ url: "https://example.com/hook" }], { fetch });
 * const alert = {
 *   id: "new_device/mac:02:00:00:00:00:09/1000", kind: "new_device", severity: "info",
 *   device: "mac:02:00:00:00:00:09", name: "TV", ruleId: null, figures: {},
 *   message: "New device joined: TV", start: 1000, end: 1000, count: 1, suppressed: 0,
 * } as const;
 * sender.send({ type: "started", alert }); // returns at once
 * await sender.idle();
 * assertEquals(seen, ["new_device"]);
 * assertEquals(sender.status()[0].delivered, 1);
 * await sender.close();
 * ```
 */
export class WebhookSender {
  readonly #lanes: Lane[];
  readonly #fetch: typeof globalThis.fetch;
  readonly #now: () => number;
  readonly #setTimeout: (fn: () => void, ms: number) => TimerId;
  readonly #clearTimeout: (id: TimerId) => void;
  readonly #queueLimit: number;
  readonly #timeoutMs: number;
  readonly #schedule: Readonly<RetrySchedule>;
  readonly #closeTimeoutMs: number;
  #closed = false;

  constructor(webhooks: readonly WebhookConfig[], options: WebhookSenderOptions = {}) {
    if (!Array.isArray(webhooks)) throw new TypeError(`webhooks must be an array`);
    this.#lanes = webhooks.map((hook) => {
      if (typeof hook?.url !== "string") throw new TypeError(`each webhook needs a url string`);
      return {
        hook,
        url: hook.url,
        queue: [],
        current: null,
        loop: null,
        inflight: null,
        wake: null,
        delivered: 0,
        failed: 0,
        dropped: 0,
        retries: 0,
        lastError: null,
        lastErrorAt: null,
        lastSuccess: null,
        lastAttempt: null,
      };
    });
    // Wrapped: called as this.#fetch(...), the platform functions must not see `this`.
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#now = options.now ?? (() => Date.now());
    this.#setTimeout = options.setTimeout ?? ((fn, ms) => setTimeout(fn, ms));
    this.#clearTimeout = options.clearTimeout ?? ((id) => clearTimeout(id));
    this.#queueLimit = whole(options.queueLimit ?? 1000, "queueLimit");
    this.#timeoutMs = whole(options.timeoutMs ?? 10_000, "timeoutMs");
    this.#schedule = options.schedule ?? RETRY_SCHEDULE;
    this.#closeTimeoutMs = whole(options.closeTimeoutMs ?? 5000, "closeTimeoutMs");
  }

  /** Queues `event` for every webhook that wants its kind; never waits. */
  send(event: AlertEvent): void {
    let message: Message | null = null;
    for (const lane of this.#lanes) {
      if (!wantsKind(lane.hook, event.alert.kind)) continue;
      if (this.#closed) {
        lane.dropped++;
        continue;
      }
      message ??= { body: webhookBody(event), kind: event.alert.kind, id: deliveryId(event) };
      if (lane.queue.length >= this.#queueLimit) {
        lane.queue.shift();
        lane.dropped++;
      }
      lane.queue.push(message);
      lane.loop ??= this.#run(lane);
    }
  }

  /** Per webhook, in configuration order. */
  status(): WebhookStatus[] {
    return this.#lanes.map((l) => ({
      url: l.url,
      delivered: l.delivered,
      failed: l.failed,
      dropped: l.dropped,
      retries: l.retries,
      pending: l.queue.length + (l.current === null ? 0 : 1),
      lastError: l.lastError,
      lastErrorAt: l.lastErrorAt,
      lastSuccess: l.lastSuccess,
      lastAttempt: l.lastAttempt,
    }));
  }

  /** Resolves once nothing is queued or in flight (or, after close, once every loop stopped). */
  async idle(): Promise<void> {
    for (;;) {
      const loops = this.#lanes.flatMap((l) => l.loop ?? []);
      if (loops.length === 0) return;
      await Promise.all(loops);
    }
  }

  /**
   * Stops delivering: backoff waits end, requests in flight get
   * `closeTimeoutMs` to finish before they are aborted. Queued messages stay
   * pending; later events are dropped.
   */
  async close(): Promise<void> {
    this.#closed = true;
    for (const lane of this.#lanes) lane.wake?.();
    let timer: TimerId | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = this.#setTimeout(() => resolve(true), this.#closeTimeoutMs);
    });
    const aborted = await Promise.race([this.idle().then(() => false), late]);
    this.#clearTimeout(timer!);
    if (aborted) { for (const lane of this.#lanes) lane.inflight?.abort(); }
    await this.idle();
  }

  async #run(lane: Lane): Promise<void> {
    // Start on a later microtask: send() then never does network work itself, and has
    // stored this loop's promise before the loop can end and clear it.
    await Promise.resolve();
    try {
      while (!this.#closed && lane.queue.length > 0) {
        const message = lane.queue.shift()!;
        lane.current = message;
        await this.#deliver(lane, message);
        lane.current = null;
      }
    } catch (err) {
      // Nothing above should throw; if it does, the lane must not die silently.
      lane.lastError = `internal error: ${(err as Error)?.message ?? err}`;
      lane.lastErrorAt = this.#now();
      if (lane.current !== null) (lane.failed++, lane.current = null);
    } finally {
      lane.loop = null;
    }
  }

  /** Tries `message` until delivered, final, out of attempts or closed (then queued again). */
  async #deliver(lane: Lane, message: Message): Promise<void> {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "user-agent": "sluice/0.1",
      "x-sluice-event": message.kind,
      "x-sluice-delivery": message.id,
    };
    if (lane.hook.secret) {
      headers["x-sluice-signature"] = webhookSignature(lane.hook.secret, message.body);
    }
    for (let attempt = 1;; attempt++) {
      const failure = await this.#post(lane, message, headers);
      if (failure === null) {
        lane.delivered++;
        lane.lastSuccess = this.#now();
        return;
      }
      lane.lastError = failure.error;
      lane.lastErrorAt = this.#now();
      const delay = failure.retry ? retryDelayMs(attempt + 1, this.#schedule) : null;
      if (delay === null) {
        lane.failed++;
        return;
      }
      if (!this.#closed) {
        await this.#sleep(
          lane,
          Math.max(delay, Math.min(failure.retryAfterMs, this.#schedule.maxMs)),
        );
      }
      if (this.#closed) {
        lane.queue.unshift(message);
        return;
      }
      lane.retries++;
    }
  }

  /** One attempt: null when delivered. */
  async #post(
    lane: Lane,
    message: Message,
    headers: Record<string, string>,
  ): Promise<Failure | null> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = this.#setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#timeoutMs);
    lane.inflight = controller;
    lane.lastAttempt = this.#now();
    try {
      const response = await this.#fetch(lane.url, {
        method: "POST",
        headers,
        body: message.body,
        signal: controller.signal,
        redirect: "manual",
      });
      await response.body?.cancel(); // the answer's body is not needed: free the connection
      return responseOutcome(response);
    } catch (err) {
      return errorOutcome(err, timedOut, controller.signal.aborted, this.#timeoutMs);
    } finally {
      this.#clearTimeout(timer);
      lane.inflight = null;
    }
  }

  #sleep(lane: Lane, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.#setTimeout(() => {
        lane.wake = null;
        resolve();
      }, ms);
      lane.wake = () => {
        this.#clearTimeout(timer);
        lane.wake = null;
        resolve();
      };
    });
  }
}

function whole(x: number, what: string): number {
  if (!Number.isInteger(x) || x < 1) {
    throw new RangeError(`${what} must be a whole number from 1, got ${x}`);
  }
  return x;
}
