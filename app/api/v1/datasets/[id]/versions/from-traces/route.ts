import { appendTracesBodySchema } from "@/lib/schemas/dataset-from-traces";
import { accepted, readJson, teamRoute } from "@/lib/server/core/http";
import { appendTracesToDataset } from "@/lib/server/telemetry/traces-to-dataset";

/**
 * `{ traceIds }` → 202: the dataset's next version, its newest version's rows plus the traces
 * (one row each, a row already there is not repeated), validating like any upload.
 */
export const POST = teamRoute("resource.write", async (p, req, { id }) =>
  accepted(await appendTracesToDataset(p, id!, await readJson(req, appendTracesBodySchema))),
);
