// Reads the command line of an MGCP message (RFC 3435, UDP ports 2427 and
// 2727): "RQNT 1201 aaln/1@gw-25.example.net MGCP 1.0". The endpoint's domain
// names the media gateway that call agent and gateway talk about. Pure and
// bounded: garbage gives null, never an exception.

/** The commands of RFC 3435 §3.2.2 (MESG is from RFC 3991). */
const VERBS = new Set("AUCX AUEP CRCX DLCX EPCF MDCX MESG NTFY RQNT RSIP".split(" "));
/** The command line is short; endpoints are at most 255 characters. */
const MAX_LINE = 512;
const latin1 = new TextDecoder("latin1");
const COMMAND_LINE =
  /^([A-Z]{4}) (\d{1,9}) (\S{1,255}) MGCP (\d+\.\d+)(?:[ \t][^\r\n]*)?(?:\r|\n|$)/;

/** An MGCP command, reduced to its command line. */
export interface MgcpCommand {
  /** The four-letter verb: "CRCX", "RQNT", "RSIP", ... */
  verb: string;
  transactionId: number;
  /** The endpoint as written: "local-name@domain", the local name possibly with wildcards. */
  endpoint: string;
  /** Protocol version, "1.0" (some gateways say "0.1"). */
  version: string;
}

/**
 * Parses the command line at the start of an MGCP datagram. Returns null
 * for responses ("200 1201 OK") and for anything that is not MGCP.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const text = new TextEncoder().encode("RSIP 31656860 *@gateway44.myplace.com MGCP 1.0\r\nRM: restart\r\n");
 * assertEquals(parseMgcpMessage(text), {
 *   verb: "RSIP",
 *   transactionId: 31656860,
 *   endpoint: "*@gateway44.myplace.com",
 *   version: "1.0",
 * });
 * ```
 */
export function parseMgcpMessage(payload: Uint8Array): MgcpCommand | null {
  if (payload.length < 16 || payload[4] !== 0x20 || payload[0] < 0x41 || payload[0] > 0x52) {
    return null;
  }
  if (!VERBS.has(String.fromCharCode(payload[0], payload[1], payload[2], payload[3]))) return null;
  const m = COMMAND_LINE.exec(latin1.decode(payload.subarray(0, MAX_LINE)));
  if (!m) return null;
  return { verb: m[1], transactionId: Number(m[2]), endpoint: m[3], version: m[4] };
}

/**
 * The name nDPI reports for an MGCP flow: the endpoint's domain (what
 * follows its first "@"), lowercased, or the whole endpoint when it has no
 * domain. Returns null when that is not a plausible host name.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const command = { verb: "RQNT", transactionId: 80, endpoint: "AALN/S2/1@VG224", version: "0.1" };
 * assertEquals(mgcpHostname(command), "vg224");
 * ```
 */
export function mgcpHostname(command: MgcpCommand): string | null {
  const at = command.endpoint.indexOf("@");
  const name = (at < 0 ? command.endpoint : command.endpoint.slice(at + 1)).toLowerCase();
  return /^(?:[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?|\[[0-9a-f.:]+\])$/.test(name) ? name : null;
}
