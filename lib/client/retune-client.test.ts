import { describe, expect, it } from "vitest";
import { ApiClientError } from "./api";
import { createRetuneClient, type RetuneSchema, unwrap } from "./retune-client";

function fakeFetch(status: number, body: unknown) {
  const seen: Request[] = [];
  const fetch = async (req: Request) => {
    seen.push(req);
    return Response.json(body, { status });
  };
  return { seen, fetch };
}

describe("createRetuneClient", () => {
  it("calls the typed path on the base URL with the API key", async () => {
    const dataset = {
      id: "d 1",
      name: "calls",
      versions: [],
    } as unknown as RetuneSchema<"DatasetDetail">;
    const { seen, fetch } = fakeFetch(200, dataset);
    const api = createRetuneClient({
      baseUrl: "https://retune.test/api/v1/",
      apiKey: "rt_key",
      fetch,
    });
    const got = await unwrap(api.GET("/api/v1/datasets/{id}", { params: { path: { id: "d 1" } } }));
    expect(got.name).toBe("calls");
    expect(seen[0]!.url).toBe("https://retune.test/api/v1/datasets/d%201");
    expect(seen[0]!.headers.get("authorization")).toBe("Bearer rt_key");
  });

  it("sends a typed JSON body and query", async () => {
    const { seen, fetch } = fakeFetch(201, { id: "j1", status: "QUEUED" });
    const api = createRetuneClient({ baseUrl: "https://retune.test", team: "t1", fetch });
    const job = await unwrap(
      api.POST("/api/v1/training-jobs", {
        body: {
          model: "caller",
          datasetVersionId: "v1",
          baseModel: "retune/tiny-chat",
          preset: "tiny-cpu-demo",
        },
        params: { header: { "Idempotency-Key": "k-1" } },
      }),
    );
    expect(job.status).toBe("QUEUED");
    expect(await seen[0]!.json()).toMatchObject({ preset: "tiny-cpu-demo" });
    expect(seen[0]!.headers.get("x-retune-team")).toBe("t1");
    expect(seen[0]!.headers.get("idempotency-key")).toBe("k-1");
    await unwrap(api.GET("/api/v1/training-jobs", { params: { query: { status: "RUNNING" } } }));
    expect(new URL(seen[1]!.url).searchParams.get("status")).toBe("RUNNING");
  });

  it("throws the server's error code, message and issues", async () => {
    const { fetch } = fakeFetch(422, {
      error: {
        code: "invalid",
        message: "name: required",
        issues: [{ path: "name", message: "required" }],
      },
    });
    const api = createRetuneClient({ baseUrl: "https://retune.test", apiKey: "rt_key", fetch });
    const err = await unwrap(api.POST("/api/v1/datasets", { body: { name: "" } })).catch((e) => e);
    expect(err).toBeInstanceOf(ApiClientError);
    expect(err).toMatchObject({ status: 422, code: "invalid", issues: [{ path: "name" }] });
  });
});
