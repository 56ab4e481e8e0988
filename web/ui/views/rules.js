/**
 * Rules: the policy's rules in order, with what each selects, does and
 * when, and its groups with their members; admins create, edit and delete
 * rules (the running policy applies a saved change within a second).
 * Without a policy the API answers 409 and its message shows instead.
 *
 * @module
 */
import { html, useEffect, useMemo, useRef, useState } from "../lib/html.js";
import { api } from "../lib/api.js";
import { useLive } from "../lib/live.js";
import { deviceHref } from "../lib/router.js";
import { Banner } from "../components/field.js";
import { RuleForm } from "../components/rule_form.js";
import { actionText, scheduleText, selectorText } from "../components/rule_text.js";
import { useSessionUser } from "../components/use_session.js";

const NO_POLICY = "Sluice runs without a policy (start it with --policy FILE)";

/** `path` with the shown revision, when there is one. */
function at(path, revision) {
  return revision ? `${path}?revision=${revision}` : path;
}

/** The rules view. */
export function Rules() {
  const user = useSessionUser();
  const admin = user?.role === "admin";
  const snap = useLive();
  const [data, setData] = useState(null); // { revision, rules, groups }
  const [failure, setFailure] = useState(null); // { status, message }
  const [editing, setEditing] = useState(null); // null | { rule: Rule | null }
  const [message, setMessage] = useState(null);

  // The revision the list shows: mutations send it, so a change made meanwhile
  // elsewhere is refused (409) rather than overwritten.
  const revision = useRef(null);
  const load = () =>
    Promise.all([api("GET", "/rules"), api("GET", "/status").catch(() => null)]).then(
      ([d, status]) => {
        // GET /rules answers an empty list without a policy; /status says why.
        if (status?.policy === false) return setFailure({ status: 409, message: NO_POLICY });
        revision.current = d.revision ?? null;
        setData(d);
        setFailure(null);
      },
      (err) => setFailure({ status: err.status, message: err.message }),
    );
  useEffect(() => {
    load();
  }, []);

  // Names from the live snapshot (cheap and current); ids where it has none.
  const names = useMemo(() => {
    const out = {};
    for (const d of snap?.devices ?? []) out[d.id] = d.name;
    return out;
  }, [snap?.devices]);
  const devices = useMemo(() => (snap?.devices ?? []).map((d) => ({ id: d.id, name: d.name })), [
    snap?.devices?.length,
  ]);

  /** A mutation: 409 without a policy swaps the editor for the message. */
  const mutate = async (fn, done) => {
    try {
      const result = await fn();
      setEditing(null);
      setMessage(done(result));
      await load();
    } catch (err) {
      if (err.status === 409 && /without a policy|no policy/i.test(err.message)) {
        setFailure({ status: 409, message: err.message });
        setEditing(null);
        return;
      }
      // Changed meanwhile: show the current rules; the form keeps the edit and says so.
      if (err.status === 409 && /revision|meanwhile/i.test(err.message)) load();
      throw err;
    }
  };
  const save = (rule) =>
    editing.rule
      ? mutate(
        () =>
          api("PUT", at(`/rules/${encodeURIComponent(editing.rule.id)}`, revision.current), rule),
        () => ({ kind: "ok", text: `Saved rule ${rule.id}.` }),
      )
      : mutate(
        () => api("POST", at("/rules", revision.current), rule),
        () => ({ kind: "ok", text: `Created rule ${rule.id}.` }),
      );
  const remove = () => {
    const rule = editing.rule;
    return mutate(
      () => api("DELETE", at(`/rules/${encodeURIComponent(rule.id)}`, revision.current)),
      () => ({
        kind: "ok",
        text: `Deleted rule ${rule.id}.`,
        action: { label: "Undo", run: () => restore(rule) },
      }),
    );
  };
  const restore = async (rule) => {
    try {
      await mutate(
        () => api("POST", "/rules", rule),
        () => ({ kind: "ok", text: `Restored rule ${rule.id} (at the end of the list).` }),
      );
    } catch (err) {
      setMessage({ kind: "error", text: `Restore ${rule.id}: ${err.message}` });
    }
  };

  const noPolicy = failure && failure.status === 409;
  return html`
    <section class="view rules" aria-labelledby="view-title">
      <div class="view-head">
        <h1 id="view-title">Rules</h1>
        <span class="muted">${data?.revision ? `revision ${data.revision}` : ""}</span>
        <span class="spacer"></span>
        ${admin && data && !noPolicy
          ? html`
            <button type="button" class="primary" disabled=${editing && !editing.rule}
              onClick=${() => {
                setMessage(null);
                setEditing({ rule: null });
              }}>New rule</button>
          `
          : null}
      </div>
      <${Banner} message=${message} onDismiss=${() => setMessage(null)} />
      ${failure
        ? html`<div class=${`card notice ${noPolicy ? "" : "error"}`} role=${
          noPolicy ? "status" : "alert"
        }>
          <p>${failure.message}</p>
          ${
          noPolicy
            ? html`<p class="muted small">Rules live in the policy; with one running they can be edited here.</p>`
            : html`<button type="button" onClick=${load}>Try again</button>`
        }
        </div>`
        : null}
      ${!failure && !data ? html`<p class="muted">Loading…</p>` : null}
      ${editing && !failure
        ? html`
          <${RuleForm} key=${editing.rule?.id ?? "(new)"} rule=${editing.rule}
            groups=${data?.groups} devices=${devices} onSave=${save} onDelete=${remove}
            onCancel=${() => setEditing(null)} />
        `
        : null}
      ${data && !failure
        ? html`
          <${RuleList} rules=${data.rules} names=${names} admin=${admin}
            editingId=${editing?.rule?.id} onEdit=${(rule) => {
              setMessage(null);
              setEditing({ rule });
            }} />
          <${Groups} groups=${data.groups ?? {}} names=${names} />
        `
        : null}
    </section>
  `;
}

