import { isRecord } from "./outcome";

/**
 * Read-only accessors for the parts of a tool's JSON Schema that BFCL-style checking uses.
 * Tool schemas come from datasets and endpoints, so every accessor tolerates junk and treats
 * what it cannot read as "no constraint" (schema_validity, backed by a real validator, is the
 * metric that judges the schema strictly).
 */
export type Schema = Record<string, unknown>;

export function asSchema(value: unknown): Schema | null {
  return isRecord(value) ? value : null;
}

/** The declared types; null when the schema names none (then any value passes the type check). */
export function schemaTypes(schema: Schema | null): string[] | null {
  const t = schema?.type;
  if (typeof t === "string") return [t];
  if (Array.isArray(t) && t.every((x) => typeof x === "string")) return t as string[];
  return null;
}

export function schemaProperties(schema: Schema | null): Record<string, unknown> | null {
  return schema && isRecord(schema.properties) ? schema.properties : null;
}

export function schemaRequired(schema: Schema | null): string[] {
  const r = schema?.required;
  return Array.isArray(r) ? r.filter((x): x is string => typeof x === "string") : [];
}

/** `additionalProperties: true` or a schema lets keys outside `properties` through. */
export function allowsAdditional(schema: Schema | null): boolean {
  const a = schema?.additionalProperties;
  return a === true || isRecord(a);
}

export function additionalSchema(schema: Schema | null): Schema | null {
  return asSchema(schema?.additionalProperties);
}

export function itemsSchema(schema: Schema | null): Schema | null {
  return asSchema(schema?.items);
}

/**
 * Whether `value` has JSON Schema type `type`. BFCL's own function docs say "dict", "float",
 * "tuple" and "any", so those are read as object, number, array and anything. "number" accepts
 * integers (BFCL's int-for-float allowance); "integer" does not accept 2.5. A JSON 3.0 parses to
 * the JavaScript number 3, so it counts as an integer — the float-for-int rule can only see
 * numbers with a fractional part.
 */
export function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
    case "float":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "array":
    case "tuple":
      return Array.isArray(value);
    case "object":
    case "dict":
      return isRecord(value);
    case "null":
      return value === null;
    case "any":
      return true;
    default:
      // An unknown type word is the schema's problem, not the model's.
      return true;
  }
}
