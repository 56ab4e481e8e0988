/**
 * The shipped catalogue. The JSON is imported, not read, so `deno compile`
 * embeds it and nothing touches the filesystem at runtime.
 *
 * @module
 */
import apps from "./apps.json" with { type: "json" };
import ports from "./ports.json" with { type: "json" };
import signatures from "./signatures.json" with { type: "json" };
import { AppCatalogue, type UserRule } from "../app_catalogue.ts";

/** The shipped apps.json, ports.json and signatures.json, as parsed JSON. */
export const DEFAULT_APPS: unknown = apps;
export const DEFAULT_PORTS: unknown = ports;
export const DEFAULT_SIGNATURES: unknown = signatures;

/**
 * A catalogue of the shipped data, with `userRules` winning over it. The
 * shipped files are trusted: tests/engine/app_catalogue_test.ts proves them
 * valid, so a start does not check them again.
 */
export function defaultCatalogue(userRules: readonly UserRule[] = []): AppCatalogue {
  return new AppCatalogue(apps, ports, userRules, signatures, { trusted: true });
}
