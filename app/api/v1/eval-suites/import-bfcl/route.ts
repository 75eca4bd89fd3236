import { created, teamRoute } from "@/lib/server/core/http";
import { importBfclSuite, readBfclImportBody } from "@/lib/server/evals/bfcl-import";

/**
 * BFCL question and possible_answer files (JSON lines, as published) → a dataset version and an
 * eval suite over it. JSON body, not the raw-file body of a dataset upload: one import carries
 * several files (a pair per category). Validated before the answer, so 201 means the suite exists.
 */
export const POST = teamRoute("resource.write", async (p, req) =>
  created(await importBfclSuite(p, await readBfclImportBody(req))),
);
