/**
 * A fast "accept" for a zod schema on hot paths (telemetry ingest validates a thousand events a
 * batch): ajv compiles the JSON Schema that zod itself emits for the schema into one function,
 * several times faster per value than zod's parse. The zod schema stays the only source of the
 * shape: this never refuses anything itself. A value it accepts is one zod accepts and returns
 * unchanged; anything else goes to zod, which decides and words the errors.
 *
 * Where ajv and zod could disagree, the compiled schema is made to agree or to decline:
 *  - string lengths: both count code points (zod 4.6 and ajv's default), not UTF-16 units; the
 *    unit test holds them to it;
 *  - checks that rewrite a string (trim, toLowerCase, …: zod's "overwrite" checks) run before
 *    zod's length checks, so the fast path accepts only a string the rewrite leaves as it is;
 *  - z.object strips unknown keys from its output, so the fast path refuses them
 *    (additionalProperties: false) and zod strips them;
 *  - a format JSON Schema names without a pattern (ajv would not check it here), a refinement
 *    or a transform, which JSON Schema cannot hold, or a default, which would change the value,
 *    is refused when the acceptor is built: such a schema has no fast path.
 */
import { Ajv } from "ajv";
import { z } from "zod";

/** zod checks whose every effect JSON Schema states (with the rewrites handled below). */
const STATED_CHECKS = new Set([
  "min_length",
  "max_length",
  "length_equals",
  "greater_than",
  "less_than",
  "multiple_of",
  "number_format",
  "string_format",
  "overwrite",
]);
/** zod types whose accepted input is their output. */
const PLAIN_TYPES = new Set([
  "object",
  "string",
  "number",
  "boolean",
  "enum",
  "literal",
  "optional",
  "nullable",
  "null",
  "array",
]);

type Rewrite = (value: string) => string;
type ZodInternals = {
  _zod: {
    def: { type: string; checks?: { _zod: { def: { check: string; tx?: Rewrite } } }[] };
  };
};

export class NoFastPathError extends Error {}

/**
 * Builds the acceptor, or throws NoFastPathError naming what in the schema has no faithful
 * JSON Schema (a programming error: use zod alone for that schema).
 */
export function fastAcceptor<S extends z.ZodType>(
  schema: S,
): (value: unknown) => value is z.output<S> {
  const rewrites: Rewrite[] = [];
  const json = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "throw",
    override({ zodSchema, jsonSchema }) {
      const def = (zodSchema as unknown as ZodInternals)._zod.def;
      if (!PLAIN_TYPES.has(def.type))
        throw new NoFastPathError(`a ${def.type} schema has no fast path`);
      for (const check of def.checks ?? []) {
        const c = check._zod.def;
        if (!STATED_CHECKS.has(c.check))
          throw new NoFastPathError(`a ${c.check} check has no fast path`);
        if (c.check === "overwrite" && c.tx) {
          jsonSchema.unchangedBy = rewrites.length;
          rewrites.push(c.tx);
        }
      }
      if (jsonSchema.format !== undefined && jsonSchema.pattern === undefined)
        throw new NoFastPathError(`format "${jsonSchema.format}" has no pattern to check`);
      delete jsonSchema.format;
      if (def.type === "object" && jsonSchema.additionalProperties === undefined)
        jsonSchema.additionalProperties = false;
    },
  });
  delete json.$schema; // ajv's default draft-07 instance reads the rest of zod's output as is

  const ajv = new Ajv({ allErrors: false });
  ajv.addKeyword({
    keyword: "unchangedBy",
    type: "string",
    schemaType: "number",
    validate: (index: number, value: string) => rewrites[index]!(value) === value,
  });
  const validate = ajv.compile(json);
  return (value: unknown): value is z.output<S> => validate(value);
}
