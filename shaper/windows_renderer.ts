/**
 * Windows: a plan as NetQos policies and firewall rules, made and removed
 * by PowerShell.
 *
 * - Limits and priorities are QoS policies in the ActiveStore (not kept
 *   across a reboot, like Linux's tc state, so a restart creates them
 *   again): `netsh advfirewall` has no throttle action, so a rate can only
 *   be a policy's `-ThrottleRateActionBitsPerSecond`. Download matches the
 *   device's address as destination, upload as source. A policy matches one
 *   prefix, so a device gets one policy per address per direction, all in
 *   one object per direction, so a changed rate is one update.
 * - Priority is a DSCP mark on those same policies (High 46, Expedited
 *   Forwarding; Low 8, CS1; Normal none): one policy per prefix carries both
 *   the rate and the mark, since when two policies match a packet only one
 *   of them applies.
 * - Blocks are two firewall rules per device (outbound, inbound) in the
 *   group "Sluice", by remote address.
 * - Neither QoS policies nor firewall rules can match a MAC: a device with
 *   no address cannot be limited, prioritised or blocked here, and is left
 *   out (no objects, no slot).
 *
 * Every name is "Sluice-" and the device's slot, so names stay short and
 * stable. Creation first removes what may be left by that name, so it can
 * be repeated.
 *
 * @module
 */
import type {
  ShapeDevice,
  ShapePlan,
  ShapePriority,
  ShaperCommand,
  ShaperObject,
  ShaperRenderer,
} from "./shaper_types.ts";

/** DSCP value marked on a priority's packets; null is not marked. */
const DSCP: Readonly<Record<ShapePriority, number | null>> = {
  high: 46,
  normal: null,
  low: 8,
};

const STORE = "-PolicyStore ActiveStore";
const NO_CONFIRM = "-Confirm:$false";

/**
 * Renders plans as PowerShell for the machine it runs on.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const objects = new WindowsRenderer().render({
 *   link: { down: 12_500_000, up: 2_500_000 },
 *   shares: { high: 0.5, normal: 0.35, low: 0.15 },
 *   devices: [{ id: "ip:192.168.1.7", mac: null, addresses: ["192.168.1.7"],
 *     blocked: false, down: 625_000, up: null, priority: "normal" }],
 * }, new Map());
 * assertEquals(objects[0].create[1].argv[4],
 *   "New-NetQosPolicy -Name 'Sluice-1-down-1' -IPDstPrefixMatchCondition '192.168.1.7/32' " +
 *   "-ThrottleRateActionBitsPerSecond 5000000 -PolicyStore ActiveStore -Confirm:$false");
 * ```
 */
export class WindowsRenderer implements ShaperRenderer {
  readonly platform = "windows";

  render(plan: ShapePlan, slots: Map<string, number>): ShaperObject[] {
    // All checks before any slot is handed out: a bad plan changes nothing.
    plan.devices.forEach(checkDevice);
    const objects: ShaperObject[] = [];
    for (const device of plan.devices) {
      if (device.addresses.length === 0) continue;
      if (device.blocked) {
        objects.push(blockObject(device, slotOf(device.id, slots)));
        continue;
      }
      const sides = (["down", "up"] as const).filter((dir) =>
        device[dir] !== null || DSCP[device.priority] !== null
      );
      if (sides.length === 0) continue;
      const slot = slotOf(device.id, slots);
      for (const dir of sides) objects.push(qosObject(device, slot, dir));
    }
    return objects;
  }

  sweep(): ShaperCommand[] {
    return [
      ps(
        `Get-NetQosPolicy ${STORE} | Where-Object Name -like 'Sluice-*' | ` +
          `Remove-NetQosPolicy ${NO_CONFIRM}`,
        true,
      ),
      ps(`Remove-NetFirewallRule -Group 'Sluice'`, true),
    ];
  }
}

/** A PowerShell command line. Scripts hold no double quotes, which Windows' argv quoting mangles. */
function ps(script: string, mayFail = false): ShaperCommand {
  const command: ShaperCommand = {
    argv: ["powershell.exe", "-NoProfile", "-NonInteractive", "-Command", script],
  };
  if (mayFail) command.mayFail = true;
  return command;
}

/**
 * `text` as a PowerShell single-quoted string. PowerShell also reads the
 * typographic single quotes as quotes, so they are doubled too.
 */
function quote(text: string): string {
  return `'${text.replace(/['\u2018\u2019\u201a\u201b]/g, "$&$&")}'`;
}

const quoteAll = (items: string[]) => items.map(quote).join(",");

/** A rate in bytes/s as whole bits per second (at least 8, as on Linux). */
const bits = (bytesPerSecond: number) => Math.max(8, Math.round(bytesPerSecond * 8));

