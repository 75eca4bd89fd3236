import { teamRoute } from "@/lib/server/core/http";
import { listRows } from "@/lib/server/datasets/rows";
import { rowsQuerySchema } from "@/lib/schemas/datasets";

export const GET = teamRoute("team.read", async (p, req, { id }) =>
  listRows(p, id!, rowsQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams))),
);
