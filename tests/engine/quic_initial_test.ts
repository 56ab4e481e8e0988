// QUIC client Initial decryption and the ClientHello's server name. Packets are
// the RFC 9001 Appendix A.2 sample and ones this file protects itself with the
// same keys (its encryptor is checked against the RFC's packet byte for byte).
import { createCipheriv } from "node:crypto";
import { assert, assertEquals, assertStrictEquals } from "@std/assert";
import { Decoded, decodePacket, PacketInfo } from "../../engine/mod.ts";
import {
  clientInitialKeys,
  headerMask,
  initialScheme,
  packetNonce,
} from "../../engine/_quic_crypto.ts";
import {
  type CryptoChunk,
  parseQuicInitial,
  QuicCryptoAssembler,
} from "../../engine/quic_initial.ts";
import { concat, u32 } from "./_packets.ts";
import { fromHex, RFC_DCID, RFC_PACKET, RFC_PLAIN, toHex } from "../_rfc9001.ts";
import { CORPUS_DIR, hasCorpus, hasLibpcap, requireSystem, skipUnless } from "../_system.ts";
import { END_OF_CAPTURE, openFile } from "../../capture/mod.ts";

const V1 = 0x00000001, V2 = 0x6b3343cf;

function varint(n: number): number[] {
  if (n < 64) return [n];
  if (n < 16384) return [0x40 | (n >> 8), n & 255];
  return [0x80 | (n >>> 24), (n >> 16) & 255, (n >> 8) & 255, n & 255];
}

interface Protect {
  version?: number;
  dcid?: Uint8Array;
  scid?: Uint8Array;
  pn?: number;
  pnLen?: number;
  /** Long header type bits; the version's Initial type unless given. */
  type?: number;
  /** Whose keys: the packet's DCID unless given. */
  keyDcid?: Uint8Array;
}

/** Protects `frames` as a client Initial, as a sender does (RFC 9001 §5.3, §5.4). */
function protect(frames: Uint8Array, o: Protect = {}): Uint8Array {
  const version = o.version ?? V1, dcid = o.dcid ?? RFC_DCID, scid = o.scid ?? new Uint8Array();
  const pn = o.pn ?? 2, pnLen = o.pnLen ?? 4;
  const scheme = initialScheme(version)!, type = o.type ?? scheme.initialType;
  const keys = clientInitialKeys(scheme, o.keyDcid ?? dcid);
  const pnBytes = Array.from({ length: pnLen }, (_, i) => (pn >> (8 * (pnLen - 1 - i))) & 255);
  const length = pnLen + frames.length + 16;
  const header = concat(
    [0xc0 | (type << 4) | (pnLen - 1)],
    [version >>> 24, (version >> 16) & 255, (version >> 8) & 255, version & 255],
    [dcid.length],
    dcid,
    [scid.length],
    scid,
    type === scheme.initialType ? [0] : [], // an empty token, in Initials only
    [0x40 | (length >> 8), length & 255],
    pnBytes,
  );
  const cipher = createCipheriv("aes-128-gcm", keys.key, packetNonce(keys.iv, pn));
  cipher.setAAD(header);
  const packet = concat(header, cipher.update(frames), cipher.final(), cipher.getAuthTag());
  const pnOffset = header.length - pnLen;
  const mask = headerMask(keys.hp, packet.subarray(pnOffset + 4, pnOffset + 20));
  packet[0] ^= mask[0] & 0x0f;
  for (let i = 0; i < pnLen; i++) packet[pnOffset + i] ^= mask[1 + i];
  return packet;
}

function crypto(offset: number, data: Uint8Array, type = 0x06): Uint8Array {
  return concat([type], varint(offset), varint(data.length), data);
}

