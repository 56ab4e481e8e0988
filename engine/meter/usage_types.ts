/**
 * The figures `UsageMeter` reads out, as plain data.
 *
 * @module
 */
/** Bytes or bytes/s each way. */
export interface Directions {
  up: number;
  down: number;
  local: number;
}

/** Average bytes/s over the last 10 s, 1 min and 5 min (whole seconds, idle ones as zero). */
export interface WindowRates {
  "10s": Directions;
  "1m": Directions;
  "5m": Directions;
}

/** Bytes and packets since start. */
export interface UsageTotals extends Directions {
  packetsUp: number;
  packetsDown: number;
  packetsLocal: number;
}

/** One app in one category: bytes since start (`total` is all three), rate and windows. */
export interface AppUsage extends Directions {
  /** The app's interned name (the apps interner's unknown name for none). */
  app: string;
  category: string;
  total: number;
  rate: Directions;
  windows: WindowRates;
}

/** One app's bytes in one second, each way. */
export interface ClosedAppBytes {
  app: string;
  category: string;
  up: number;
  down: number;
  local: number;
}

/** Bytes since start of one category. */
export interface CategoryUsage extends Directions {
  category: string;
  total: number;
}

/** The figures of the link or a device. Lists are sorted by total, largest first. */
export interface Usage {
  /** Bytes/s over the last whole (closed) second. */
  rate: Directions;
  windows: WindowRates;
  totals: UsageTotals;
  apps: AppUsage[];
  categories: CategoryUsage[];
}

/** A device's figures. */
export interface DeviceUsage extends Usage {
  device: number;
}

/** The link's figures: UP and DOWN of every device, LOCAL apart. */
export type LinkUsage = Usage;

/**
 * Bytes of one device in the seconds closed since the previous
 * `UsageMeter.takeMinute()`, or, from `UsageMeter.forgetDevice()`, those of
 * a device being forgotten.
 */
export interface MinuteUsage {
  /**
   * The device's index; -1 in a `Monitor`'s minutes for a device forgotten
   * during the minute, whose index went to another device (see `id`).
   */
  device: number;
  /**
   * The device's id ("mac:…" or "ip:…"). `UsageMeter` knows only indexes
   * and leaves it out; a `Monitor` sets it on every minute it hands out,
   * while the index still means the device, and it is the only name of a
   * forgotten one.
   */
  id?: string;
  up: number;
  down: number;
  local: number;
  /** Interned app name → [up, down, local] bytes, summed over the app's categories. */
  apps: Map<string, [number, number, number]>;
  /** Category name → [up, down, local] bytes. */
  categories: Map<string, [number, number, number]>;
}

/** What `UsageMeter.top()` ranks devices by: all three directions added. */
export type UsageRanking = "rate" | "total" | "10s" | "1m" | "5m";
