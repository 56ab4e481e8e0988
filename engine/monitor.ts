/**
 * The live engine: flows (named and classified), the LAN's devices, their
 * metered usage and TCP quality, on one packet path. Time is the packets'
 * own, or the clock a caller advances when the capture is quiet; each closed
 * minute is handed out for history. When the device table is full and
 * forgets a device to make room, the next device on its index starts from
 * zero, and the forgotten device's bytes, those of its flows still open
 * too, stay its own.
 *
 * @module
 */
import type { AppCatalogue } from "./app_catalogue.ts";
import { DeviceTable } from "./devices/device_table.ts";
import { NotDevice } from "./devices/direction.ts";
import type { LanSubnets } from "./devices/lan_subnets.ts";
import type { OuiTable } from "./devices/oui_table.ts";
import type { FlowRecord } from "./flow_record.ts";
import { FlowTracker } from "./flow_tracker.ts";
import { DeviceQuality } from "./meter/device_quality.ts";
import { FlowSides } from "./meter/_flow_sides.ts";
import { TcpEvent, TcpQuality } from "./meter/tcp_quality.ts";
import { UsageMeter } from "./meter/usage_meter.ts";
import type { MinuteUsage } from "./meter/usage_types.ts";
import { ProcessAttribution } from "./processes/process_attribution.ts";
import type { ProcessResolver } from "./processes/process_attribution.ts";
import type { ProcessTable } from "./processes/process_table.ts";

/** Options for {@linkcode Monitor}. */
export interface MonitorOptions {
  /** libpcap link type of every packet. */
  linkType: number;
  /** The LAN: its addresses are devices, the rest is outside. */
  lan: LanSubnets;
  /** Names apps and categories; without it every flow is "unknown". */
  catalogue?: AppCatalogue;
  oui?: OuiTable;
  /** Flows held at once (default 262,144). */
  maxFlows?: number;
  /** Seconds without a packet before a flow ends (default 300). */
  idleTimeout?: number;
  /** Seconds without traffic before a device is offline (default 300). */
  offlineAfter?: number;
  /** Devices held at once; past it the least recently seen is forgotten (default 65,536). */
  maxDevices?: number;
  /**
   * A minute of time closed: each device's usage in it, for history, by
   * index and `id`. A device forgotten during the minute (to make room for
   * another) comes as device -1 with its id: its bytes until then, and those
   * its flows still open carried after; or, if it came back in the minute,
   * they are added to its new entry. So every byte a device sent or received
   * is in some minute, under its own id.
   */
  onMinute?: (minuteStart: number, usage: MinuteUsage[]) => void;
  /**
   * A second of time closed (`second`, epoch seconds): `meter.closed`
   * reads its traffic until the next. Seconds the capture skipped without traffic are not
   * announced one by one.
   */
  onSecond?: (second: number) => void;
  /** A flow ended, as plain data with its name and classification. */
  onFlowEnd?: (record: FlowRecord) => void;
  /**
   * Host mode: meters every packet to the local process of its flow (found
   * by `resolver`) or to unknown, in `table`. Without it nothing is asked.
   */
  processes?: { table: ProcessTable; resolver: ProcessResolver };
}

const TCP = 6;

/**
 * Feeds packets through flows, devices and the meter. A {@linkcode PacketSink}:
 * give it to a source's `read()`.
 *
 * @example
 * ```ts ignore
 * const monitor = new Monitor({ linkType: source.linkType, lan: LanSubnets.privateRanges() });
 * while ((await source.read(monitor)) !== END_OF_CAPTURE) {}
 * monitor.finish();
 * console.log(monitor.meter.link().totals);
 * ```
 */
export class Monitor {
  readonly tracker: FlowTracker;
  readonly devices: DeviceTable;
  readonly meter: UsageMeter;
  readonly quality = new DeviceQuality();
  readonly #tcp: TcpQuality;
  readonly #onMinute: MonitorOptions["onMinute"];
  readonly #onSecond: MonitorOptions["onSecond"];
  /** Per flow: the client's and the server's device, told apart from a device since forgotten. */
  readonly #sides: FlowSides;
  /**
   * Per flow and direction: bytes and packets already metered; packets mod
   * 2^32 (4 bytes a slot, not 8), as no second carries that many.
   */
  readonly #meteredBytes: Float64Array;
  readonly #meteredPackets: Uint32Array;
  /** Per flow: app and category ids, and 1 once its naming can no longer change. */
  readonly #app: Int32Array;
  readonly #category: Int32Array;
  readonly #final: Uint8Array;
  /** Flows with packets since the last second was closed, each once. */
  readonly #touched: Int32Array;
  readonly #listed: Uint8Array;
  #touchedCount = 0;
  #minute = NaN;
  readonly #processes: ProcessAttribution | undefined;