/** A gQUIC CHLO naming `sni`, padded to 1024 bytes as clients send it. */
function chlo(sni: string): Uint8Array {
  const name = new TextEncoder().encode(sni), pad = 1024 - 24 - name.length;
  const le32 = (n: number) => [n & 255, (n >> 8) & 255, 0, 0];
  return concat(
    [0x43, 0x48, 0x4c, 0x4f, 2, 0, 0, 0], // "CHLO", 2 entries
    [0x50, 0x41, 0x44, 0, ...le32(pad)], // "PAD\0"
    [0x53, 0x4e, 0x49, 0, ...le32(pad + name.length)], // "SNI\0"
    new Uint8Array(pad),
    name,
  );
}

/** A TLS 1.3 ClientHello handshake message, with `sni` and `pad` bytes of padding extension. */
function clientHello(sni: string | null, pad = 0): Uint8Array {
  const ext = (type: number, body: Uint8Array) =>
    concat([type >> 8, type & 255, body.length >> 8, body.length & 255], body);
  const name = new TextEncoder().encode(sni ?? "");
  const extensions = concat(
    sni === null ? [] : ext(0, concat([0, name.length + 3, 0, 0, name.length], name)),
    ext(0x2b, Uint8Array.of(2, 3, 4)),
    pad ? ext(0x15, new Uint8Array(pad)) : [],
  );
  const body = concat(
    [3, 3],
    new Uint8Array(32).fill(7),
    [32],
    new Uint8Array(32).fill(9),
    [0, 2, 0x13, 0x01, 1, 0],
    [extensions.length >> 8, extensions.length & 255],
    extensions,
  );
  return concat([1, 0, body.length >> 8, body.length & 255], body);
}

function sniOf(...chunkLists: CryptoChunk[][]): string | null | undefined {
  const assembler = new QuicCryptoAssembler();
  for (const chunks of chunkLists) assembler.add(chunks);
  return assembler.sni();
}

Deno.test("clientInitialKeys() derives the RFC 9001 Appendix A.1 client keys", () => {
  const keys = clientInitialKeys(initialScheme(V1)!, RFC_DCID);
  assertEquals(toHex(keys.key), "1f369613dd76d5467730efcbe3b1a22d");
  assertEquals(toHex(keys.iv), "fa044b2f42a3fd3b46fb255c");
  assertEquals(toHex(keys.hp), "9f50449e04a0e810283a1e9933adedd2");
});

Deno.test("clientInitialKeys() derives the RFC 9369 Appendix A.1 QUIC v2 client keys", () => {
  const keys = clientInitialKeys(initialScheme(V2)!, RFC_DCID);
  assertEquals(toHex(keys.key), "8b1a0bc121284290a29e0971b5cd045d");
  assertEquals(toHex(keys.iv), "91f73e2351d8fa91660e909f");
  assertEquals(toHex(keys.hp), "45b95e15235d6f45a6b19cbcb0294ba9");
});

Deno.test("parseQuicInitial() decrypts the RFC 9001 Appendix A client Initial", () => {
  assertEquals(RFC_PACKET.length, 1200);
  const initial = parseQuicInitial(RFC_PACKET);
  assert(initial);
  assertEquals(initial.version, V1);
  assertEquals(toHex(initial.dcid), "8394c8f03e515708");
  assertEquals(initial.scid.length, 0);
  assertEquals(initial.packetNumber, 2);
  assertEquals(initial.chunks.map((c) => [c.offset, c.data.length]), [[0, 241]]);
  assertEquals(initial.chunks[0].data, RFC_PLAIN.subarray(4, 245));
  assertStrictEquals(sniOf(initial.chunks), "example.com");
});

Deno.test("the test encryptor reproduces the RFC 9001 Appendix A.2 packet byte for byte", () => {
  assertEquals(toHex(protect(RFC_PLAIN)), toHex(RFC_PACKET));
});

