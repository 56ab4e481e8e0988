import { assertEquals, assertThrows } from "@std/assert";
import { PayloadSignatures, validateSignatures } from "../../engine/payload_signature.ts";
import { DEFAULT_SIGNATURES } from "../../engine/catalogue/default.ts";

const text = (s: string) => new TextEncoder().encode(s);
const TCP = 6, UDP = 17, CLIENT = 0, SERVER = 1;

Deno.test("validateSignatures() accepts the shipped signatures.json", () => {
  const data = validateSignatures(DEFAULT_SIGNATURES);
  assertEquals(data.signatures.length > 0, true);
});

Deno.test("validateSignatures() names the first bad field in one line", () => {
  const bad = (entry: Record<string, unknown>) => ({ version: 1, signatures: [entry] });
  const base = { app: "x", name: "X", category: "Network" };
  assertThrows(
    () => validateSignatures(bad(base)),
    TypeError,
    "signatures[0]: needs exactly one of hex or text",
  );
  assertThrows(
    () => validateSignatures(bad({ ...base, hex: "abc" })),
    TypeError,
    "signatures[0].hex",
  );
  assertThrows(
    () => validateSignatures(bad({ ...base, hex: "ab", category: "Video" })),
    TypeError,
    "signatures[0].category",
  );
  assertThrows(
    () => validateSignatures(bad({ ...base, hex: "ab", direction: "up" })),
    TypeError,
    "signatures[0].direction",
  );
  assertThrows(
    () => validateSignatures(bad({ ...base, hex: "ab", ports: [70000] })),
    TypeError,
    "signatures[0].ports[0]",
  );
  assertThrows(() => validateSignatures({ version: 2, signatures: [] }), TypeError, "version");
});

Deno.test("PayloadSignatures.match() honours offset, window, last bytes, direction and ports", () => {
  const signatures = new PayloadSignatures({
    version: 1,
    signatures: [
      { app: "a", name: "A", category: "Network", protocol: "UDP", offset: 2, hex: "beef" },
      { app: "b", name: "B", category: "Gaming", protocol: "TCP", text: "MAGIC", within: 16 },
      {
        app: "c",
        name: "C",
        category: "Messaging",
        protocol: "UDP",
        hex: "02",
        last: "03",
        ports: [8000],
      },
      { app: "d", name: "D", category: "Network", direction: "server", text: "r6fnvWj8" },
    ],
  });
  const app = (p: number, dir: number, port: number, bytes: Uint8Array) =>
    signatures.match(p, dir, port, bytes)?.app ?? null;
  assertEquals(app(UDP, CLIENT, 9, Uint8Array.of(0, 0, 0xbe, 0xef)), "a");
  assertEquals(app(TCP, CLIENT, 9, Uint8Array.of(0, 0, 0xbe, 0xef)), null); // UDP only
  assertEquals(app(UDP, CLIENT, 9, Uint8Array.of(0, 0xbe, 0xef)), null); // wrong offset
  assertEquals(app(TCP, CLIENT, 9, text("xxxxxMAGICxx")), "b");
  assertEquals(app(TCP, CLIENT, 9, text("xxxxxxxxxxxxxxxMAGIC")), null); // past the window
  assertEquals(app(UDP, CLIENT, 8000, Uint8Array.of(2, 1, 1, 3)), "c");
  assertEquals(app(UDP, CLIENT, 8001, Uint8Array.of(2, 1, 1, 3)), null); // other port
  assertEquals(app(UDP, CLIENT, 8000, Uint8Array.of(2, 1, 1, 4)), null); // last byte
  assertEquals(app(UDP, SERVER, 443, text("r6fnvWj8........")), "d");
  assertEquals(app(UDP, CLIENT, 443, text("r6fnvWj8........")), null); // server side only
  assertEquals(app(UDP, CLIENT, 9, new Uint8Array(0)), null);
});

Deno.test("PayloadSignatures.match() finds text in a window past near-misses of its rarest byte", () => {
  const signatures = new PayloadSignatures({
    version: 1,
    signatures: [
      {
        app: "sip",
        name: "SIP",
        category: "VideoCalls",
        protocol: "UDP",
        text: " SIP/2.0",
        within: 24,
      },
    ],
  });
  const app = (s: string) => signatures.match(UDP, CLIENT, 5060, text(s))?.app ?? null;
  assertEquals(app("S SIP SIP/2 x SIP/2.0\r\n"), "sip"); // decoys share the anchor "S"
  assertEquals(app(" SIP/2.0"), "sip"); // at the very start
  assertEquals(app("SIP/2.0 with no space"), null);
  assertEquals(app("xxxxxxxxxxxxxxxxxx SIP/2.0"), null); // ends past the window
  assertEquals(app("xxxxxxxxxxxxxxxx SIP/2.0"), "sip"); // ends at the window's edge
});

Deno.test("the shipped signatures recognise DNSCrypt, RTSP, SIP and RakNet payloads", () => {
  const signatures = new PayloadSignatures(DEFAULT_SIGNATURES);
  const app = (p: number, dir: number, port: number, bytes: Uint8Array) =>
    signatures.match(p, dir, port, bytes)?.app ?? null;
  assertEquals(app(UDP, SERVER, 443, text("r6fnvWj8" + "\0".repeat(64))), "dnscrypt");
  assertEquals(
    app(TCP, CLIENT, 8554, text("DESCRIBE rtsp://cam/live RTSP/1.0\r\nCSeq: 2\r\n\r\n")),
    "rtsp",
  );
  assertEquals(
    app(UDP, CLIENT, 5080, text("INVITE sip:bob@example.net SIP/2.0\r\nVia: x\r\n\r\n")),
    "sip",
  );
  const raknet = Uint8Array.from([
    0x05,
    ...Array.from({ length: 16 }, (_, i) =>
      [
        0x00,
        0xff,
        0xff,
        0x00,
        0xfe,
        0xfe,
        0xfe,
        0xfe,
        0xfd,
        0xfd,
        0xfd,
        0xfd,
        0x12,
        0x34,
        0x56,
        0x78,
      ][i]),
    6,
  ]);
  assertEquals(app(UDP, CLIENT, 19132, raknet), "raknet");
  assertEquals(app(TCP, CLIENT, 80, text("GET / HTTP/1.1\r\nHost: x\r\n\r\n")), null);
});
