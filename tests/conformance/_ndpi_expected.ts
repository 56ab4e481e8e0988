// Reads the flow lines of nDPI's expected results (ndpi-expected/NAME.out).

/** One flow as nDPI reports it. */
export interface ExpectedFlow {
  protocol: string;
  client: string;
  server: string;
  c2s: { packets: number; bytes: number };
  s2c: { packets: number; bytes: number };
  hostname: string | null;
  category: string | null;
}

const FLOW_LINE =
  /^\t\d+\t(\S+) (\S+) (?:<->|->) (\S+) \[proto.*?\[(\d+) pkts\/(\d+) bytes (?:<->|->) (\d+) pkts\/(\d+) bytes\]/;
const HOSTNAME = /\[Hostname\/SNI: ([^\]]*)\]/;
const CATEGORY = /\[cat: ([^/\]]+)\/\d+\]/;

/** nDPI's protocol names for IP protocols Sluice reports by number. */
const PROTOCOL_NUMBERS: Record<string, string> = {
  IGMP: "2",
  SCTP: "132",
  VRRP: "112",
  PIM: "103",
  PGM: "113",
  OSPF: "89",
  ESP: "50",
  AH: "51",
  GRE: "47",
};

export function parseExpected(text: string): ExpectedFlow[] {
  const flows: ExpectedFlow[] = [];
  for (const line of text.split("\n")) {
    const m = FLOW_LINE.exec(line);
    if (!m) continue;
    flows.push({
      protocol: PROTOCOL_NUMBERS[m[1]] ?? m[1],
      client: m[2],
      server: m[3],
      c2s: { packets: Number(m[4]), bytes: Number(m[5]) },
      s2c: { packets: Number(m[6]), bytes: Number(m[7]) },
      hostname: HOSTNAME.exec(line)?.[1] ?? null,
      category: CATEGORY.exec(line)?.[1] ?? null,
    });
  }
  return flows;
}