function RuleList({ rules, names, admin, editingId, onEdit }) {
  return html`
    <div class="card">
      <h2>In order <span class="muted small">(${rules.length})</span></h2>
      ${rules.length === 0
        ? html`<p class="muted">No rules yet.${admin ? " “New rule” adds one." : ""}</p>`
        : html`<ol class="rule-list" aria-label="Rules">
          ${
          rules.map((r) =>
            html`
              <li key=${r.id} class=${`rule ${r.enabled === false ? "rule-off" : ""} ${
                editingId === r.id ? "editing" : ""
              }`}>
                <div class="rule-head">
                  <strong class="rule-id">${r.id}</strong>
                  ${r.name ? html`<span class="rule-name">${r.name}</span>` : null}
                  ${r.enabled === false ? html`<span class="badge off">disabled</span>` : null}
                  <span class="spacer"></span>
                  ${admin
                    ? html`<button type="button" aria-label=${`Edit rule ${r.id}`} onClick=${() =>
                      onEdit(r)}>Edit</button>`
                    : null}
                </div>
                <dl class="rule-facts">
                  <dt>Devices</dt>
                  <dd>${r.devices?.device != null
                    ? html`<a href=${deviceHref(r.devices.device)}>${
                      selectorText(r.devices, names)
                    }</a>`
                    : selectorText(r.devices, names)}${scopeText(r)}</dd>
                  <dt>Action</dt>
                  <dd>${actionText(r.action)}</dd>
                  <dt>When</dt>
                  <dd>${scheduleText(r.schedule)}</dd>
                </dl>
              </li>
            `
          )
        }
        </ol>`}
    </div>
  `;
}

function scopeText(r) {
  const parts = [...(r.apps ?? []), ...(r.categories ?? [])];
  return parts.length ? html`<span class="muted"> · only ${parts.join(", ")}</span>` : null;
}

function Groups({ groups, names }) {
  const entries = Object.entries(groups);
  return html`
    <div class="card groups">
      <h2>Groups</h2>
      ${entries.length === 0
        ? html`<p class="muted">No groups. A device's page puts it in one.</p>`
        : html`<dl class="group-list">
          ${
          entries.map(([name, members]) =>
            html`
              <dt key=${`g-${name}`}>${name} <span class="muted small">(${members
                .length})</span></dt>
              <dd key=${`m-${name}`}>
                ${members.length === 0
                  ? html`<span class="muted">no members</span>`
                  : html`<ul class="members">
                    ${
                    members.map((id) =>
                      html`<li key=${id}><a href=${deviceHref(id)}>${names[id] ?? id}</a>${
                        names[id]
                          ? html`
                            <span class="muted small gap-left">${id}</span>
                          `
                          : null
                      }</li>`
                    )
                  }
                  </ul>`}
              </dd>
            `
          )
        }
        </dl>`}
    </div>
  `;
}