Deno.test("parseQuicInitial() reads QUIC v2 Initials by their type bits 0b01", () => {
  const frames = concat(crypto(0, clientHello("v2.example.net")), new Uint8Array(40));
  const v2 = parseQuicInitial(protect(frames, { version: V2 }));
  assert(v2);
  assertEquals(v2.version, V2);
  assertStrictEquals(sniOf(v2.chunks), "v2.example.net");
  // Type 0b00 is a v2 Retry, and 0b01 a v1 0-RTT packet: neither is an Initial.
  assertEquals(parseQuicInitial(protect(frames, { version: V2, type: 0 })), null);
  assertEquals(parseQuicInitial(protect(frames, { version: V1, type: 1 })), null);
});

Deno.test("parseQuicInitial() reads drafts 22 to 34 and refuses unknown versions", () => {
  const frames = concat(crypto(0, clientHello("draft.example")), new Uint8Array(40));
  for (let version = 0xff000016; version <= 0xff000022; version++) {
    const initial = parseQuicInitial(protect(frames, { version }));
    assertEquals(initial?.version, version, version.toString(16));
    assertStrictEquals(sniOf(initial!.chunks), "draft.example");
  }
  const packet = protect(frames, { version: 0xff00001d });
  for (const version of [0xff000015, 0xff000023, 0xfaceb000, 0x51303439, 0x0a0a0a0a, 0]) {
    const other = packet.slice();
    new DataView(other.buffer).setUint32(1, version);
    assertEquals(parseQuicInitial(other), null, version.toString(16));
  }
});

Deno.test("QuicCryptoAssembler finds a ClientHello split across two Initials out of order", () => {
  const hello = clientHello("split.example.org", 1500);
  const first = parseQuicInitial(protect(crypto(0, hello.subarray(0, 1000)), { pn: 0 }));
  const second = parseQuicInitial(protect(crypto(1000, hello.subarray(1000)), { pn: 1 }));
  assert(first && second);
  assertEquals(second.chunks[0].offset, 1000);
  const assembler = new QuicCryptoAssembler();
  assembler.add(second.chunks);
  assertStrictEquals(assembler.sni(), undefined);
  assembler.add(second.chunks); // a retransmission changes nothing
  assertStrictEquals(assembler.sni(), undefined);
  assembler.add(first.chunks);
  assertStrictEquals(assembler.sni(), "split.example.org");
});

Deno.test("parseQuicInitial() collects every Initial of a coalesced datagram", () => {
  const hello = clientHello("coalesced.example", 300);
  const a = protect(crypto(200, hello.subarray(200)), { pn: 1, pnLen: 1 });
  const b = protect(crypto(0, hello.subarray(0, 200)), { pn: 2, pnLen: 2 });
  const zeroRtt = protect(new Uint8Array(30), { type: 1 }); // skipped by its length
  const initial = parseQuicInitial(concat(a, zeroRtt, b));
  assert(initial);
  assertEquals(initial.packetNumber, 1);
  assertEquals(initial.chunks.map((c) => c.offset), [200, 0]);
  assertStrictEquals(sniOf(initial.chunks), "coalesced.example");
  // A short header packet ends the walk; a damaged later Initial is left out.
  const short = concat([0x40], new Uint8Array(40).fill(0x55));
  assertEquals(parseQuicInitial(concat(a, short, b))?.chunks.length, 1);
  const bad = b.slice();
  bad[bad.length - 1] ^= 1;
  assertEquals(parseQuicInitial(concat(a, bad))?.chunks.length, 1);
});

