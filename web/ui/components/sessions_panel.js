/**
 * Signed-in sessions (admins see everyone's, others their own), each with
 * End; ending this browser's own session signs it out.
 *
 * @module
 */
import { html } from "../lib/html.js";
import { api, signalUnauthorized } from "../lib/api.js";
import { ago, when } from "../lib/format.js";
import { Outcome, useList, useSubmit } from "./api_state.js";

/** A browser from a user agent, roughly: "Firefox on Linux". */
function browserText(ua) {
  if (!ua) return "unknown browser";
  const b = /Edg\//.test(ua)
    ? "Edge"
    : /Firefox\//.test(ua)
    ? "Firefox"
    : /Chrom(e|ium)\//.test(ua)
    ? "Chrome"
    : /Safari\//.test(ua)
    ? "Safari"
    : /curl|Deno|python|Go-http/i.test(ua)
    ? ua.split(/[ /]/)[0]
    : "Browser";
  const os = /iPhone|iPad/.test(ua)
    ? "iOS"
    : /Android/.test(ua)
    ? "Android"
    : /Windows/.test(ua)
    ? "Windows"
    : /Mac OS X|Macintosh/.test(ua)
    ? "macOS"
    : /Linux|X11/.test(ua)
    ? "Linux"
    : "";
  return os ? `${b} on ${os}` : b;
}

/** Signed-in sessions (admins see everyone's), each with End. */
export function Sessions({ user }) {
  const [list, reload] = useList("/sessions", (d) => d.sessions, !!user);
  const [state, run] = useSubmit();
  const end = async (s) => {
    const ok = await run(
      () => api("DELETE", `/sessions/${encodeURIComponent(s.id)}`),
      `Ended ${s.user}'s session.`,
    );
    if (ok && s.current) signalUnauthorized();
    else if (ok) reload();
  };
  const items = list.items ? [...list.items].sort((a, b) => b.lastSeen - a.lastSeen) : null;
  return html`
    <div class="card wide">
      <h2>Sessions</h2>
      ${list.error ? html`<p class="error" role="alert">${list.error}</p>` : null}
      ${items
        ? html`
          <div class="table-scroll">
            <table class="table" aria-label="Sessions">
              <thead>
                <tr>
                  <th>User</th>
                  <th>From</th>
                  <th>Last seen</th>
                  <th class="hide-narrow">Expires</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                      ${items.map((s) =>
                        html`
                          <tr key=${s.id}>
                            <td>${s.user}${s.current
                              ? html`
                                <span class="badge free gap-left">this one</span>
                              `
                              : null}</td>
                            <td title=${s.userAgent ?? ""}>${browserText(s.userAgent)}${s.address
                              ? html`<span class="sub"> · ${s.address}</span>`
                              : null}</td>
                            <td title=${when(s.lastSeen)}>${ago(s.lastSeen)}</td>
                            <td class="hide-narrow">${when(s.expires)}</td>
                            <td class="row-actions"><button type="button" class="danger" disabled=${state
                              .busy}
                                            aria-label=${s.current
                                              ? "End this session (sign out)"
                                              : `End session of ${s.user} from ${
                                                s.address ?? "unknown"
                                              }`}
                                            onClick=${() => end(s)}>End</button></td>
                          </tr>
                        `
                      )}
                    </tbody>
            </table>
          </div>
        `
        : null}
      <${Outcome} state=${state} />
    </div>
  `;
}
