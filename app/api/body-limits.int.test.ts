/**
 * Request bodies are bounded while they stream: a 200 MB chunked JSON body (no Content-Length)
 * to an /api/v1 route and to Better Auth's unauthenticated sign-up is a 413 naming the limit,
 * read no further than the limit, with the process's memory (RSS) growing by under 50 MB; JSON
 * nested thousands deep is a 422 naming the depth limit, not a stack overflow. Route handlers
 * are called in-process with real PostgreSQL, as Next.js calls them.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_JSON_BYTES, MAX_JSON_DEPTH } from "@/lib/server/core/json-body";
import { keyFor, ownerOfNewTeam } from "@/test/principals";
import * as datasetsRoute from "./v1/datasets/route";
import * as authRoute from "./auth/[...all]/route";

const APP = "http://localhost:3999";
const TOTAL = 200 * 1024 * 1024;
const CHUNK = 64 * 1024;
const ctx = { params: Promise.resolve({}) };

let key: string;

beforeAll(async () => {
  const { owner, team } = await ownerOfNewTeam("limits");
  key = (await keyFor(team.id, owner.id, ["read", "write"])).key;
});

/**
 * A JSON body of `total` bytes produced on demand, as a client streams a chunked upload: only
 * what the server pulls is ever created, and `pulled()` says how much that was.
 */
function endlessJson(total: number) {
  const head = Buffer.from('{"name":"');
  const filler = Buffer.alloc(CHUNK, "a".charCodeAt(0));
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === 0) {
        controller.enqueue(new Uint8Array(head));
        sent += head.length;
      } else if (sent < total) {
        controller.enqueue(new Uint8Array(filler));
        sent += filler.length;
      } else {
        controller.enqueue(new TextEncoder().encode('"}'));
        controller.close();
      }
    },
  });
  return { stream, pulled: () => sent };
}

function chunkedPost(url: string, body: ReadableStream<Uint8Array>, headers = {}) {
  return new Request(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
    duplex: "half",
  } as RequestInit);
}

const deepJson = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

async function expectBoundedRefusal(send: (body: ReadableStream<Uint8Array>) => Promise<Response>) {
  const body = endlessJson(TOTAL);
  const rssBefore = process.memoryUsage().rss;
  const res = await send(body.stream);
  const grownMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
  expect(res.status).toBe(413);
  const answer = (await res.json()) as { error: { code: string; message: string } };
  expect(answer.error.code).toBe("too_large");
  expect(answer.error.message).toContain(`${MAX_JSON_BYTES} bytes`);
  // Read up to the limit and stopped: nowhere near the 200 MB the client had to send.
  expect(body.pulled()).toBeLessThan(MAX_JSON_BYTES + 4 * CHUNK);
  expect(grownMb).toBeLessThan(50);
}

describe("JSON bodies", () => {
  it("a 200 MB chunked body to POST /api/v1/datasets is a 413 without buffering it", async () => {
    await expectBoundedRefusal((body) =>
      datasetsRoute.POST(
        chunkedPost(`${APP}/api/v1/datasets`, body, { authorization: `Bearer ${key}` }),
        ctx,
      ),
    );
  });

  it("a 200 MB chunked body to the unauthenticated sign-up is a 413 without buffering it", async () => {
    await expectBoundedRefusal((body) =>
      authRoute.POST(chunkedPost(`${APP}/api/auth/sign-up/email`, body)),
    );
  });

  it("a body over the limit by Content-Length is refused before it is read", async () => {
    const res = await datasetsRoute.POST(
      new Request(`${APP}/api/v1/datasets`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${key}`,
          "content-type": "application/json",
          "content-length": String(MAX_JSON_BYTES + 1),
        },
        body: "{}",
      }),
      ctx,
    );
    expect(res.status).toBe(413);
  });

  it("JSON nested thousands deep is a 422 naming the depth limit, on the API and on sign-up", async () => {
    const api = await datasetsRoute.POST(
      new Request(`${APP}/api/v1/datasets`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: `{"name":${deepJson(20_000)}}`,
      }),
      ctx,
    );
    expect(api.status).toBe(422);
    const apiError = ((await api.json()) as { error: { code: string; message: string } }).error;
    expect(apiError.code).toBe("too_deep");
    expect(apiError.message).toContain(`limit is ${MAX_JSON_DEPTH}`);

    const signUp = await authRoute.POST(
      new Request(`${APP}/api/auth/sign-up/email`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: `{"email":${deepJson(20_000)}}`,
      }),
    );
    expect(signUp.status).toBe(422);
    expect(((await signUp.json()) as { error: { code: string } }).error.code).toBe("too_deep");
  });

  it("a body within the limits still reaches the route and Better Auth", async () => {
    const created = await datasetsRoute.POST(
      new Request(`${APP}/api/v1/datasets`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "within limits" }),
      }),
      ctx,
    );
    expect(created.status).toBe(201);
    const email = `limits-${Date.now()}@example.test`;
    const signedUp = await authRoute.POST(
      chunkedPost(
        `${APP}/api/auth/sign-up/email`,
        new Blob([
          JSON.stringify({ email, password: "correct-horse-battery", name: "l" }),
        ]).stream(),
      ),
    );
    expect(signedUp.status).toBe(200);
    expect(((await signedUp.json()) as { user: { email: string } }).user.email).toBe(email);
  });
});
