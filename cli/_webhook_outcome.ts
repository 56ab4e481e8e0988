// What one webhook attempt came to, and whether trying again may help:
// 2xx is delivered; 5xx, 408 and 429, timeouts and network errors are worth
// retrying; other answers (4xx, redirects) are final.

/** Why an attempt failed, and whether and when to try again. */
export interface Failure {
  error: string;
  retry: boolean;
  /** At least this long before the next attempt (a Retry-After), 0 if not said. */
  retryAfterMs: number;
}

/** Retry-After in seconds (the HTTP-date form is not worth parsing here), as ms; 0 if none. */
function retryAfterMs(response: Response): number {
  const value = response.headers.get("retry-after")?.trim() ?? "";
  return /^\d{1,7}$/.test(value) ? Number(value) * 1000 : 0;
}

/** The outcome of an answer: null when delivered. */
export function responseOutcome(response: Response): Failure | null {
  const code = response.status;
  if (code >= 200 && code < 300) return null;
  const status = `HTTP ${code}${response.statusText ? ` ${response.statusText}` : ""}`;
  if (code >= 300 && code < 400) {
    // A redirected POST may come back a GET without its body: better to say so than follow.
    return { error: `${status} (redirects are not followed)`, retry: false, retryAfterMs: 0 };
  }
  const retry = code >= 500 || code === 408 || code === 429;
  const after = code === 429 || code === 503 ? retryAfterMs(response) : 0;
  return { error: status, retry, retryAfterMs: after };
}

/** The outcome of a request that threw: always worth retrying. */
export function errorOutcome(
  err: unknown,
  timedOut: boolean,
  aborted: boolean,
  timeoutMs: number,
): Failure {
  const error = timedOut
    ? `timed out after ${timeoutMs} ms`
    : aborted
    ? "aborted: the sender closed"
    : `network error: ${(err as Error)?.message ?? err}`;
  return { error, retry: true, retryAfterMs: 0 };
}
