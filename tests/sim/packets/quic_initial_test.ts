import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  protectClientInitial,
  quicClientKeys,
  quicInitial,
} from "../../../sim/packets/quic_initial.ts";
import { parseQuicInitial, QuicCryptoAssembler } from "../../../engine/quic_initial.ts";

const fromHex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
};
const RFC_DCID = fromHex("8394c8f03e515708");
const DCID = fromHex("0011223344556677"), SCID = fromHex("a1a2a3a4a5a6a7a8");
const RANDOM = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);

/** The RFC 9001 A.2 CRYPTO frame (a ClientHello for example.com) padded to 1162 bytes. */
const RFC_PLAIN = concat(
  fromHex(
    "060040f1010000ed0303ebf8fa56f12939b9584a3896472ec40bb863cfd3e86804fe3a47f06a2b69484c" +
      "00000413011302010000c000000010000e00000b6578616d706c652e636f6dff01000100000a0008" +
      "0006001d0017001800100007000504616c706e000500050100000000003300260024001d00209370" +
      "b2c9caa47fbabaf4559fedba753de171fa71f50f1ce15d43e994ec74d748002b0003020304000d00" +
      "10000e0403050306030203080408050806002d00020101001c00024001003900320408ffffffffff" +
      "ffffff05048000ffff07048000ffff0801100104800075300901100f088394c8f03e51570806048000ffff",
  ),
  new Uint8Array(917),
);

/** The RFC 9001 A.2 protected client Initial, 1200 bytes. */
const RFC_PACKET = fromHex([
  "c000000001088394c8f03e5157080000449e7b9aec34d1b1c98dd7689fb8ec11d242b123dc9bd8bab936b47d92ec35",
  "6c0bab7df5976d27cd449f63300099f3991c260ec4c60d17b31f8429157bb35a1282a643a8d2262cad67500cadb8e7",
  "378c8eb7539ec4d4905fed1bee1fc8aafba17c750e2c7ace01e6005f80fcb7df621230c83711b39343fa028cea7f7f",
  "b5ff89eac2308249a02252155e2347b63d58c5457afd84d05dfffdb20392844ae812154682e9cf012f9021a6f0be17",
  "ddd0c2084dce25ff9b06cde535d0f920a2db1bf362c23e596d11a4f5a6cf3948838a3aec4e15daf8500a6ef69ec4e3",
  "feb6b1d98e610ac8b7ec3faf6ad760b7bad1db4ba3485e8a94dc250ae3fdb41ed15fb6a8e5eba0fc3dd60bc8e30c5c",
  "4287e53805db059ae0648db2f64264ed5e39be2e20d82df566da8dd5998ccabdae053060ae6c7b4378e846d29f37ed",
  "7b4ea9ec5d82e7961b7f25a9323851f681d582363aa5f89937f5a67258bf63ad6f1a0b1d96dbd4faddfcefc5266ba6",
  "611722395c906556be52afe3f565636ad1b17d508b73d8743eeb524be22b3dcbc2c7468d54119c7468449a13d8e3b9",
  "5811a198f3491de3e7fe942b330407abf82a4ed7c1b311663ac69890f4157015853d91e923037c227a33cdd5ec281c",
  "a3f79c44546b9d90ca00f064c99e3dd97911d39fe9c5d0b23a229a234cb36186c4819e8b9c5927726632291d6a4182",
  "11cc2962e20fe47feb3edf330f2c603a9d48c0fcb5699dbfe5896425c5bac4aee82e57a85aaf4e2513e4f05796b07b",
  "a2ee47d80506f8d2c25e50fd14de71e6c418559302f939b0e1abd576f279c4b2e0feb85c1f28ff18f58891ffef132e",
  "ef2fa09346aee33c28eb130ff28f5b766953334113211996d20011a198e3fc433f9f2541010ae17c1bf202580f6047",
  "472fb36857fe843b19f5984009ddc324044e847a4f4a0ab34f719595de37252d6235365e9b84392b061085349d7320",
  "3a4a13e96f5432ec0fd4a1ee65accdd5e3904df54c1da510b0ff20dcc0c77fcb2c0e0eb605cb0504db87632cf3d8b4",
  "dae6e705769d1de354270123cb11450efc60ac47683d7b8d0f811365565fd98c4c8eb936bcab8d069fc33bd801b03a",
  "dea2e1fbc5aa463d08ca19896d2bf59a071b851e6c239052172f296bfb5e72404790a2181014f3b94a4e97d117b438",
  "130368cc39dbb2d198065ae3986547926cd2162f40a29f0c3c8745c0f50fba3852e566d44575c29d39a03f0cda7219",
  "84b6f440591f355e12d439ff150aab7613499dbd49adabc8676eef023b15b65bfc5ca06948109f23f350db82123535",
  "eb8a7433bdabcb909271a6ecbcb58b936a88cd4e8f2e6ff5800175f113253d8fa9ca8885c2f552e657dc603f252e1a",
  "8e308f76f0be79e2fb8f5d5fbbe2e30ecadd220723c8c0aea8078cdfcb3868263ff8f0940054da48781893a7e49ad5",
  "aff4af300cd804a6b6279ab3ff3afb64491c85194aab760d58a606654f9f4400e8b38591356fbf6425aca26dc85244",
  "259ff2b19c41b9f96f3ca9ec1dde434da7d2d392b905ddf3d1f9af93d1af5950bd493f5aa731b4056df31bd267b6b9",
  "0a079831aaf579be0a39013137aac6d404f518cfd46840647e78bfe706ca4cf5e9c5453e9f7cfd2b8b4c8d169a44e5",
  "5c88d4a9a7f9474241e221af44860018ab0856972e194cd934",
].join(""));

