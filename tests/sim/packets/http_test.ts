import { assert, assertEquals, assertThrows } from "@std/assert";
import { httpGet } from "../../../sim/packets/http.ts";
import { parseHttpRequest } from "../../../engine/http_request.ts";

Deno.test("httpGet() is a GET the engine reads Host and User-Agent from", () => {
  const bytes = httpGet("Example.org", "/index.html?q=1", "Mozilla/5.0 (X11; Linux x86_64)");
  const text = new TextDecoder().decode(bytes);
  assert(text.startsWith("GET /index.html?q=1 HTTP/1.1\r\nHost: Example.org\r\n"));
  assert(text.endsWith("\r\n\r\n"));
  assertEquals(parseHttpRequest(bytes), {
    method: "GET",
    host: "example.org",
    userAgent: "Mozilla/5.0 (X11; Linux x86_64)",
  });
});

Deno.test("httpGet() takes addresses and ports in Host", () => {
  assertEquals(parseHttpRequest(httpGet("example.org:8080", "/", "x"))?.host, "example.org");
  assertEquals(parseHttpRequest(httpGet("192.0.2.1", "/", "x"))?.host, "192.0.2.1");
  assert(
    new TextDecoder().decode(httpGet("[2001:db8::1]:80", "/", "x")).includes(
      "Host: [2001:db8::1]:80\r\n",
    ),
  );
});

Deno.test("httpGet() throws on bad host, path and user agent, naming the argument", () => {
  const bad: [() => unknown, ErrorConstructor | RangeErrorConstructor, string][] = [
    [() => httpGet("", "/", "x"), TypeError, "host"],
    [() => httpGet("a b", "/", "x"), TypeError, "host"],
    [() => httpGet("a.com:99999", "/", "x"), RangeError, "host"],
    [() => httpGet(`${"a".repeat(64)}.com`, "/", "x"), RangeError, "host"],
    [() => httpGet("a.com", "index.html", "x"), TypeError, "path"],
    [() => httpGet("a.com", "/a b", "x"), TypeError, "path"],
    [() => httpGet("a.com", "/", "x\r\nInjected: 1"), TypeError, "userAgent"],
    [() => httpGet("a.com", "/", ""), TypeError, "userAgent"],
  ];
  for (const [fn, type, name] of bad) {
    const error = assertThrows(fn, type) as Error;
    assert(error.message.startsWith(name), error.message);
  }
});