Deno.test("parseQuicInitial() reads Q050's CHLO from Google's CRYPTO frames", () => {
  const Q050 = 0x51303530;
  const ack = [0x40, 1, 0x10, 0x8c, 1, 0]; // gQUIC ACK: largest 1, delay, block 1, no timestamps
  const first = parseQuicInitial(protect(concat(crypto(0, chlo("q50.example"), 0x08)), {
    version: Q050,
  }));
  assertEquals(first?.version, Q050);
  assertStrictEquals(first?.chloSni, "q50.example");
  assertEquals(first?.chunks, []);
  // The second CHLO, after a REJ: past an ACK, at a stream offset, read on its own.
  const second = protect(concat(ack, crypto(1024, chlo("again.example"), 0x08)), {
    version: Q050,
    pn: 3,
  });
  assertStrictEquals(parseQuicInitial(second)?.chloSni, "again.example");
  const ackOnly = parseQuicInitial(protect(concat(ack, new Uint8Array(30)), { version: Q050 }));
  assert(ackOnly);
  assertStrictEquals(ackOnly.chloSni, undefined);
  // IETF CRYPTO frames (0x06) mean nothing in Google's layout.
  const ietf = parseQuicInitial(protect(crypto(0, chlo("x.example")), { version: Q050 }));
  assertStrictEquals(ietf?.chloSni, undefined);
});

Deno.test("parseQuicInitial() reads T050 and T051 ClientHellos from Google's CRYPTO frames", () => {
  for (const version of [0x54303530, 0x54303531]) {
    const hello = clientHello("t05x.example", 1300);
    const a = parseQuicInitial(protect(crypto(0, hello.subarray(0, 1000), 0x08), { version }));
    const ackAndRest = concat([0x40, 1, 0, 0, 1, 0], crypto(1000, hello.subarray(1000), 0x08));
    const b = parseQuicInitial(protect(ackAndRest, { version, pn: 3 }));
    assert(a && b);
    assertStrictEquals(a.chloSni, undefined);
    assertStrictEquals(sniOf(a.chunks, b.chunks), "t05x.example");
  }
});

Deno.test("mvfst versions take the salts of the drafts they follow", () => {
  const salts: [number, string][] = [
    [0xfaceb001, "draft-22"],
    [0xfaceb002, "draft-23"],
    [0xfaceb003, "v1"],
    [0xfaceb00e, "draft-23"],
    [0xfaceb011, "draft-23"],
  ];
  const frames = concat(crypto(0, clientHello("graph.example")), new Uint8Array(40));
  for (const [version, salt] of salts) {
    assertEquals(initialScheme(version)?.name, salt, version.toString(16));
    assertStrictEquals(
      sniOf(parseQuicInitial(protect(frames, { version }))!.chunks),
      "graph.example",
    );
  }
});

Deno.test("parseQuicInitial() opens Initials sent to a new DCID with the first DCID's keys", () => {
  const first = fromHex("ac49898ddc4590e8"),
    moved = fromHex("0164bccb0bceb2de8f64afc9a9cea6a36437ab44");
  const hello = clientHello("moved.example", 1300);
  const a = protect(crypto(0, hello.subarray(0, 1000)), { dcid: first, pn: 0 });
  const b = protect(crypto(1000, hello.subarray(1000)), { dcid: moved, keyDcid: first, pn: 1 });
  assertEquals(parseQuicInitial(b), null); // its own DCID's keys do not open it
  const assembler = new QuicCryptoAssembler();
  assertStrictEquals(assembler.keyDcid, undefined);
  const fromA = parseQuicInitial(a, assembler.keyDcid);
  assert(fromA);
  assertStrictEquals(assembler.addInitial(fromA), undefined);
  assertEquals(assembler.keyDcid, first);
  const fromB = parseQuicInitial(b, assembler.keyDcid);
  assertEquals(fromB?.dcid, first);
  assertStrictEquals(assembler.addInitial(fromB!), "moved.example");
  // After a Retry the packet's own DCID keys it: those are tried second.
  const retried = protect(crypto(0, hello), { dcid: moved, pn: 2 });
  assertEquals(parseQuicInitial(retried, first)?.dcid, moved);
});

Deno.test("QuicCryptoAssembler.addInitial() answers at a gQUIC CHLO", () => {
  const q050 = parseQuicInitial(protect(crypto(0, chlo("chlo.example"), 0x08), {
    version: 0x51303530,
  }))!;
  const assembler = new QuicCryptoAssembler();
  assertStrictEquals(assembler.addInitial({ ...q050, chloSni: undefined }), undefined);
  assertStrictEquals(assembler.addInitial(q050), "chlo.example");
  assertStrictEquals(assembler.addInitial({ ...q050, chloSni: "later.example" }), "chlo.example");
  const none = new QuicCryptoAssembler();
  assertStrictEquals(none.addInitial({ ...q050, chloSni: null }), null);
  assertStrictEquals(none.sni(), null);
});

