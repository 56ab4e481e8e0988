/**
 * API tokens for scripts and scrapers (admins): the list, revoke, and a new
 * token, shown once when it is made.
 *
 * @module
 */
import { html, useState } from "../lib/html.js";
import { api } from "../lib/api.js";
import { ago, when } from "../lib/format.js";
import { SelectField, TextField } from "./field.js";
import { Outcome, ROLES, useList, useSubmit } from "./api_state.js";

/** API tokens (admins): the list, revoke, and a new one shown once. */
export function Tokens({ user }) {
  const admin = user?.role === "admin";
  const [list, reload] = useList("/tokens", (d) => d.tokens, admin);
  const [state, run] = useSubmit();
  const [form, setForm] = useState({ name: "", role: "viewer" });
  const [made, setMade] = useState(null); // { name, token }
  const [copied, setCopied] = useState(false);

  const create = async (e) => {
    e.preventDefault();
    let answer;
    const done = await run(async () => {
      answer = await api("POST", "/tokens", form);
    }, null);
    if (done) {
      setMade({ name: answer.name, token: answer.token });
      setCopied(false);
      setForm({ name: "", role: "viewer" });
      reload();
    }
  };
  const revoke = (t) =>
    run(() => api("DELETE", `/tokens/${encodeURIComponent(t.id)}`), `Revoked ${t.name}.`).then(
      (ok) => ok && reload(),
    );
  const copy = () =>
    navigator.clipboard?.writeText(made.token).then(() => setCopied(true), () => {});

  return html`
    <div class="card wide">
      <h2>API tokens</h2>
      ${!admin ? html`<p class="muted small">Only an admin manages API tokens.</p>` : html`
        <p class="muted small">For scripts and scrapers: <code>Authorization: Bearer TOKEN</code>.</p>
        ${list.error ? html`<p class="error" role="alert">${list.error}</p>` : null}
        ${made
          ? html`
            <div class="token-once" role="status">
              <p><strong>${made.name}</strong>: copy this token now; it is not shown again.</p>
              <code class="token" tabindex="0">${made.token}</code>
              <div class="buttons">
                <button type="button" onClick=${copy}>${copied ? "Copied" : "Copy"}</button>
                <button type="button" onClick=${() => setMade(null)}>Done</button>
              </div>
            </div>
          `
          : null}
        ${list.items?.length === 0 ? html`<p class="muted">No tokens.</p>` : null}
        ${list.items?.length
          ? html`
            <div class="table-scroll">
              <table class="table" aria-label="API tokens">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Role</th>
                    <th class="hide-narrow">Made by</th>
                    <th>Last used</th>
                    <th></th>
                  </tr>
                </thead>
                <tbody>
                            ${list.items.map((t) =>
                              html`
                                <tr key=${t.id}>
                                  <td title=${`made ${when(t.created)}`}>${t.name}</td>
                                  <td>${t.role}</td>
                                  <td class="hide-narrow">${t.user}</td>
                                  <td title=${t.lastUsed ? when(t.lastUsed) : ""}>${t.lastUsed
                                    ? ago(t.lastUsed)
                                    : "never"}</td>
                                  <td class="row-actions"><button type="button" class="danger" disabled=${state
                                    .busy}
                                                      aria-label=${`Revoke token ${t.name}`} onClick=${() =>
                                                        revoke(t)}>Revoke</button></td>
                                </tr>
                              `
                            )}
                          </tbody>
              </table>
            </div>
          `
          : null}
        <form class="inline-form" onSubmit=${create} aria-label="New API token">
          <div class="form-grid">
            <${TextField} label="Token name" value=${form.name} onValue=${(v) =>
              setForm({ ...form, name: v })}
              error=${state.errors.name} autocomplete="off" placeholder="prometheus" />
            <${SelectField} label="Token role" value=${form.role} options=${ROLES}
              onValue=${(v) => setForm({ ...form, role: v })} error=${state.errors.role} />
          </div>
          <${Outcome} state=${state} />
          <div
            class="buttons"><button type="submit" class="primary" disabled=${state
              .busy}>Create token</button></div>
        </form>
      `}
    </div>
  `;
}
