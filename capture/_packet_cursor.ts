// Reads packets from an open pcap_t with pcap_next_ex without allocating per packet:
// libpcap hands back the same header and buffer addresses packet after packet,
// so the DataViews over them are built once and rebuilt only when an address moves.
import { type Libpcap, PKTHDR } from "./_libpcap.ts";

const TWO_32 = 0x1_0000_0000;

/** pcap_next_ex status codes. */
export const NEXT_OK = 1, NEXT_TIMEOUT = 0, NEXT_ERROR = -1, NEXT_EOF = -2;

export class PacketCursor {
  // Out-parameters: [header pointer, data pointer]. 64 bytes keeps them off the V8 heap.
  readonly #out = new BigUint64Array(8);
  readonly #out32 = new Uint32Array(this.#out.buffer);
  readonly #hdrOut = this.#out.subarray(0, 1);
  readonly #dataOut = this.#out.subarray(1, 2);
  #hdrLo = -1;
  #hdrHi = -1;
  #hdr = new DataView(new ArrayBuffer(PKTHDR.size));
  #dataLo = -1;
  #dataHi = -1;
  #dataLen = -1;
  /** The current packet's bytes, from offset 0. */
  data = new DataView(new ArrayBuffer(0));
  capLen = 0;
  wireLen = 0;
  tsSec = 0;
  tsNsec = 0;

  constructor(readonly lib: Libpcap, readonly handle: Deno.PointerObject) {}

  /** Advances to the next packet; returns a pcap_next_ex status code. */
  next(): number {
    const rc = this.lib.pcap_next_ex(this.handle, this.#hdrOut, this.#dataOut);
    if (rc !== NEXT_OK) return rc;
    const o = this.#out32;
    if (o[0] !== this.#hdrLo || o[1] !== this.#hdrHi) {
      this.#hdrLo = o[0];
      this.#hdrHi = o[1];
      this.#hdr = new DataView(viewAt(o[0], o[1], PKTHDR.size));
    }
    const h = this.#hdr;
    const capLen = h.getUint32(PKTHDR.caplen, true);
    this.capLen = capLen;
    this.wireLen = h.getUint32(PKTHDR.len, true);
    this.tsSec = PKTHDR.secIs64
      ? h.getUint32(PKTHDR.sec, true) + h.getInt32(PKTHDR.sec + 4, true) * TWO_32
      : h.getInt32(PKTHDR.sec, true);
    this.tsNsec = h.getUint32(PKTHDR.frac, true);
    if (o[2] !== this.#dataLo || o[3] !== this.#dataHi || capLen > this.#dataLen) {
      this.#dataLo = o[2];
      this.#dataHi = o[3];
      this.#dataLen = capLen;
      this.data = new DataView(viewAt(o[2], o[3], capLen));
    }
    return rc;
  }
}

function viewAt(lo: number, hi: number, length: number): ArrayBuffer {
  const ptr = Deno.UnsafePointer.create((BigInt(hi) << 32n) | BigInt(lo));
  if (ptr === null || length === 0) return new ArrayBuffer(0);
  return Deno.UnsafePointerView.getArrayBuffer(ptr, length);
}
