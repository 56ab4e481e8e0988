/**
 * Small helpers for the account panels (users, tokens, sessions): a list
 * loaded from the API, a form submit that keeps the server's field errors,
 * and the line that says how it went.
 *
 * @module
 */
import { html, useEffect, useState } from "../lib/html.js";
import { api } from "../lib/api.js";
import { fieldErrors } from "./field.js";

/** Roles a user or token may have, for selects. */
export const ROLES = [["viewer", "Viewer (reads)"], ["admin", "Admin (acts)"]];

/** GET `path` into state, with a reload; `pick` takes the list out of the answer. */
export function useList(path, pick, enabled = true) {
  const [state, setState] = useState({ items: null, error: null });
  const load = () =>
    api("GET", path).then(
      (d) => setState({ items: pick(d), error: null }),
      (e) => setState({ items: null, error: e.message }),
    );
  useEffect(() => {
    if (enabled) load();
  }, [enabled]);
  return [state, load];
}

/** A small form's submit: busy flag, field errors and message from an ApiError. */
export function useSubmit() {
  const [state, setState] = useState({ busy: false, errors: {}, message: null, ok: null });
  const run = async (fn, ok) => {
    setState({ busy: true, errors: {}, message: null, ok: null });
    try {
      await fn();
      setState({ busy: false, errors: {}, message: null, ok });
      return true;
    } catch (e) {
      setState({ busy: false, errors: fieldErrors(e.fields), message: e.message, ok: null });
      return false;
    }
  };
  return [state, run];
}

export function Outcome({ state }) {
  if (state.message) return html`<p class="error" role="alert">${state.message}</p>`;
  if (state.ok) return html`<p class="ok" role="status">${state.ok}</p>`;
  return null;
}
