/**
 * Sign-in: name and password to POST /api/v1/session. The password field
 * is cleared after a failure; the server's message (wrong password, too
 * many attempts) is shown as it is.
 *
 * @module
 */
import { html, useState } from "../lib/html.js";
import { session } from "../lib/api.js";

/** The login page; `onLogin({ user, csrf })` after success, `notice` above the form. */
export function Login({ onLogin, notice }) {
  const [name, setName] = useState("admin");
  const [password, setPassword] = useState("");
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onLogin(await session.login(name.trim(), password));
    } catch (err) {
      setError(err.status === 401 ? "Wrong name or password." : err.message);
      setPassword("");
      setBusy(false);
    }
  };

  return html`
    <main class="login">
      <form class="card" onSubmit=${submit} aria-labelledby="login-title">
        <h1 id="login-title"><span class="logo" aria-hidden="true"></span> Sluice</h1>
        ${notice ? html`<p class="muted">${notice}</p>` : null}
        <label>Name
          <input name="name" autocomplete="username" required value=${name}
            onInput=${(e) => setName(e.currentTarget.value)} />
        </label>
        <label>Password
          <input name="password" type="password" autocomplete="current-password" required
            autofocus value=${password} onInput=${(e) => setPassword(e.currentTarget.value)} />
        </label>
        ${error ? html`<p class="error" role="alert">${error}</p>` : null}
        <button type="submit" class="primary" disabled=${busy}>Sign in</button>
      </form>
    </main>
  `;
}
