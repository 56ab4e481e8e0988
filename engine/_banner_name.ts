// Names that plain-text protocols announce in their first line: an SSH
// software banner, the host an SMTP or FTP server greets with, a munin node's
// name, the domain a WHOIS query asks about.
const latin1 = new TextDecoder("latin1");
const WHOIS = 43;
const MAX_LINE = 256;

/** The first line of `bytes` if it ends within MAX_LINE bytes; null otherwise. */
function firstLine(bytes: Uint8Array): string | null {
  const end = bytes.subarray(0, MAX_LINE).indexOf(0x0a);
  if (end < 0) return null;
  return latin1.decode(bytes.subarray(0, end)).replace(/\r$/, "");
}

const HOST_TOKEN = /^[a-z0-9][a-z0-9._-]{0,253}$/;

/**
 * The name a server's greeting gives: "SSH-2.0-..." whole, the first word
 * after SMTP's or FTP's "220 ", or the node a munin server names. Null when
 * the bytes are none of these.
 */
export function serverBannerName(bytes: Uint8Array): string | null {
  if (bytes.length < 4) return null;
  const b0 = bytes[0];
  if (b0 !== 0x53 && b0 !== 0x32 && b0 !== 0x23) return null; // 'S', '2', '#': cheap refusal
  const line = firstLine(bytes);
  if (line === null) return null;
  if (line.startsWith("SSH-")) return line;
  if (line.startsWith("220 ") || line.startsWith("220-")) {
    const word = line.slice(4).split(" ", 1)[0].toLowerCase();
    return HOST_TOKEN.test(word) ? word : null;
  }
  const munin = /^# munin node at (\S+)$/.exec(line);
  return munin ? munin[1].toLowerCase() : null;
}

/** The name a client's first line gives: its SSH banner, or the domain of a WHOIS query. */
export function clientBannerName(bytes: Uint8Array, serverPort: number): string | null {
  if (bytes.length < 4 || (bytes[0] !== 0x53 && serverPort !== WHOIS)) return null;
  const line = firstLine(bytes);
  if (line === null) return null;
  if (line.startsWith("SSH-")) return line;
  if (serverPort !== WHOIS) return null;
  const query = line.trim().toLowerCase();
  return HOST_TOKEN.test(query) && query.includes(".") ? query : null;
}
