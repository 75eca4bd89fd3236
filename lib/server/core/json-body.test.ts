import { describe, expect, it } from "vitest";
import { z } from "zod";
import { readBatchBody } from "./batch-body";
import { HttpError } from "./errors";
import { publicRoute, readJson } from "./http";
import {
  boundedRequest,
  jsonDepthExceeds,
  MAX_JSON_BYTES,
  MAX_JSON_DEPTH,
  readCapped,
} from "./json-body";

const ctx = { params: Promise.resolve({}) };

/** A chunked body of `chunks` × 64 KiB, produced only as it is read. */
function streamed(chunks: number) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (pulled++ < chunks) c.enqueue(new Uint8Array(65_536).fill(0x20));
      else c.close();
    },
  });
  return { body, pulled: () => pulled };
}

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request("http://localhost/x", {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
    duplex: "half",
  } as RequestInit);

describe("readCapped", () => {
  it("stops reading a chunked body as soon as it passes the limit, naming the limit", async () => {
    const s = streamed(10_000);
    const err = await readCapped(post(s.body), 200_000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(413);
    expect((err as HttpError).message).toBe(
      "request body is over the limit of 200 kB (200000 bytes)",
    );
    expect(s.pulled()).toBeLessThan(10);
  });

  it("returns a body within the limit whole", async () => {
    expect((await readCapped(post(streamed(3).body), 200_000)).byteLength).toBe(3 * 65_536);
  });
});

describe("jsonDepthExceeds", () => {
  it("counts nesting outside strings only", () => {
    expect(jsonDepthExceeds("[[[]]]", 3)).toBe(false);
    expect(jsonDepthExceeds("[[[[]]]]", 3)).toBe(true);
    expect(jsonDepthExceeds(`{"a":"${"[".repeat(500)}"}`, 3)).toBe(false);
    expect(jsonDepthExceeds(`{"a":"\\"${"{".repeat(5)}"}`, 3)).toBe(false);
    expect(jsonDepthExceeds(`[{"a":[{"b":1}]},{"c":[]}]`, 4)).toBe(false);
    // A quote after an even run of backslashes ends the string; after an odd run it does not.
    expect(jsonDepthExceeds(String.raw`{"a":"x\\","b":[[[[]]]]}`, 3)).toBe(true);
    expect(jsonDepthExceeds(String.raw`{"a":"x\\\"[[[[","b":1}`, 3)).toBe(false);
    expect(jsonDepthExceeds(`["unterminated`, 3)).toBe(false);
  });
});

describe("readJson", () => {
  const route = publicRoute(async (req) =>
    readJson(req, z.strictObject({ method: z.enum(["LORA", "QLORA"]) })),
  );

  it("answers 422 naming the depth limit for JSON nested thousands deep", async () => {
    const deep = `${"[".repeat(50_000)}${"]".repeat(50_000)}`;
    const res = await route(post(`{"method":${deep}}`), ctx);
    expect(res.status).toBe(422);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("too_deep");
    expect(error.message).toContain(`the limit is ${MAX_JSON_DEPTH}`);
  });

  it("answers 413 for a chunked body over the limit", async () => {
    const res = await route(post(streamed(1_000).body), ctx);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(
      `${MAX_JSON_BYTES} bytes`,
    );
  });

  it("says which value an enum refused and which it allows", async () => {
    const res = await route(post(JSON.stringify({ method: "FULL" })), ctx);
    expect(res.status).toBe(422);
    const { error } = (await res.json()) as { error: { message: string } };
    expect(error.message).toBe(
      'method: Invalid option: expected one of "LORA"|"QLORA"; received "FULL"',
    );
  });

  it("refuses an unknown key, naming it", async () => {
    const res = await route(post(JSON.stringify({ method: "LORA", saveEvery: 5 })), ctx);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      '(body): Unrecognized key: "saveEvery"',
    );
  });
});

describe("boundedRequest", () => {
  it("hands the library the same body when it is within the limits", async () => {
    const req = await boundedRequest(post(JSON.stringify({ email: "a@b.test" })));
    expect(req).toBeInstanceOf(Request);
    expect(await (req as Request).json()).toEqual({ email: "a@b.test" });
  });

  it("answers 413 itself for a chunked body over the limit", async () => {
    const s = streamed(1_000);
    const res = await boundedRequest(post(s.body));
    expect((res as Response).status).toBe(413);
    expect(s.pulled()).toBeLessThan(MAX_JSON_BYTES / 65_536 + 4);
  });
});

describe("readBatchBody", () => {
  const opts = { key: "events", maxBytes: 200_000, maxItems: 10 };

  it("stops reading a chunked batch at its limit", async () => {
    const s = streamed(10_000);
    const err = await readBatchBody(post(s.body), opts).catch((e: unknown) => e);
    expect((err as HttpError).status).toBe(413);
    expect((err as HttpError).message).toContain("200000 bytes");
    expect(s.pulled()).toBeLessThan(10);
  });

  it("refuses a batch nested thousands deep with 422", async () => {
    const deep = `${"[".repeat(20_000)}${"]".repeat(20_000)}`;
    const err = await readBatchBody(post(`{"events":[${deep}]}`), { ...opts, maxBytes: 1e6 }).catch(
      (e: unknown) => e,
    );
    expect([(err as HttpError).status, (err as HttpError).code]).toEqual([422, "too_deep"]);
  });
});