  constructor(options: MonitorOptions) {
    const capacity = options.maxFlows ?? 262_144;
    this.tracker = new FlowTracker({
      linkType: options.linkType,
      maxFlows: capacity,
      idleTimeout: options.idleTimeout ?? 300,
      catalogue: options.catalogue,
      onEnd: (flow) => {
        this.#meterFlow(flow);
        this.#sides.end(flow);
        options.onFlowEnd?.(this.tracker.record(flow));
        this.#tcp.forget(flow);
      },
    });
    this.devices = new DeviceTable({
      lan: options.lan,
      oui: options.oui,
      offlineAfter: options.offlineAfter,
      maxDevices: options.maxDevices,
      onForget: (index, id) => this.#forget(index, id),
    });
    this.meter = new UsageMeter();
    this.#tcp = new TcpQuality(capacity);
    this.#onMinute = options.onMinute;
    this.#onSecond = options.onSecond;
    this.#sides = new FlowSides(capacity, this.devices, this.meter);
    this.#meteredBytes = new Float64Array(capacity * 2);
    this.#meteredPackets = new Uint32Array(capacity * 2);
    this.#app = new Int32Array(capacity);
    this.#category = new Int32Array(capacity);
    this.#final = new Uint8Array(capacity);
    this.#touched = new Int32Array(capacity);
    this.#listed = new Uint8Array(capacity);
    const p = options.processes;
    this.#processes = p && new ProcessAttribution(p.table, p.resolver, capacity);
  }

