/**
 * The OpenAPI 3.1 document of the API, made from the routes' own
 * declarations: their paths, access, and zod schemas turned into JSON
 * Schema. It cannot drift from what the server validates.
 *
 * @module
 */
import { z } from "zod/v4";
import type { ApiRoute } from "./api_registry.ts";

/** Title, version and the base path the routes are mounted under. */
export interface OpenApiInfo {
  title: string;
  version: string;
  /** "/api/v1" */
  base: string;
}

const ERROR = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["status", "message"],
      properties: {
        status: { type: "integer" },
        message: { type: "string" },
        fields: { type: "object", additionalProperties: { type: "string" } },
      },
    },
  },
};

/**
 * The document for `routes`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { z } from "zod/v4";
 * const doc = openApiDocument([{
 *   method: "get", path: "/devices/:id", summary: "A device", tag: "devices", access: "viewer",
 *   params: z.object({ id: z.string() }), handle: (c) => c.json({}),
 * }], { title: "Sluice", version: "0.1.0", base: "/api/v1" });
 * assertEquals(Object.keys(doc.paths), ["/api/v1/devices/{id}"]);
 * ```
 */
export function openApiDocument(
  routes: readonly ApiRoute[],
  info: OpenApiInfo,
): { openapi: string; paths: Record<string, Record<string, unknown>>; [k: string]: unknown } {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = info.base + r.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
    const parameters = [
      ...parametersOf(r.params, "path"),
      ...parametersOf(r.query, "query"),
    ];
    const status = String(r.status ?? 200);
    const media = r.produces ?? "application/json";
    const responses: Record<string, unknown> = {
      [status]: {
        description: "done",
        content: { [media]: { schema: r.response ? schemaOf(r.response) : {} } },
      },
      "400": errorResponse("invalid input"),
    };
    if (r.access !== "public") responses["401"] = errorResponse("not signed in");
    if (r.access === "admin") responses["403"] = errorResponse("not an admin");
    paths[path] ??= {};
    paths[path][r.method] = {
      summary: r.summary,
      tags: [r.tag],
      operationId: `${r.method}${r.path.replace(/[/:]+([a-z0-9])/gi, (_, ch) => ch.toUpperCase())}`,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(r.body
        ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: schemaOf(r.body) } },
          },
        }
        : {}),
      responses,
      ...(r.access === "public" ? { security: [] } : {}),
      "x-sluice-access": r.access,
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: info.title, version: info.version },
    paths,
    components: {
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "sluice_session" },
        token: { type: "http", scheme: "bearer" },
      },
      schemas: { Error: ERROR },
    },
    security: [{ session: [] }, { token: [] }],
  };
}

function schemaOf(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  delete json.$schema;
  return json;
}

function parametersOf(schema: z.ZodType | undefined, where: "path" | "query"): unknown[] {
  if (schema === undefined) return [];
  const json = schemaOf(schema) as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === "path" || (json.required ?? []).includes(name),
    ...(typeof s.description === "string" ? { description: s.description } : {}),
    schema: s,
  }));
}

function errorResponse(description: string): unknown {
  return {
    description,
    content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
  };
}
