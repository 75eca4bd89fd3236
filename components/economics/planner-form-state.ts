/**
 * The planner form as text fields (what a person is typing), and the one step that turns it into
 * planner input: numbers parsed, prices looked up by id in the pool the page offers (the team's
 * list, plus a preset's seeded price the list lacks), the whole checked by plannerInputSchema.
 */
import { projectEffort } from "@/lib/domain/economics/presets";
import {
  plannerInputSchema,
  type EffortPoint,
  type PlannerInput,
  type PriceEntry,
  type PriceList,
  type ProjectShapeId,
  type RetuneCadence,
} from "@/lib/schemas/economics";

export type PlannerForm = {
  invocationsPerMonth: string;
  tokensIn: string;
  tokensOut: string;
  /** Whole percent, 0–100: the slider's value. */
  routineSharePct: number;
  frontierId: string;
  servingId: string;
  cadence: RetuneCadence;
  trainingUsdPerTune: string;
  evalUsdPerTune: string;
  engineerWeeksPerTune: string;
  /** The project-shape preset the effort came from; "custom" once a figure is typed over. */
  shape: ProjectShapeId | "custom";
  effort: EffortPoint;
  engineers: string;
  weeks: string;
  loadedUsdPerEngineerWeek: string;
  computeUsd: string;
  horizonMonths: string;
  escalatedTokenFactor: string;
  /** "confidence": the small model answers first and escalates (1); "router": decided before (0). */
  routing: "confidence" | "router";
};

export type PlannerField = keyof PlannerForm;

/** What a fresh form holds: no volume and no tokens (the page's empty state), sane effort. */
export function blankPlannerForm(
  prices: PriceList,
  loadedUsdPerEngineerWeek: number,
  shape: ProjectShapeId = "tool_call_format",
): PlannerForm {
  const effort = projectEffort(shape, "mid", loadedUsdPerEngineerWeek);
  return {
    invocationsPerMonth: "",
    tokensIn: "",
    tokensOut: "",
    routineSharePct: 80,
    frontierId: prices.find((p) => p.kind === "frontier")?.id ?? "",
    servingId: prices.find((p) => p.kind === "self_hosted")?.id ?? "",
    cadence: "quarterly",
    trainingUsdPerTune: "300",
    evalUsdPerTune: "100",
    engineerWeeksPerTune: "1",
    shape,
    effort: "mid",
    engineers: String(effort.engineers),
    weeks: String(effort.weeks),
    loadedUsdPerEngineerWeek: String(loadedUsdPerEngineerWeek),
    computeUsd: String(effort.computeUsd),
    horizonMonths: "12",
    escalatedTokenFactor: "1",
    routing: "confidence",
  };
}

/** A preset's planner input as the form shows it (the worked case). */
export function formFromInput(input: PlannerInput, shape: ProjectShapeId | "custom"): PlannerForm {
  return {
    invocationsPerMonth: String(input.invocationsPerMonth),
    tokensIn: String(input.tokensPerCall.input),
    tokensOut: String(input.tokensPerCall.output),
    routineSharePct: Math.round(input.routineShare * 100),
    frontierId: input.frontier.id,
    servingId: input.serving.id,
    cadence: input.retune.cadence,
    trainingUsdPerTune: String(input.retune.trainingUsdPerTune),
    evalUsdPerTune: String(input.retune.evalUsdPerTune),
    engineerWeeksPerTune: String(input.retune.engineerWeeksPerTune),
    shape,
    effort: "mid",
    engineers: String(input.project.engineers),
    weeks: String(input.project.weeks),
    loadedUsdPerEngineerWeek: String(input.project.loadedUsdPerEngineerWeek),
    computeUsd: String(input.project.computeUsd),
    horizonMonths: String(input.horizonMonths),
    escalatedTokenFactor: String(input.escalatedTokenFactor),
    routing: input.smallAttemptOnEscalated >= 1 ? "confidence" : "router",
  };
}

/** A project-shape preset at the low end, middle or high end of its ranges. */
export function applyShape(
  form: PlannerForm,
  shape: ProjectShapeId,
  effort: EffortPoint,
): PlannerForm {
  const loaded = Number(form.loadedUsdPerEngineerWeek);
  const e = projectEffort(shape, effort, Number.isFinite(loaded) && loaded >= 0 ? loaded : 0);
  return {
    ...form,
    shape,
    effort,
    engineers: String(e.engineers),
    weeks: String(e.weeks),
    computeUsd: String(e.computeUsd),
  };
}

/** Fields that come from the shape preset: typing over one makes the effort "custom". */
const SHAPE_FIELDS: readonly PlannerField[] = ["engineers", "weeks", "computeUsd"];

