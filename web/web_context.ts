/**
 * What the web layer serves from: the running engine and its stores, handed
 * in by `main.ts` (a live capture, or the simulator in `sluice demo`) and by
 * tests (the simulator, or plain fakes). The web never opens stores, reads
 * the wall clock or runs commands itself: everything it reads or changes is
 * here.
 *
 * @module
 */
import type { AppCatalogue } from "../engine/app_catalogue.ts";
import type { UsageHistory } from "../engine/history/mod.ts";
import type { Monitor } from "../engine/monitor.ts";
import type { PolicyEngine } from "../engine/policy/mod.ts";
import type { AppliedObject, ShapePlan } from "../shaper/mod.ts";
import type { LiveHub } from "./live/live_hub.ts";

/** One capture interface as the settings view lists it. */
export interface InterfaceInfo {
  name: string;
  description: string;
  addresses: { family: "inet" | "inet6" | "link"; address: string; netmask?: string }[];
  up: boolean;
  loopback: boolean;
  wireless: boolean;
}

/** Facts about this run that do not change while it lasts. */
export interface RunInfo {
  version: string;
  /** "run": a live capture; "demo": the simulator. */
  mode: "run" | "demo";
  /** The interface captured on ("sim0" in a demo). */
  interface: string;
  /** The LAN's subnets, CIDR text. */
  lan: string[];
  /** Epoch ms the run started (engine time). */
  startedAt: number;
  /** Where history is kept: a directory, a KV URL, or "temporary". */
  data: string;
  /** The policy file or scenario the policy came from; null without a policy. */
  policySource: string | null;
}

/** The shaper of this run, as the shaper view shows it. */
export interface ShaperView {
  mode: "linux" | "windows" | "dry-run";
  /** The plan last applied (or recorded in dry-run); null before the first. */
  plan(): ShapePlan | null;
  /** The objects applied (in dry-run: recorded), as the shaper keeps them. */
  applied(): readonly AppliedObject[];
  /** Operations that failed since start. */
  failures(): number;
}

/**
 * Everything the routes read and change. Functions, not values, where the
 * answer changes while the run goes on.
 */
export interface WebContext {
  kv: Deno.Kv;
  /** Engine time, epoch ms: the wall clock in a run, simulated time in a demo. */
  now(): number;
  info: RunInfo;
  hub: LiveHub;
  catalogue: AppCatalogue;
  /** Usage history (opened by the run's recorder; read-only here). */
  history: UsageHistory;
  /** Per-process usage history by name (its own key space); absent unless `--processes`. */
  readonly processHistory?: UsageHistory;
  /** The running engine; null when nothing is captured yet (tests of stores alone). */
  monitor(): Monitor | null;
  /** The running policy engine; null when Sluice runs without a policy. */
  policy(): PolicyEngine | null;
  /** The shaper; null when the run does not shape. */
  shaper(): ShaperView | null;
  /** Capture interfaces on this machine (libpcap's list; the demo's made-up one). */
  interfaces(): InterfaceInfo[];
}
