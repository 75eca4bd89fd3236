/**
 * Every lib/schemas module, so that document.ts can name a schema the way its source does
 * (`datasetDetailSchema` → component `DatasetDetail`) and refer to it wherever it appears. A
 * module missing here still works: its schemas are written inline in the document, unnamed.
 */
import * as apiKeys from "@/lib/schemas/api-keys";
import * as audit from "@/lib/schemas/audit";
import * as batchBodies from "@/lib/schemas/batch-bodies";
import * as bfclImport from "@/lib/schemas/bfcl-import";
import * as common from "@/lib/schemas/common";
import * as datasetFromTraces from "@/lib/schemas/dataset-from-traces";
import * as datasets from "@/lib/schemas/datasets";
import * as economicsPresets from "@/lib/schemas/economics-presets";
import * as economics from "@/lib/schemas/economics";
import * as evalMetrics from "@/lib/schemas/eval-metrics";
import * as evals from "@/lib/schemas/evals";
import * as gates from "@/lib/schemas/gates";
import * as health from "@/lib/schemas/health";
import * as home from "@/lib/schemas/home";
import * as invitations from "@/lib/schemas/invitations";
import * as members from "@/lib/schemas/members";
import * as modelCards from "@/lib/schemas/model-cards";
import * as modelEconomics from "@/lib/schemas/model-economics";
import * as models from "@/lib/schemas/models";
import * as monitors from "@/lib/schemas/monitors";
import * as openapi from "@/lib/schemas/openapi";
import * as otlp from "@/lib/schemas/otlp";
import * as possibleAnswer from "@/lib/schemas/possible-answer";
import * as priceList from "@/lib/schemas/price-list";
import * as queuePayloads from "@/lib/schemas/queue-payloads";
import * as retrain from "@/lib/schemas/retrain";
import * as roles from "@/lib/schemas/roles";
import * as routingCalibration from "@/lib/schemas/routing-calibration";
import * as search from "@/lib/schemas/search";
import * as secrets from "@/lib/schemas/secrets";
import * as teams from "@/lib/schemas/teams";
import * as telemetry from "@/lib/schemas/telemetry";
import * as traceImport from "@/lib/schemas/trace-import";
import * as traces from "@/lib/schemas/traces";
import * as trainerSpec from "@/lib/schemas/trainer-spec";
import * as trainingJobs from "@/lib/schemas/training-jobs";
import * as trainingPreflight from "@/lib/schemas/training-preflight";
import * as trainingPreview from "@/lib/schemas/training-preview";
import * as versionOptions from "@/lib/schemas/version-options";
import * as webhooks from "@/lib/schemas/webhooks";

export const SCHEMA_MODULES: Record<string, Record<string, unknown>> = {
  apiKeys,
  audit,
  batchBodies,
  bfclImport,
  common,
  datasetFromTraces,
  datasets,
  economicsPresets,
  economics,
  evalMetrics,
  evals,
  gates,
  health,
  home,
  invitations,
  members,
  modelCards,
  modelEconomics,
  models,
  monitors,
  openapi,
  otlp,
  possibleAnswer,
  priceList,
  queuePayloads,
  retrain,
  roles,
  routingCalibration,
  search,
  secrets,
  teams,
  telemetry,
  traceImport,
  traces,
  trainerSpec,
  trainingJobs,
  trainingPreflight,
  trainingPreview,
  versionOptions,
  webhooks,
};
