/**
 * Settings: the capture interfaces and LAN, the policy's settings (link,
 * alerts, automatic priorities, webhooks; read-only for viewers), history
 * retention, and who may use Sluice (users, API tokens, sessions).
 *
 * @module
 */
import { html, useEffect, useState } from "../lib/html.js";
import { api } from "../lib/api.js";
import { useSessionUser } from "../components/use_session.js";
import { SettingsForm } from "../components/settings_form.js";
import { Users } from "../components/users_panel.js";
import { Tokens } from "../components/tokens_panel.js";
import { Sessions } from "../components/sessions_panel.js";

const NO_POLICY = "Sluice runs without a policy (start it with --policy FILE)";

/** The settings view. */
export function Settings() {
  const user = useSessionUser();
  const admin = user?.role === "admin";
  const [settings, setSettings] = useState({ data: null, error: null, status: 0 });
  // A (re)load starts the form afresh; a save keeps it (it resets itself).
  const [generation, setGeneration] = useState(0);
  const load = () =>
    api("GET", "/settings").then(
      (data) => {
        setSettings({ data, error: null, status: 200 });
        setGeneration((g) => g + 1);
      },
      (e) => setSettings({ data: null, error: e.message, status: e.status }),
    );
  useEffect(() => {
    load();
  }, []);

  const s = settings;
  return html`
    <section class="view settings" aria-labelledby="view-title">
      <div class="view-head">
        <h1 id="view-title">Settings</h1>
        <span class="muted">${s.data?.revision ? `policy revision ${s.data.revision}` : ""}</span>
      </div>
      ${s.data?.policy === false
        ? html`
          <div class="card notice" role="status">
            <h2>Policy settings</h2>
            <p>${NO_POLICY}</p>
            <p class="muted small">
              Link capacity, alerts, automatic priorities and webhooks belong to the policy.
            </p>
          </div>
        `
        : s.data
        ? html`
          <${SettingsForm} key=${generation} settings=${s.data} admin=${admin} onReload=${load}
            onSaved=${(data) => setSettings({ data, error: null, status: 200 })} />
        `
        : s.error
        ? html`
          <div class=${`card notice ${s.status === 409 ? "" : "error"}`}
            role=${s.status === 409 ? "status" : "alert"}>
            <h2>Policy settings</h2>
            <p>${s.error}</p>
            <button type="button" onClick=${load}>Try again</button>
          </div>
        `
        : html`<p class="muted">Loading…</p>`}
      <div class="grid accounts">
        <${Interfaces} />
        <${Users} user=${user} />
        <${Tokens} user=${user} />
        <${Sessions} user=${user} />
      </div>
    </section>
  `;
}

function Interfaces() {
  const [state, setState] = useState({ ifs: null, status: null, error: null });
  useEffect(() => {
    Promise.all([api("GET", "/interfaces"), api("GET", "/status").catch(() => null)]).then(
      ([ifs, status]) => setState({ ifs, status, error: null }),
      (e) => setState({ ifs: null, status: null, error: e.message }),
    );
  }, []);
  const { ifs, status: st } = state;
  const lan = ifs?.lan ?? st?.lan ?? [];
  return html`
    <div class="card wide">
      <h2>Interfaces</h2>
      ${state.error ? html`<p class="error" role="alert">${state.error}</p>` : null}
      ${st
        ? html`
          <dl class="facts">
            <dt>Capturing on</dt>
            <dd>${st.interface}${st.mode === "demo" ? " (simulated)" : ""}</dd>
            <dt>LAN subnets</dt>
            <dd>${lan.length ? lan.join(", ") : "–"}</dd>
            <dt>Policy</dt>
            <dd>${st.policy ? st.policySource ?? "yes" : "none"}</dd>
            <dt>Shaper</dt>
            <dd>${st.shaper}</dd>
            <dt>Data</dt>
            <dd>${st.data}</dd>
            <dt>Version</dt>
            <dd>${st.version}</dd>
          </dl>
        `
        : ifs
        ? html`<p>LAN subnets: ${lan.length ? lan.join(", ") : "–"}</p>`
        : null}
      ${ifs
        ? html`
          <div class="table-scroll">
            <table class="table if-table" aria-label="Interfaces">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Addresses</th>
                  <th>State</th>
                </tr>
              </thead>
              <tbody>
                      ${ifs.interfaces.map((i) =>
                        html`
                          <tr key=${i.name} class=${i.capturing ? "capturing" : ""}>
                            <td>${i.name}${i.description
                              ? html`<span class="sub block">${i.description}</span>`
                              : null}</td>
                            <td class="addresses">${i.addresses.length
                              ? i.addresses.map((a) =>
                                html`<span key=${a.address} class="block">${a.address}${
                                  a.netmask ? html`<span class="sub"> / ${a.netmask}</span>` : null
                                }</span>`
                              )
                              : html`<span class="muted">none</span>`}</td>
                            <td>
                                            ${i.capturing
                                              ? html`
                                                <span class="badge free gap-right">capturing</span>
                                              `
                                              : null}
                                            <span class="muted small">${[
                                              i.up ? "up" : "down",
                                              i.wireless ? "wireless" : "",
                                              i.loopback ? "loopback" : "",
                                            ].filter(Boolean).join(", ")}</span>
                                          </td>
                          </tr>
                        `
                      )}
                    </tbody>
            </table>
          </div>
        `
        : null}
    </div>
  `;
}
