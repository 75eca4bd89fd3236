/**
 * A corrected trace keeps what the model first answered next to the correction: posted as
 * `originalMessages` with `correctedBy`, stored with the trace and read back by GET
 * /api/v1/traces/{id}; refused without `correctedBy`. Traces without it read back null.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/server/core/principal";
import { createTeamWith, signUp } from "@/test/principals";

process.env.ARTIFACT_DIR = mkdtempSync(path.join(tmpdir(), "retune-corrections-"));

const { db } = await import("@/lib/server/core/db");
const { getTrace, ingestTraces } = await import("@/lib/server/telemetry/traces");

const asked = { role: "user", content: "Refund order 42" };
const wrong = {
  role: "assistant",
  content: null,
  tool_calls: [{ id: "c1", type: "function", function: { name: "cancel", arguments: "{}" } }],
};
const right = {
  role: "assistant",
  content: null,
  tool_calls: [
    { id: "c1", type: "function", function: { name: "refund", arguments: '{"order":42}' } },
  ],
};

let owner: Principal;
let key: Principal;

beforeAll(async () => {
  const user = await signUp("corrections");
  const team = await createTeamWith({ OWNER: user });
  await db().model.create({ data: { teamId: team.id, name: "router" } });
  owner = {
    teamId: team.id,
    actor: { kind: "user", role: "OWNER" },
    userId: user.id,
    apiKeyId: null,
    ip: null,
  };
  key = { ...owner, userId: null, apiKeyId: "k", actor: { kind: "apiKey", scopes: ["telemetry"] } };
});

const post = (traces: unknown[]) =>
  new Request("http://localhost/api/v1/traces", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ traces }),
  });

const base = { timestamp: "2026-03-01T10:00:00Z", model: "router", outcome: "failure" };

describe("corrected traces", () => {
  it("keep the original conversation beside the correction", async () => {
    const res = await ingestTraces(
      key,
      post([
        {
          ...base,
          id: "fixed-1",
          correctedBy: "human",
          messages: [asked, right],
          originalMessages: [asked, wrong],
        },
        { ...base, id: "plain-1", messages: [asked, wrong] },
      ]),
    );
    expect(res).toEqual({ status: 202, body: { accepted: 2, duplicates: 0 } });

    const fixed = await getTrace(owner, "fixed-1");
    expect(fixed.correctedBy).toBe("human");
    expect(fixed.messages).toEqual([asked, right]);
    expect(fixed.originalMessages).toEqual([asked, wrong]);
    // The index counts the correction: it is what a retrain learns from.
    expect(fixed.toolsCalled).toEqual(["refund"]);

    expect((await getTrace(owner, "plain-1")).originalMessages).toBeNull();
  });

  it("refuse an original without correctedBy, naming the field", async () => {
    const res = await ingestTraces(
      key,
      post([{ ...base, id: "odd-1", messages: [asked, right], originalMessages: [asked, wrong] }]),
    );
    expect(res.status).toBe(422);
    const body = res.body as { errors: { index: number; field: string; message: string }[] };
    expect(body.errors).toEqual([expect.objectContaining({ index: 0, field: "originalMessages" })]);
    expect(body.errors[0]!.message).toMatch(/only with correctedBy/);
  });
});
