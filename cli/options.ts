// Option values shared by the commands: one reading of a time, an offset,
// a device id, a number or a choice, each refused with one line naming it.
import { normalDeviceId } from "../engine/devices/mod.ts";
import type { ParsedArgs } from "./args.ts";
import { UsageError } from "./usage_error.ts";

/**
 * A device id from the command line in its one spelling: "mac:..." or
 * "ip:...", or a bare MAC (`AA-BB-CC-DD-EE-FF` too) or IP address.
 * Shared with `sluice forecast --device`.
 */
export function deviceIdArgument(text: string, what: string, command: string): string {
  const t = text.trim();
  const id = normalDeviceId(t) ?? normalDeviceId(`mac:${t}`) ?? normalDeviceId(`ip:${t}`);
  if (id === null) {
    throw new UsageError(
      `${command}: ${what} must be a MAC or IP address, or "mac:..." or "ip:...", got "${text}"`,
    );
  }
  return id;
}

/**
 * `--utc-offset MIN`: whole hours from -720 to 840 minutes, as history's days
 * need (default 0). Shared with `sluice forecast`.
 */
export function utcOffsetOption(args: ParsedArgs, command: string): number {
  const text = args.options.get("utc-offset") ?? "0";
  const minutes = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!(minutes % 60 === 0 && minutes >= -720 && minutes <= 840)) {
    throw new UsageError(
      `${command}: --utc-offset must be whole hours in minutes, -720 to 840, got "${text}"`,
    );
  }
  return minutes;
}

/**
 * An ISO 8601 date or date and time (UTC without an offset), as `sluice
 * report` reads them, in epoch ms. Shared with `sluice forecast`.
 */
export function timeOption(text: string, option: string, command: string): number {
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;
  const withZone = /T/.test(text) && !/(Z|[+-]\d{2}:\d{2})$/.test(text) ? `${text}Z` : text;
  const ms = iso.test(text) ? Date.parse(withZone) : NaN;
  if (!Number.isFinite(ms)) {
    throw new UsageError(`${command}: ${option} must be an ISO 8601 date or time, got "${text}"`);
  }
  return ms;
}

/** A whole number option. */
export function integer(text: string, option: string, command: string): number {
  if (!/^[+-]?\d+$/.test(text)) {
    throw new UsageError(`${command}: ${option} must be a whole number, got "${text}"`);
  }
  return Number(text);
}

/** One of a fixed set of words. */
export function choice(value: string, allowed: string[], option: string, command: string): string {
  if (!allowed.includes(value)) {
    throw new UsageError(
      `${command}: ${option} must be one of ${allowed.join(", ")}, got "${value}"`,
    );
  }
  return value;
}

/** Flows the engine tracks at once unless told: about 120 MB at 452 bytes a flow. */
export const DEFAULT_MAX_FLOWS = 262_144;
/** Devices it keeps at once unless told (a gateway's LAN rarely nears it). */
export const DEFAULT_MAX_DEVICES = 65_536;

/**
 * --max-flows (1,024 to 16,777,216) and --max-devices (16 to 1,048,576): the
 * engine's table sizes, allocated up front; a UsageError naming the option.
 */
export function tableSize(key: string, text: string, command: string): number {
  const [min, max] = key === "max-flows" ? [1024, 1 << 24] : [16, 1 << 20];
  const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!(Number.isSafeInteger(n) && n >= min && n <= max)) {
    throw new UsageError(
      `${command}: --${key} must be a whole number from ${min} to ${max}, got "${text}"`,
    );
  }
  return n;
}
