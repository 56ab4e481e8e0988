/**
 * History-API routing: real paths (/devices/xyz) that survive a reload
 * because the server answers client-side routes with index.html. Links are
 * plain <a href> elements; one click handler on the shell turns same-origin
 * clicks into pushState.
 *
 * @module
 */
import { useEffect, useState } from "./html.js";

const EVENT = "sluice:navigate";

/** The routes, in order; `:id` captures one decoded path segment. */
const ROUTES = [
  ["/", "overview"],
  ["/devices", "devices"],
  ["/devices/:id", "device"],
  ["/processes", "processes"],
  ["/alerts", "alerts"],
  ["/rules", "rules"],
  ["/reports", "reports"],
  ["/shaper", "shaper"],
  ["/settings", "settings"],
];

/** Which view a path shows: { view, params }; view "notFound" when none matches. */
export function match(path) {
  const parts = path.replace(/\/+$/, "").split("/").slice(1);
  for (const [pattern, view] of ROUTES) {
    const want = pattern === "/" ? [] : pattern.split("/").slice(1);
    if (want.length !== parts.length) continue;
    const params = {};
    let ok = true;
    for (let i = 0; i < want.length && ok; i++) {
      if (want[i].startsWith(":")) {
        try {
          params[want[i].slice(1)] = decodeURIComponent(parts[i]);
        } catch {
          ok = false;
        }
      } else ok = want[i] === parts[i];
    }
    if (ok) return { view, params };
  }
  return { view: "notFound", params: {} };
}

/** Goes to `to` without reloading. */
export function navigate(to) {
  if (to === location.pathname + location.search) return;
  history.pushState(null, "", to);
  dispatchEvent(new Event(EVENT));
  scrollTo(0, 0);
}

/** The current path, re-rendering on navigation and on back/forward. */
export function usePath() {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    addEventListener("popstate", update);
    addEventListener(EVENT, update);
    return () => {
      removeEventListener("popstate", update);
      removeEventListener(EVENT, update);
    };
  }, []);
  return path;
}

/** Click handler for a container: same-origin links navigate in place. */
export function onLinkClick(event) {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const a = event.target.closest?.("a[href]");
  if (!a || a.target || a.hasAttribute("download") || a.origin !== location.origin) return;
  if (a.pathname.startsWith("/api/") || a.pathname.startsWith("/vendor/")) return;
  event.preventDefault();
  navigate(a.pathname + a.search);
}

/** The href of a device's page. */
export function deviceHref(id) {
  return `/devices/${encodeURIComponent(id)}`;
}
