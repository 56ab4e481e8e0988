/**
 * Who is signed in, for views the shell renders without a `user` prop
 * (rules, reports, settings): one GET /session per mount.
 *
 * @module
 */
import { useEffect, useState } from "../lib/html.js";
import { session } from "../lib/api.js";

/**
 * `{ name, role }` of the signed-in user, or null while asking (or when the
 * answer failed: the view then stays read-only).
 *
 * @example
 * ```js
 * const user = useSessionUser();
 * const admin = user?.role === "admin";
 * ```
 */
export function useSessionUser() {
  const [user, setUser] = useState(null);
  useEffect(() => {
    let live = true;
    session.get().then((s) => live && setUser(s.user), () => {});
    return () => {
      live = false;
    };
  }, []);
  return user;
}
