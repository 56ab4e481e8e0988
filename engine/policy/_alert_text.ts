// Alert messages in words and figures, in the units the policy file is
// written in. Built only when an alert event is emitted, never per sample.
import type { AlertKind } from "./policy_types.ts";
import { formatDuration as formatSeconds, formatRate, formatSize as formatBytes } from "./units.ts";

/** A whole percentage, floored so 79.9% never reads as 80%. */
function percent(fraction: number): string {
  return `${Math.floor(fraction * 100 + 1e-9)}%`; // 0.29 * 100 is 28.999...96
}

/** The one-line message of an alert from its figures. */
export function alertMessage(
  kind: AlertKind,
  name: string,
  ruleId: string | null,
  figures: Readonly<Record<string, number | string>>,
  count: number,
): string {
  const f = figures as Record<string, number>;
  const rule = JSON.stringify(ruleId ?? "");
  switch (kind) {
    case "sustained_rate":
      return `${name} above ${formatRate(f.threshold)} for ${formatSeconds(f.seconds)} ` +
        `(peak ${formatRate(f.rate)})`;
    case "spike":
      return `${name} spiked to ${formatRate(f.rate)}` + (count > 1 ? ` (${count} spikes)` : "");
    case "quota_warning":
      return `${name} used ${percent(f.fraction)} of quota ${rule} ` +
        `(${formatBytes(f.used)} of ${formatBytes(f.quota)})`;
    case "quota_reached":
      return `${name} reached quota ${rule} (${formatBytes(f.used)} of ${formatBytes(f.quota)})`;
    case "time_budget_used":
      return `${name} used up time budget ${rule} ` +
        `(${formatSeconds(f.used)} of ${formatSeconds(f.budget)})`;
    case "new_device":
      return `New device joined: ${name}`;
    case "device_offline":
      return `${name} offline (no traffic for ${formatSeconds(f.seconds)})`;
    case "device_back":
      return `${name} back after ${formatSeconds(f.seconds)} offline`;
    case "shaper_failed":
      return (name === "" ? "Shaper failed: " : `Shaper failed for ${name}: `) +
        String(figures.error) + (count > 1 ? ` (${count} times)` : "");
  }
}
