/**
 * The simulator as a {@linkcode PacketSource}: a scenario's devices run
 * their profiles on a virtual clock, tick by tick (0.1 s), and the packets
 * they exchange come out in batches like a capture's. Limits and blocks set
 * with {@linkcode SimSource.enforce} (from the dry-run shaper's plan) hold
 * each device to them: a backlogged sender gets no more than its limit, a
 * blocked device falls silent (but for a DHCP request to the gateway
 * itself, which a block of forwarded traffic does not stop). Same scenario and seed, same bytes.
 *
 * @module
 */
import type { CaptureStats, PacketSink, PacketSource } from "../capture/packet_source.ts";
import { END_OF_CAPTURE } from "../capture/packet_source.ts";
import { type Carrier, Connection, type LiveDevice } from "./connection.ts";
import {
  dhcpEndpoints,
  dhcpRequest,
  type Endpoint,
  frameLength,
  ipBytes,
  macBytes,
  writeUdp,
} from "./packets/mod.ts";
import { Random } from "./random.ts";
import type { Scenario, TimelineEntry } from "./scenario.ts";
import { serverAddress } from "./servers.ts";
import { Session } from "./session.ts";

const ETHERNET = 1;
const TICK = 0.1;
/** Packets of one tick are 5 µs apart: bursty, in order, well inside the tick. */
const SPACING = 5e-6;
const BUFFER = 8 << 20;
const MAX_QUEUED = 16_384;

/** Enforcement of one device, as the shaper's plan says (bytes/s; null: no limit). */
export interface SimEnforcement {
  down: number | null;
  up: number | null;
  blocked: boolean;
}

/** A timeline entry as it starts. */
export interface SimNote {
  time: number;
  device: string;
  note: string;
}

/** Options for {@linkcode SimSource}. */
export interface SimOptions {
  /** Seconds to simulate from the scenario's start. */
  until: number;
  /** Replaces the scenario's seed. */
  seed?: number;
  /** Each timeline entry as it starts. */
  onNote?: (note: SimNote) => void;
}

/** A scenario running as a packet source; also the run's clock. */
export class SimSource implements PacketSource {
  readonly name: string;
  readonly linkType = ETHERNET;
  readonly start: number;
  readonly end: number;
  readonly #scenario: Scenario;
  readonly #random: Random;
  readonly #devices: LiveDevice[];
  readonly #byMac = new Map<string, LiveDevice>();
  readonly #ids: string[];
  readonly #gateway: Endpoint;
  readonly #sessions: Session[] = [];
  readonly #timeline: { at: number; entry: TimelineEntry }[];
  readonly #conns: Connection[] = [];
  readonly #dhcpDue: LiveDevice[] = [];
  readonly #wantDown: Float64Array;
  readonly #wantUp: Float64Array;
  /** The devices with connections in this tick (#grant's), and a mark for each. */
  readonly #wanting: number[] = [];
  readonly #marked: Uint8Array;
  readonly #onNote: SimOptions["onNote"];
  // The queue of packets written and not yet delivered.
  readonly #buf = new Uint8Array(BUFFER);
  readonly #view = new DataView(this.#buf.buffer);
  readonly #offset = new Int32Array(MAX_QUEUED);
  readonly #capLen = new Int32Array(MAX_QUEUED);
  readonly #wireLen = new Int32Array(MAX_QUEUED);
  readonly #time = new Float64Array(MAX_QUEUED);
  #queued = 0;
  #head = 0;
  #written = 0;
  /** The tick being emitted, and how many of its packets so far. */
  #tick: number;
  #inTick = 0;
  #tickOpen = false;
  #delivered = 0;
  #closed = false;

