/**
 * The live picture of the network at one closed second, as plain data: what
 * the SSE stream sends each second, what the overview and devices views
 * show, and what /metrics reads. Rates are bytes/s over the last second,
 * totals bytes since Sluice started.
 *
 * @module
 */

/** Up and down, as rates (bytes/s) and totals (bytes). */
export interface Traffic {
  down: number;
  up: number;
  totalDown: number;
  totalUp: number;
}

/** What the policy wants for a device right now. */
export interface DeviceControl {
  priority: "high" | "normal" | "low";
  /** free: no limit; limited: a rate limit; blocked: no traffic. */
  state: "free" | "limited" | "blocked";
  /** bytes/s, null when not limited that way. */
  limitDown: number | null;
  limitUp: number | null;
  /** Why, in one line (the policy's reason). */
  reason: string;
}

/** One device in the snapshot. */
export interface LiveDevice extends Traffic {
  id: string;
  name: string;
  vendor: string | null;
  mac: string | null;
  addresses: string[];
  online: boolean;
  /** Bytes today (local day of the policy's zone, or UTC), both ways. */
  today: number;
  /** Its busiest app over the last minute, if any. */
  topApp: string | null;
  /** null when no policy runs. */
  control: DeviceControl | null;
}

/** One app (from the catalogue) in the snapshot. */
export interface LiveApp extends Traffic {
  id: string;
  name: string;
  category: string;
}

/**
 * One local process (host mode, `sluice run --processes`); what no process
 * was found for is "unknown", what processes since gone carried "exited",
 * both with pid null. Up is what the process sent.
 */
export interface LiveProcess extends Traffic {
  pid: number | null;
  name: string;
  command: string | null;
  /** "tcp", "udp", "icmp", "other": those it used. */
  protocols: string[];
}

/** An alert that is active now. */
export interface LiveAlert {
  key: string;
  kind: string;
  deviceId: string | null;
  message: string;
  /** Epoch ms it started. */
  since: number;
}

/** How the link feels: round trips and retransmissions; null before any sample. */
export interface LinkQuality {
  /** Median of the devices' recent handshake round trips to servers, ms. */
  wanRttMs: number | null;
  /** The same within the LAN (client to gateway and peers), ms. */
  lanRttMs: number | null;
  /** Retransmitted data segments per data segment, since start. */
  retransmitRate: number | null;
}

/** The whole picture at one second. */
export interface LiveSnapshot {
  /** Epoch ms of the end of the closed second. */
  time: number;
  link: Traffic & { capacityDown: number | null; capacityUp: number | null };
  quality: LinkQuality;
  devices: LiveDevice[];
  apps: LiveApp[];
  /** Only with per-process attribution on: every process and unknown, sorted as devices. */
  processes?: LiveProcess[];
  alerts: LiveAlert[];
  capture: {
    packets: number;
    bytes: number;
    kernelDropped: number;
    ownDropped: number;
    flows: number;
  };
  shaper: { mode: "linux" | "windows" | "dry-run" | "off"; failures: number };
}
