import { teamRoute } from "@/lib/server/core/http";
import { getTrainingJob } from "@/lib/server/training/jobs";

export const GET = teamRoute("team.read", async (p, _req, { id }) => getTrainingJob(p, id!));
