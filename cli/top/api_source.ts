/**
 * Snapshots from a running Sluice: GET /api/v1/live (Server-Sent Events,
 * one a second, every device) with an API token. The first connection is
 * made before the screen opens, so a wrong URL or token is one line on the
 * normal screen; later, a dropped stream is resumed from the last second.
 *
 * @module
 */
import { UsageError } from "../usage_error.ts";
import type { TopSnapshot } from "./rows.ts";
import type { SnapshotSource } from "./source.ts";
import { SseParser } from "./sse.ts";

/** How long to wait before reconnecting a dropped stream, ms. */
const RETRY_MS = 2000;

/** Options for {@linkcode openApiSource}. */
export interface ApiSourceOptions {
  /** Reconnect when the stream drops (the screen); false ends the snapshots (--raw). */
  reconnect: boolean;
  /** Told "reconnecting…" and "" again once connected. */
  onNote?: (note: string) => void;
  /** The fetch to use; tests pass their own. */
  fetch?: typeof fetch;
  /** The wait before reconnecting, ms (default 2000). */
  retryMs?: number;
}

/**
 * The `--url` value checked: an http(s) URL, ending in "/".
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(baseUrl("http://127.0.0.1:8080", "sluice top").href, "http://127.0.0.1:8080/");
 * ```
 */
export function baseUrl(text: string, command: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${command}: --url "${text}" is not a URL (http://HOST:PORT/)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`${command}: --url must be http:// or https://, got "${text}"`);
  }
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  url.search = "";
  url.hash = "";
  return url;
}

/**
 * Connects to `/api/v1/live` under `base` with `token`. Throws a
 * {@linkcode UsageError} when it cannot be reached or refuses the token.
 *
 * @example
 * ```ts ignore
 * const source = await openApiSource(baseUrl(url, command), token, command, { reconnect: true });
 * for await (const snapshot of source.snapshots(signal)) render(snapshot);
 * ```
 */
export async function openApiSource(
  base: URL,
  token: string,
  command: string,
  options: ApiSourceOptions,
): Promise<SnapshotSource> {
  const fetchFn = options.fetch ?? fetch;
  const live = new URL("api/v1/live", base);
  const connect = async (lastId: string | null, signal?: AbortSignal): Promise<Response> => {
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: "text/event-stream",
    };
    if (lastId !== null) headers["last-event-id"] = lastId;
    return await fetchFn(live, { headers, signal });
  };
  let first: Response;
  try {
    first = await connect(null);
  } catch (err) {
    throw new UsageError(`${command}: cannot reach ${base.href}: ${(err as Error).message}`);
  }
  const refused = problem(first, base, command);
  if (refused !== null) {
    await first.body?.cancel();
    throw new UsageError(refused);
  }
  return {
    name: base.href,
    async *snapshots(signal: AbortSignal): AsyncGenerator<TopSnapshot> {
      let response: Response | null = first, lastId: string | null = null;
      while (!signal.aborted) {
        if (response === null) {
          options.onNote?.("reconnecting…");
          await sleep(options.retryMs ?? RETRY_MS, signal);
          if (signal.aborted) return;
          try {
            response = await connect(lastId, signal);
          } catch {
            continue;
          }
          if (problem(response, base, command) !== null) {
            await response.body?.cancel();
            response = null;
            continue;
          }
          options.onNote?.("");
        }
        const parser = new SseParser();
        const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
        const cancel = () => reader.cancel().catch(() => {});
        signal.addEventListener("abort", cancel, { once: true });
        try {
          while (true) {
            const { done, value } = await reader.read();
            if (done) break;
            for (const event of parser.push(value)) {
              if (event.event !== "snapshot") continue;
              lastId = event.id ?? lastId;
              yield JSON.parse(event.data) as TopSnapshot;
            }
          }
        } catch (err) {
          if (signal.aborted) return;
          if (!options.reconnect) throw err;
        } finally {
          signal.removeEventListener("abort", cancel);
        }
        response = null;
        if (!options.reconnect) return;
      }
    },
    close() {},
  };
}

/** What is wrong with a response, in one line; null when it is the stream. */
function problem(response: Response, base: URL, command: string): string | null {
  if (response.status === 401) {
    return `${command}: ${base.href} refused the token (401): make one on the settings page or with POST /api/v1/tokens`;
  }
  if (response.status === 403) {
    return `${command}: ${base.href}: the token may not read the live view (403)`;
  }
  if (!response.ok) {
    return `${command}: ${base.href}api/v1/live answered ${response.status} ${response.statusText}: is it Sluice?`;
  }
  if (!(response.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
    return `${command}: ${base.href}api/v1/live is not an event stream: is it Sluice?`;
  }
  return null;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const id = setTimeout(done, ms);
    function done() {
      clearTimeout(id);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