Deno.test("parseQuicInitial() reads past PADDING, PING, ACK and CONNECTION_CLOSE", () => {
  const data = Uint8Array.of(1, 2, 3);
  const frames = concat(
    [0x00, 0x01],
    [0x02, 5, 0, 1, 0, 1, 2], // ACK: largest 5, delay 0, 1 more range, first 0, gap 1, len 2
    [0x03, 9, 0, 0, 3, 1, 2, 3], // ACK with ECN counts
    [0x1c, 0x0a, 0x06, 2, 0x68, 0x69], // CONNECTION_CLOSE with a 2-byte reason
    crypto(7, data),
    [0x08, 0, 0], // STREAM is not an Initial frame: the rest is not read
    crypto(10, data),
  );
  const initial = parseQuicInitial(protect(concat(frames, new Uint8Array(20))));
  assertEquals(initial?.chunks, [{ offset: 7, data }]);
  // A CRYPTO frame claiming more than the packet holds is dropped.
  const lying = parseQuicInitial(protect(concat([0x06, 0, 0x40, 200], data, new Uint8Array(20))));
  assertEquals(lying?.chunks, []);
});

Deno.test("parseQuicInitial() returns null on garbage, truncation and a bad tag", () => {
  assertEquals(parseQuicInitial(new Uint8Array()), null);
  assertEquals(parseQuicInitial(Uint8Array.of(0xc0)), null);
  for (let n = 0; n < RFC_PACKET.length; n += 7) {
    assertEquals(parseQuicInitial(RFC_PACKET.subarray(0, n)), null, `cut at ${n}`);
  }
  for (const at of [0, 5, 6, 13, 18, 21, 22, 600, 1199]) { // header, DCID, length, pn, body, tag
    const bad = RFC_PACKET.slice();
    bad[at] ^= 0x04;
    assertEquals(parseQuicInitial(bad), null, `byte ${at} changed`);
  }
  // Keys from another DCID: what a server Initial, or anyone else's packet, looks like.
  assertEquals(
    parseQuicInitial(protect(RFC_PLAIN, { keyDcid: fromHex("0001020304050607") })),
    null,
  );
  let seed = 1;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16;
  for (let i = 0; i < 500; i++) {
    const junk = Uint8Array.from({ length: random() % 1300 }, random);
    const version = [V1, 0x51303530, 0x54303531, 0xfaceb002, 0x51303436][i % 5];
    if (junk.length > 6) junk.set([0xc0 | (junk[0] & 0x3f), ...u32(version), junk[5] % 24]);
    assertEquals(parseQuicInitial(junk, i % 2 ? RFC_DCID : undefined), null);
  }
});

Deno.test("QuicCryptoAssembler: no server_name, not a ClientHello, overlaps", () => {
  assertStrictEquals(sniOf([{ offset: 0, data: clientHello(null) }]), null);
  assertStrictEquals(sniOf([{ offset: 0, data: Uint8Array.of(2, 0, 0, 0) }]), null);
  assertStrictEquals(sniOf([{ offset: 0, data: Uint8Array.of(1, 0) }]), undefined);
  const hello = clientHello("overlap.example");
  const pieces = [[30, 90], [0, 40], [85, hello.length], [10, 20]].map(([from, to]) => ({
    offset: from,
    data: hello.slice(from, to),
  }));
  assertStrictEquals(sniOf(pieces.slice(0, 3)), "overlap.example");
  assertStrictEquals(sniOf(pieces.slice(0, 1), pieces.slice(2)), undefined); // a hole at 0..30
  // The first copy of a byte wins: a later overlapping copy cannot rename the server.
  const forged = { offset: 0, data: clientHello("overlap.exampla") };
  assertStrictEquals(sniOf([{ offset: 0, data: hello.slice(0, -1) }, forged]), "overlap.example");
});

