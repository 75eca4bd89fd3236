/**
 * Assembles the OpenAPI 3.1 document of /api/v1 from the operations of the area files and the
 * zod schemas they name. Every shape is converted by zod's own `z.toJSONSchema` (draft 2020-12,
 * the dialect OpenAPI 3.1 uses), on the input side: what a request may send, and what the JSON
 * of a response holds before a client parses it with the same schema. A schema exported from
 * lib/schemas becomes a named component (`datasetDetailSchema` → `DatasetDetail`) referred to
 * wherever it appears; any other (an array of one, a list wrapper) is written inline.
 */
import { z } from "zod";
import { type Action, ACTIONS } from "@/lib/domain/permissions";
import { apiErrorSchema } from "@/lib/schemas/common";
import { MAX_JSON_BYTES } from "@/lib/server/core/json-body";
import { TEAM_HEADER } from "@/lib/server/core/principal";
import { OPERATIONS } from "./operations";
import { SCHEMA_MODULES } from "./schema-modules";
import type { Auth, Body, ErrorStatus, Header, MediaSchema, Operation, Reply } from "./spec";

type Json = Record<string, unknown>;
export type OpenApiDocument = {
  openapi: "3.1.0";
  info: Json;
  servers: Json[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, Json>>;
  components: {
    schemas: Record<string, Json>;
    securitySchemes: Record<string, Json>;
    parameters: Record<string, Json>;
  };
};

export const SESSION_COOKIE = "better-auth.session_token";

/** Tags in the order the reference shows them. */
export const TAGS: Record<string, string> = {
  Datasets: "Datasets and their versions: uploads, validation reports, rows and downloads.",
  Training: "Fine-tuning jobs: preview, launch, progress, logs, metrics, checkpoints.",
  Evals: "Eval suites and runs over a dataset version.",
  Models: "The registry: Models, versions, gates, approvals, promotions, cards, routing.",
  Telemetry: "Production telemetry events and their rollups.",
  Traces: "Production traces: full conversations, to browse and to train on.",
  Monitors: "Drift monitors over telemetry, and their checks.",
  Retraining: "Retrain policies and the re-tunes they open.",
  Economics: "Prices, the hybrid planner and the advisor.",
  Teams: "The signed-in person, teams and team settings.",
  Members: "Members and invitations.",
  "API keys": "Automation credentials, scoped read / write / telemetry.",
  Secrets: "Encrypted team secrets (endpoint API keys), never read back.",
  Webhooks: "Outgoing webhooks and their deliveries.",
  "Audit log": "Who did what in the team.",
  System: "Health, the home page's digest and this document.",
};

const REF = "#/components/schemas/";
const pascal = (exportName: string) =>
  exportName.replace(/Schema$/, "").replace(/^./, (c) => c.toUpperCase());

/** Kinds worth a name of their own; a named string or number would only add indirection. */
const NAMED_KINDS = new Set(["object", "enum", "union", "intersection", "lazy"]);

const ERROR_TEXT: Record<ErrorStatus, string> = {
  400: "Malformed request (e.g. a body that is not JSON).",
  401: "No credentials, or an unknown or revoked API key.",
  403: "The credential may not do this (role or API-key scope too low, or a cross-origin cookie write).",
  404: "Not found in the caller's team (another team's id is indistinguishable from an unknown one).",
  409: "Conflicts with the resource's current state.",
  410: "Gone.",
  413: "The body is over its size limit.",
  415: "Unsupported Content-Type.",
  422: "Validation failed; `error.issues` names each field.",
  500: "Unexpected server error (`internal`), or a stored file the request needs is missing or unreadable.",
};

function authText(auth: Auth): string {
  if (auth === "public") return "**Auth:** none.";
  if (auth === "user") return "**Auth:** a signed-in person (session cookie); API keys get 403.";
  const rule = ACTIONS[auth.action];
  const keys =
    rule.via === "scope"
      ? `API keys with the \`${rule.scope}\` scope`
      : "not API keys (a person must act)";
  return `**Auth:** permission \`${auth.action}\`: members with role ${rule.minRole} or higher; ${keys}.`;
}

function security(auth: Auth): Json[] {
  if (auth === "public") return [];
  if (auth === "user") return [{ session: [] }];
  const rule = ACTIONS[auth.action];
  return rule.via === "scope" ? [{ session: [] }, { apiKey: [rule.scope] }] : [{ session: [] }];
}

/** The permission as data, for tools: the action, the lowest role, and the API-key scope if any. */
function permission(action: Action): Json {
  const rule = ACTIONS[action];
  return {
    action,
    minRole: rule.minRole,
    apiKeyScope: rule.via === "scope" ? rule.scope : null,
  };
}

const isBody = (b: Operation["body"]): b is Body =>
  !!b && typeof b === "object" && "content" in b && !(b instanceof z.ZodType);
const isReply = (r: z.ZodType | Reply): r is Reply => !(r instanceof z.ZodType);

class Builder {
  private readonly registry = z.registry<{ id: string }>();
  private readonly named = new Map<z.ZodType, string>();
  /** Inline schemas, registered under a placeholder id until their JSON is known. */
  private readonly inline = new Map<string, z.ZodType>();
  private readonly inlineIds = new Map<z.ZodType, string>();

  constructor() {
    for (const mod of Object.values(SCHEMA_MODULES)) {
      for (const [name, value] of Object.entries(mod)) {
        if (!(value instanceof z.ZodType) || !name.endsWith("Schema")) continue;
        if (!NAMED_KINDS.has(value._zod.def.type) || this.named.has(value)) continue;
        const id = pascal(name);
        if ([...this.named.values()].includes(id))
          throw new Error(`two lib/schemas exports are named ${name}: rename one`);
        this.named.set(value, id);
        this.registry.add(value, { id });
      }
    }
  }

  /** A placeholder for the schema's JSON, resolved by `finish`. */
  ref(schema: z.ZodType, where: string): Json {
    const named = this.named.get(schema) ?? this.inlineIds.get(schema);
    if (named) return { $ref: REF + named };
    const id = `~${where}`;
    if (this.inline.has(id)) throw new Error(`two schemas at ${where}`);
    this.inline.set(id, schema);
    this.inlineIds.set(schema, id);
    this.registry.add(schema, { id });
    return { $ref: REF + id };
  }

  media(m: MediaSchema, where: string): Json {
    if (m === "binary") return { schema: { type: "string", format: "binary" } };
    if (m === "text") return { schema: { type: "string" } };
    return { schema: this.ref(m, where) };
  }

  /** Converts every schema at once, so shared ones are written once and referred to. */
  finish(paths: OpenApiDocument["paths"]): Record<string, Json> {
    const { schemas } = z.toJSONSchema(this.registry, {
      target: "draft-2020-12",
      io: "input",
      uri: (id) => REF + id,
    }) as { schemas: Record<string, Json> };
    for (const s of Object.values(schemas)) {
      delete s.$schema;
      delete s.$id;
    }
    const placeholders = (node: unknown): void => {
      if (!node || typeof node !== "object") return;
      for (const [k, v] of Object.entries(node)) {
        if (k === "schema" && v && typeof v === "object" && "$ref" in v) {
          const id = String((v as Json).$ref).slice(REF.length);
          if (this.inline.has(id)) (node as Json)[k] = schemas[id];
        } else placeholders(v);
      }
    };
    placeholders(paths);
    for (const id of this.inline.keys()) delete schemas[id];
    return reachable(schemas, paths);
  }
}

/** The components the paths refer to, directly or through other components. */
function reachable(schemas: Record<string, Json>, paths: unknown): Record<string, Json> {
  const keep = new Set<string>();
  const walk = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string" && v.startsWith(REF)) {
        const id = v.slice(REF.length);
        if (!schemas[id]) throw new Error(`dangling reference ${v}`);
        if (!keep.has(id)) {
          keep.add(id);
          walk(schemas[id]);
        }
      } else walk(v);
    }
  };
  walk(paths);
  return Object.fromEntries([...keep].sort().map((id) => [id, schemas[id]!] as const));
}

