import { assertEquals } from "@std/assert";
import { mgcpHostname, parseMgcpMessage } from "../../engine/mgcp_message.ts";
import { prng } from "./_packets.ts";

const text = (s: string) => new TextEncoder().encode(s);
const name = (s: string) => {
  const command = parseMgcpMessage(text(s));
  return command && mgcpHostname(command);
};

Deno.test("parseMgcpMessage() reads the command line", () => {
  assertEquals(parseMgcpMessage(text("RQNT 80 AALN/S2/1@vg224 MGCP 0.1\nX: 2\nR: L/hd\n")), {
    verb: "RQNT",
    transactionId: 80,
    endpoint: "AALN/S2/1@vg224",
    version: "0.1",
  });
  // Lines may end in CR alone, and a profile may follow the version.
  assertEquals(
    parseMgcpMessage(
      text("CRCX 1204 aaln/1@rgw-2567.whatever.net MGCP 1.0 NCS 1.0\rC: A3C47F21456789F0\r"),
    )
      ?.endpoint,
    "aaln/1@rgw-2567.whatever.net",
  );
});

Deno.test("mgcpHostname() gives the endpoint's domain, as nDPI reports it", () => {
  assertEquals(
    name("RSIP 31656860 *@gateway44.myplace.com MGCP 1.0\r\nRM: restart\r\n"),
    "gateway44.myplace.com",
  );
  assertEquals(name("AUEP 81 AALN/S2/1@VG224 MGCP 0.1\nF: X, A, I\n"), "vg224");
  assertEquals(name("DLCX 1210 ds/ds1-1/17@[128.96.41.12] MGCP 1.0\r\n"), "[128.96.41.12]");
  // Without a domain, the endpoint is taken whole when it reads as a host name.
  assertEquals(name("NTFY 2002 gw1.example.net MGCP 1.0\r\n"), "gw1.example.net");
  assertEquals(name("NTFY 2002 aaln/1 MGCP 1.0\r\n"), null);
  assertEquals(name("NTFY 2002 aaln/1@bad<host> MGCP 1.0\r\n"), null);
});

Deno.test("parseMgcpMessage() gives null for responses and other protocols", () => {
  assertEquals(parseMgcpMessage(text("200 31656860 ok\r\n\r\n")), null);
  assertEquals(
    parseMgcpMessage(text("510 1 Protocol Error: Forbidden parameter line present.\r\n")),
    null,
  );
  assertEquals(parseMgcpMessage(text("REGISTER sip:example.com SIP/2.0\r\n")), null);
  assertEquals(parseMgcpMessage(text("RQNT 1 *@gw.example.net SIP/2.0\r\n")), null);
  assertEquals(parseMgcpMessage(text("RQNT x1 *@gw.example.net MGCP 1.0\r\n")), null);
  assertEquals(parseMgcpMessage(text("RQNTX 1 *@gw.example.net MGCP 1.0\r\n")), null);
  assertEquals(parseMgcpMessage(text("rqnt 1 *@gw.example.net MGCP 1.0\r\n")), null);
  assertEquals(parseMgcpMessage(text("RQNT 1 *@gw.example.net MGCP 1.0junk\r\n")), null);
});

Deno.test("parseMgcpMessage() gives null for a truncated command line", () => {
  const line = "RQNT 1 *@gateway44.myplace.com MGCP 0.1\r\n";
  for (let n = 0; n < line.length - 5; n++) {
    assertEquals(parseMgcpMessage(text(line.slice(0, n))), null, `first ${n} bytes`);
  }
});

Deno.test("parseMgcpMessage() never throws on mutated messages", () => {
  const random = prng(2427);
  const base = text("RQNT 1 *@gateway44.myplace.com MGCP 0.1\rR: l/hd(n)\rX: 1\r");
  for (let i = 0; i < 5000; i++) {
    const bytes = base.slice(0, 1 + random.int(base.length));
    for (let k = 0; k < 3; k++) bytes[random.int(bytes.length)] = random.int(256);
    const command = parseMgcpMessage(bytes);
    if (command) mgcpHostname(command);
  }
});
