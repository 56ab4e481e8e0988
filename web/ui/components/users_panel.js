/**
 * Web users: admins list, add and remove them and set others' passwords;
 * anyone changes their own password (with the current one).
 *
 * @module
 */
import { html, useState } from "../lib/html.js";
import { api } from "../lib/api.js";
import { ago, when } from "../lib/format.js";
import { SelectField, TextField } from "./field.js";
import { Outcome, ROLES, useList, useSubmit } from "./api_state.js";

/** Users: the list and new-user form for admins; a password change for everyone. */
export function Users({ user }) {
  const admin = user?.role === "admin";
  const [list, reload] = useList("/users", (d) => d.users, admin);
  const [add, runAdd] = useSubmit();
  const [row, runRow] = useSubmit();
  const [form, setForm] = useState({ name: "", role: "viewer", password: "" });
  const [resetting, setResetting] = useState(null); // user name
  const [newPassword, setNewPassword] = useState("");

  const create = async (e) => {
    e.preventDefault();
    const done = await runAdd(() => api("POST", "/users", form), `Added ${form.name}.`);
    if (done) {
      setForm({ name: "", role: "viewer", password: "" });
      reload();
    }
  };
  const remove = (name) =>
    runRow(() => api("DELETE", `/users/${encodeURIComponent(name)}`), `Removed ${name}.`).then(
      (ok) => ok && reload(),
    );
  const reset = async (e) => {
    e.preventDefault();
    const name = resetting;
    const done = await runRow(
      () => api("POST", `/users/${encodeURIComponent(name)}/password`, { password: newPassword }),
      `New password set for ${name}; their sessions were ended.`,
    );
    if (done) {
      setResetting(null);
      setNewPassword("");
    }
  };

  return html`
    <div class="card wide">
      <h2>Users</h2>
      ${!admin ? html`<p class="muted small">Only an admin manages users.</p>` : null}
      ${admin && list.error ? html`<p class="error" role="alert">${list.error}</p>` : null}
      ${admin && list.items
        ? html`
          <div class="table-scroll">
            <table class="table" aria-label="Users">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Role</th>
                  <th class="hide-narrow">Added</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                      ${list.items.map((u) =>
                        html`
                          <tr key=${u.name}>
                            <td>${u.name}${u.name === user.name
                              ? html`
                                <span class="muted small gap-left">(you)</span>
                              `
                              : null}</td>
                            <td>${u.role}</td>
                            <td class="hide-narrow" title=${when(u.created)}>${ago(u.created)}</td>
                            <td class="row-actions">
                                            ${u.name !== user.name
                                              ? html`
                                                <button type="button" aria-label=${`Set password of ${u.name}`}
                                                  onClick=${() =>
                                                    setResetting(u.name)}>Set password…</button>
                                                <button type="button" class="danger" aria-label=${`Remove user ${u.name}`}
                                                  disabled=${row.busy} onClick=${() =>
                                                    remove(u.name)}>Remove</button>
                                              `
                                              : null}
                                          </td>
                          </tr>
                        `
                      )}
                    </tbody>
            </table>
          </div>
        `
        : null}
      ${admin ? html`<${Outcome} state=${row} />` : null}
      ${resetting
        ? html`
          <form class="inline-form" onSubmit=${reset} aria-label=${`New password for ${resetting}`}>
            <${TextField} label=${`New password for ${resetting}`} type="password" value=${newPassword}
              onValue=${setNewPassword} error=${row.errors.password} autocomplete="new-password"
              minlength="10" />
            <div class="buttons">
              <button type="button" onClick=${() => setResetting(null)}>Cancel</button>
              <button type="submit" class="primary" disabled=${row.busy}>Set password</button>
            </div>
          </form>
        `
        : null}
      ${admin
        ? html`
          <form class="inline-form" onSubmit=${create} aria-label="Add a user">
            <h3>Add a user</h3>
            <div class="form-grid">
              <${TextField} label="User name" value=${form.name} onValue=${(v) =>
                setForm({ ...form, name: v })}
                error=${add.errors
                  .name} autocomplete="off" spellcheck=${false} hint="a-z, 0-9, . _ -" />
              <${SelectField} label="Role" value=${form.role} options=${ROLES}
                onValue=${(v) => setForm({ ...form, role: v })} error=${add.errors.role} />
              <${TextField} label="Password" type="password" value=${form.password}
                onValue=${(v) => setForm({ ...form, password: v })} error=${add.errors.password}
                autocomplete="new-password" hint="10 characters or more" />
            </div>
            <${Outcome} state=${add} />
            <div
              class="buttons"><button type="submit" class="primary" disabled=${add
                .busy}>Add user</button></div>
          </form>
        `
        : null}
      ${user ? html`<${OwnPassword} user=${user} />` : null}
    </div>
  `;
}

function OwnPassword({ user }) {
  const [state, run] = useSubmit();
  const [old, setOld] = useState("");
  const [next, setNext] = useState("");
  const submit = async (e) => {
    e.preventDefault();
    const done = await run(
      () =>
        api("POST", `/users/${encodeURIComponent(user.name)}/password`, {
          password: next,
          oldPassword: old,
        }),
      "Password changed; your other sessions were ended.",
    );
    if (done) {
      setOld("");
      setNext("");
    }
  };
  return html`
    <form class="inline-form" onSubmit=${submit} aria-label="Change your password">
      <h3>Change your password</h3>
      <div class="form-grid">
        <${TextField} label="Current password" type="password" value=${old} onValue=${setOld}
          error=${state.errors.oldPassword} autocomplete="current-password" />
        <${TextField} label="New password" type="password" value=${next} onValue=${setNext}
          error=${state.errors.password} autocomplete="new-password" hint="10 characters or more" />
      </div>
      <${Outcome} state=${state} />
      <div class="buttons"><button type="submit" disabled=${state
        .busy}>Change password</button></div>
    </form>
  `;
}
