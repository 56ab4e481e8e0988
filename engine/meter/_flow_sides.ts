// Monitor's flow-to-device map, and where a flow's bytes go: each flow's
// client and server device, as DeviceTable indexes with the generation each
// had when the flow opened. The table gives a forgotten device's index to
// the next new device; a flow side whose generation has moved on is the
// forgotten device's, not the new one's, and finds its ghost (see
// ForgottenDevices) when next metered. Forgetting visits no flow; a side
// costs one generation compare each time it is metered.
import type { DeviceTable } from "../devices/device_table.ts";
import { NotDevice } from "../devices/direction.ts";
import { ForgottenDevices } from "./_forgotten_devices.ts";
import { growInt32 } from "./_grow.ts";
import { UsageDirection, type UsageMeter } from "./usage_meter.ts";

/** A side whose device was forgotten reads GHOST - its ghost: below every NotDevice value. */
export const GHOST = -3;

export class FlowSides {
  /** Forgotten devices' ids and their bytes of the minute. */
  readonly forgotten: ForgottenDevices = new ForgottenDevices();
  readonly #devices: DeviceTable;
  readonly #meter: UsageMeter;
  /** Per flow side (flow * 2, + 1 for the server): a device index, NotDevice value or ghost. */
  readonly #side: Int32Array;
  /** Per flow side: the device's generation when the side was claimed. */
  readonly #gen: Uint32Array;
  /** Per device index: flow sides open on the device now holding it. */
  #open = new Int32Array(64);

  constructor(flows: number, devices: DeviceTable, meter: UsageMeter) {
    this.#side = new Int32Array(flows * 2);
    this.#gen = new Uint32Array(flows * 2);
    this.#devices = devices;
    this.#meter = meter;
  }

  /** Points flow side `at` at `d` (a device index or NotDevice value) as it is now. */
  claim(at: number, d: number): void {
    this.#side[at] = d;
    if (d < 0) return;
    this.#gen[at] = this.#devices.generation(d);
    if (d >= this.#open.length) this.#open = growInt32(this.#open, d + 1);
    this.#open[d]++;
  }

  /**
   * Flow side `at`'s device for metering: its index while it holds it; once
   * forgotten, its ghost (GHOST - ghost), found the first time and kept.
   * The ghost is there: the side was counted open when its device went.
   */
  of(at: number): number {
    const d = this.#side[at];
    if (d < 0 || this.#gen[at] === this.#devices.generation(d)) return d;
    return this.#side[at] = GHOST - this.forgotten.find(d, this.#gen[at]);
  }

  /** Flow side `at`'s device if it is still there, else -1: for figures only a live device keeps. */
  live(at: number): number {
    const d = this.#side[at];
    return d >= 0 && this.#gen[at] === this.#devices.generation(d) ? d : -1;
  }

  /**
   * Meters bytes and packets the flow carried, each way, to its devices (a
   * forgotten one's to its minute and the link), and tells the device table
   * they were seen at `time` (the flow's last packet): a device busy on one
   * long flow is not left looking idle. Allocation-free but for a forgotten
   * device's minute.
   */
  meter(
    flow: number,
    app: number,
    category: number,
    up: number,
    down: number,
    upPackets: number,
    downPackets: number,
    time: number,
  ): void {
    const client = this.of(flow * 2), server = this.of(flow * 2 + 1);
    if (client >= 0) this.#devices.touch(client, time);
    if (server >= 0) this.#devices.touch(server, time);
    // A forgotten device's side is still a LAN side: its bytes count as they would have.
    const clientLan = client >= 0 || client <= GHOST, serverLan = server >= 0 || server <= GHOST;
    if (clientLan && serverLan) {
      // LAN to LAN: local for both, counted once in the link.
      const bytes = up + down, packets = upPackets + downPackets;
      this.#add(client, UsageDirection.LOCAL, app, category, bytes, packets, true);
      this.#add(server, UsageDirection.LOCAL, app, category, bytes, packets, false);
    } else if (clientLan || serverLan) {
      const device = clientLan ? client : server, other = clientLan ? server : client;
      if (other === NotDevice.NONE) {
        // Multicast and broadcast (mDNS, SSDP, DHCP) stay on the LAN.
        const bytes = up + down, packets = upPackets + downPackets;
        this.#add(device, UsageDirection.LOCAL, app, category, bytes, packets, true);
        return;
      }
      // A flow opened from outside (a port forward): what its client sent, the device downloaded.
      const sent = clientLan ? up : down, received = clientLan ? down : up;
      const sentPackets = clientLan ? upPackets : downPackets;
      const receivedPackets = clientLan ? downPackets : upPackets;
      if (sent > 0) this.#add(device, UsageDirection.UP, app, category, sent, sentPackets, true);
      if (received > 0) {
        this.#add(device, UsageDirection.DOWN, app, category, received, receivedPackets, true);
      }
    }
  }

  /**
   * Flow side `at` as held: a LAN side (a device index, current or not, or a
   * ghost) or a NotDevice value.
   */
  raw(at: number): number {
    return this.#side[at];
  }

  /** The flow ended: its sides let go of their devices, or of forgotten ones' ghosts. */
  end(flow: number): void {
    for (let at = flow * 2; at < flow * 2 + 2; at++) {
      const d = this.#side[at];
      if (d >= 0) {
        if (this.#gen[at] === this.#devices.generation(d)) this.#open[d]--;
        else this.forgotten.release(this.forgotten.find(d, this.#gen[at]));
      } else if (d <= GHOST) this.forgotten.release(GHOST - d);
      this.#side[at] = NotDevice.NONE;
    }
  }

  /**
   * Device `index` (`id`) is being forgotten, its index not yet reused: a
   * ghost keeps its id for its flows still open.
   */
  forget(index: number, id: string): void {
    const flows = index < this.#open.length ? this.#open[index] : 0;
    if (flows === 0) return;
    this.forgotten.add(index, this.#devices.generation(index), id, flows);
    this.#open[index] = 0;
  }

  /** Meters bytes to a side's device, or to a forgotten device's minute and the link. */
  #add(
    side: number,
    direction: 0 | 1 | 2,
    app: number,
    category: number,
    bytes: number,
    packets: number,
    countInLink: boolean,
  ): void {
    const meter = this.#meter;
    if (side >= 0) {
      meter.add(side, direction, app, category, bytes, packets, countInLink);
      return;
    }
    if (countInLink) meter.addLink(direction, app, category, bytes, packets);
    const { apps, categories } = meter;
    this.forgotten.count(GHOST - side, direction, apps.name(app), categories.name(category), bytes);
  }
}
