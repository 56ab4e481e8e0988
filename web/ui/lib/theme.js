/**
 * Light and dark theme: the system's preference until the user picks one
 * with the toggle, which is remembered in localStorage. The stylesheet
 * follows prefers-color-scheme on its own, so only an explicit choice needs
 * the data-theme attribute.
 *
 * @module
 */

const KEY = "sluice.theme";

function stored() {
  try {
    const t = localStorage.getItem(KEY);
    return t === "light" || t === "dark" ? t : null;
  } catch {
    return null; // storage disabled: follow the system
  }
}

/** The theme in effect now: "light" or "dark". */
export function currentTheme() {
  return stored() ??
    (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
}

/** Applies a remembered choice, if any, before the first render. */
export function applyStoredTheme() {
  const t = stored();
  if (t) document.documentElement.dataset.theme = t;
}

/** Switches to `theme` and remembers it. */
export function setTheme(theme) {
  document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem(KEY, theme);
  } catch { /* not remembered; still applied */ }
}