  /** One captured packet (the {@linkcode PacketSink} contract). */
  packet(
    data: DataView,
    offset: number,
    capLen: number,
    wireLen: number,
    tsSec: number,
    tsNsec: number,
  ): void {
    const time = tsSec + tsNsec * 1e-9;
    this.advance(time);
    const flow = this.tracker.packet(data, offset, capLen, wireLen, tsSec, tsNsec);
    if (flow < 0) {
      this.#processes?.outsideFlows(wireLen);
      return;
    }
    const table = this.tracker.table, info = this.tracker.info;
    const isNew = table.packets[flow * 2] + table.packets[flow * 2 + 1] === 1;
    if (isNew) this.#open(flow, data, info.macOffset, info.ipVersion, info.src, info.dst, time);
    this.#processes?.packet(table, flow, isNew);
    if (this.#listed[flow] === 0) {
      this.#listed[flow] = 1;
      this.#touched[this.#touchedCount++] = flow;
    }
    if (info.protocol === TCP && info.fragmentOffset === 0) {
      const fromClient = table.direction === 0;
      const event = this.#tcp.packet(
        flow,
        fromClient,
        info.tcpFlags,
        info.tcpSeq,
        info.payloadLength,
        time,
      );
      if (event !== 0) this.#quality(flow, event);
    }
  }

  /**
   * Moves time to `time` (seconds): closes the seconds and the minute it
   * leaves behind. Packets do this themselves; a live loop calls it with its
   * clock when the capture is quiet.
   */
  advance(time: number): void {
    const second = Math.floor(time);
    if (second <= this.meter.second) return;
    this.#closeSecond();
    this.#tick(time);
    const minute = Math.floor(second / 60);
    if (this.#minute !== this.#minute) this.#minute = minute;
    else if (minute > this.#minute) this.#closeMinute(minute);
  }

  /** Ends the capture: every flow ends, and the last second and minute close. */
  finish(): void {
    this.tracker.table.flush();
    this.#closeSecond();
    if (this.#minute === this.#minute) {
      const second = this.meter.second;
      this.#tick(second + 1);
      this.#closeMinute(this.#minute + 1);
    }
  }

  /** Moves the meter on, and tells of the second it closed. */
  #tick(time: number): void {
    const closed = this.meter.closed.second;
    this.meter.tick(time);
    const second = this.meter.closed.second;
    if (second !== closed && second === second) this.#onSecond?.(second);
  }

  #open(
    flow: number,
    data: DataView,
    macOffset: number,
    version: number,
    src: Uint32Array,
    dst: Uint32Array,
    time: number,
  ): void {
    // The packet that opened the flow came from its client.
    this.#sides.claim(flow * 2, this.devices.resolve(data, macOffset, version, src, time));
    // Claimed one by one: learning the server may forget the client (the table holding one).
    const dstMac = macOffset >= 6 ? macOffset - 6 : -1;
    this.#sides.claim(flow * 2 + 1, this.devices.resolve(data, dstMac, version, dst, time));
    this.#meteredBytes[flow * 2] = this.#meteredBytes[flow * 2 + 1] = 0;
    this.#meteredPackets[flow * 2] = this.#meteredPackets[flow * 2 + 1] = 0;
    this.#final[flow] = 0;
  }

  /**
   * The device table forgets device `index` (`id`) to give its index to
   * another: its figures start again at zero for that one, and the bytes it
   * had not yet reported go to the minute under `id`, as will those its
   * flows still open carry.
   */
  #forget(index: number, id: string): void {
    const pending = this.meter.forgetDevice(index);
    if (pending !== null) this.#sides.forgotten.addMinute(id, pending);
    this.quality.forgetDevice(index);
    this.#sides.forget(index, id);
  }

  #closeSecond(): void {
    for (let i = 0; i < this.#touchedCount; i++) {
      const flow = this.#touched[i];
      this.#listed[flow] = 0;
      this.#meterFlow(flow);
    }
    this.#touchedCount = 0;
    this.#processes?.table.closeSecond();
  }

  #closeMinute(minute: number): void {
    const usage = this.meter.takeMinute();
    for (const u of usage) u.id = this.devices.id(u.device);
    this.#sides.forgotten.takeMinute(usage);
    if (usage.length > 0) this.#onMinute?.(this.#minute * 60, usage);
    this.#minute = minute;
  }

  /** Meters what the flow carried since it was last metered, to its devices. */
  #meterFlow(flow: number): void {
    const table = this.tracker.table;
    const up = table.bytes[flow * 2] - this.#meteredBytes[flow * 2];
    const down = table.bytes[flow * 2 + 1] - this.#meteredBytes[flow * 2 + 1];
    const upPackets = (table.packets[flow * 2] - this.#meteredPackets[flow * 2]) >>> 0;
    const downPackets = (table.packets[flow * 2 + 1] - this.#meteredPackets[flow * 2 + 1]) >>> 0;
    if (up === 0 && down === 0) return;
    this.#meteredBytes[flow * 2] += up;
    this.#meteredBytes[flow * 2 + 1] += down;
    this.#meteredPackets[flow * 2] += upPackets;
    this.#meteredPackets[flow * 2 + 1] += downPackets;
    this.#processes?.meter(table, flow, up, down, upPackets, downPackets);
    this.#classify(flow);
    const app = this.#app[flow], category = this.#category[flow];
    const time = table.lastSeen[flow];
    this.#sides.meter(flow, app, category, up, down, upPackets, downPackets, time);
  }

  /** Gives the flow its app and category ids; asks again while its naming may change. */
  #classify(flow: number): void {
    if (this.#final[flow] === 1) return;
    const namer = this.tracker.namer;
    if (namer === undefined) {
      this.#app[flow] = this.#category[flow] = 0;
      this.#final[flow] = 1;
      return;
    }
    const naming = namer.naming(this.tracker.table, flow);
    this.#app[flow] = this.meter.apps.id(naming.app);
    this.#category[flow] = this.meter.categories.id(naming.category);
    this.#final[flow] = namer.isNaming(flow) ? 0 : 1;
  }

  /**
   * Quality figures go to the flow's LAN devices, whichever side sent the
   * segment; none to a device forgotten since the flow opened (its index is
   * another device's now).
   */
  #quality(flow: number, event: number): void {
    const sides = this.#sides, c = sides.live(flow * 2), s = sides.live(flow * 2 + 1);
    if ((event & TcpEvent.SEGMENT) !== 0) {
      const retransmit = (event & TcpEvent.RETRANSMIT) !== 0 ? 1 : 0;
      if (c >= 0) this.quality.addSegments(c, 1, retransmit);
      if (s >= 0) this.quality.addSegments(s, 1, retransmit);
    }
    if ((event & TcpEvent.HANDSHAKE) !== 0) {
      for (let side = 0; side < 2; side++) {
        const d = side === 0 ? c : s, other = sides.raw(flow * 2 + 1 - side);
        if (d < 0) continue;
        this.quality.addRtt(d, "lan", this.#tcp.lanRtt(flow, side));
        // Between two LAN devices (a forgotten one too), neither half of the handshake crossed the WAN.
        if (other === NotDevice.OUTSIDE || other === NotDevice.NONE) {
          this.quality.addRtt(d, "wan", this.#tcp.wanRtt(flow, side));
        }
      }
    }
  }
}