Deno.test("quicClientKeys() derives the RFC 9001 A.1 client keys", () => {
  const keys = quicClientKeys(RFC_DCID);
  assertEquals(toHex(keys.key), "1f369613dd76d5467730efcbe3b1a22d");
  assertEquals(toHex(keys.iv), "fa044b2f42a3fd3b46fb255c");
  assertEquals(toHex(keys.hp), "9f50449e04a0e810283a1e9933adedd2");
});

Deno.test("protectClientInitial() protects the RFC 9001 A.2 packet byte for byte", () => {
  const packet = protectClientInitial(RFC_PLAIN, RFC_DCID, new Uint8Array(0), 2, 4);
  assertEquals(toHex(packet), toHex(RFC_PACKET));
});

/** The server name the engine reads from a client's first datagram, as its flow namer does. */
function engineSni(datagram: Uint8Array): string | null | undefined {
  const initial = parseQuicInitial(datagram);
  assert(initial, "the engine opens the Initial");
  return new QuicCryptoAssembler().addInitial(initial);
}

Deno.test("quicInitial() is a 1200-byte v1 Initial the engine decrypts to its SNI", () => {
  const datagram = quicInitial("www.youtube.com", DCID, SCID, RANDOM);
  assertEquals(datagram.length, 1200);
  const initial = parseQuicInitial(datagram)!;
  assertEquals(initial.version, 1);
  assertEquals(toHex(initial.dcid), toHex(DCID));
  assertEquals(toHex(initial.scid), toHex(SCID));
  assertEquals(initial.packetNumber, 0);
  assertEquals(initial.chunks.length, 1);
  assertEquals(initial.chunks[0].offset, 0);
  assertEquals(engineSni(datagram), "www.youtube.com");
});

Deno.test("quicInitial() works for any connection ID lengths and long names", () => {
  const name = `${"x".repeat(63)}.${"y".repeat(63)}.${"z".repeat(63)}.${"w".repeat(61)}`;
  for (const [dcid, scid] of [[20, 0], [8, 20], [12, 4]]) {
    const datagram = quicInitial(name, new Uint8Array(dcid).fill(3), new Uint8Array(scid), RANDOM);
    assertEquals(datagram.length, 1200);
    assertEquals(engineSni(datagram), name);
  }
});

Deno.test("quicInitial() gives the same bytes for the same inputs; a flipped byte fails to authenticate", () => {
  const datagram = quicInitial("example.com", DCID, SCID, RANDOM);
  assertEquals(toHex(datagram), toHex(quicInitial("example.com", DCID, SCID, RANDOM)));
  const tampered = datagram.slice();
  tampered[600] ^= 1;
  assertEquals(parseQuicInitial(tampered), null); // the GCM tag no longer authenticates
});

Deno.test("quicInitial() throws on bad connection IDs, random and names, naming the argument", () => {
  const bad: [() => unknown, string][] = [
    [() => quicInitial("a.com", new Uint8Array(7), SCID, RANDOM), "dcid"],
    [() => quicInitial("a.com", new Uint8Array(21), SCID, RANDOM), "dcid"],
    [() => quicInitial("a.com", DCID, new Uint8Array(21), RANDOM), "scid"],
    [() => quicInitial("a.com", DCID, SCID, new Uint8Array(16)), "random"],
    [() => protectClientInitial(new Uint8Array(100), DCID, SCID, 256, 1), "packetNumber"],
    [() => protectClientInitial(new Uint8Array(100), DCID, SCID, 0, 5), "pnLength"],
  ];
  for (const [fn, name] of bad) {
    const error = assertThrows(fn, RangeError) as RangeError;
    assert(error.message.startsWith(name), error.message);
  }
  assertThrows(() => quicInitial("", DCID, SCID, RANDOM), TypeError, "serverName");
});
