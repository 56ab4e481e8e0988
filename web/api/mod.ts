/**
 * Sluice's REST API: every group of routes, to hand to `createApp`, and the
 * registry, error and OpenAPI pieces they are made with.
 *
 * @module
 */
import type { Registrar } from "../app.ts";

export * from "./api_registry.ts";
export * from "./http_error.ts";
export * from "./openapi.ts";

/** Every route group, in the order the OpenAPI document lists them. */
export const API_ROUTES: readonly Registrar[] = [];
