/**
 * The small form behind "Throttle…" and "Pause…": rates in Mbit/s (what
 * people think in), sent as bytes/s, and how long it lasts, sent in ms.
 * A native <dialog>, so focus trapping and Esc come from the browser.
 *
 * @module
 */
import { html, useEffect, useRef, useState } from "../lib/html.js";

const MINUTE = 60_000;
const DURATIONS = [
  ["", "Until lifted"],
  [String(15 * MINUTE), "15 minutes"],
  [String(60 * MINUTE), "1 hour"],
  [String(3 * 60 * MINUTE), "3 hours"],
  [String(8 * 60 * MINUTE), "8 hours"],
  [String(24 * 60 * MINUTE), "24 hours"],
];
const BYTES_PER_MBIT = 125_000;

/**
 * `mode` "limit" asks for rates and an optional duration; "pause" for a
 * duration only. `onSubmit({ down?, up?, for? })` returns a promise; the
 * dialog closes when it resolves and shows the message when it rejects.
 */
export function ActionDialog({ device, mode, onClose, onSubmit }) {
  const ref = useRef(null);
  const [down, setDown] = useState("2");
  const [up, setUp] = useState("1");
  const [duration, setDuration] = useState(mode === "pause" ? String(60 * MINUTE) : "");
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const el = ref.current;
    if (!el.open) el.showModal();
    const closed = () => onClose();
    el.addEventListener("close", closed);
    return () => el.removeEventListener("close", closed);
  }, []);

  const submit = async (event) => {
    event.preventDefault();
    const body = {};
    if (mode === "limit") {
      const d = parseRate(down), u = parseRate(up);
      if (d === undefined || u === undefined) return setError("Rates are positive numbers.");
      if (d === null && u === null) return setError("Give a rate for down, up or both.");
      if (d !== null) body.down = d;
      if (u !== null) body.up = u;
    }
    if (duration) body.for = Number(duration);
    setBusy(true);
    setError(null);
    try {
      await onSubmit(body);
      ref.current?.close();
    } catch (err) {
      setError(err.message);
      setBusy(false);
    }
  };

  const title = mode === "limit" ? `Throttle ${device.name}` : `Pause ${device.name}`;
  const durations = mode === "pause" ? DURATIONS.slice(1) : DURATIONS;
  return html`
    <dialog ref=${ref} class="action-dialog" aria-labelledby="action-title">
      <form method="dialog" onSubmit=${submit}>
        <h2 id="action-title">${title}</h2>
        ${mode === "limit"
          ? html`
            <label>Down (Mbit/s)
              <input name="down" type="number" min="0" step="any" inputmode="decimal"
                value=${down} onInput=${(e) => setDown(e.currentTarget.value)} />
            </label>
            <label>Up (Mbit/s)
              <input name="up" type="number" min="0" step="any" inputmode="decimal"
                value=${up} onInput=${(e) => setUp(e.currentTarget.value)} />
            </label>
          `
          : html`<p class="muted">No traffic to or from this device until the time is up.</p>`}
        <label>For
          <select name="for" value=${duration} onChange=${(e) =>
            setDuration(e.currentTarget.value)}>
            ${durations.map(([v, label]) => html`<option value=${v}>${label}</option>`)}
          </select>
        </label>
        ${error ? html`<p class="error" role="alert">${error}</p>` : null}
        <div class="buttons">
          <button type="button" onClick=${() => ref.current.close()}>Cancel</button>
          <button type="submit" class="primary" disabled=${busy}>
            ${mode === "limit" ? "Throttle" : "Pause"}
          </button>
        </div>
      </form>
    </dialog>
  `;
}

/** Mbit/s text → bytes/s; null when empty, undefined when not a positive number. */
function parseRate(text) {
  if (text.trim() === "") return null;
  const n = Number(text);
  return Number.isFinite(n) && n > 0 ? Math.round(n * BYTES_PER_MBIT) : undefined;
}
