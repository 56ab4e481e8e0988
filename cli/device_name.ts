// A device as a user names it on the command line: by id, bare address or
// the label they gave it. Shared by "sluice explain" and "sluice override".
import type { DeviceStore } from "../engine/history/mod.ts";
import { deviceIdArgument } from "./options.ts";
import { UsageError } from "./usage_error.ts";

/** An id as typed, or a label (any case) of a stored device. */
export async function resolveDevice(
  text: string,
  devices: DeviceStore,
  command: string,
): Promise<string> {
  try {
    return deviceIdArgument(text, "DEVICE", command);
  } catch {
    const wanted = text.trim().toLowerCase();
    const labelled = Object.entries(await devices.labels()).filter(([, label]) =>
      label.toLowerCase() === wanted
    );
    if (labelled.length === 1) return labelled[0][0];
    if (labelled.length > 1) {
      throw new UsageError(
        `${command}: several devices are labelled "${text}": ${
          labelled.map(([id]) => id).join(", ")
        }`,
      );
    }
    throw new UsageError(
      `${command}: DEVICE must be a MAC or IP address, "mac:..." or "ip:...", or a device's ` +
        `label; no device is labelled "${text}"`,
    );
  }
}
