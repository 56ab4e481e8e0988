import { assertEquals } from "@std/assert";
import { parseDnsMessage, questionType } from "../../engine/dns_message.ts";
import { prng, u16, u32 } from "./_packets.ts";

const name = (
  s: string,
) => [...s.split(".").flatMap((l) => [l.length, ...new TextEncoder().encode(l)]), 0];

/** A response to "www.YouTube.com A" with a CNAME chain compressed by pointers. */
function youtubeResponse(): Uint8Array {
  const question = name("www.YouTube.com"); // at offset 12
  const cnameTarget = name("youtube-ui.l.google.com");
  const answers = [
    ...[0xc0, 12],
    ...u16(5),
    ...u16(1),
    ...u32(300),
    ...u16(cnameTarget.length),
    ...cnameTarget,
    // The A record's owner points at the CNAME target (offset of its first label).
    ...[0xc0, 12 + question.length + 4 + 12],
    ...u16(1),
    ...u16(1),
    ...u32(60),
    ...u16(4),
    142,
    250,
    180,
    14,
    ...[0xc0, 12 + question.length + 4 + 12],
    ...u16(28),
    ...u16(1),
    ...u32(60),
    ...u16(16),
    0x2a,
    0x00,
    0x14,
    0x50,
    0x40,
    0x01,
    0x08,
    0x1a,
    0,
    0,
    0,
    0,
    0,
    0,
    0x20,
    0x0e,
  ];
  return Uint8Array.from([
    ...u16(0x1234),
    ...u16(0x8180),
    ...u16(1),
    ...u16(3),
    ...u16(0),
    ...u16(0),
    ...question,
    ...u16(1),
    ...u16(1),
    ...answers,
  ]);
}

Deno.test("parseDnsMessage() reads a compressed CNAME chain with A and AAAA answers", () => {
  assertEquals(parseDnsMessage(youtubeResponse()), {
    id: 0x1234,
    response: true,
    question: "www.youtube.com",
    questionType: 1,
    answers: [
      { type: "CNAME", ttl: 300, data: "youtube-ui.l.google.com" },
      { type: "A", ttl: 60, data: "142.250.180.14" },
      { type: "AAAA", ttl: 60, data: "2a00:1450:4001:81a::200e" },
    ],
    answerOwner: null,
  });
});

Deno.test("parseDnsMessage() reads owner names when asked (mDNS, NetBIOS answers)", () => {
  const message = parseDnsMessage(youtubeResponse(), true);
  assertEquals(message?.answerOwner, "www.youtube.com");
  assertEquals(message?.answers.map((a) => a.owner), [
    undefined,
    "youtube-ui.l.google.com",
    "youtube-ui.l.google.com",
  ]);
});

Deno.test("parseDnsMessage() reads a query", () => {
  const query = Uint8Array.from([
    ...u16(7),
    ...u16(0x0100),
    ...u16(1),
    0,
    0,
    0,
    0,
    0,
    0,
    ...name("netflix.com"),
    ...u16(28),
    ...u16(1),
  ]);
  assertEquals(parseDnsMessage(query), {
    id: 7,
    response: false,
    question: "netflix.com",
    questionType: 28,
    answers: [],
    answerOwner: null,
  });
});

Deno.test("parseDnsMessage() refuses pointer loops and short or foreign bytes", () => {
  const loop = Uint8Array.from([
    ...u16(1),
    ...u16(0x8180),
    ...u16(1),
    0,
    0,
    0,
    0,
    0,
    0,
    0xc0,
    12,
    0,
    1,
    0,
    1,
  ]);
  assertEquals(parseDnsMessage(loop), null);
  assertEquals(parseDnsMessage(Uint8Array.of(1, 2, 3)), null);
  assertEquals(
    parseDnsMessage(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n")),
    null,
  );
});

Deno.test("parseDnsMessage() never throws on mutated messages", () => {
  const random = prng(53);
  const base = youtubeResponse();
  for (let i = 0; i < 5000; i++) {
    const bytes = base.slice(0, 1 + random.int(base.length));
    for (let k = 0; k < 3; k++) bytes[random.int(bytes.length)] = random.int(256);
    parseDnsMessage(bytes);
  }
});

Deno.test("questionType() reads the first question's type without its name, -1 when there is none", () => {
  const response = youtubeResponse();
  assertEquals(questionType(response), 1);
  assertEquals(questionType(response), parseDnsMessage(response)?.questionType);
  const noQuestion = response.slice(0, 12);
  noQuestion[5] = 0;
  assertEquals(questionType(noQuestion), -1);
  assertEquals(questionType(response.subarray(0, 12 + 5)), -1); // cut inside the name
  const question = name("www.YouTube.com");
  assertEquals(questionType(response.subarray(0, 12 + question.length + 2)), -1); // no class
  assertEquals(questionType(new Uint8Array(4)), -1);
});