Deno.test("QuicCryptoAssembler keeps at most 64 KiB", () => {
  const assembler = new QuicCryptoAssembler();
  assembler.add([{ offset: 70_000, data: new Uint8Array(100) }, {
    offset: -5,
    data: new Uint8Array(9),
  }]);
  assertStrictEquals(assembler.sni(), undefined);
  // A ClientHello longer than the limit can never be completed.
  assertStrictEquals(sniOf([{ offset: 0, data: Uint8Array.of(1, 1, 0, 0) }]), null);
  const near = clientHello("big.example", 60_000);
  const chunks = [{ offset: 0, data: near.subarray(0, 65_000) }, {
    offset: 65_000,
    data: near.subarray(65_000),
  }];
  assertStrictEquals(sniOf(chunks), "big.example");
});

/** The first SNI each UDP flow's client Initials give, read through libpcap as FlowNamer does. */
async function corpusSnis(path: string): Promise<string[]> {
  const source = openFile(path);
  const info = new PacketInfo(), found: string[] = [];
  const flows = new Map<string, QuicCryptoAssembler>();
  const sink = {
    packet(v: DataView, offset: number, capLen: number, wireLen: number) {
      const status = decodePacket(source.linkType, v, offset, capLen, info, wireLen);
      if (status !== Decoded.OK || info.protocol !== 17) return;
      const payload = new Uint8Array(
        v.buffer,
        v.byteOffset + info.payloadOffset,
        info.payloadLength,
      );
      const key = `${info.src.join(".")}:${info.srcPort}>${info.dst.join(".")}:${info.dstPort}`;
      const initial = parseQuicInitial(payload, flows.get(key)?.keyDcid);
      if (!initial) return;
      const assembler = flows.get(key) ?? new QuicCryptoAssembler();
      flows.set(key, assembler);
      const before = assembler.sni();
      const sni = assembler.addInitial(initial);
      if (before === undefined && typeof sni === "string") found.push(sni);
    },
  };
  while ((await source.read(sink)) !== END_OF_CAPTURE) { /* the sink collects */ }
  return found;
}

/** Captures whose QUIC flows nDPI names: drafts, mvfst, and Google's Q0xx and T05x. */
const CORPUS = [
  ...["quic-23.pcap", "quic-24.pcap", "quic-27.pcap", "quic-29.pcap"],
  ...["quic-mvfst-22.pcap", "quic-mvfst-27.pcapng", "quic-mvfst-exp.pcap"],
  ...["quic_frags_different_dcid.pcapng", "quic_t50.pcap", "quic_t51.pcap", "quic_q50.pcap"],
  ...["gquic.pcap", "quic_q46.pcap", "quic_q46_b.pcap", "quic046.pcap", "quic_q43.pcap"],
  ...["quic_q39.pcap", "youtube_quic.pcap", "quic.pcap", "http_ipv6.pcap"],
];

Deno.test({
  name: "parseQuicInitial() finds the nDPI corpus's QUIC and gQUIC server names",
  ignore: skipUnless(hasCorpus() && hasLibpcap(), "the shared pcap corpus with libpcap"),
  async fn() {
    requireSystem(hasCorpus() && hasLibpcap(), "the shared pcap corpus with libpcap");
    for (const name of CORPUS) {
      const expected = Deno.readTextFileSync(`${CORPUS_DIR}ndpi-expected/${name}.out`);
      const want = [...expected.matchAll(/\tUDP .*Hostname\/SNI: ([^\]]+)\]/g)].map((m) => m[1]);
      const found = await corpusSnis(`${CORPUS_DIR}ndpi/${name}`);
      assertEquals(found.sort(), want.sort(), name);
    }
  },
});
