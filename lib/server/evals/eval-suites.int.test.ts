/**
 * Eval suites against real PostgreSQL: created, listed and read, duplicates and other teams' data
 * refused, and the cases read from exactly the dataset's own eval split.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readyVersion } from "@/test/training-helpers";
import {
  CITIES,
  ORDERS,
  other,
  p,
  setUpEvals,
  suiteId,
  tearDownEvals,
  versionId,
} from "./eval-fixtures";

const { db } = await import("@/lib/server/core/db");
const { createEvalSuite, getEvalSuite, listEvalSuites } = await import("./suites");
const { loadEvalCases } = await import("./cases");
const { materializeTrainingData } = await import("@/lib/server/training/data");

beforeAll(setUpEvals);
afterAll(tearDownEvals);

describe("eval suites", () => {
  it("creates, lists and reads a suite; refuses duplicates, other teams' data and unready versions", async () => {
    const s = await getEvalSuite(p, suiteId);
    expect(s).toMatchObject({ name: "support tools", datasetVersionId: versionId, split: "all" });
    expect(s.datasetVersion).toBe(1);
    // Defaults: today's scoring and one case per row.
    expect(s).toMatchObject({ scoringProfile: "retune", turns: "first" });
    const bfcl = await createEvalSuite(p, {
      name: "support tools (bfcl) every turn",
      datasetVersionId: versionId,
      scorers: ["tool_call"],
      scoringProfile: "bfcl",
      turns: "all",
    });
    expect(await getEvalSuite(p, bfcl.id)).toMatchObject({ scoringProfile: "bfcl", turns: "all" });
    await expect(
      createEvalSuite(p, {
        name: "x",
        datasetVersionId: versionId,
        scoringProfile: "gorilla" as "bfcl",
      }),
    ).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ["scoringProfile"] })] });
    expect((await listEvalSuites(p)).map((x) => x.id)).toContain(suiteId);
    await expect(
      createEvalSuite(p, {
        name: "support tools",
        datasetVersionId: versionId,
        split: "all",
        scorers: ["tool_call"],
      }),
    ).rejects.toMatchObject({ status: 409 });
    await expect(
      createEvalSuite(other, {
        name: "x",
        datasetVersionId: versionId,
        split: "eval",
        scorers: ["tool_call"],
      }),
    ).rejects.toMatchObject({ status: 422, issues: [{ path: "datasetVersionId" }] });
    await expect(getEvalSuite(other, suiteId)).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining(suiteId),
    });
  });

  it("reads exactly the dataset's own eval split for split=eval, with slices from metadata", async () => {
    const v = await readyVersion(p, 80);
    const row = await db().datasetVersion.findUniqueOrThrow({ where: { id: v } });
    const { cases, skipped } = await loadEvalCases(
      { datasetVersionId: v, split: "eval", turns: "first" },
      row,
    );
    const dir = mkdtempSync(path.join(tmpdir(), "retune-split-"));
    const counts = await materializeTrainingData(dir, row, null);
    expect(skipped).toEqual([]);
    expect(cases.length).toBe(counts.eval);
    expect(cases.length).toBeGreaterThan(0);
    const evalRows = readFileSync(path.join(dir, "data", "eval.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { messages: { role: string; tool_calls?: unknown[] }[] });
    // The prompt ends before the first tool-calling assistant turn (else the last assistant turn).
    const promptOf = (m: { role: string; tool_calls?: unknown[] }[]) => {
      const call = m.findIndex((x) => x.role === "assistant" && (x.tool_calls?.length ?? 0) > 0);
      return m.slice(0, call >= 0 ? call : m.findLastIndex((x) => x.role === "assistant"));
    };
    expect(cases.map((c) => c.messages)).toEqual(evalRows.map((r) => promptOf(r.messages)));
    // Served from the cache the second time, identical.
    expect(
      await loadEvalCases({ datasetVersionId: v, split: "eval", turns: "first" }, row),
    ).toEqual({
      cases,
      skipped,
    });

    const mine = await loadEvalCases(
      { datasetVersionId: versionId, split: "all", turns: "first" },
      await db().datasetVersion.findUniqueOrThrow({ where: { id: versionId } }),
    );
    expect(mine.cases.map((c) => c.slice)).toEqual([
      ...CITIES.map(() => ({ tool: "get_weather", intent: "weather" })),
      ...ORDERS.map(() => ({ tool: "lookup_order", intent: "orders" })),
      { tool: "(no call)", intent: null },
      { tool: "(no call)", intent: null },
    ]);
  });
});
