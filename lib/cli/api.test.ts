import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BatchRefusedError, connect } from "./api";
import { ApiError } from "./errors";

type Handler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => void;

/** A loopback HTTP server answering as the test says: the client's real wire behaviour. */
let server: Server;
let handler: Handler = (_req, _body, res) => res.end();
let api: ReturnType<typeof connect>;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => handler(req, Buffer.concat(chunks), res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  api = connect({
    url: `http://127.0.0.1:${port}`,
    apiKey: "rt_test_key",
    userAgent: "retune-cli/test",
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

describe("the CLI's API client", () => {
  it("sends the key as a bearer token, to /api/v1, with the query", async () => {
    let seen: IncomingMessage | null = null;
    handler = (req, _body, res) => {
      seen = req;
      json(res, 200, { models: [] });
    };
    expect(await api.listModels("support agent")).toEqual({ models: [] });
    const url = new URL(seen!.url ?? "", "http://retune.test");
    expect([url.pathname, url.searchParams.get("q")]).toEqual(["/api/v1/models", "support agent"]);
    expect(seen!.headers.authorization).toBe("Bearer rt_test_key");
    expect(seen!.headers["user-agent"]).toBe("retune-cli/test");
  });

  it("carries the server's error code, message and field issues", async () => {
    handler = (_req, _body, res) =>
      json(res, 422, {
        error: {
          code: "invalid",
          message: "invalid request",
          issues: [{ path: "hyperparameters.maxSteps", message: "expected a whole number" }],
        },
      });
    const e = (await api.getJob("j1").catch((x: unknown) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect([e.status, e.code, e.message, e.exitCode]).toEqual([
      422,
      "invalid",
      "invalid request",
      1,
    ]);
    expect(e.details).toEqual(["hyperparameters.maxSteps: expected a whole number"]);
  });

  it("makes a blocked promotion a refusal (exit 3)", async () => {
    handler = (_req, _body, res) =>
      json(res, 409, {
        error: {
          code: "promotion_blocked",
          message:
            "model version 1 cannot go to PRODUCTION: the gate failed: tool_call_accuracy 0.2 < 0.3",
          issues: [{ path: "gate", message: "the gate failed: tool_call_accuracy 0.2 < 0.3" }],
        },
      });
    const e = (await api
      .promote("v1", { stage: "PRODUCTION" })
      .catch((x: unknown) => x)) as ApiError;
    expect(e.exitCode).toBe(3);
    expect(e.code).toBe("promotion_blocked");
  });

  it("keeps a refused batch's per-item errors", async () => {
    handler = (_req, _body, res) =>
      json(res, 422, {
        error: { code: "invalid_batch", message: "1 of 2 events are invalid" },
        errors: [{ index: 1, field: "outcome", message: "expected success or failure" }],
      });
    const e = await api.pushTelemetry('{"a":1}\n{"b":2}\n').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BatchRefusedError);
    expect((e as BatchRefusedError).errors).toEqual([
      { index: 1, field: "outcome", message: "expected success or failure" },
    ]);
  });

  it("says what came back when the answer is not the API's (a proxy's page)", async () => {
    handler = (_req, _body, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html>\n<body>Bad gateway</body></html>");
    };
    const e = (await api.getJob("j1").catch((x: unknown) => x)) as ApiError;
    expect(e.code).toBe("http_502");
    expect(e.message).toBe("502 Bad Gateway: <html> <body>Bad gateway</body></html>");
  });

  it("streams an upload as the request body, with its length and type", async () => {
    let received: { body: Buffer; headers: IncomingMessage["headers"]; url?: string } | null = null;
    handler = (req, body, res) => {
      received = { body, headers: req.headers, url: req.url };
      json(res, 202, { id: "dv1", status: "VALIDATING", version: 1, deduplicated: false });
    };
    const content = Buffer.from('{"messages":[]}\n'.repeat(5000));
    const accepted = await api.uploadDatasetVersion(
      "ds1",
      { format: "auto", evalFraction: 0.2 },
      {
        stream: Readable.from([content.subarray(0, 1000), content.subarray(1000)]),
        contentType: "application/x-ndjson",
        length: content.length,
      },
    );
    expect(accepted.id).toBe("dv1");
    expect(received!.url).toBe("/api/v1/datasets/ds1/versions?format=auto&evalFraction=0.2");
    expect(received!.headers["content-type"]).toBe("application/x-ndjson");
    expect(received!.headers["content-length"]).toBe(String(content.length));
    expect(received!.body.equals(content)).toBe(true);
  });

  it("names the server it could not reach", async () => {
    const offline = connect({ url: "http://127.0.0.1:9", apiKey: "k", userAgent: "t" });
    const e = (await offline.team().catch((x: unknown) => x)) as ApiError;
    expect(e.code).toBe("network");
    expect(e.message).toMatch(/^could not reach http:\/\/127\.0\.0\.1:9: /);
  });
});
