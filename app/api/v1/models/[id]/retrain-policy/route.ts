import { putRetrainPolicyBodySchema } from "@/lib/schemas/retrain";
import { readJson, teamRoute } from "@/lib/server/core/http";
import {
  deleteRetrainPolicy,
  getRetrainPolicy,
  putRetrainPolicy,
} from "@/lib/server/retraining/retrain-policies";

/** `id` is a Model id or name. 404 when the Model has no policy. */
export const GET = teamRoute("team.read", async (p, _req, { id }) => getRetrainPolicy(p, id!));

/** Creates or replaces the policy; the response carries `nextRunAt`. */
export const PUT = teamRoute("resource.write", async (p, req, { id }) =>
  putRetrainPolicy(p, id!, await readJson(req, putRetrainPolicyBodySchema)),
);

export const DELETE = teamRoute("resource.write", async (p, _req, { id }) =>
  deleteRetrainPolicy(p, id!),
);