  constructor(scenario: Scenario, options: SimOptions) {
    if (!(options.until > 0)) throw new RangeError(`until must be positive, got ${options.until}`);
    this.#scenario = scenario;
    this.name = scenario.name;
    this.start = scenario.start;
    this.end = scenario.start + options.until;
    this.#tick = scenario.start;
    this.#random = new Random(options.seed ?? scenario.seed);
    this.#onNote = options.onNote;
    this.#gateway = {
      mac: macBytes(scenario.gateway.mac),
      ip: ipBytes(scenario.gateway.ip),
      port: 0,
    };
    this.#ids = scenario.devices.map((d) => d.id);
    this.#devices = scenario.devices.map((d, index) => {
      const live: LiveDevice = {
        index,
        mac: macBytes(d.mac),
        ip: ipBytes(d.ip),
        ip6: d.ip6 ? ipBytes(d.ip6) : null,
        limitDown: Infinity,
        limitUp: Infinity,
        blocked: false,
        dhcpPending: true,
      };
      this.#byMac.set(d.mac.toLowerCase(), live);
      return live;
    });
    for (const [i, d] of scenario.devices.entries()) {
      for (const name of d.always) {
        this.#startSession(i, name, this.start, this.end, `${d.name}: ${name} in the background`);
      }
    }
    this.#wantDown = new Float64Array(this.#devices.length);
    this.#wantUp = new Float64Array(this.#devices.length);
    this.#marked = new Uint8Array(this.#devices.length);
    this.#timeline = scenario.timeline.map((entry) => ({ at: this.start + entry.at, entry }));
  }

  /** The simulated time, epoch seconds: the run's clock. */
  now(): number {
    return this.#tick;
  }

  /** Holds the device with this MAC to `e` from the next tick; null lifts it. */
  enforce(mac: string, e: SimEnforcement | null): void {
    const d = this.#byMac.get(mac.toLowerCase());
    if (!d) return;
    d.limitDown = e?.down ?? Infinity;
    d.limitUp = e?.up ?? Infinity;
    d.blocked = e?.blocked ?? false;
  }

  /** The MACs of the scenario's devices. */
  macs(): string[] {
    return this.#scenario.devices.map((d) => d.mac.toLowerCase());
  }

  read(sink: PacketSink, maxPackets = 4096): Promise<number> {
    if (this.#closed) return Promise.resolve(END_OF_CAPTURE);
    let n = 0, quiet = 0;
    const second = Math.floor(this.#tick);
    while (n < maxPackets) {
      if (this.#head === this.#queued) {
        // Like a capture's timeout: a batch ends with its simulated second, so the caller
        // (the shaper's plan, a paced demo) acts at least once a second on a quiet network.
        if (n > 0 && !this.#tickOpen && this.#tick >= second + 1) break;
        if (!this.#fill()) {
          if (this.#tick >= this.end) break;
          // A quiet second still returns, so the caller's clock moves on.
          if (++quiet >= 10 && n === 0) return Promise.resolve(0);
          continue;
        }
      }
      const i = this.#head++;
      const t = this.#time[i], sec = Math.floor(t);
      sink.packet(
        this.#view,
        this.#offset[i],
        this.#capLen[i],
        this.#wireLen[i],
        sec,
        Math.min(999_999_999, Math.round((t - sec) * 1e9)),
      );
      n++;
    }
    this.#delivered += n;
    return Promise.resolve(n === 0 && this.#tick >= this.end ? END_OF_CAPTURE : n);
  }

  stats(): CaptureStats {
    return { delivered: this.#delivered, kernelDropped: 0, ifDropped: 0, ownDropped: 0 };
  }

  close(): void {
    this.#closed = true;
  }

  /**
   * Refills the queue from the open tick, opening the next when it is spent;
   * false when a whole tick gave nothing (or the end is reached).
   */
  #fill(): boolean {
    this.#queued = this.#head = this.#written = 0;
    if (!this.#tickOpen) {
      if (this.#tick >= this.end) return false;
      this.#openTick();
    }
    const conns = this.#conns;
    // A device's DHCP request comes before its first connection's packets.
    for (const d of this.#dhcpDue.splice(0)) this.#dhcp(d);
    let progress = true;
    while (progress && this.#room()) {
      progress = false;
      for (let i = 0; i < conns.length && this.#room(); i++) {
        const c = conns[i], at = this.#written;
        const len = c.next(this.#buf, at);
        if (len > 0) {
          this.#push(at, len, c.wire);
          progress = true;
        }
      }
    }
    if (!progress) {
      // The tick is spent: drop closed connections (in place), move the clock on.
      let kept = 0;
      for (const c of conns) if (!c.done) conns[kept++] = c;
      conns.length = kept;
      this.#tickOpen = false;
      this.#tick = Math.round((this.#tick + TICK) * 10) / 10;
    }
    return this.#queued > 0;
  }

  #room(): boolean {
    return this.#queued < MAX_QUEUED && this.#written + 70_000 < BUFFER;
  }

  #push(at: number, capLen: number, wireLen: number): void {
    const q = this.#queued++;
    this.#offset[q] = at;
    this.#capLen[q] = capLen;
    this.#wireLen[q] = wireLen;
    this.#time[q] = this.#tick + Math.min(TICK - 1e-6, this.#inTick++ * SPACING);
    this.#written += capLen;
  }

  /** Starts what is due, adds the sessions' demand, and grants it within limits and the link. */
  #openTick(): void {
    const t = this.#tick;
    this.#tickOpen = true;
    this.#inTick = 0;
    while (this.#timeline.length > 0 && this.#timeline[0].at <= t) {
      const { at, entry } = this.#timeline.shift()!;
      const device = this.#ids.indexOf(entry.device);
      const until = Math.min(this.end, entry.for === undefined ? this.end : at + entry.for);
      this.#startSession(device, entry.profile, at, until, entry.note);
      this.#onNote?.({ time: at, device: entry.device, note: entry.note });
      if (entry.every) this.#schedule(at + entry.every, entry);
    }
    // Sessions end only in step(): those asleep cannot have ended.
    let ended = false;
    for (const s of this.#sessions) {
      if (s.wake <= t) {
        s.step(t, TICK);
        if (s.done) ended = true;
      }
    }
    if (ended) {
      const live = this.#sessions.filter((s) => !s.done);
      this.#sessions.length = 0;
      this.#sessions.push(...live);
    }
    this.#grant();
  }

  #grant(): void {
    // Only devices with connections want anything: the others add nothing to the link's
    // totals. Those with, in index order, so that the sums come out the same to the bit.
    const conns = this.#conns, down = this.#wantDown, up = this.#wantUp, wanting = this.#wanting;
    wanting.length = 0;
    for (const c of conns) {
      c.tick();
      const i = c.device.index;
      if (this.#marked[i] === 0) {
        this.#marked[i] = 1;
        down[i] = up[i] = 0;
        wanting.push(i);
      }
      down[i] += Math.min(c.backlogDown, c.maxRate * TICK);
      up[i] += Math.min(c.backlogUp, c.maxRate * TICK);
    }
    wanting.sort((a, b) => a - b);
    let totalDown = 0, totalUp = 0;
    for (const i of wanting) {
      const d = this.#devices[i];
      this.#marked[i] = 0;
      if (d.blocked) down[i] = up[i] = 0;
      // The device's share of its own limit, as a fraction of what it wants.
      const fd = down[i] > d.limitDown * TICK ? d.limitDown * TICK / down[i] : 1;
      const fu = up[i] > d.limitUp * TICK ? d.limitUp * TICK / up[i] : 1;
      totalDown += down[i] * fd;
      totalUp += up[i] * fu;
      down[i] = d.blocked ? 0 : fd;
      up[i] = d.blocked ? 0 : fu;
    }
    const link = this.#scenario.link;
    const gd = totalDown > link.down * TICK ? link.down * TICK / totalDown : 1;
    const gu = totalUp > link.up * TICK ? link.up * TICK / totalUp : 1;
    for (const c of conns) {
      const i = c.device.index;
      c.grantDown = Math.floor(Math.min(c.backlogDown, c.maxRate * TICK) * down[i] * gd);
      c.grantUp = Math.floor(Math.min(c.backlogUp, c.maxRate * TICK) * up[i] * gu);
    }
  }

  #schedule(at: number, entry: TimelineEntry): void {
    if (at >= this.end) return;
    const list = this.#timeline;
    let i = list.length;
    while (i > 0 && list[i - 1].at > at) i--;
    list.splice(i, 0, { at, entry });
  }

  #startSession(device: number, name: string, start: number, until: number, note: string): void {
    const profile = this.#scenario.profiles[name];
    const random = this.#random.fork(`${this.#ids[device]}/${name}/${start}`);
    const d = this.#devices[device];
    this.#sessions.push(new Session(d, profile, start, until, note, random, this.#opener(random)));
  }

  #opener(random: Random) {
    return (device: LiveDevice, carrier: Carrier, host: string, udpPort = 3478): Connection => {
      const v6 = device.ip6 !== null && carrier === "quic";
      const client: Endpoint = {
        mac: device.mac,
        ip: v6 ? device.ip6! : device.ip,
        port: 32_768 + random.int(28_000),
      };
      const port = carrier === "http" ? 80 : carrier === "udp" ? udpPort : 443;
      const server: Endpoint = { mac: this.#gateway.mac, ip: serverAddress(host, v6), port };
      const c = new Connection(device, carrier, host, client, server, this.#gateway, random);
      this.#conns.push(c);
      if (device.dhcpPending) {
        device.dhcpPending = false;
        this.#dhcpDue.push(device);
      }
      return c;
    };
  }

  #dhcp(d: LiveDevice): void {
    const s = this.#scenario.devices[d.index];
    // DHCP host names are DNS labels: "Lucas's iPhone" goes as "Lucas-s-iPhone".
    const name = (s.hostname ?? s.id).replace(/[^A-Za-z0-9-]+/g, "-").slice(0, 63) || "device";
    const payload = dhcpRequest(this.#random.next(), d.mac, d.ip, name);
    const at = this.#written;
    const { src, dst } = dhcpEndpoints(d.mac);
    const len = writeUdp(this.#buf, at, src, dst, payload, payload.length);
    this.#push(at, len, frameLength(src, "udp", payload.length));
  }
}
