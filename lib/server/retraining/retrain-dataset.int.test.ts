/**
 * A retrain's dataset on real PostgreSQL (and Redis for the outbox): recent good or corrected
 * traces, synthetic base rows capped at their share, validated, launched, and not built twice
 * when the queue job is delivered again.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { readyVersion } from "@/test/training-helpers";
import { modelInProduction, p, setUpTeams } from "./retrain-fixtures";

const { db } = await import("@/lib/server/core/db");
const { putRetrainPolicy, runRetrainNow } = await import("./retrain-policies");
const { listRetrains } = await import("./retrain-loop");
const { buildRetrainDataset, continueRetrainsFor } = await import("./retrains");
const { ingestTraces } = await import("@/lib/server/telemetry/traces");
const { validateDatasetVersion } = await import("@/lib/server/datasets/validation");
const { toolJsonlText } = await import("@/test/fixtures/tool-call-rows");
const { buildRetrainRows } = await import("./retrain-dataset");
const { listRows } = await import("@/lib/server/datasets/rows");
const { rowsQuerySchema } = await import("@/lib/schemas/datasets");
const { datasetRecipeSchema } = await import("@/lib/schemas/retrain");

beforeAll(setUpTeams, 120_000);

describe("a retrain's dataset", () => {
  it("takes recent good or corrected traces, caps the synthetic base rows, validates and launches", async () => {
    const model = await modelInProduction("recipe");
    const rows = toolJsonlText(40, 5).trim().split("\n");
    const day = 86_400_000;
    const traces = rows.map((line, i) => ({
      id: `recipe-${i}`,
      // 30 recent traces and 10 older than the recipe's 7 days.
      timestamp: new Date(Date.now() - (i < 30 ? i * 60_000 : 10 * day)).toISOString(),
      model: model.name,
      ...(JSON.parse(line) as { messages: unknown[]; tools?: unknown[] }),
      // Recent: 20 successes, 5 failures a human corrected, 5 uncorrected failures.
      outcome: i < 20 || i >= 30 ? "success" : "failure",
      ...(i >= 20 && i < 25 ? { correctedBy: "human" } : {}),
    }));
    const posted = await ingestTraces(
      p,
      new Request("http://localhost/api/v1/traces", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ traces }),
      }),
    );
    expect(posted.status).toBe(202);

    // A synthetic base dataset: at most a quarter of the result may come from it.
    const baseVersionId = await readyVersion(p, 40, { provenance: "synthetic" });
    await putRetrainPolicy(p, model.name, {
      datasetRecipe: {
        days: 7,
        minTraces: 10,
        baseDatasetVersionId: baseVersionId,
        maxSyntheticShare: 0.25,
      },
    });

    const request = await runRetrainNow(p, model.name);
    expect(request.status).toBe("BUILDING");
    await buildRetrainDataset(request.id);
    const built = await db().retrainRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(built.traceCount).toBe(25);
    const dv = await db().datasetVersion.findUniqueOrThrow({
      where: { id: built.datasetVersionId! },
      include: { dataset: true },
    });
    expect(dv.dataset.name).toBe("recipe retraining");
    expect(dv.provenance).toBe("MIXED");
    expect((await validateDatasetVersion(dv.id)).status).toBe("READY");
    const stats = (await db().datasetVersion.findUniqueOrThrow({ where: { id: dv.id } })).stats as {
      rows: number;
    };
    // 25 traces + floor(0.25 × 25 / 0.75) = 8 synthetic rows.
    expect(stats.rows).toBe(33);

    await continueRetrainsFor(dv.id);
    const launched = await db().retrainRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(launched.status).toBe("LAUNCHED");
    const job = await db().trainingJob.findUniqueOrThrow({
      where: { id: launched.trainingJobId! },
    });
    expect(job).toMatchObject({ trigger: "MANUAL", datasetVersionId: dv.id, modelId: model.id });
    const loop = await listRetrains(p, model.name);
    expect(loop[0]!.steps.slice(0, 3).map((s) => `${s.step}:${s.state}`)).toEqual([
      "trigger:done",
      "dataset:done",
      "job:active",
    ]);
    // Delivered twice (a redelivered queue job): nothing new is built or launched.
    await buildRetrainDataset(request.id);
    expect(await db().trainingJob.count({ where: { modelId: model.id } })).toBe(2);
  });

  it("mixes in only the base version's train side, so its held-out rows stay held out", async () => {
    const model = await modelInProduction("held-out");
    const baseVersionId = await readyVersion(p, 60, { provenance: "production_traces" });
    const { rows } = await listRows(p, baseVersionId, rowsQuerySchema.parse({ limit: 100 }));
    const userText = (value: unknown) =>
      (value as { messages: { role: string; content: string }[] }).messages.find(
        (m) => m.role === "user",
      )!.content;
    const held = rows.filter((r) => r.split === "eval").map((r) => userText(r.value));
    const train = rows.filter((r) => r.split === "train").map((r) => userText(r.value));
    expect(held.length).toBeGreaterThan(0);

    const recipe = datasetRecipeSchema.parse({
      outcomes: [],
      correctedBy: [],
      baseDatasetVersionId: baseVersionId,
      maxSyntheticShare: 1,
    });
    const built = await buildRetrainRows(p.teamId, model.id, recipe, new Date());
    expect(built.baseRows).toBe(train.length);
    expect(built.lines.map((l) => userText(JSON.parse(l))).sort()).toEqual([...train].sort());
  });
});
