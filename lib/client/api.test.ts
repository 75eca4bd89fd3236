import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ApiClientError, apiFetch, fieldErrors } from "./api";

function answer(status: number, body: unknown) {
  const fetchMock = vi.fn(
    async () =>
      new Response(body === undefined ? null : JSON.stringify(body), {
        status,
        headers: { "content-type": "application/json" },
      }),
  );
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

afterEach(() => vi.unstubAllGlobals());

const thing = z.object({ id: z.string() });

describe("apiFetch", () => {
  it("parses a 2xx body with the schema and sends JSON bodies", async () => {
    const fetchMock = answer(201, { id: "t1", extra: true });
    await expect(
      apiFetch("/api/v1/things", thing, { method: "POST", json: { a: 1 } }),
    ).resolves.toEqual({
      id: "t1",
    });
    const [path, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(path).toBe("/api/v1/things");
    expect(init.body).toBe('{"a":1}');
    expect(new Headers(init.headers).get("content-type")).toBe("application/json");
    expect(init.credentials).toBe("same-origin");
  });

  it("throws the API's error shape as ApiClientError", async () => {
    answer(422, {
      error: {
        code: "invalid",
        message: "email: Invalid email address",
        issues: [{ path: "email", message: "Invalid email address" }],
      },
    });
    const err = await apiFetch("/api/v1/invitations", thing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiClientError);
    expect(err).toMatchObject({
      status: 422,
      code: "invalid",
      message: "email: Invalid email address",
    });
    expect(fieldErrors(err)).toEqual({ email: "Invalid email address" });
  });

  it("names the status when the error body is not the API's shape", async () => {
    answer(502, "<html>bad gateway</html>");
    await expect(apiFetch("/api/v1/me", thing)).rejects.toMatchObject({
      status: 502,
      code: "http_502",
    });
  });

  it("rejects a 2xx body that does not match the schema", async () => {
    answer(200, { id: 7 });
    await expect(apiFetch("/api/v1/me", thing)).rejects.toMatchObject({
      status: 200,
      code: "bad_response",
    });
  });

  it("accepts listed non-2xx statuses as data (health answers 503 when degraded)", async () => {
    answer(503, { id: "degraded" });
    await expect(apiFetch("/api/v1/health", thing, { acceptStatuses: [503] })).resolves.toEqual({
      id: "degraded",
    });
  });

  it("turns a network failure into status 0", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))),
    );
    await expect(apiFetch("/api/v1/me", thing)).rejects.toMatchObject({
      status: 0,
      code: "network",
    });
  });
});
