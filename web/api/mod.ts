/**
 * Sluice's REST API: every group of routes, to hand to `createApp`, and the
 * registry, error and OpenAPI pieces they are made with.
 *
 * @module
 */
import type { Registrar } from "../app.ts";
import { actionRoutes } from "./action_routes.ts";
import { deviceEditRoutes } from "./device_edit_routes.ts";
import { deviceRoutes } from "./device_routes.ts";
import { eventRoutes } from "./event_routes.ts";
import { flowRoutes } from "./flow_routes.ts";
import { overrideRoutes } from "./override_routes.ts";
import { processRoutes } from "./process_routes.ts";
import { reportRoutes } from "./report_routes.ts";
import { ruleRoutes } from "./rule_routes.ts";
import { settingsRoutes } from "./settings_routes.ts";
import { shaperRoutes } from "./shaper_routes.ts";
import { statusRoutes } from "./status_routes.ts";

export * from "./api_registry.ts";
export * from "./http_error.ts";
export * from "./openapi.ts";

/** Every route group, in the order the OpenAPI document lists them. */
export const API_ROUTES: readonly Registrar[] = [
  statusRoutes,
  deviceRoutes,
  deviceEditRoutes,
  actionRoutes,
  overrideRoutes,
  flowRoutes,
  eventRoutes,
  ruleRoutes,
  settingsRoutes,
  reportRoutes,
  shaperRoutes,
  processRoutes,
];