/** One direction's policies of a device: one per address, with its rate and its mark. */
function qosObject(device: ShapeDevice, slot: number, dir: "down" | "up"): ShaperObject {
  const limit = device[dir];
  const dscp = DSCP[device.priority];
  const prefixes = device.addresses.map((a) => a.includes(":") ? `${a}/128` : `${a}/32`);
  const names = prefixes.map((_, i) => `Sluice-${slot}-${dir}-${i + 1}`);
  const match = dir === "down" ? "-IPDstPrefixMatchCondition" : "-IPSrcPrefixMatchCondition";
  const actions = [
    ...(limit !== null ? [`-ThrottleRateActionBitsPerSecond ${bits(limit)}`] : []),
    ...(dscp !== null ? [`-DSCPAction ${dscp}`] : []),
  ].join(" ");
  const remove = ps(`Remove-NetQosPolicy -Name ${quoteAll(names)} ${STORE} ${NO_CONFIRM}`, true);
  const words = dir === "down" ? "download" : "upload";
  const what = [
    ...(limit !== null ? [`limit ${bits(limit)} bit/s`] : []),
    ...(dscp !== null ? [`${device.priority} priority (DSCP ${dscp})`] : []),
  ].join(", ");
  return {
    key: `${dir}/qos/${device.id}`,
    // Whether there is a rate and which mark are fixed at creation: changing them recreates.
    identity: JSON.stringify({ names, prefixes, throttled: limit !== null, dscp }),
    spec: limit !== null ? String(bits(limit)) : "",
    needs: [],
    create: [remove].concat(prefixes.map((prefix, i) =>
      ps(
        `New-NetQosPolicy -Name ${quote(names[i])} ${match} ${quote(prefix)} ${actions} ` +
          `${STORE} ${NO_CONFIRM}`,
      )
    )),
    update: limit === null ? undefined : [
      ps(
        `Set-NetQosPolicy -Name ${quoteAll(names)} -ThrottleRateActionBitsPerSecond ` +
          `${bits(limit)} ${STORE} ${NO_CONFIRM}`,
      ),
    ],
    remove: [remove],
    summary: `${words} ${what} for ${device.id}`,
  };
}

/** A blocked device's two firewall rules, by its addresses. */
function blockObject(device: ShapeDevice, slot: number): ShaperObject {
  const rules = (["Outbound", "Inbound"] as const).map((direction) => ({
    direction,
    name: `Sluice-${slot}-block-${direction === "Outbound" ? "out" : "in"}`,
  }));
  const names = rules.map((r) => r.name);
  const remove = ps(`Remove-NetFirewallRule -Name ${quoteAll(names)}`, true);
  return {
    key: `block/${device.id}`,
    identity: JSON.stringify(names),
    spec: JSON.stringify(device.addresses),
    needs: [],
    create: [remove].concat(rules.map(({ direction, name }) =>
      ps(
        `New-NetFirewallRule -Name ${quote(name)} ` +
          `-DisplayName ${quote(`Sluice: block ${device.id} (${direction.toLowerCase()})`)} ` +
          `-Group 'Sluice' -Direction ${direction} -Action Block ` +
          `-RemoteAddress ${quoteAll(device.addresses)}`,
      )
    )),
    remove: [remove],
    summary: `block of ${device.id}`,
  };
}

/** The device's slot, the lowest free one from 1 when it has none. */
function slotOf(id: string, slots: Map<string, number>): number {
  let slot = slots.get(id);
  if (slot === undefined) {
    const used = new Set(slots.values());
    for (slot = 1; used.has(slot); slot++);
    slots.set(id, slot);
  }
  return slot;
}

/** Addresses in canonical text: hex digits, dots and colons only (no zone, no prefix). */
const ADDRESS = /^[0-9A-Fa-f.:]+$/;

function checkDevice(device: ShapeDevice, i: number): void {
  const at = `devices[${i}]`;
  if (typeof device?.id !== "string" || device.id === "") {
    throw new TypeError(`${at}.id must be a non-empty string, got ${JSON.stringify(device?.id)}`);
  }
  if (!Array.isArray(device.addresses)) {
    throw new TypeError(`${at}.addresses must be an array of IP addresses`);
  }
  for (const a of device.addresses) {
    if (typeof a !== "string" || !ADDRESS.test(a)) {
      throw new TypeError(`${at}.addresses must be IP addresses, got ${JSON.stringify(a)}`);
    }
  }
  for (const dir of ["down", "up"] as const) {
    const rate = device[dir];
    if (rate !== null && (typeof rate !== "number" || !Number.isFinite(rate) || rate <= 0)) {
      throw new RangeError(
        `${at}.${dir} must be a positive finite number of bytes per second or null, got ${rate}`,
      );
    }
  }
  if (!Object.hasOwn(DSCP, device.priority)) {
    throw new TypeError(
      `${at}.priority must be "high", "normal" or "low", got ${JSON.stringify(device.priority)}`,
    );
  }
}
