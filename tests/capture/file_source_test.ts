import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { CaptureError, openFile } from "../../capture/mod.ts";
import { CORPUS_DIR, hasCorpus, hasLibpcap, requireSystem, skipUnless } from "../_system.ts";
import { readAccordingToContract } from "./_source_contract.ts";

const available = hasLibpcap() && hasCorpus();
const what = "libpcap and the shared corpus";

Deno.test({
  name: "openFile() keeps the PacketSource contract and reads every packet of a pcap",
  ignore: skipUnless(available, what),
  async fn() {
    requireSystem(available, what);
    const seen = await readAccordingToContract(
      openFile(`${CORPUS_DIR}ndpi/1kxun.pcap`),
      () => false,
    );
    // tcpdump -r 1kxun.pcap | wc -l: 1723 packets; capinfos: 2,527,774 bytes.
    assertEquals(seen.length, 1723);
    assertEquals(seen.reduce((sum, p) => sum + p.wireLen, 0), 2_527_774);
    assertEquals(seen[0].time, 1470104373.025824);
    assertEquals([...seen[0].bytes.subarray(0, 6)], [0x01, 0x00, 0x5e, 0x00, 0x00, 0xfc]);
  },
});

Deno.test({
  name: "openFile() reads pcapng with nanosecond timestamps",
  ignore: skipUnless(available, what),
  async fn() {
    requireSystem(available, what);
    const seen = await readAccordingToContract(
      openFile(`${CORPUS_DIR}ndpi/doh.pcapng`),
      () => false,
    );
    assertEquals(seen.length > 0, true);
  },
});

Deno.test({
  name: "openFile() applies a BPF filter and refuses a bad one",
  ignore: skipUnless(available, what),
  async fn() {
    requireSystem(available, what);
    const seen = await readAccordingToContract(
      openFile(`${CORPUS_DIR}ndpi/1kxun.pcap`, { filter: "udp port 5355" }),
      () => false,
    );
    assertEquals(seen.length > 0 && seen.length < 1723, true);
    assertThrows(
      () => openFile(`${CORPUS_DIR}ndpi/1kxun.pcap`, { filter: "port nonsense" }),
      CaptureError,
      "bad filter",
    );
  },
});

Deno.test({
  name: "openFile() names a missing, non-capture or truncated file in a CaptureError",
  ignore: skipUnless(available, what),
  async fn() {
    requireSystem(available, what);
    assertThrows(() => openFile("/nonexistent/x.pcap"), CaptureError, "no such file");
    const dir = Deno.makeTempDirSync();
    try {
      Deno.writeTextFileSync(`${dir}/notes.txt`, "not a capture at all\n");
      assertThrows(() => openFile(`${dir}/notes.txt`), CaptureError, "not a readable capture");
      assertThrows(() => openFile(dir), CaptureError, "not a file");
      const whole = Deno.readFileSync(`${CORPUS_DIR}ndpi/1kxun.pcap`);
      Deno.writeFileSync(`${dir}/cut.pcap`, whole.subarray(0, 5000));
      const source = openFile(`${dir}/cut.pcap`);
      const sink = { packet() {} };
      await assertRejects(
        async () => {
          while ((await source.read(sink)) >= 0) { /* until the cut */ }
        },
        CaptureError,
        "truncated",
      );
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});
