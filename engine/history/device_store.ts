/**
 * Devices in Deno KV: the plain-data record the engine keeps for each device,
 * and the label a user gave it. Labels live in their own key space so that
 * the engine rewriting a record never loses a label.
 *
 * @module
 */
import { AtomicBatches, DEFAULT_COMMIT_LIMITS } from "./_kv_batch.ts";
import { checkId } from "./usage_record.ts";

/** The least a device record holds: its id ("mac:..." or "ip:..."). Any other fields are plain data. */
export interface DeviceRecord {
  id: string;
}

/** A device record with its user label. */
export interface DeviceEntry<T extends DeviceRecord = DeviceRecord> {
  /** Null when only a label was stored. */
  device: T | null;
  label: string | null;
}

const DEVICES = "devices";
const LABELS = "device-labels";
/** Labels are shown in tables and charts: keep them short. */
const MAX_LABEL = 100;
// Records must stay under KV's 64 KiB value limit; 32 KB leaves room.
const MAX_RECORD_BYTES = 32_000;

/**
 * Devices under `["devices", id]`, labels under `["device-labels", id]`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const kv = await Deno.openKv(":memory:");
 * const store = new DeviceStore<{ id: string; lastSeen: number }>(kv);
 * await store.put({ id: "mac:02:00:00:00:00:07", lastSeen: 1000 });
 * await store.setLabel("mac:02:00:00:00:00:07", "Lucas's iMac");
 * await store.put({ id: "mac:02:00:00:00:00:07", lastSeen: 2000 });
 * assertEquals(await store.get("mac:02:00:00:00:00:07"), {
 *   device: { id: "mac:02:00:00:00:00:07", lastSeen: 2000 }, label: "Lucas's iMac",
 * });
 * kv.close();
 * ```
 */
export class DeviceStore<T extends DeviceRecord = DeviceRecord> {
  readonly #kv: Deno.Kv;

  constructor(kv: Deno.Kv) {
    this.#kv = kv;
  }

  /** Stores (replaces) one device's record. */
  async put(device: T): Promise<void> {
    await this.putMany([device]);
  }

  /** Stores many records in as few atomic commits as Deno KV's limits allow. */
  async putMany(devices: readonly T[]): Promise<void> {
    const batches = new AtomicBatches(this.#kv, DEFAULT_COMMIT_LIMITS);
    const sizes = devices.map((device, i) => {
      checkId(device?.id, `devices[${i}].id`);
      const size = JSON.stringify(device).length * 3;
      if (size > MAX_RECORD_BYTES) {
        throw new RangeError(`devices[${i}] (${device.id}) is too large for one KV value`);
      }
      return size;
    });
    // Each commit is atomic; a crash part-way keeps the devices before it.
    for (const [i, device] of devices.entries()) {
      await batches.set([DEVICES, device.id], device, sizes[i]);
    }
    await batches.finish();
  }

  /** One device's record and label; null if neither is stored. */
  async get(id: string): Promise<DeviceEntry<T> | null> {
    checkId(id, "id");
    const [device, label] = await this.#kv.getMany<[T, string]>([[DEVICES, id], [LABELS, id]]);
    if (device.value === null && label.value === null) return null;
    return { device: device.value, label: label.value };
  }

  /** Every device with a record or a label, by id. */
  async list(): Promise<Map<string, DeviceEntry<T>>> {
    const out = new Map<string, DeviceEntry<T>>();
    for await (const { key, value } of this.#kv.list<T>({ prefix: [DEVICES] })) {
      out.set(key[1] as string, { device: value, label: null });
    }
    for await (const { key, value } of this.#kv.list<string>({ prefix: [LABELS] })) {
      const id = key[1] as string;
      const entry = out.get(id);
      if (entry) entry.label = value;
      else out.set(id, { device: null, label: value });
    }
    return new Map([...out].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
  }

  /** Every label, by device id (what `rankUsage` takes). */
  async labels(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for await (const { key, value } of this.#kv.list<string>({ prefix: [LABELS] })) {
      out[key[1] as string] = value;
    }
    return out;
  }

  /** Sets a device's label (trimmed), or removes it with null or "". */
  async setLabel(id: string, label: string | null): Promise<void> {
    checkId(id, "id");
    if (label !== null && typeof label !== "string") {
      throw new TypeError("label must be a string or null");
    }
    const text = label?.trim() ?? "";
    if (text.length > MAX_LABEL) {
      throw new RangeError(`label must be at most ${MAX_LABEL} characters, got ${text.length}`);
    }
    if (text === "") await this.#kv.delete([LABELS, id]);
    else await this.#kv.set([LABELS, id], text);
  }

  /** Forgets a device: its record and its label. */
  async delete(id: string): Promise<void> {
    checkId(id, "id");
    await this.#kv.atomic().delete([DEVICES, id]).delete([LABELS, id]).commit();
  }
}
