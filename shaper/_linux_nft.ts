// Blocks: an nftables table of Sluice's own, `inet sluice`, whose forward
// chain drops what blocked devices send and what is sent to them.
import type { ShapeDevice, ShaperObject } from "./shaper_types.ts";

/**
 * Declaring the table first makes the delete safe when it does not exist,
 * so the whole file can be applied again at any time.
 */
const TABLE = `table inet sluice
delete table inet sluice
table inet sluice {
  set blocked_macs { type ether_addr; }
  set blocked_v4 { type ipv4_addr; }
  set blocked_v6 { type ipv6_addr; }
  chain forward {
    type filter hook forward priority -10; policy accept;
    ether saddr @blocked_macs drop
    ip saddr @blocked_v4 drop
    ip daddr @blocked_v4 drop
    ip6 saddr @blocked_v6 drop
    ip6 daddr @blocked_v6 drop
  }
}
`;

/** The table, its sets and its chain. */
export const NFT_TABLE_OBJECT: ShaperObject = {
  key: "block/table",
  identity: "inet sluice",
  spec: TABLE,
  needs: [],
  create: [{ argv: ["nft", "-f", "-"], stdin: TABLE }],
  remove: [{ argv: ["nft", "delete", "table", "inet", "sluice"], mayFail: true }],
  summary: "nftables table inet sluice",
};

/** A blocked device's MAC and addresses in the table's sets. */
export function blockObject(device: ShapeDevice): ShaperObject {
  const sets: [string, string[]][] = [
    ["blocked_macs", device.mac ? [device.mac] : []],
    ["blocked_v4", device.addresses.filter((a) => !a.includes(":"))],
    ["blocked_v6", device.addresses.filter((a) => a.includes(":"))],
  ];
  const element = (verb: string) =>
    sets.filter(([, items]) => items.length > 0).map(([set, items]) => ({
      argv: ["nft", verb, "element", "inet", "sluice", set, `{ ${items.join(", ")} }`],
    }));
  return {
    key: `block/${device.id}`,
    identity: "",
    spec: JSON.stringify(sets),
    needs: [NFT_TABLE_OBJECT.key],
    create: element("add"),
    remove: element("delete").map((c) => ({ ...c, mayFail: true })),
    summary: `block of ${device.id}`,
  };
}
