// `sluice top --url`: the live stream read as Server-Sent Events through a
// fetch given by the test, resumed from the last second when it drops, and
// one line for a URL or token that will not do.
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { baseUrl, openApiSource } from "../../cli/top/api_source.ts";
import { SseParser } from "../../cli/top/sse.ts";
import { UsageError } from "../../cli/usage_error.ts";
import { TOP_TIME, topSnapshot } from "./_top_snapshot.ts";

const COMMAND = "sluice top";

/** An SSE response whose body is `chunks`, then its end. */
function stream(chunks: string[], status = 200, type = "text/event-stream"): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
      controller.close();
    },
  });
  return new Response(body, { status, headers: { "content-type": type } });
}

function event(time: number): string {
  return `event: snapshot\nid: ${time / 1000}\ndata: ${JSON.stringify(topSnapshot({ time }))}\n\n`;
}

Deno.test("SseParser.push() joins data lines, waits for cut lines and skips comments and retry", () => {
  const parser = new SseParser();
  assertEquals(parser.push("retry: 2000\n\n: heartbeat\n\nevent: snap"), []);
  assertEquals(parser.push("shot\r\ndata: a\r\ndata: b\r\nid: 9\r\n"), []);
  assertEquals(parser.push("\r\ndata:x\n\n"), [
    { event: "snapshot", data: "a\nb", id: "9" },
    { event: "message", data: "x", id: "9" },
  ]);
});

Deno.test("baseUrl() takes http(s) URLs, ending them in /, and refuses the rest in one line", () => {
  assertEquals(baseUrl("https://gw.lan:8443/sluice", COMMAND).href, "https://gw.lan:8443/sluice/");
  for (const bad of ["gw.lan:8080", "ftp://gw.lan/", "not a url"]) {
    const e = (() => {
      try {
        baseUrl(bad, COMMAND);
      } catch (err) {
        return err as Error;
      }
    })();
    assertEquals(e instanceof UsageError, true, bad);
    assertStringIncludes(e!.message, "sluice top: --url");
  }
});

Deno.test("openApiSource() reads snapshots with the token and resumes from the last one after a drop", async () => {
  const asked: { url: string; auth: string | null; last: string | null }[] = [];
  const responses = [
    stream([event(TOP_TIME).slice(0, 40), event(TOP_TIME).slice(40), event(TOP_TIME + 1000)]),
    stream([event(TOP_TIME + 2000)]),
  ];
  const notes: string[] = [];
  const fakeFetch = ((input: URL, init: RequestInit) => {
    const headers = new Headers(init.headers);
    asked.push({
      url: String(input),
      auth: headers.get("authorization"),
      last: headers.get("last-event-id"),
    });
    return Promise.resolve(responses.shift() ?? stream([], 503));
  }) as typeof fetch;
  const source = await openApiSource(
    baseUrl("http://127.0.0.1:8080", COMMAND),
    "sluice_t",
    COMMAND,
    {
      reconnect: true,
      onNote: (note) => notes.push(note),
      fetch: fakeFetch,
      retryMs: 0,
    },
  );
  assertEquals(source.name, "http://127.0.0.1:8080/");
  const controller = new AbortController();
  const times: number[] = [];
  for await (const s of source.snapshots(controller.signal)) {
    times.push(s.time);
    if (times.length === 3) controller.abort();
  }
  assertEquals(times, [TOP_TIME, TOP_TIME + 1000, TOP_TIME + 2000]);
  assertEquals(asked, [
    { url: "http://127.0.0.1:8080/api/v1/live", auth: "Bearer sluice_t", last: null },
    {
      url: "http://127.0.0.1:8080/api/v1/live",
      auth: "Bearer sluice_t",
      last: String((TOP_TIME + 1000) / 1000),
    },
  ]);
  assertEquals(notes, ["reconnecting…", ""]);
});

Deno.test("openApiSource() without reconnecting ends with the stream (--raw)", async () => {
  const source = await openApiSource(baseUrl("http://h/", COMMAND), "t", COMMAND, {
    reconnect: false,
    fetch: (() => Promise.resolve(stream([event(TOP_TIME)]))) as typeof fetch,
  });
  const times: number[] = [];
  for await (const s of source.snapshots(new AbortController().signal)) times.push(s.time);
  assertEquals(times, [TOP_TIME]);
});

Deno.test("openApiSource() refuses a 401, another status, a non-stream and an unreachable host in one line", async () => {
  const cases: [() => Promise<Response>, string][] = [
    [() => Promise.resolve(stream([], 401, "application/json")), "refused the token (401)"],
    [() => Promise.resolve(stream([], 404, "text/html")), "answered 404"],
    [() => Promise.resolve(stream(["<html>"], 200, "text/html")), "is not an event stream"],
    [
      () => Promise.reject(new TypeError("connection refused")),
      "cannot reach http://h/: connection refused",
    ],
  ];
  for (const [answer, message] of cases) {
    const e = await assertRejects(
      () =>
        openApiSource(baseUrl("http://h/", COMMAND), "t", COMMAND, {
          reconnect: true,
          fetch: answer as typeof fetch,
        }),
      UsageError,
    );
    assertStringIncludes((e as Error).message, `sluice top: `);
    assertStringIncludes((e as Error).message, message);
    assertEquals((e as Error).message.includes("\n"), false);
  }
});
