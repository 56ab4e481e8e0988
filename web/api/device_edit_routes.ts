/**
 * A device renamed or regrouped: its label in the DeviceStore (and the
 * running monitor, so the live view shows it at once), its groups in the
 * policy document (a new revision, applied by the running policy).
 *
 * @module
 */
import { z } from "zod/v4";
import { normalDeviceId } from "../../engine/devices/mod.ts";
import { DeviceStore } from "../../engine/history/mod.ts";
import type { WebContext } from "../web_context.ts";
import type { ApiRegistry } from "./api_registry.ts";
import { HttpError } from "./http_error.ts";
import { deviceSummary } from "./_device_summary.ts";
import {
  currentDocument,
  isObject,
  logAdmin,
  type RawPolicy,
  saveDocument,
  userName,
} from "./_policy_edit.ts";
import { deviceIdParams, deviceSchema } from "./_schemas.ts";

/** The body of PATCH /devices/:id. */
export const deviceEditBody = z.strictObject({
  /** The user's name for it; null or "" removes it. */
  label: z.string().trim().max(100).nullable().optional(),
  /** Every group it is to be in (new names make new groups); the others lose it. */
  groups: z.array(z.string().trim().min(1).max(64)).max(100).optional(),
});

/**
 * Declares PATCH /devices/:id.
 *
 * @example
 * ```ts ignore
 * createApp({ ctx, auth, registrars: [deviceEditRoutes] });
 * ```
 */
export function deviceEditRoutes(api: ApiRegistry, ctx: WebContext): void {
  api.add({
    method: "patch",
    path: "/devices/:id",
    summary: "Sets a device's label and the policy groups it is in",
    tag: "devices",
    access: "admin",
    params: deviceIdParams,
    body: deviceEditBody,
    response: z.object({ device: deviceSchema }),
    handle: async (c, { params, body }) => {
      const id = params.id;
      if (await deviceSummary(ctx, id) === null) throw new HttpError(404, `no device ${id}`);
      let groups: string[] | undefined;
      if (body.groups !== undefined) groups = await setGroups(id, [...new Set(body.groups)]);
      if (body.label !== undefined) {
        const label = body.label || null;
        await new DeviceStore(ctx.kv).setLabel(id, label);
        ctx.monitor()?.devices.setLabel(id, label);
        await logAdmin(
          ctx,
          c,
          label === null ? `label of ${id} removed` : `label of ${id} set to "${label}"`,
          { label },
          id,
        );
      }
      const device = await deviceSummary(ctx, id);
      if (device === null) throw new HttpError(404, `no device ${id}`);
      // The running policy takes the new groups within a second; the answer has them now.
      return c.json({ device: groups === undefined ? device : { ...device, groups } });

      /** Puts the device in exactly `wanted` of the document's groups; returns its groups. */
      async function setGroups(id: string, wanted: string[]): Promise<string[]> {
        const doc = await currentDocument(ctx);
        const before = isObject(doc.raw.groups) ? doc.raw.groups : {};
        const next: Record<string, unknown[]> = {};
        let changed = false;
        for (const [name, list] of Object.entries(before)) {
          const members = Array.isArray(list) ? list : [];
          const kept = members.filter((m) => normalDeviceId(String(m)) !== id);
          const inIt = kept.length !== members.length, want = wanted.includes(name);
          next[name] = want ? (inIt ? members : [...kept, id]) : kept;
          changed ||= inIt !== want;
        }
        for (const name of wanted) {
          if (next[name] !== undefined) continue;
          next[name] = [id];
          changed = true;
        }
        const mine = Object.keys(next).filter((name) => wanted.includes(name));
        if (!changed) return mine;
        const raw: RawPolicy = { ...doc.raw, groups: next };
        const note = `groups of ${id} set by ${userName(c)}`;
        const saved = await saveDocument(ctx, raw, doc.revision, note, (path) => {
          return path.startsWith("groups") ? "groups" : null;
        });
        const text = mine.length ? mine.join(", ") : "none";
        await logAdmin(ctx, c, `groups of ${id} set to ${text}`, {
          groups: mine,
          revision: saved.revision,
        }, id);
        return mine;
      }
    },
  });
}
