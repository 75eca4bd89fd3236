/**
 * Checks a response of /api/v1 against what the OpenAPI document says of its route, method and
 * status, with ajv (draft 2020-12, the dialect of the document's schemas). The integration
 * tests' setup file (test/openapi-setup.ts) runs it on every response a route handler gives.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020";
import { z } from "zod";

type Json = Record<string, unknown>;
type Document = { paths: Record<string, Record<string, Json>>; components: { schemas: Json } };

const ROOT = "https://retune.invalid/openapi.json";
const REF = "#/components/schemas/";

/** The formats zod writes into the document, judged by zod itself. */
const FORMATS = {
  "date-time": (s: string) => z.iso.datetime({ offset: true }).safeParse(s).success,
  date: (s: string) => z.iso.date().safeParse(s).success,
  email: (s: string) => z.email().safeParse(s).success,
  uri: (s: string) => z.url().safeParse(s).success,
  uuid: (s: string) => z.uuid().safeParse(s).success,
  binary: true as const,
};

/**
 * Component references become references into one schema that holds every component. An object
 * that lists its properties and says nothing of others (a plain `z.object`, which strips unknown
 * keys when a client parses it) is closed here: a field the server sends that the schema does
 * not name is a finding, to be documented. `z.looseObject` says `additionalProperties: {}`.
 */
function rebase(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rebase);
  if (!node || typeof node !== "object") return node;
  const out: Json = Object.fromEntries(
    Object.entries(node).map(([k, v]) => [
      k,
      k === "$ref" && typeof v === "string" && v.startsWith(REF)
        ? `${ROOT}#/$defs/${v.slice(REF.length)}`
        : k === "properties" && v && typeof v === "object"
          ? Object.fromEntries(Object.entries(v).map(([name, p]) => [name, rebase(p)]))
          : rebase(v),
    ]),
  );
  if (out.type === "object" && out.properties && !("additionalProperties" in out))
    out.additionalProperties = false;
  return out;
}

const mediaType = (contentType: string | null) =>
  (contentType ?? "").split(";")[0]!.trim().toLowerCase();

export type ResponseCheck = {
  /** "GET", the OpenAPI path template, the status and the response's Content-Type. */
  method: string;
  path: string;
  status: number;
  contentType: string | null;
  /** The parsed JSON body, when the response is JSON. */
  body?: unknown;
};

/** A checker for one document: each call answers the problems found, none when it matches. */
export function responseChecker(doc: Document) {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    unicodeRegExp: false,
    formats: FORMATS,
  });
  ajv.addSchema({ $id: ROOT, $defs: rebase(doc.components.schemas) as Json });
  const compiled = new Map<string, ValidateFunction>();

  return (r: ResponseCheck): string[] => {
    const where = `${r.method} ${r.path} → ${r.status}`;
    const op = doc.paths[r.path]?.[r.method.toLowerCase()] as
      { responses: Record<string, { content?: Record<string, { schema?: Json }> }> } | undefined;
    if (!op) return [`${where}: no such operation in the OpenAPI document`];
    const documented = op.responses[String(r.status)];
    if (!documented)
      return [
        `${where}: status not documented (documented: ${Object.keys(op.responses).join(", ")})`,
      ];
    const type = mediaType(r.contentType);
    if (!documented.content)
      return type && r.body !== undefined ? [`${where}: documented without a body`] : [];
    const media = documented.content[type];
    if (!media)
      return [
        `${where}: Content-Type ${type || "(none)"} not documented (documented: ${Object.keys(documented.content).join(", ")})`,
      ];
    if (r.body === undefined || !media.schema) return [];
    const key = `${where} ${type}`;
    let validate = compiled.get(key);
    if (!validate) {
      try {
        validate = ajv.compile(rebase(media.schema) as Json);
      } catch (e) {
        return [`${where}: its documented schema does not compile: ${(e as Error).message}`];
      }
      compiled.set(key, validate);
    }
    if (validate(r.body)) return [];
    return (validate.errors ?? []).slice(0, 8).map((e) => {
      const extra =
        e.keyword === "additionalProperties"
          ? ` (${(e.params as { additionalProperty: string }).additionalProperty})`
          : e.keyword === "enum"
            ? ` (${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)})`
            : "";
      return `${where}: body${e.instancePath || ""} ${e.message}${extra}`;
    });
  };
}

/** `app/api/v1/datasets/[id]/route.ts` (anywhere in a path) → `/api/v1/datasets/{id}`. */
export function routePathOf(file: string): string | null {
  const m = /app\/api\/v1\/(?:(.*)\/)?route\.ts/.exec(file.replaceAll("\\", "/"));
  if (!m) return null;
  return `/api/v1${m[1] ? `/${m[1]}` : ""}`.replace(/\[([^\]]+)\]/g, "{$1}");
}

/**
 * The document's path template a request path falls under, for handlers a test builds itself
 * (lib/server tests rebuild a route's handler: lib/server may not import app/). Literal segments
 * win over parameters (`/traces/import` before `/traces/{id}`).
 */
export function templateOf(doc: Document, method: string, pathname: string): string | null {
  const parts = pathname.split("/");
  const candidates = Object.keys(doc.paths).filter((template) => {
    const t = template.split("/");
    return (
      t.length === parts.length &&
      !!doc.paths[template]![method.toLowerCase()] &&
      t.every((seg, i) => (/^\{[^}]+\}$/.test(seg) ? parts[i] !== "" : seg === parts[i]))
    );
  });
  const literals = (t: string) => t.split("/").filter((seg) => !seg.startsWith("{")).length;
  return candidates.sort((a, b) => literals(b) - literals(a))[0] ?? null;
}
