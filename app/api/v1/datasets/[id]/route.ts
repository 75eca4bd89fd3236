import { teamRoute } from "@/lib/server/http";
import { getDataset } from "@/lib/server/datasets";

export const GET = teamRoute("team.read", async (p, _req, { id }) => getDataset(p, id!));