export function setField<K extends PlannerField>(
  form: PlannerForm,
  key: K,
  value: PlannerForm[K],
): PlannerForm {
  const next = { ...form, [key]: value };
  return SHAPE_FIELDS.includes(key) ? { ...next, shape: "custom" } : next;
}

/** "" is not 0: an empty field is missing, not free. Commas as thousands separators are fine. */
function numberOf(text: string): number | undefined {
  const t = text.replace(/,/g, "").trim();
  if (t === "") return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : Number.NaN;
}

/** Where a planner-input issue is shown on the form. */
const FIELD_OF_PATH: Record<string, PlannerField> = {
  invocationsPerMonth: "invocationsPerMonth",
  "tokensPerCall.input": "tokensIn",
  "tokensPerCall.output": "tokensOut",
  routineShare: "routineSharePct",
  escalatedTokenFactor: "escalatedTokenFactor",
  frontier: "frontierId",
  serving: "servingId",
  "retune.trainingUsdPerTune": "trainingUsdPerTune",
  "retune.evalUsdPerTune": "evalUsdPerTune",
  "retune.engineerWeeksPerTune": "engineerWeeksPerTune",
  "project.engineers": "engineers",
  "project.weeks": "weeks",
  "project.loadedUsdPerEngineerWeek": "loadedUsdPerEngineerWeek",
  "project.computeUsd": "computeUsd",
  horizonMonths: "horizonMonths",
};

export type PlannerParse =
  | { state: "ready"; input: PlannerInput }
  /** Volume or tokens not entered yet: nothing to price. */
  | { state: "empty" }
  | { state: "invalid"; errors: Partial<Record<PlannerField, string>> };

/** Entries the form may pick from: the team's list first, then any preset price it lacks. */
export function pricePool(list: PriceList, extra: readonly PriceEntry[] = []): PriceList {
  const has = new Set(list.map((p) => `${p.kind}/${p.id}`));
  return [...list, ...extra.filter((p) => !has.has(`${p.kind}/${p.id}`))];
}

export function parsePlannerForm(form: PlannerForm, pool: PriceList): PlannerParse {
  if (
    form.invocationsPerMonth.trim() === "" ||
    form.tokensIn.trim() === "" ||
    form.tokensOut.trim() === ""
  ) {
    return { state: "empty" };
  }
  const frontier = pool.find((p) => p.kind === "frontier" && p.id === form.frontierId);
  const serving = pool.find((p) => p.kind === "self_hosted" && p.id === form.servingId);
  const errors: Partial<Record<PlannerField, string>> = {};
  if (!frontier) errors.frontierId = "pick a frontier model from the price list";
  if (!serving) errors.servingId = "pick a small model and GPU from the price list";
  const body = {
    invocationsPerMonth: numberOf(form.invocationsPerMonth),
    tokensPerCall: { input: numberOf(form.tokensIn), output: numberOf(form.tokensOut) },
    routineShare: form.routineSharePct / 100,
    escalatedTokenFactor: numberOf(form.escalatedTokenFactor) ?? 1,
    smallAttemptOnEscalated: form.routing === "confidence" ? 1 : 0,
    frontier,
    serving,
    retune: {
      cadence: form.cadence,
      trainingUsdPerTune: numberOf(form.trainingUsdPerTune) ?? 0,
      evalUsdPerTune: numberOf(form.evalUsdPerTune) ?? 0,
      engineerWeeksPerTune: numberOf(form.engineerWeeksPerTune) ?? 0,
    },
    project: {
      engineers: numberOf(form.engineers) ?? 0,
      weeks: numberOf(form.weeks) ?? 0,
      loadedUsdPerEngineerWeek: numberOf(form.loadedUsdPerEngineerWeek) ?? 0,
      computeUsd: numberOf(form.computeUsd) ?? 0,
    },
    horizonMonths: numberOf(form.horizonMonths) ?? 12,
  };
  const parsed = plannerInputSchema.safeParse(body);
  if (parsed.success && Object.keys(errors).length === 0) {
    return { state: "ready", input: parsed.data };
  }
  for (const issue of parsed.error?.issues ?? []) {
    const path = issue.path.join(".");
    const field = FIELD_OF_PATH[path] ?? FIELD_OF_PATH[String(issue.path[0])];
    if (!field) continue;
    errors[field] ??=
      issue.code === "invalid_type" ? "enter a number" : issue.message.replace(/^Too small: /, "");
  }
  if (Object.keys(errors).length === 0) errors.invocationsPerMonth = "check the inputs";
  return { state: "invalid", errors };
}
