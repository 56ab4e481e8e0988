/**
 * The shaper's plain data: what it is asked to enforce (a {@linkcode ShapePlan}),
 * the operating-system objects a backend turns that into
 * ({@linkcode ShaperObject}), and the commands that create, change and
 * remove them.
 *
 * @module
 */

/** A device's traffic class. */
export type ShapePriority = "high" | "normal" | "low";

/** One device as the shaper sees it: how to recognise its packets, and what it gets. */
export interface ShapeDevice {
  /** The engine's device id ("mac:…" or "ip:…"). */
  id: string;
  /** Its MAC ("02:00:00:00:00:07"), when known. */
  mac: string | null;
  /** Its addresses, IPv4 and IPv6 (canonical text). */
  addresses: string[];
  blocked: boolean;
  /** Limits in bytes per second; null is not limited. */
  down: number | null;
  up: number | null;
  priority: ShapePriority;
}

/** What the shaper is to enforce. */
export interface ShapePlan {
  /** The link's capacity in bytes per second, each way. */
  link: { down: number; up: number };
  /** Guaranteed shares of the link per class (fractions adding up to at most 1). */
  shares: Record<ShapePriority, number>;
  /** Devices that are blocked, limited or not Normal; others get the default. */
  devices: ShapeDevice[];
}

/** One program run: argv, and text for its standard input. */
export interface ShaperCommand {
  argv: string[];
  stdin?: string;
  /**
   * A failure is expected and harmless: removing what is already gone, or
   * clearing the way before a create. It is not retried or reported.
   */
  mayFail?: boolean;
}

/**
 * One thing a backend installs (a qdisc, a class, a filter, a set
 * element, a QoS policy), with the commands for its life.
 *
 * Reconciling compares objects by `key`: a different `identity` (what
 * cannot change in place: a class's parent, a filter's priority) means
 * remove and create again; a different `spec` alone means `update`, or
 * remove and create when there is no update.
 */
export interface ShaperObject {
  key: string;
  identity: string;
  spec: string;
  /** Keys of objects this one needs: created before it, removed after it. */
  needs: string[];
  create: ShaperCommand[];
  update?: ShaperCommand[];
  remove: ShaperCommand[];
  /** What it is, in words, for events: "download limit 5 Mbit/s for mac:…". */
  summary: string;
}

/** An object as applied: what is needed to compare it and to remove it later. */
export type AppliedObject = Omit<ShaperObject, "create" | "update">;

/** One step of a reconciliation. */
export interface ShaperOperation {
  action: "create" | "update" | "remove";
  object: ShaperObject | AppliedObject;
  commands: ShaperCommand[];
}

/**
 * A platform's rendering: a plan as the objects that enforce it. Pure.
 * `slots` keeps each device's small number (its class and filter ids)
 * stable from one rendering to the next; the renderer adds new devices'.
 */
export interface ShaperRenderer {
  readonly platform: "linux" | "windows";
  render(plan: ShapePlan, slots: Map<string, number>): ShaperObject[];
  /**
   * Commands that remove everything of Sluice's even when what was applied
   * is not known (a lost store): each may fail harmlessly when there is
   * nothing to remove.
   */
  sweep(): ShaperCommand[];
}
