import { assertEquals } from "@std/assert";
import { clientBannerName, serverBannerName } from "../../engine/_banner_name.ts";

const text = (s: string) => new TextEncoder().encode(s);

Deno.test("serverBannerName() reads SSH, SMTP/FTP and munin greetings", () => {
  assertEquals(serverBannerName(text("SSH-2.0-OpenSSH_9.6\r\n")), "SSH-2.0-OpenSSH_9.6");
  assertEquals(serverBannerName(text("220 mx.example.net ESMTP ready\r\n")), "mx.example.net");
  assertEquals(serverBannerName(text("220 ProFTPD 1.3.8 Server\r\n")), "proftpd");
  assertEquals(serverBannerName(text("# munin node at nas-01\n")), "nas-01");
});

Deno.test("serverBannerName() gives null for other bytes and unfinished lines", () => {
  assertEquals(serverBannerName(text("HTTP/1.1 200 OK\r\n")), null);
  assertEquals(serverBannerName(text("220 mx.example.net")), null); // no line end yet
  assertEquals(serverBannerName(text("220 <bad host>\r\n")), null);
  assertEquals(serverBannerName(new Uint8Array(3)), null);
  assertEquals(serverBannerName(text("S".repeat(400) + "\n")), null);
});

Deno.test("clientBannerName() reads an SSH banner and a WHOIS query on port 43", () => {
  assertEquals(clientBannerName(text("SSH-2.0-PuTTY_0.81\r\n"), 22), "SSH-2.0-PuTTY_0.81");
  assertEquals(clientBannerName(text("Example.COM\r\n"), 43), "example.com");
  assertEquals(clientBannerName(text("example.com\r\n"), 80), null);
  assertEquals(clientBannerName(text("-h whois.example\r\n"), 43), null);
});
