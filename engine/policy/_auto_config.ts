// AutoPriority's own check of the AutoConfig numbers it runs on, so that a
// configuration built by hand (not through the policy file) fails early.

import type { AutoConfig } from "./policy_types.ts";

/** Throws a RangeError naming the first bad field of `config`, and of `band`. */
export function checkAutoConfig(config: AutoConfig, band: number): void {
  whole("window", config.window);
  whole("confirm", config.confirm);
  rate("highBelow", config.highBelow);
  rate("lowAbove", config.lowAbove);
  if (!(config.highBelow < config.lowAbove)) {
    throw new RangeError(
      `auto.highBelow (${config.highBelow}) must be below auto.lowAbove (${config.lowAbove})`,
    );
  }
  if (!(config.spikeSigma > 0 && config.spikeSigma < Infinity)) {
    throw new RangeError(`auto.spikeSigma must be a finite number > 0, got ${config.spikeSigma}`);
  }
  if (!(band >= 0 && band < 1)) {
    throw new RangeError(`auto band must be a fraction from 0 to below 1, got ${band}`);
  }
}

function whole(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`auto.${field} must be a whole number >= 1, got ${value}`);
  }
}

function rate(field: string, value: number): void {
  if (!(value >= 0 && value < Infinity)) {
    throw new RangeError(`auto.${field} must be a finite number >= 0 bytes/s, got ${value}`);
  }
}
