/**
 * The device page's admin tools: its label editor (PATCH /devices/:id)
 * and the devices table's action buttons (throttle, block, pause and their
 * undoing) with the same dialog.
 *
 * @module
 */
import { html, useState } from "../lib/html.js";
import { api, deviceAction } from "../lib/api.js";
import { ActionDialog } from "./action_dialog.js";

const LABELS = {
  limit: "Throttled",
  unlimit: "Unthrottled",
  block: "Blocked",
  unblock: "Unblocked",
  pause: "Paused",
};

/**
 * A form that sets the device's label (empty removes it); `onSaved` runs
 * after the server took it.
 *
 * @example
 * ```js
 * html`<${LabelEditor} id=${id} label=${label} onSaved=${reload} />`
 * ```
 */
export function LabelEditor({ id, label, onSaved }) {
  const [text, setText] = useState(null); // null: not edited, show the stored label
  const [status, setStatus] = useState(null); // { kind, text }
  const [busy, setBusy] = useState(false);
  const value = text ?? label ?? "";
  const save = async (event) => {
    event.preventDefault();
    setBusy(true);
    setStatus(null);
    try {
      const trimmed = value.trim();
      await api("PATCH", `/devices/${encodeURIComponent(id)}`, {
        label: trimmed === "" ? null : trimmed,
      });
      setText(null);
      setStatus({ kind: "ok", text: trimmed ? "Label saved." : "Label removed." });
      onSaved();
    } catch (err) {
      setStatus({ kind: "error", text: err.message });
    } finally {
      setBusy(false);
    }
  };
  return html`
    <form class="label-editor" onSubmit=${save}>
      <label>Label
        <input name="label" value=${value} maxlength="100" placeholder="e.g. Kid's tablet"
          onInput=${(e) => setText(e.currentTarget.value)} />
      </label>
      <button type="submit" class="primary" disabled=${busy}>Save label</button>
      ${status
        ? html`<p class=${status.kind === "error" ? "error" : "muted small"} role=${
          status.kind ===
              "error"
            ? "alert"
            : "status"
        }>${status.text}</p>`
        : null}
    </form>
  `;
}

/**
 * The devices table's buttons for one `device` ({ id, name }) in `state`
 * ("free", "limited", "blocked"), with the same dialog; `onDone` runs
 * after an action the server took.
 */
export function DeviceActions({ device, state, onDone }) {
  const [dialog, setDialog] = useState(null); // "limit" | "pause"
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState(null);
  const act = async (action, options = {}) => {
    setBusy(true);
    try {
      await deviceAction(device.id, action, options);
      setMessage({ kind: "ok", text: `${LABELS[action] ?? action}: ${device.name}` });
      onDone();
    } catch (err) {
      setMessage({ kind: "error", text: `${LABELS[action] ?? action}: ${err.message}` });
      if (dialog) throw err; // the dialog shows it too and stays open
    } finally {
      setBusy(false);
    }
  };
  const n = device.name;
  return html`
    <div class="buttons start device-actions">
      ${state === "limited"
        ? html`
          <button type="button" disabled=${busy} aria-label=${`Unthrottle ${n}`}
            onClick=${() => act("unlimit")}>Unthrottle</button>
        `
        : html`
          <button type="button" disabled=${busy || state === "blocked"}
            aria-label=${`Throttle ${n}`} onClick=${() => setDialog("limit")}>Throttle…</button>
        `}
      ${state === "blocked"
        ? html`
          <button type="button" disabled=${busy} aria-label=${`Unblock ${n}`}
            onClick=${() => act("unblock")}>Unblock</button>
        `
        : html`
          <button type="button" class="danger" disabled=${busy} aria-label=${`Block ${n}`}
            onClick=${() => act("block")}>Block</button>
          <button type="button" disabled=${busy} aria-label=${`Pause ${n}`}
            onClick=${() => setDialog("pause")}>Pause…</button>
        `}
    </div>
    ${message
      ? html`<p class=${message.kind === "error" ? "error" : "muted small"} role=${
        message.kind ===
            "error"
          ? "alert"
          : "status"
      }>${message.text}</p>`
      : null}
    ${dialog
      ? html`
        <${ActionDialog} device=${device} mode=${dialog} onClose=${() => setDialog(null)}
          onSubmit=${(body) => act(dialog, body)} />
      `
      : null}
  `;
}
