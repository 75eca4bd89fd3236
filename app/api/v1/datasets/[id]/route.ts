import { teamRoute } from "@/lib/server/core/http";
import { getDataset } from "@/lib/server/datasets/datasets";

export const GET = teamRoute("team.read", async (p, _req, { id }) => getDataset(p, id!));
