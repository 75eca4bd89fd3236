import { expect, type APIRequestContext } from "@playwright/test";
import { learnableToolJsonlText } from "../test/fixtures/tool-call-rows";

/** API setup for specs whose subject is elsewhere (the pages for it have their own specs). */

export type Json = Record<string, unknown>;

/** A JSON call that must succeed; the failure message carries the response body. */
export async function api(
  request: APIRequestContext,
  headers: Record<string, string>,
  method: "GET" | "POST" | "PUT",
  path: string,
  data?: unknown,
): Promise<Json> {
  const res = await request.fetch(path, {
    method,
    headers,
    ...(data !== undefined ? { data: data as Json } : {}),
  });
  const body = (await res.json()) as Json;
  expect(res.ok(), `${method} ${path}: ${JSON.stringify(body)}`).toBe(true);
  return body;
}

/** The tiny CPU base every e2e job trains on (built by scripts/test-all.sh before e2e). */
export const TINY_BASE = "retune/tiny-chat";

/**
 * A launch body (POST /api/v1/training-jobs) for a LoRA job on the tiny base, run by the e2e
 * worker's built-in PEFT trainer; `hp` overrides the small defaults (two steps of rank 4).
 */
export function tinyLaunch(model: string, datasetVersionId: string, hp: Json = {}): Json {
  return {
    model,
    datasetVersionId,
    baseModel: TINY_BASE,
    method: "LORA",
    backend: "PEFT",
    executor: "LOCAL",
    hyperparameters: {
      loraR: 4,
      loraAlpha: 8,
      learningRate: 0.001,
      maxSteps: 2,
      microBatchSize: 2,
      gradientAccumulationSteps: 1,
      warmupSteps: 0,
      sequenceLen: 256,
      ...hp,
    },
  };
}

/**
 * A READY dataset of `rows` learnable tool calls (15% held out) and an eval suite on its eval
 * split, created through the API as the signed-in person of `request`.
 */
export async function learnableSuite(
  request: APIRequestContext,
  origin: string,
  rows: number,
  datasetName: string,
): Promise<{ versionId: string; suiteId: string }> {
  const call = (method: "GET" | "POST", path: string, data?: unknown) =>
    api(request, { Origin: origin }, method, path, data);
  const dataset = await call("POST", "/api/v1/datasets", { name: datasetName });
  const upload = await request.post(
    `/api/v1/datasets/${dataset.id as string}/versions?format=auto&evalFraction=0.15`,
    {
      headers: { Origin: origin, "content-type": "application/x-ndjson" },
      data: Buffer.from(learnableToolJsonlText(rows)),
    },
  );
  expect(upload.ok(), await upload.text()).toBe(true);
  const versionId = ((await upload.json()) as Json).id as string;
  await expect
    .poll(async () => (await call("GET", `/api/v1/dataset-versions/${versionId}`)).status, {
      timeout: 120_000,
    })
    .toBe("READY");
  const suite = await call("POST", "/api/v1/eval-suites", {
    name: "held-out tool calls",
    datasetVersionId: versionId,
    split: "eval",
  });
  return { versionId, suiteId: suite.id as string };
}