function queryParameters(query: z.ZodObject): Json[] {
  const json = z.toJSONSchema(query, {
    target: "draft-2020-12",
    io: "input",
    metadata: z.registry(),
  }) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return {
      name,
      in: "query",
      required: json.required?.includes(name) ?? false,
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

function pathParameters(op: Operation): Json[] {
  const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const described = Object.keys(op.params ?? {});
  const missing = names.filter((n) => !described.includes(n));
  const extra = described.filter((n) => !names.includes(n));
  if (missing.length || extra.length)
    throw new Error(
      `${op.id}: path parameters ${names.join(", ") || "none"}, described ${described.join(", ") || "none"}`,
    );
  return names.map((name) => ({
    name,
    in: "path",
    required: true,
    description: op.params![name],
    schema: { type: "string" },
  }));
}

function headerObject(b: Builder, h: Header, where: string): Json {
  return {
    description: h.description,
    ...(h.required ? { required: true } : {}),
    schema: h.schema ? b.ref(h.schema, where) : { type: "string" },
  };
}

function replyObject(b: Builder, r: Reply, where: string): Json {
  return {
    description: r.description,
    ...(r.content
      ? {
          content: Object.fromEntries(
            Object.entries(r.content).map(([type, m]) => [type, b.media(m, `${where}.${type}`)]),
          ),
        }
      : {}),
    ...(r.headers
      ? {
          headers: Object.fromEntries(
            Object.entries(r.headers).map(([name, h]) => [
              name,
              headerObject(b, h, `${where}.${name}`),
            ]),
          ),
        }
      : {}),
  };
}

/** The error statuses every operation of this kind can answer, with why. */
function derivedErrors(op: Operation): Partial<Record<ErrorStatus, string>> {
  // Any handler can fail unexpectedly; toResponse in core/http.ts answers the error body then.
  const out: Partial<Record<ErrorStatus, string>> = { 500: ERROR_TEXT[500] };
  if (op.auth !== "public") out[401] = ERROR_TEXT[401];
  if (op.auth === "user")
    out[403] = "API keys cannot act as a person; or a cross-origin cookie write.";
  if (typeof op.auth === "object") {
    out[403] = ERROR_TEXT[403];
    out[404] = op.path.includes("{")
      ? ERROR_TEXT[404]
      : `\`${TEAM_HEADER}\` names a team the caller is not a member of.`;
  }
  if (op.body && !isBody(op.body)) {
    out[400] = "The body is not JSON.";
    out[413] = `The JSON body is over ${MAX_JSON_BYTES.toLocaleString("en-US")} bytes.`;
    out[422] = `${ERROR_TEXT[422]} Also: JSON nested too deep.`;
  }
  if (op.query) out[422] ??= ERROR_TEXT[422];
  return out;
}

function operationObject(b: Builder, op: Operation): Json {
  const where = op.id;
  const parameters = [
    ...pathParameters(op),
    ...(op.query ? queryParameters(op.query) : []),
    ...Object.entries(op.headers ?? {}).map(([name, h]) => ({
      name,
      in: "header",
      ...headerObject(b, h, `${where}.header.${name}`),
    })),
    ...(typeof op.auth === "object" ? [{ $ref: "#/components/parameters/TeamHeader" }] : []),
  ];
  const body = op.body
    ? isBody(op.body)
      ? op.body
      : { content: { "application/json": op.body } satisfies Body["content"] }
    : undefined;
  const responses: Record<string, Json> = {};
  for (const [status, r] of Object.entries(op.responses)) {
    if (!r) continue;
    responses[status] = isReply(r)
      ? replyObject(b, r, `${where}.${status}`)
      : {
          description: status === "201" ? "Created." : status === "202" ? "Accepted." : "OK.",
          content: { "application/json": b.media(r, `${where}.${status}`) },
        };
  }
  const errors: Partial<Record<ErrorStatus, string | Reply>> = {
    ...derivedErrors(op),
    ...op.errors,
  };
  for (const [status, e] of Object.entries(errors)) {
    if (!e) continue;
    responses[status] =
      typeof e === "string"
        ? {
            description: e,
            content: { "application/json": { schema: { $ref: REF + "ApiError" } } },
          }
        : replyObject(b, e, `${where}.${status}`);
  }
  return {
    operationId: op.id,
    tags: [op.tag],
    summary: op.summary,
    description: [op.description, authText(op.auth)].filter(Boolean).join("\n\n"),
    security: security(op.auth),
    ...(typeof op.auth === "object" ? { "x-retune-permission": permission(op.auth.action) } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(body
      ? {
          requestBody: {
            required: body.required ?? true,
            ...(body.description ? { description: body.description } : {}),
            content: Object.fromEntries(
              Object.entries(body.content).map(([type, m]) => [
                type,
                b.media(m, `${where}.body.${type}`),
              ]),
            ),
          },
        }
      : {}),
    responses: Object.fromEntries(
      Object.entries(responses).sort(([a], [c]) => Number(a) - Number(c)),
    ),
  };
}

export function buildOpenApiDocument(operations: Operation[] = OPERATIONS): OpenApiDocument {
  const b = new Builder();
  b.ref(apiErrorSchema, "error");
  const paths: OpenApiDocument["paths"] = {};
  const ids = new Set<string>();
  for (const op of operations) {
    if (ids.has(op.id)) throw new Error(`operation id ${op.id} is used twice`);
    ids.add(op.id);
    if (!TAGS[op.tag]) throw new Error(`${op.id}: tag ${op.tag} is not in TAGS`);
    const item = (paths[op.path] ??= {});
    if (item[op.method])
      throw new Error(`${op.method.toUpperCase()} ${op.path} is described twice`);
    item[op.method] = operationObject(b, op);
  }
  const sortedPaths = Object.fromEntries(
    Object.entries(paths).sort(([a], [c]) => a.localeCompare(c)),
  );
  return {
    openapi: "3.1.0",
    info: {
      title: "retune API",
      version: "v1",
      description: [
        "Everything the retune console does, over HTTP: datasets, fine-tuning, evals, the model registry, telemetry, drift monitors and re-tuning.",
        "Authenticate with an API key (`Authorization: Bearer rt_…`, created in Settings → API keys, scoped read / write / telemetry) or, from the console, the session cookie. A session acts in its active team; send `X-Retune-Team: <team id>` to pick another.",
        'Errors answer `{ "error": { "code", "message", "issues"? } }`; validation errors (422) name each field in `issues`.',
      ].join("\n\n"),
    },
    servers: [{ url: "/", description: "This retune deployment" }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths: sortedPaths,
    components: {
      schemas: b.finish(sortedPaths),
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          description:
            "An API key (`rt_…`) of the team, created in Settings → API keys. Its scopes (read, write, telemetry) bound what it may do; actions that change who has access are never open to keys.",
        },
        session: {
          type: "apiKey",
          in: "cookie",
          name: SESSION_COOKIE,
          description:
            "The console's sign-in session (`__Secure-` prefixed over https). Writes must come from the console's own origin.",
        },
      },
      parameters: {
        TeamHeader: {
          name: TEAM_HEADER,
          in: "header",
          required: false,
          description:
            "Sessions only: the team to act in (default: the team cookie, else the oldest membership). An API key always acts in its own team.",
          schema: { type: "string" },
        },
      },
    },
  };
}

let cached: OpenApiDocument | undefined;
/** Built once per process: the document depends on code only. */
export function openApiDocument(): OpenApiDocument {
  cached ??= buildOpenApiDocument();
  return cached;
}
