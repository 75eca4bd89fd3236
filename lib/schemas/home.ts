import { z } from "zod";
import { isoDateSchema } from "./common";
import { gateStatusSchema } from "./gates";
import { stageSchema } from "./model-cards";
import { comparatorSchema, monitorMetricSchema } from "./monitors";
import { RETRAIN_STATUSES } from "./retrain";
import { roleSchema } from "./roles";
import { trainingStatusSchema, triggerSchema } from "./training-jobs";

/**
 * GET /api/v1/home: what needs a person's attention in the active team, in one read — versions
 * awaiting approval, monitors in breach, training jobs running or recently failed, and recent
 * retrains. Each list is short (the newest first, capped); the pages behind them have the rest.
 */

export const HOME_LIMIT = 20;
/** Failed jobs and retrains older than this are history, not news. */
export const HOME_RECENT_DAYS = 7;

export const homeApprovalSchema = z.object({
  id: z.string(),
  modelId: z.string(),
  modelName: z.string(),
  version: z.number().int(),
  stage: stageSchema,
  gateStatus: gateStatusSchema,
  approverRoles: z.array(roleSchema),
  /** Whether the caller may approve it now (role, four eyes, signed in); `whyNot` says why not. */
  youMayApprove: z.boolean(),
  whyNot: z.string().nullable(),
  createdAt: isoDateSchema,
});
export type HomeApproval = z.infer<typeof homeApprovalSchema>;

export const homeMonitorSchema = z.object({
  id: z.string(),
  name: z.string(),
  modelId: z.string(),
  modelName: z.string(),
  metric: monitorMetricSchema,
  comparator: comparatorSchema,
  threshold: z.number(),
  lastValue: z.number().nullable(),
  lastBreachAt: isoDateSchema.nullable(),
  lastCheckedAt: isoDateSchema.nullable(),
});
export type HomeMonitor = z.infer<typeof homeMonitorSchema>;

export const homeJobSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: trainingStatusSchema,
  trigger: triggerSchema,
  modelId: z.string(),
  modelName: z.string(),
  progress: z.number(),
  error: z.string().nullable(),
  createdAt: isoDateSchema,
  finishedAt: isoDateSchema.nullable(),
});
export type HomeJob = z.infer<typeof homeJobSchema>;

export const homeRetrainSchema = z.object({
  id: z.string(),
  modelId: z.string(),
  modelName: z.string(),
  trigger: z.enum(["DRIFT", "SCHEDULE", "MANUAL"]),
  status: z.enum(RETRAIN_STATUSES),
  reason: z.string(),
  error: z.string().nullable(),
  trainingJobId: z.string().nullable(),
  jobStatus: trainingStatusSchema.nullable(),
  /** The candidate the retrain's job registered, once it has. */
  modelVersionId: z.string().nullable(),
  createdAt: isoDateSchema,
});
export type HomeRetrain = z.infer<typeof homeRetrainSchema>;

export const homeSchema = z.object({
  awaitingApproval: z.array(homeApprovalSchema),
  breachedMonitors: z.array(homeMonitorSchema),
  runningJobs: z.array(homeJobSchema),
  failedJobs: z.array(homeJobSchema),
  recentRetrains: z.array(homeRetrainSchema),
  /** Start of the "recent" window of failed jobs and retrains. */
  since: isoDateSchema,
});
export type Home = z.infer<typeof homeSchema>;
