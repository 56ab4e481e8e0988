import { assertEquals } from "@std/assert";
import { deviceName, NAME_SOURCES, type NameInputs } from "../../../engine/devices/mod.ts";

const ALL: Required<NameInputs> = {
  label: "Living room TV",
  dhcpHostname: "LGwebOSTV",
  mdnsName: "LG-TV.local",
  ssdpServer: "Linux/4.4 UPnP/1.0 LGE WebOS TV/Version 0.9",
  netbiosName: "LGTV",
  reverseDns: "lgwebostv.fritz.box.",
  neighbourName: "lgtv.lan",
};

Deno.test("deviceName() takes each level over the next: label, DHCP, mDNS, SSDP, NetBIOS, rDNS, neighbour", () => {
  const expected = [
    ["Living room TV", "label"],
    ["LGwebOSTV", "dhcp"],
    ["LG-TV", "mdns"],
    ["Linux/4.4 UPnP/1.0 LGE WebOS TV/Version 0.9", "ssdp"],
    ["LGTV", "netbios"],
    ["lgwebostv.fritz.box", "rdns"],
    ["lgtv.lan", "neighbour"],
  ];
  const fields = Object.keys(ALL) as (keyof NameInputs)[];
  for (let level = 0; level < fields.length; level++) {
    // Every input from this level down: the level itself must win.
    const inputs: NameInputs = Object.fromEntries(fields.slice(level).map((f) => [f, ALL[f]]));
    const { name, source } = deviceName(inputs);
    assertEquals([name, source], expected[level], `level ${level}`);
  }
  assertEquals([...NAME_SOURCES], expected.map(([, source]) => source));
  assertEquals(deviceName({}), { name: null, source: null });
});

Deno.test("deviceName() skips blank and missing values and tidies whitespace", () => {
  assertEquals(
    deviceName({
      label: "  ",
      dhcpHostname: null,
      mdnsName: "Lucas\u00a0 iPhone ",
      netbiosName: "X",
    }),
    { name: "Lucas iPhone", source: "mdns" },
  );
  assertEquals(deviceName({ reverseDns: ".", neighbourName: "nas" }), {
    name: "nas",
    source: "neighbour",
  });
});
