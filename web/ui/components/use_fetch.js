/**
 * One GET at a time for a view: loading and error state, a reload, an
 * optional refresh every few seconds while the page is visible, and
 * answers to a superseded path dropped (switching ranges quickly must not
 * show the older answer last).
 *
 * @module
 */
import { useCallback, useEffect, useRef, useState } from "../lib/html.js";
import { api } from "../lib/api.js";

/**
 * GET `path` (under /api/v1; null to wait) → { data, error, loading, reload }.
 * `every` (ms) refreshes it while the document is visible; data stays on
 * screen during a refresh, and a failed refresh keeps the last data.
 *
 * @example
 * ```js
 * const flows = useFetch(`/devices/${encodeURIComponent(id)}/flows`, { every: 3000 });
 * ```
 */
export function useFetch(path, { every = 0 } = {}) {
  const [state, setState] = useState({ path, data: null, error: null, loading: path !== null });
  const current = useRef(path);
  current.current = path;

  const load = useCallback(async () => {
    if (path === null) return;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await api("GET", path);
      if (current.current === path) setState({ path, data, error: null, loading: false });
    } catch (err) {
      if (current.current === path) {
        setState((s) => ({ ...s, path, error: err.message, loading: false }));
      }
    }
  }, [path]);

  useEffect(() => {
    setState((s) => (s.path === path ? s : { path, data: null, error: null, loading: true }));
    load();
    if (!every) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") load();
    }, every);
    return () => clearInterval(timer);
  }, [path, every]);

  const fresh = state.path === path;
  return {
    data: fresh ? state.data : null,
    error: fresh ? state.error : null,
    loading: !fresh || state.loading,
    reload: load,
  };
}
