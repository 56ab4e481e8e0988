import { assertEquals } from "@std/assert";
import { parseHttpRequest } from "../../engine/http_request.ts";

const text = (s: string) => new TextEncoder().encode(s);

Deno.test("parseHttpRequest() reads Host without its port and the User-Agent", () => {
  const head = "GET /watch?v=1 HTTP/1.1\r\nhost: WWW.Example.COM:8080\r\n" +
    "User-Agent: Roku/DVP-12.5 (12.5.0.4178-88)\r\nAccept: */*\r\n\r\n";
  assertEquals(parseHttpRequest(text(head)), {
    method: "GET",
    host: "www.example.com",
    userAgent: "Roku/DVP-12.5 (12.5.0.4178-88)",
  });
});

Deno.test("parseHttpRequest() reads an IPv6 literal host and a bare-LF request", () => {
  assertEquals(
    parseHttpRequest(text("POST / HTTP/1.0\nHost: [2001:db8::1]:80\n\n"))?.host,
    "2001:db8::1",
  );
});

Deno.test("parseHttpRequest() waits while the head may still bring the Host", () => {
  assertEquals(parseHttpRequest(text("GE")), undefined);
  assertEquals(parseHttpRequest(text("GET /index.html HTTP/1.1\r\nAccept: */*\r\n")), undefined);
  assertEquals(parseHttpRequest(text("GET / HTTP/1.1\r\n\r\n")), {
    method: "GET",
    host: null,
    userAgent: null,
  });
});

Deno.test("parseHttpRequest() gives null for bytes that are not an HTTP request", () => {
  assertEquals(parseHttpRequest(Uint8Array.of(22, 3, 1, 2, 0, 1, 0, 1, 252)), null);
  assertEquals(parseHttpRequest(text("HTTP/1.1 200 OK\r\n\r\n")), null);
  assertEquals(parseHttpRequest(text("GET something-without-version\r\n\r\n")), null);
  assertEquals(parseHttpRequest(text("SSH-2.0-OpenSSH_9.2\r\n")), null);
});

Deno.test("parseHttpRequest() refuses a Host with characters no host name has", () => {
  assertEquals(parseHttpRequest(text("GET / HTTP/1.1\r\nHost: a b<script>\r\n\r\n"))?.host, null);
});

Deno.test("parseHttpRequest() accepts extension methods such as WebDAV's PROPFIND", () => {
  const head = "PROPFIND /dav/ HTTP/1.1\r\nHost: files.example.net\r\nDepth: 1\r\n\r\n";
  assertEquals(parseHttpRequest(text(head))?.method, "PROPFIND");
  assertEquals(parseHttpRequest(text(head))?.host, "files.example.net");
  assertEquals(parseHttpRequest(text("VERSION-CONTROL /a HTTP/1.1\r\nHost: h\r\n\r\n"))?.host, "h");
  assertEquals(parseHttpRequest(text("get / HTTP/1.1\r\nHost: h\r\n\r\n")), null);
  assertEquals(parseHttpRequest(text("ABCDEFGHIJKLMNOPQRSTUVWXYZ / HTTP/1.1\r\n\r\n")), null);
});

Deno.test("parseHttpRequest() takes the first Host and User-Agent whatever their case and spacing", () => {
  const head = "GET / HTTP/1.1\r\nX-Host: decoy\r\n  HOST :\t Video.Example.ORG \r\n" +
    "user-AGENT:   curl/8.5.0  \r\nHost: second.example\r\nUser-Agent: second\r\n\r\nbody: x\r\n";
  assertEquals(parseHttpRequest(text(head)), {
    method: "GET",
    host: "video.example.org",
    userAgent: "curl/8.5.0",
  });
  // A header line cut by the end of the segment is read as far as it goes.
  assertEquals(parseHttpRequest(text("GET / HTTP/1.1\r\nAccept: */*\r\nHost: cut.exa")), {
    method: "GET",
    host: "cut.exa",
    userAgent: null,
  });
  assertEquals(parseHttpRequest(text("GET / HTTP/1.1 \r\nHost: a\r\n\r\n")), null); // not the version last
  assertEquals(parseHttpRequest(text("GET / HTTPS/1.1\r\n\r\n")), null);
});
