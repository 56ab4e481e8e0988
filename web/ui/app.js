/**
 * Sluice's dashboard, booted from index.html: asks who is signed in, shows
 * the login page or the shell, opens the live stream while signed in, and
 * owns the theme. Preact + htm from /vendor/, plain ES modules, no build.
 *
 * @module
 */
import { html, render, useEffect, useState } from "./lib/html.js";
import { ApiError, onUnauthorized, session, setCsrf } from "./lib/api.js";
import { startLive, stopLive } from "./lib/live.js";
import { applyStoredTheme, currentTheme, setTheme } from "./lib/theme.js";
import { Login } from "./views/login.js";
import { Shell } from "./shell.js";

applyStoredTheme();
// Open the stream while the session is being checked: the first snapshot then
// arrives a round trip sooner. Signed out, it is refused and closed (lib/live.js).
startLive();

function App() {
  // { state: "loading" } | { state: "out", notice? } | { state: "in", user }
  const [auth, setAuth] = useState({ state: "loading" });
  const [theme, setThemeState] = useState(currentTheme);

  const signIn = ({ user, csrf }) => {
    setCsrf(csrf);
    setAuth({ state: "in", user });
  };
  const signOut = (notice) => {
    setCsrf(null);
    setAuth({ state: "out", notice });
  };

  useEffect(() => {
    onUnauthorized(() =>
      setAuth((a) =>
        a.state === "in" ? { state: "out", notice: "Your session ended; sign in again." } : a
      )
    );
    session.get().then(signIn, (err) => {
      signOut(err instanceof ApiError && err.status === 401 ? undefined : err.message);
    });
  }, []);

  useEffect(() => {
    if (auth.state === "in") startLive();
    else if (auth.state === "out") stopLive();
  }, [auth.state]);

  useEffect(() => {
    // Follow the system while the user has not chosen.
    const media = matchMedia("(prefers-color-scheme: dark)");
    const follow = () => setThemeState(currentTheme());
    media.addEventListener("change", follow);
    return () => media.removeEventListener("change", follow);
  }, []);

  const toggleTheme = () => {
    const next = theme === "dark" ? "light" : "dark";
    setTheme(next);
    setThemeState(next);
  };
  const logout = async () => {
    try {
      await session.logout();
    } catch { /* signed out locally either way */ }
    signOut();
  };

  if (auth.state === "loading") return html`<p class="loading muted">Loading…</p>`;
  if (auth.state === "out") return html`<${Login} onLogin=${signIn} notice=${auth.notice} />`;
  return html`
    <${Shell} user=${auth.user} theme=${theme} onToggleTheme=${toggleTheme}
      onLogout=${logout} />
  `;
}

render(html`<${App} />`, document.getElementById("app"));
