import { assertEquals } from "@std/assert";
import { clientStreamName } from "../../engine/client_stream_name.ts";

const text = (s: string) => new TextEncoder().encode(s);

Deno.test("clientStreamName() names HTTP, SSH and WHOIS streams and keeps the User-Agent", () => {
  const http = text("GET / HTTP/1.1\r\nHost: tv.example\r\nUser-Agent: Roku/12\r\n\r\n");
  assertEquals(clientStreamName(http, 8080, false), {
    hostname: "tv.example",
    source: "http",
    userAgent: "Roku/12",
  });
  assertEquals(
    clientStreamName(text("SSH-2.0-OpenSSH_9.6\r\n"), 22, false)?.hostname,
    "SSH-2.0-OpenSSH_9.6",
  );
  assertEquals(clientStreamName(text("example.net\r\n"), 43, false)?.source, "payload");
});

Deno.test("clientStreamName() waits for more bytes, unless the stream is full", () => {
  const partial = text("GET / HTTP/1.1\r\nAccept: */*\r\n");
  assertEquals(clientStreamName(partial, 80, false), undefined);
  assertEquals(clientStreamName(partial, 80, true), {
    hostname: null,
    source: null,
    userAgent: null,
  });
  const tls = Uint8Array.of(0x16, 3, 1, 0x02, 0x00, 1, 0, 1, 0xfc); // a ClientHello's first bytes
  assertEquals(clientStreamName(tls, 443, false), undefined);
  assertEquals(clientStreamName(Uint8Array.of(0, 30, 0, 1), 53, false), undefined); // DNS over TCP, cut
});

Deno.test("clientStreamName() gives nulls for a stream that names nothing", () => {
  const binary = Uint8Array.from({ length: 64 }, (_, i) => (i * 37) & 0xff);
  assertEquals(clientStreamName(binary, 5000, false), {
    hostname: null,
    source: null,
    userAgent: null,
  });
});
